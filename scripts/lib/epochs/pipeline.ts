import { mkdir } from "node:fs/promises";
import path from "node:path";

import { computeEpoch } from "./compute";
import { readActivity } from "./formats/activity";
import { epochFileName, readEpochFile, writeEpochFile } from "./formats/epochFile";
import { readSnapshot } from "./formats/snapshot";
import type { ComputeFilesRequest, EpochResult } from "./types";

/**
 * `epoch:compute` as one call: reads the three inputs, computes, and writes
 * `outDir/epoch-<E>.json` atomically. Throws an `EpochError` (one line) on bad input, before
 * anything is written.
 */
export async function computeEpochFiles(request: ComputeFilesRequest): Promise<{ file: string; result: EpochResult }> {
  const progress = request.onProgress ?? (() => undefined);
  const snapshot = await readSnapshot(request.snapshotFile);
  progress(`read the snapshot: ${snapshot.devices.length} devices, ${snapshot.stakes.length} stakes`);
  const activity = await readActivity(request.activityFile, (rows) => progress(`read ${rows} activity rows`));
  progress(`read the activity: ${activity.rows.length} rows`);
  const previous =
    request.previousFile === undefined ? undefined : await readEpochFile(request.previousFile, { devices: "skip" });
  if (previous !== undefined) progress(`read the previous epoch: ${previous.accounts.length} accounts`);
  const result = await computeEpoch(request.epoch, snapshot, activity, previous, { onProgress: progress });
  await mkdir(request.outDir, { recursive: true });
  const file = path.join(request.outDir, epochFileName(request.epoch));
  await writeEpochFile(file, result);
  progress(`wrote ${file}`);
  return { file, result };
}
