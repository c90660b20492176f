/**
 * The pure epoch tasks: no chain access. `epoch:compute` turns a snapshot, an activity file and the
 * previous epoch file into `<out>/epoch-<E>.json`; `rewards:proof` prints an account's claim from an
 * epoch file. Bad input: one line on stderr, exit code 1, and no file written.
 */
import { task, types } from "hardhat/config";

const stdio = {
  out: (line: string): void => void process.stdout.write(`${line}\n`),
  err: (line: string): void => void process.stderr.write(`${line}\n`),
};

task("epoch:compute", "Computes an epoch's rewards and merkle tree from its files (no chain access)")
  .addParam("epoch", "The epoch number", undefined, types.string)
  .addParam("snapshot", "The snapshot file (NDJSON) of the epoch", undefined, types.string)
  .addParam("activity", "The activity CSV of the epoch", undefined, types.string)
  .addOptionalParam("previous", "The epoch file of epoch − 1", undefined, types.string)
  .addParam("out", "The folder to write epoch-<E>.json into", undefined, types.string)
  .setAction(async (args: { epoch: string; snapshot: string; activity: string; previous?: string; out: string }) => {
    const { epochComputeCommand } = await import("../scripts/lib/epochs/commands");
    process.exitCode = await epochComputeCommand(args, stdio);
  });

task("rewards:proof", "Prints an account's cumulative amount and merkle proof from an epoch file, as JSON")
  .addParam("file", "The epoch file", undefined, types.string)
  .addParam("account", "The account address", undefined, types.string)
  .setAction(async (args: { file: string; account: string }) => {
    const { rewardsProofCommand } = await import("../scripts/lib/epochs/commands");
    process.exitCode = await rewardsProofCommand(args, stdio);
  });
