/**
 * The epoch tasks that talk to the chain: `epoch:snapshot`, `epoch:publish`, `epoch:run` and
 * `rewards:claim`. Thin: they parse and check their arguments and make one library call
 * (`scripts/lib/epochs/chain.ts`). Addresses come from `deployments/<chainId>.json`. The oracle is the
 * first configured account that the distributor has registered (on public networks, the account of
 * ORACLE_PRIVATE_KEY). Long steps report progress on stderr; results go to stdout as JSON.
 */
import path from "node:path";

import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { runCommand } from "../scripts/lib/cli";

const UINT = /^(0|[1-9][0-9]*)$/;

function epochArg(value: string): bigint {
  if (!UINT.test(value)) throw new Error(`--epoch must be a non-negative integer, not "${value}"`);
  return BigInt(value);
}

const progress = (line: string): void => void process.stderr.write(`${line}\n`);

async function deployment(hre: HardhatRuntimeEnvironment, dir: string | undefined) {
  const { readDeployment } = await import("../scripts/lib/deployments");
  const { chainId } = await hre.ethers.provider.getNetwork();
  return readDeployment(path.resolve(hre.config.paths.root, dir ?? "deployments"), chainId);
}

/** The first configured account that the distributor has registered as an oracle. */
async function oracleSigner(hre: HardhatRuntimeEnvironment, distributor: string) {
  const { RewardsDistributor__factory } = await import("../typechain-types");
  const contract = RewardsDistributor__factory.connect(distributor, hre.ethers.provider);
  for (const signer of await hre.ethers.getSigners()) {
    if (await contract.isOracle(signer.address)) return signer;
  }
  throw new Error("no configured account is a registered oracle (set ORACLE_PRIVATE_KEY)");
}

task("epoch:snapshot", "Reads the chain at one block and writes the epoch's snapshot file")
  .addParam("epoch", "The epoch", undefined, types.string)
  .addOptionalParam(
    "block",
    "The block to read at (default: the last block before the epoch's end)",
    undefined,
    types.string,
  )
  .addParam("out", "The folder to write snapshot-<E>.ndjson into", undefined, types.string)
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(async (args: { epoch: string; block?: string; out: string; deployments?: string }, hre) =>
    runCommand("epoch:snapshot", async () => {
      const epoch = epochArg(args.epoch);
      if (args.block !== undefined && !UINT.test(args.block))
        throw new Error(`--block must be a block number, not "${args.block}"`);
      const { readChainSnapshot } = await import("../scripts/lib/epochs/chain");
      const { writeSnapshot } = await import("../scripts/lib/epochs/snapshot");
      const record = await deployment(hre, args.deployments);
      const snapshot = await readChainSnapshot({
        provider: hre.ethers.provider,
        record,
        epoch,
        block: args.block === undefined ? undefined : Number(args.block),
        onProgress: progress,
      });
      const file = path.resolve(args.out, `snapshot-${epoch}.ndjson`);
      await writeSnapshot(file, snapshot);
      process.stdout.write(
        JSON.stringify({ file, block: snapshot.header.block.toString(), devices: snapshot.devices.length }) + "\n",
      );
    }),
  );

task("epoch:publish", "Posts an epoch file's root as the oracle (idempotent)")
  .addParam("file", "The epoch file", undefined, types.string)
  .addOptionalParam("uri", "Where the file is published, logged in the event", "", types.string)
  .addFlag("dryRun", "Print what would be sent, and send nothing")
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(async (args: { file: string; uri: string; dryRun: boolean; deployments?: string }, hre) =>
    runCommand("epoch:publish", async () => {
      const { readEpochFile } = await import("../scripts/lib/epochs/epochFile");
      const { publishEpoch } = await import("../scripts/lib/epochs/chain");
      const { addressOf } = await import("../scripts/lib/deployments");
      const record = await deployment(hre, args.deployments);
      const file = await readEpochFile(args.file, { devices: "skip" });
      const distributor = addressOf(record, "RewardsDistributor");
      const oracle = await oracleSigner(hre, distributor);
      const result = await publishEpoch(distributor, oracle, file, { uri: args.uri, dryRun: args.dryRun });
      process.stdout.write(
        JSON.stringify(result, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) + "\n",
      );
    }),
  );

task("epoch:run", "Snapshot → compute → publish for one epoch, keeping each step's output")
  .addParam("epoch", "The epoch", undefined, types.string)
  .addParam("activity", "The activity CSV of the epoch", undefined, types.string)
  .addOptionalParam(
    "previous",
    "The epoch file of epoch − 1 (default: <out>/epoch-<E−1>.json)",
    undefined,
    types.string,
  )
  .addParam("out", "The folder for snapshot-<E>.ndjson and epoch-<E>.json", undefined, types.string)
  .addOptionalParam("uri", "Where the file is published, logged in the event", "", types.string)
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(
    async (
      args: { epoch: string; activity: string; previous?: string; out: string; uri: string; deployments?: string },
      hre,
    ) =>
      runCommand("epoch:run", async () => {
        const epoch = epochArg(args.epoch);
        const { runEpoch } = await import("../scripts/lib/epochs/chain");
        const { addressOf } = await import("../scripts/lib/deployments");
        const record = await deployment(hre, args.deployments);
        const oracle = await oracleSigner(hre, addressOf(record, "RewardsDistributor"));
        const result = await runEpoch({
          record,
          oracle,
          epoch,
          activityFile: args.activity,
          previousFile: args.previous,
          outDir: path.resolve(args.out),
          uri: args.uri,
          onProgress: progress,
        });
        process.stdout.write(
          JSON.stringify(result, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) + "\n",
        );
      }),
  );

task("rewards:claim", "Claims an account's rewards with its proof from an epoch file (anyone may submit)")
  .addParam("file", "The epoch file", undefined, types.string)
  .addParam("account", "The account to claim for", undefined, types.string)
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(async (args: { file: string; account: string; deployments?: string }, hre) =>
    runCommand("rewards:claim", async () => {
      const { readEpochFile, proofFor } = await import("../scripts/lib/epochs/epochFile");
      const { addressOf } = await import("../scripts/lib/deployments");
      const { RewardsDistributor__factory } = await import("../typechain-types");
      const record = await deployment(hre, args.deployments);
      const file = await readEpochFile(args.file, { devices: "skip" });
      const { account, cumulativeAmount, proof } = await proofFor(file, args.account);
      const [submitter] = await hre.ethers.getSigners();
      const distributor = RewardsDistributor__factory.connect(addressOf(record, "RewardsDistributor"), submitter);
      const before = await distributor.claimed(account);
      const tx = await distributor.claim(account, cumulativeAmount, [...proof]);
      await tx.wait();
      const paid = (await distributor.claimed(account)) - before;
      process.stdout.write(JSON.stringify({ account, cumulativeAmount, paid: paid.toString(), tx: tx.hash }) + "\n");
    }),
  );
