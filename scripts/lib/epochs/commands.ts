import { computeEpochFiles } from "./pipeline";
import { proofFor, readEpochFile } from "./formats/epochFile";
import { EpochError } from "./errors";
import { formatTokens, groupThousands } from "../format";

/**
 * The commands behind the `epoch:compute` and `rewards:proof` tasks, with their output sent to an
 * `io` rather than to the process, so that tests run them in-process. Each returns the exit code:
 * 0, or 1 after one line on `io.err` for bad input (an `EpochError`). Anything else is a bug and is
 * rethrown with its stack.
 */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

export interface EpochComputeArgs {
  readonly epoch: string;
  readonly snapshot: string;
  readonly activity: string;
  readonly previous?: string;
  readonly out: string;
}

const UINT = /^(0|[1-9][0-9]*)$/;

export async function epochComputeCommand(args: EpochComputeArgs, io: CommandIo): Promise<number> {
  if (!UINT.test(args.epoch)) {
    io.err(`epoch:compute: --epoch must be a non-negative integer, not "${args.epoch}"`);
    return 1;
  }
  const epoch = BigInt(args.epoch);
  if (args.previous === undefined && epoch > 0n) {
    io.err(`epoch:compute: no --previous: the cumulative amounts of epoch ${epoch} start from 0`);
  }
  try {
    const { file, result } = await computeEpochFiles({
      epoch,
      snapshotFile: args.snapshot,
      activityFile: args.activity,
      previousFile: args.previous,
      outDir: args.out,
      onProgress: (message) => io.err(`epoch:compute: ${message}`),
    });
    io.out(
      JSON.stringify({
        file,
        epoch: result.epoch.toString(),
        root: result.root,
        totalCumulative: result.totalCumulative.toString(),
        epochTotal: result.epochTotal.toString(),
        inputHash: result.inputHash,
        accounts: result.accounts.length,
        rewardedDevices: result.report.rewardedDevices,
        unknownDevices: result.report.unknownDevices,
        dust: result.report.dust.toString(),
      }),
    );
    io.err(
      `epoch:compute: epoch ${result.epoch}: ${groupThousands(String(result.accounts.length))} accounts earned ` +
        `${formatTokens(result.epochTotal)} (${formatTokens(result.totalCumulative)} in all); root ${result.root}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof EpochError) {
      io.err(`epoch:compute: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

export async function rewardsProofCommand(args: { file: string; account: string }, io: CommandIo): Promise<number> {
  try {
    const file = await readEpochFile(args.file, { devices: "skip" });
    io.out(JSON.stringify(await proofFor(file, args.account)));
    return 0;
  } catch (error) {
    if (error instanceof EpochError) {
      io.err(`rewards:proof: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
