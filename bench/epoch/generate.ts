/**
 * Writes a synthetic snapshot and two epochs of activity for N devices (seeded, deterministic):
 *   npx ts-node --transpile-only bench/epoch/generate.ts <devices> <outDir> [seed]
 * → outDir/snapshot-0.ndjson, snapshot-1.ndjson, activity-0.csv, activity-1.csv
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";

import { writeActivity, writeSnapshot } from "../../scripts/lib/epochs";
import { syntheticActivity, syntheticSnapshot } from "./synthetic";

async function main(): Promise<void> {
  const [devicesArg, outDir, seedArg] = process.argv.slice(2);
  const devices = Number(devicesArg);
  if (!Number.isSafeInteger(devices) || devices <= 0 || outDir === undefined) {
    throw new Error("usage: generate.ts <devices> <outDir> [seed]");
  }
  const seed = seedArg === undefined ? 7 : Number(seedArg);
  await mkdir(outDir, { recursive: true });
  for (const epoch of [0n, 1n]) {
    // The same network (same seed) seen at the end of two consecutive epochs, with different activity.
    const snapshot = syntheticSnapshot({ devices, seed, epoch });
    await writeSnapshot(path.join(outDir, `snapshot-${epoch}.ndjson`), snapshot);
    await writeActivity(path.join(outDir, `activity-${epoch}.csv`), syntheticActivity(snapshot, seed + Number(epoch)));
    process.stderr.write(`generated epoch ${epoch}: ${devices} devices in ${outDir}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
