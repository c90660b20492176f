/**
 * `suite:*`: deploying and inspecting the suite. Thin: each task parses its arguments and makes one
 * call into `scripts/lib/deploy` (imported inside the action, so the config loads before the first
 * compile). The tasks that read a deployment take it from their context (`tasks/lib/context`), which
 * checks that every recorded contract has code on the chain.
 */
import path from "node:path";

import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { TaskInputError, parseAddress, parseChoice } from "../scripts/lib/args";
import { runCommand } from "../scripts/lib/cli";
import { deploymentsDir, taskContext } from "./lib/context";

/** `deploy/params/<network>.json`, the params file a network deploys with unless `--params` names another. */
function networkParamsFile(hre: HardhatRuntimeEnvironment, network = hre.network.name): string {
  return path.join(hre.config.paths.root, "deploy", "params", `${network}.json`);
}

/**
 * The context of a task that reads the deployment: the record of the connected chain, each of whose
 * contracts has code on the chain (one line naming the record file and the contract otherwise).
 */
function checkedContext(hre: HardhatRuntimeEnvironment, name: string, deployments: string | undefined) {
  return taskContext(hre, name, { deployments, checkCode: true }, async () => undefined);
}

task("suite:deploy", "Deploys and wires the whole suite, resumably; writes deployments/<chainId>.json")
  .addOptionalParam("params", "The params file (default deploy/params/<network>.json)", undefined, types.string)
  .addOptionalParam("handover", "Hand every governance role to this address at the end", undefined, types.string)
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .addFlag("reset", "After a chain reset (a restarted node), move the stale journal and record aside and deploy afresh")
  .setAction(async (args: { params?: string; handover?: string; deployments?: string; reset: boolean }, hre) =>
    runCommand("suite:deploy", async () => {
      const handover = args.handover === undefined ? undefined : parseAddress(args.handover, "--handover");
      const { runSuiteDeploy } = await import("../scripts/lib/deploy/run");
      const [deployer, oracle] = await hre.ethers.getSigners();
      if (deployer === undefined)
        throw new TaskInputError(`network "${hre.network.name}" has no account to deploy from`);
      const { chainId } = await hre.ethers.provider.getNetwork();
      const ownParams = networkParamsFile(hre);
      const paramsFile = args.params === undefined ? ownParams : path.resolve(hre.config.paths.root, args.params);
      const { registerProxies } = await import("../scripts/lib/deploy/upgrade");
      const { fileJournal, memoryJournal } = await import("../scripts/lib/deploy/journal");
      const dir = deploymentsDir(hre, args.deployments);
      const persist = hre.network.name !== "hardhat";
      const { record } = await runSuiteDeploy({
        deployer,
        oracle: oracle?.address,
        chainId: Number(chainId),
        paramsFile,
        deploymentsDir: dir,
        persist,
        handover,
        reset: args.reset,
        network: hre.network.name,
        networkParamsFile: ownParams,
        log: (line) => process.stdout.write(`${line}\n`),
      });
      // Record the deployed storage layouts, against which suite:upgrade validates new code.
      const journal = persist ? fileJournal(path.join(dir, ".journal", `${chainId}.json`)) : memoryJournal();
      await registerProxies(deployer, record, journal, (proxy, factory) =>
        hre.upgrades.forceImport(proxy, factory, { kind: "uups" }),
      );
    }),
  );

task("suite:status", "Prints the suite's addresses, epoch, last claimable root, stake, credits and pause flags")
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(async (args: { deployments?: string }, hre) =>
    runCommand("suite:status", async () => {
      const { readSuiteStatus } = await import("../scripts/lib/deploy/status");
      const c = await checkedContext(hre, "suite:status", args.deployments);
      c.io.result(JSON.stringify(await readSuiteStatus(hre.ethers.provider, c.record), null, 2));
    }),
  );

task("suite:upgrade", "Upgrades a UUPS contract to the current code, through the authority's delay")
  .addParam("contract", "DataCredits, DeviceRegistry, Staking or RewardsDistributor", undefined, types.string)
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(async (args: { contract: string; deployments?: string }, hre) =>
    runCommand("suite:upgrade", async () => {
      const { UPGRADEABLE, upgradeContract } = await import("../scripts/lib/deploy/upgrade");
      const { fileJournal, memoryJournal } = await import("../scripts/lib/deploy/journal");
      const name = parseChoice(args.contract, "--contract", UPGRADEABLE);
      const c = await checkedContext(hre, "suite:upgrade", args.deployments);
      const [signer] = await hre.ethers.getSigners();
      const journal =
        hre.network.name === "hardhat"
          ? memoryJournal()
          : fileJournal(path.join(c.deploymentsDir, ".journal", `${c.chainId}.upgrades.json`));
      const outcome = await upgradeContract({
        signer,
        record: c.record,
        name,
        journal,
        validate: (proxy, factory) =>
          hre.upgrades.validateUpgrade(proxy, factory, { kind: "uups", unsafeAllowLinkedLibraries: true }),
        onUpgraded: (proxy, factory) => hre.upgrades.forceImport(proxy, factory, { kind: "uups" }),
      });
      c.io.json(outcome);
    }),
  );

