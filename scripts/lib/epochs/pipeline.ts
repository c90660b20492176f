import { mkdir, stat } from "node:fs/promises";
import path from "node:path";

import { computeEpoch } from "./compute";
import { readActivity } from "./formats/activity";
import { epochFileName, readEpochFile, writeEpochFile } from "./formats/epochFile";
import { readSnapshot } from "./formats/snapshot";
import { HashWhileReading } from "./formats/hashWhileReading";
import { attachInputHash } from "./inputHash";
import type { Activity, ComputeFilesRequest, EpochResult, PreviousEpoch, Snapshot } from "./types";

/** Inputs from this size on are hashed in a worker while read (`formats/hashWhileReading.ts`). */
const WORKER_MIN_BYTES = 32 << 20;

async function sizeOf(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.size ?? 0;
}

/**
 * `epoch:compute` as one call: reads the three inputs, computes, and writes
 * `outDir/epoch-<E>.json` atomically. Throws an `EpochError` (one line) on bad input, before
 * anything is written.
 */
export async function computeEpochFiles(request: ComputeFilesRequest): Promise<{ file: string; result: EpochResult }> {
  const progress = request.onProgress ?? (() => undefined);
  // The previous epoch first, while the heap is small: its 244 MB file at 1M devices leaves garbage
  // that otherwise came on top of the inputs (1M-device epoch 1: peak RSS 1,239 → 1,107 MiB, bench
  // runs at load 7 and 4).
  let previous: PreviousEpoch | undefined;
  if (request.previousFile !== undefined) {
    const file = await readEpochFile(request.previousFile, { devices: "skip" });
    progress(`read the previous epoch: ${file.accounts.length} accounts`);
    // Only what the compute needs: the file's tree and account rows (checked) can go.
    const { chainId, distributor, epoch, root, totalCumulative, cumulative, contracts } = file;
    previous = { chainId, distributor, epoch, root, totalCumulative, cumulative, contracts };
  }
  const hashing = new HashWhileReading(request.hashWorker ?? (await sizeOf(request.snapshotFile)) >= WORKER_MIN_BYTES);
  let snapshot: Snapshot;
  let activity: Activity;
  try {
    snapshot = await readSnapshot(request.snapshotFile, { onBytes: hashing.feed("snapshot") });
    progress(`read the snapshot: ${snapshot.devices.length} devices, ${snapshot.stakes.length} stakes`);
    const snapshotHash = hashing.result("snapshot");
    activity = await readActivity(request.activityFile, (rows) => progress(`read ${rows} activity rows`), {
      onBytes: hashing.feed("activity"),
    });
    progress(`read the activity: ${activity.rows.length} rows`);
    const [s, a] = await Promise.all([snapshotHash, hashing.result("activity")]);
    if (s !== null) attachInputHash(snapshot, s);
    if (a !== null) attachInputHash(activity, a);
    progress(
      `hashed the inputs while reading: ${s === null ? "not " : ""}the snapshot, ${a === null ? "not " : ""}the activity`,
    );
  } finally {
    await hashing.close();
  }
  const result = await computeEpoch(request.epoch, snapshot, activity, previous, {
    onProgress: progress,
    consumeInputs: true,
  });
  await mkdir(request.outDir, { recursive: true });
  const file = path.join(request.outDir, epochFileName(request.epoch));
  await writeEpochFile(file, result);
  progress(`wrote ${file}`);
  return { file, result };
}
