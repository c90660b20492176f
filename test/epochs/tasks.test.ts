import { expect } from "chai";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { computeEpochFiles, proofFor, readEpochFile, writeActivity, writeSnapshot } from "../../scripts/lib/epochs";
import { formatTokens } from "../../scripts/lib/format";
import { spawnHardhat } from "../helpers/run-task";
import { addr, filesIn, smallActivity, smallSnapshot, tempDir } from "./helpers";

/** Runs `npx hardhat <args>` in a child process: what an operator types. */
const hardhat = (args: string[]) => spawnHardhat(args);

/** Writes the small snapshot and, through `write`, an activity file in a fresh folder, then runs `epoch:compute` for epoch 0 on them. */
async function computeSmallEpoch(write: (activityFile: string) => unknown) {
  const dir = tempDir();
  const snapshot = path.join(dir, "snapshot.ndjson");
  const activity = path.join(dir, "activity.csv");
  const out = path.join(dir, "out");
  await writeSnapshot(snapshot, smallSnapshot());
  await write(activity);
  const run = await hardhat([
    "epoch:compute",
    "--epoch",
    "0",
    "--snapshot",
    snapshot,
    "--activity",
    activity,
    "--out",
    out,
  ]);
  return { dir, snapshot, activity, out, run };
}

describe("epochs › tasks", function () {
  this.timeout(120_000);

  it("epoch:compute exits 1 with one line and writes nothing when the activity file is malformed", async function () {
    const { activity, out, run } = await computeSmallEpoch((file) =>
      writeFileSync(file, `device,uptime_seconds,coverage_proofs,data_bytes\n${addr(0xd001)},1,-2,3\n`),
    );
    expect(run.code).to.equal(1);
    expect(run.stdout).to.equal("");
    const lines = run.stderr.trim().split("\n");
    expect(lines[lines.length - 1]).to.equal(`epoch:compute: ${activity}:2: coverage_proofs is negative: -2`);
    expect(filesIn(out)).to.deep.equal([]);
  });

  it("epoch:compute writes the epoch file and rewards:proof prints an account's claim", async function () {
    const { dir, snapshot, activity, out, run } = await computeSmallEpoch((file) =>
      writeActivity(file, smallActivity()),
    );
    expect(run.code).to.equal(0);
    const summary = JSON.parse(run.stdout) as { file: string; root: string };
    const expected = await computeEpochFiles({
      epoch: 0n,
      snapshotFile: snapshot,
      activityFile: activity,
      outDir: path.join(dir, "lib"),
    });
    expect(summary.file).to.equal(path.join(out, "epoch-0.json"));
    expect(summary.root).to.equal(expected.result.root);
    // For people, on stderr after the progress: amounts in tokens.
    const { accounts, epochTotal, totalCumulative, root } = expected.result;
    expect(run.stderr.trimEnd().split("\n").at(-1)).to.equal(
      `epoch:compute: epoch 0: ${accounts.length} accounts earned ${formatTokens(epochTotal)} (${formatTokens(totalCumulative)} in all); root ${root}`,
    );

    const proof = await hardhat(["rewards:proof", "--file", summary.file, "--account", addr(0xa001)]);
    expect(proof.code).to.equal(0);
    expect(JSON.parse(proof.stdout)).to.deep.equal(await proofFor(await readEpochFile(summary.file), addr(0xa001)));
  });
});
