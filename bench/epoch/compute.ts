/**
 * One timed compute, run by `run.ts` in its own process so that its peak memory is its own:
 *   npx ts-node --transpile-only bench/epoch/compute.ts <epoch> <snapshot> <activity> <outDir> [previous]
 * `EPOCH_HASH_WORKER=0` or `=1` forces the hashing worker off or on (default: by input size).
 * Prints one JSON line: { seconds, cpuSeconds, maxRssBytes, file, bytes, accounts, devices }.
 */
import { stat } from "node:fs/promises";

import { computeEpochFiles } from "../../scripts/lib/epochs";

async function main(): Promise<void> {
  const [epoch, snapshotFile, activityFile, outDir, previousFile] = process.argv.slice(2);
  if (epoch === undefined || snapshotFile === undefined || activityFile === undefined || outDir === undefined) {
    throw new Error("usage: compute.ts <epoch> <snapshot> <activity> <outDir> [previous]");
  }
  const started = process.hrtime.bigint();
  const { file, result } = await computeEpochFiles({
    epoch: BigInt(epoch),
    snapshotFile,
    activityFile,
    previousFile,
    outDir,
    hashWorker: process.env.EPOCH_HASH_WORKER === undefined ? undefined : process.env.EPOCH_HASH_WORKER === "1",
    onProgress: (message) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = (process.cpuUsage().user + process.cpuUsage().system) / 1e6;
      const { rss, heapUsed } = process.memoryUsage();
      const mib = (bytes: number): string => (bytes / 1024 ** 2).toFixed(0);
      process.stderr.write(
        `  ${wall.toFixed(1)} s (cpu ${cpu.toFixed(1)} s, rss ${mib(rss)} MiB, heap ${mib(heapUsed)} MiB)  ${message}\n`,
      );
    },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `${JSON.stringify({
      seconds,
      cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      file,
      bytes: (await stat(file)).size,
      accounts: result.accounts.length,
      devices: result.devices.length,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
