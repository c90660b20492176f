import type { CommandIo, EpochComputeArgs } from "./types";
import { computeEpochFiles } from "./pipeline";
import { proofFor, readEpochFile } from "./formats/epochFile";
import { EpochError } from "./errors";
import { formatTokens, groupThousands } from "../format";

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
