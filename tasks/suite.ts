/**
 * Deploying and inspecting the suite. Thin: each task parses its arguments and makes one call into
 * `scripts/lib/deploy` (imported inside the action, so the config loads before the first compile).
 */
import path from "node:path";

import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { runCommand } from "../scripts/lib/cli";

function deploymentsDir(hre: HardhatRuntimeEnvironment, dir: string | undefined): string {
  return path.resolve(hre.config.paths.root, dir ?? "deployments");
}

task("suite:deploy", "Deploys and wires the whole suite, resumably; writes deployments/<chainId>.json")
  .addOptionalParam("params", "The params file (default deploy/params/<network>.json)", undefined, types.string)
  .addOptionalParam("handover", "Hand every governance role to this address at the end", undefined, types.string)
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(async (args: { params?: string; handover?: string; deployments?: string }, hre) =>
    runCommand("suite:deploy", async () => {
      const { isAddress } = await import("ethers");
      const { runSuiteDeploy } = await import("../scripts/lib/deploy/run");
      if (args.handover !== undefined && !isAddress(args.handover)) {
        throw new Error(`--handover is not an address: "${args.handover}"`);
      }
      const [deployer, oracle] = await hre.ethers.getSigners();
      if (deployer === undefined) throw new Error(`network "${hre.network.name}" has no account to deploy from`);
      const { chainId } = await hre.ethers.provider.getNetwork();
      const paramsFile = path.resolve(
        hre.config.paths.root,
        args.params ?? path.join("deploy", "params", `${hre.network.name}.json`),
      );
      await runSuiteDeploy({
        deployer,
        oracle: oracle?.address,
        chainId: Number(chainId),
        paramsFile,
        deploymentsDir: deploymentsDir(hre, args.deployments),
        persist: hre.network.name !== "hardhat",
        handover: args.handover,
        log: (line) => process.stdout.write(`${line}\n`),
      });
    }),
  );

task("suite:status", "Prints the suite's addresses, epoch, last claimable root, stake, credits and pause flags")
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(async (args: { deployments?: string }, hre) =>
    runCommand("suite:status", async () => {
      const { readSuiteStatus } = await import("../scripts/lib/deploy/status");
      const { readDeployment } = await import("../scripts/lib/deployments");
      const { chainId } = await hre.ethers.provider.getNetwork();
      const record = readDeployment(deploymentsDir(hre, args.deployments), chainId);
      const status = await readSuiteStatus(hre.ethers.provider, record);
      process.stdout.write(JSON.stringify(status, null, 2) + "\n");
    }),
  );