task("suite:verify", "Verifies the suite's sources on the network's block explorer (needs ETHERSCAN_API_KEY)")
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(async (args: { deployments?: string }, hre) =>
    runCommand("suite:verify", async () => {
      const { verificationTargets } = await import("../scripts/lib/deploy/verify");
      const apiKey = hre.config.etherscan.apiKey;
      if (apiKey === "" || (typeof apiKey === "object" && Object.keys(apiKey).length === 0)) {
        throw new TaskInputError("ETHERSCAN_API_KEY is not set: nothing can be verified");
      }
      const c = await checkedContext(hre, "suite:verify", args.deployments);
      const [signer] = await hre.ethers.getSigners();
      for (const target of await verificationTargets(signer, c.record)) {
        c.io.result(`verifying ${target.name} at ${target.address}`);
        await hre.run("verify:verify", {
          address: target.address,
          constructorArguments: target.constructorArguments,
        });
      }
    }),
  );

task(
  "suite:init-params",
  "Writes deploy/params/<network>.json for the connected chain's id from a template params file",
)
  .addOptionalParam(
    "from",
    "The template: a name of deploy/params/ (localhost, testnet, ...) or a file",
    "localhost",
    types.string,
  )
  .addFlag("force", "Rewrite deploy/params/<network>.json when it exists")
  .setAction(async (args: { from: string; force: boolean }, hre) =>
    runCommand("suite:init-params", async () => {
      const { existsSync, readdirSync } = await import("node:fs");
      const { initSuiteParams } = await import("../scripts/lib/deploy/suite-params");
      const { displayPath: shown } = await import("../scripts/lib/deploy/journal");
      const isFile = args.from.includes("/") || args.from.includes(path.sep) || args.from.endsWith(".json");
      if (!isFile && !/^[\w-]+$/.test(args.from))
        throw new TaskInputError(`--from must name a params file, not "${args.from}"`);
      const template = isFile ? path.resolve(hre.config.paths.root, args.from) : networkParamsFile(hre, args.from);
      if (!existsSync(template)) {
        const dir = path.dirname(networkParamsFile(hre));
        const names = existsSync(dir)
          ? readdirSync(dir)
              .filter((name) => name.endsWith(".json"))
              .map((name) => name.slice(0, -".json".length))
              .sort()
          : [];
        throw new TaskInputError(
          `${shown(template)}: no such params file: --from takes ${names.length > 0 ? `one of ${names.join(", ")} or ` : ""}a params file`,
        );
      }
      const [deployer, oracle] = await hre.ethers.getSigners();
      if (deployer === undefined)
        throw new TaskInputError(`network "${hre.network.name}" has no account to deploy from`);
      const { chainId } = await hre.ethers.provider.getNetwork();
      const latest = await hre.ethers.provider.getBlock("latest");
      if (latest === null) throw new TaskInputError("the node returned no latest block");
      const out = networkParamsFile(hre);
      const outcome = initSuiteParams({
        template,
        out,
        chainId: Number(chainId),
        force: args.force,
        context: { deployer: deployer.address, oracle: oracle?.address, now: BigInt(latest.timestamp) },
      });
      const deploy = `npx hardhat suite:deploy --network ${hre.network.name}`;
      if (outcome.outcome === "exists") {
        process.stdout.write(
          `${shown(out)} is already for chain ${chainId}: nothing to do (--force rewrites it from ${shown(template)}); deploy with ${deploy}\n`,
        );
      } else if (outcome.problem === undefined) {
        process.stdout.write(
          `wrote ${shown(out)} for chain ${chainId} from ${shown(template)}: review it, then deploy with ${deploy}\n`,
        );
      } else {
        process.stdout.write(
          `wrote ${shown(out)} for chain ${chainId} from ${shown(template)}; fill it in before ${deploy}: ${outcome.problem}\n`,
        );
      }
    }),
  );
