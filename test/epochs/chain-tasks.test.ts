import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroHash } from "ethers";
import { ethers } from "hardhat";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";

import { readEpochFile } from "../../scripts/lib/epochs";
import { formatDate, formatTokens } from "../../scripts/lib/format";
import { runTask } from "../helpers/run-task";
import { filesIn, tempDir } from "./helpers";
import { deploymentsDir, endOf, withNetworkFixture, writeActivities, type Network } from "./network";

/** The last line a task wrote on stderr (progress comes before it). */
function lastLine(text: string): string {
  return text.trimEnd().split("\n").at(-1) ?? "";
}

/** The task's stdout, one JSON line. */
function json<T = Record<string, unknown>>(out: string): T {
  expect(out.trimEnd().split("\n"), out).to.have.length(1);
  return JSON.parse(out) as T;
}

/**
 * The chain-side epoch tasks run in-process (`runTask`) against the deployed network of
 * `withNetworkFixture`, with chain time set explicitly: `epoch:run`, `epoch:catch-up`,
 * `epoch:publish`, `epoch:distribute` and `rewards:claim`. Each step that is done already says so,
 * sends nothing and exits 0.
 */
describe("epochs › chain tasks", function () {
  this.timeout(300_000);
  let s: Network;
  let deployments: string;
  let work: string;
  let activity: string;

  beforeEach(async function () {
    s = await loadFixture(withNetworkFixture);
    deployments = deploymentsDir(s);
    work = tempDir();
    activity = path.join(work, "activity");
  });

  describe("epoch:run", function () {
    it("checks the order and the epoch's end before the snapshot, and writes nothing when it refuses", async function () {
      await writeActivities(s, activity, 0n, 2n);
      const out = path.join(work, "out");
      const run = (epoch: bigint) =>
        runTask("epoch:run", {
          epoch,
          activity: path.join(activity, `activity-${epoch}.csv`),
          out,
          deployments,
        });

      const early = await run(0n);
      const latest = BigInt(await time.latest());
      expect(early).to.deep.equal({
        out: "",
        err: `epoch:run: epoch 0 has not ended: it ends at ${formatDate(endOf(s, 0n))}, the chain's latest block is at ${formatDate(latest)}\n`,
        exitCode: 1,
      });
      await time.increaseTo(endOf(s, 2n));
      const ahead = await run(2n);
      expect(ahead).to.deep.equal({
        out: "",
        err: "epoch:run: the distributor takes epoch 0 next: epochs 0 to 1 must stand before epoch 2 (epoch:catch-up --through 2 runs them in order)\n",
        exitCode: 1,
      });
      expect(filesIn(out)).to.deep.equal([]);
      expect(await s.rewardsLens.nextEpoch()).to.equal(0n);
    });

    it("creates a missing --out folder, and a second run of an epoch that stands does nothing", async function () {
      await writeActivities(s, activity, 0n, 0n);
      await time.increaseTo(endOf(s, 0n));
      const out = path.join(work, "not", "there", "yet");
      const args = { epoch: 0n, activity: path.join(activity, "activity-0.csv"), out, deployments };
      const first = await runTask("epoch:run", args);
      expect(first.exitCode, first.err).to.equal(undefined);
      const step = json<{ outcome: string; root: string; stands: boolean; epochFile: string }>(first.out);
      expect(step).to.deep.include({ outcome: "posted", stands: true, epochFile: path.join(out, "epoch-0.json") });
      expect(filesIn(out).sort()).to.deep.equal(["epoch-0.json", "snapshot-0.ndjson"]);
      const [root, , claimableAt] = await s.rewardsLens.rootOf(0n);
      expect(step.root).to.equal(root.toLowerCase());
      expect(lastLine(first.err)).to.equal(
        `epoch:run: epoch 0: posted root ${root.slice(0, 10).toLowerCase()}…: it stands, claimable from ${formatDate(claimableAt)}`,
      );

      rmSync(path.join(out, "snapshot-0.ndjson"));
      const block = await ethers.provider.getBlockNumber();
      const again = await runTask("epoch:run", args);
      expect(again.exitCode).to.equal(undefined);
      expect(again.err).to.equal(
        `epoch:run: epoch 0: root ${root.slice(0, 10).toLowerCase()}… stands already: nothing to do\n`,
      );
      expect(json(again.out)).to.deep.include({ outcome: "already-stands", root: root.toLowerCase() });
      // Nothing sent, nothing read at length: no new block, no new snapshot.
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
      expect(existsSync(path.join(out, "snapshot-0.ndjson"))).to.equal(false);
    });
  });

  describe("epoch:catch-up", function () {
    it("runs every missing epoch in order in one process, resumes where it stopped, and does nothing twice", async function () {
      await writeActivities(s, activity, 0n, 3n);
      const out = path.join(work, "out");
      await time.increaseTo(endOf(s, 3n));

      // The first two, then the rest: the second run starts from the distributor's next epoch.
      const first = await runTask("epoch:catch-up", { through: 1n, activity, out, deployments });
      expect(first.exitCode, first.err).to.equal(undefined);
      expect(json(first.out)).to.deep.include({ from: "0", through: "1", complete: true });
      expect(await s.rewardsLens.nextEpoch()).to.equal(2n);

      const rest = await runTask("epoch:catch-up", { activity, out, deployments });
      expect(rest.exitCode, rest.err).to.equal(undefined);
      const result = json<{
        from: string;
        through: string;
        complete: boolean;
        epochs: { epoch: string; outcome: string }[];
      }>(rest.out);
      expect(result).to.deep.include({ from: "2", through: "3", complete: true });
      expect(result.epochs.map((e) => [e.epoch, e.outcome])).to.deep.equal([
        ["2", "posted"],
        ["3", "posted"],
      ]);
      // Progress on stderr, one summary for people at the end.
      expect(rest.err).to.contain("epoch:catch-up: epochs 2 to 3: 2 to run\n");
      expect(rest.err).to.match(/epoch:catch-up: epoch 2 \(1\/2\): snapshot of epoch 2 at block \d+/);
      expect(rest.err).to.match(/epoch:catch-up: epoch 3 \(2\/2\): posted root 0x[0-9a-f]{8}…: it stands/);
      expect(lastLine(rest.err)).to.equal("epoch:catch-up: every epoch through 3 stands");

      // Each root that stands is its file's, and each file carries on from the one before.
      expect(await s.rewardsLens.nextEpoch()).to.equal(4n);
      let previousTotal = 0n;
      for (let e = 0n; e <= 3n; e++) {
        const file = await readEpochFile(path.join(out, `epoch-${e}.json`), { devices: "skip" });
        const [root, total] = await s.rewardsLens.rootOf(e);
        expect(file.root).to.equal(root.toLowerCase());
        expect(file.totalCumulative).to.equal(total);
        expect(file.totalCumulative - previousTotal).to.equal(file.epochTotal);
        previousTotal = file.totalCumulative;
      }

      const block = await ethers.provider.getBlockNumber();
      const again = await runTask("epoch:catch-up", { activity, out, deployments });
      expect(again).to.deep.equal({
        out: '{"from":"4","through":"3","complete":true,"epochs":[]}\n',
        err: "epoch:catch-up: every epoch through 3 stands already: the distributor takes epoch 4 next\n",
        exitCode: undefined,
      });
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
    });

    it("checks its inputs before anything: every activity file, an epoch that has ended, the previous file", async function () {
      await writeActivities(s, activity, 0n, 1n);
      const out = path.join(work, "out");
      await time.increaseTo(endOf(s, 3n));
      const block = await ethers.provider.getBlockNumber();
      const missing = await runTask("epoch:catch-up", { activity, out, deployments });
      expect(missing).to.deep.equal({
        out: "",
        err: `epoch:catch-up: ${activity} has no activity file for epoch 2, 3 (activity-<E>.csv)\n`,
        exitCode: 1,
      });
      const future = await runTask("epoch:catch-up", { through: 4n, activity, out, deployments });
      expect(future.exitCode).to.equal(1);
      expect(future.err).to.equal(
        `epoch:catch-up: epoch 4 has not ended: it ends at ${formatDate(endOf(s, 4n))}, the chain's latest block is at ${formatDate(BigInt(await time.latest()))}\n`,
      );
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
      expect(filesIn(out)).to.deep.equal([]);

      // Epoch 1 carries on from epoch 0's amounts: without epoch 0's file it refuses, before the snapshot.
      await runTask("epoch:catch-up", { through: 0n, activity, out, deployments });
      const [root0, total0] = await s.rewardsLens.rootOf(0n);
      const elsewhere = path.join(work, "elsewhere");
      const orphan = await runTask("epoch:catch-up", { through: 1n, activity, out: elsewhere, deployments });
      expect(orphan.err).to.equal(
        `epoch:catch-up: epoch 1 starts from epoch 0's amounts (${formatTokens(total0)}, root ${root0.toLowerCase()}): put its file epoch-0.json in ${elsewhere} or give --previous\n`,
      );
      expect(orphan.exitCode).to.equal(1);
      expect(filesIn(elsewhere)).to.deep.equal([]);
      const given = await runTask("epoch:catch-up", {
        through: 1n,
        activity,
        out: elsewhere,
        previous: path.join(out, "epoch-0.json"),
        deployments,
      });
      expect(given.exitCode, given.err).to.equal(undefined);
      expect(await s.rewardsLens.nextEpoch()).to.equal(2n);
    });

    it("stops cleanly where the ring of 64 roots is full, says when to resume, and resumes then", async function () {
      // A day's challenge window: however slow the machine, no root becomes claimable during the run.
      await (await s.distributor.connect(s.deployer).setChallengeWindow(86_400n)).wait();
      await time.increaseTo(endOf(s, 66n));
      // Epochs 0 to 61 stand already (empty roots), as after an outage of the pipeline.
      for (let e = 0n; e < 62n; e++) {
        await (await s.distributor.connect(s.deployer).postRoot(e, ZeroHash, 0n, ZeroHash, "")).wait();
      }
      await writeActivities(s, activity, 62n, 66n);
      const out = path.join(work, "out");

      const block = await ethers.provider.getBlockNumber();
      const first = await runTask("epoch:catch-up", { through: 66n, activity, out, deployments });
      expect(first.exitCode, first.err).to.equal(undefined);
      // Epochs 62 and 63 stand; 64 can stand only once the root of epoch 1 is claimable.
      expect(await s.rewardsLens.nextEpoch()).to.equal(64n);
      expect(await ethers.provider.getBlockNumber()).to.equal(block + 2);
      const [, , retryAt] = await s.rewardsLens.rootOf(1n);
      expect(retryAt > BigInt(await time.latest())).to.equal(true);
      const resumeAt = formatDate(retryAt);
      expect(lastLine(first.err)).to.equal(
        `epoch:catch-up: stopped before epoch 64: the distributor takes this root from ${resumeAt}, once the root of epoch 1 is claimable: run again then`,
      );
      const result = json<{ complete: boolean; stopped: Record<string, string>; epochs: { epoch: string }[] }>(
        first.out,
      );
      expect(result.complete).to.equal(false);
      expect(result.stopped).to.deep.equal({ epoch: "64", reason: "ring", retryAt: retryAt.toString(), resumeAt });
      expect(result.epochs.map((e) => e.epoch)).to.deep.equal(["62", "63", "64"]);
      // It stopped before reading the chain for epoch 64.
      expect(filesIn(out).sort()).to.deep.equal([
        "epoch-62.json",
        "epoch-63.json",
        "snapshot-62.ndjson",
        "snapshot-63.ndjson",
      ]);

      // epoch:run says the same, and sends nothing.
      const single = await runTask("epoch:run", {
        epoch: 64n,
        activity: path.join(activity, "activity-64.csv"),
        out,
        deployments,
      });
      expect(single.exitCode).to.equal(undefined);
      expect(single.err).to.contain(`the distributor takes this root from ${resumeAt}`);
      expect(await ethers.provider.getBlockNumber()).to.equal(block + 2);

      // Once the roots of epochs 1 to 3 are claimable, the same command finishes the job.
      await time.increaseTo(retryAt + 3_600n);
      const second = await runTask("epoch:catch-up", { through: 66n, activity, out, deployments });
      expect(second.exitCode, second.err).to.equal(undefined);
      expect(json(second.out)).to.deep.include({ from: "64", through: "66", complete: true });
      expect(await s.rewardsLens.nextEpoch()).to.equal(67n);
    });
  });

  describe("epoch:publish, epoch:distribute and rewards:claim", function () {
    /** Runs epochs 0 and 1 through the pipeline; their roots stand, not yet claimable. */
    async function twoEpochs() {
      // A day's challenge window: however slow the machine, no root becomes claimable during the run.
      await (await s.distributor.connect(s.deployer).setChallengeWindow(86_400n)).wait();
      await writeActivities(s, activity, 0n, 1n);
      const out = path.join(work, "out");
      await time.increaseTo(endOf(s, 1n));
      const run = await runTask("epoch:catch-up", { activity, out, deployments });
      expect(run.exitCode, run.err).to.equal(undefined);
      return { out, file: (e: bigint) => path.join(out, `epoch-${e}.json`) };
    }

    it("epoch:publish of a root that stands says so and exits 0", async function () {
      const { file } = await twoEpochs();
      const block = await ethers.provider.getBlockNumber();
      const result = await runTask("epoch:publish", { file: file(1n), deployments });
      expect(result.exitCode).to.equal(undefined);
      expect(lastLine(result.err)).to.match(
        /^epoch:publish: epoch 1, root 0x[0-9a-f]{8}… \([0-9,.]+ tokens in all\) stands already: nothing sent$/,
      );
      expect(json(result.out)).to.deep.include({ outcome: "already-stands", epoch: "1" });
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
    });

    it("epoch:distribute of an epoch distributed already says so, in tokens, and exits 0", async function () {
      await time.increaseTo(endOf(s, 1n));
      const first = await runTask("epoch:distribute", { epoch: 0n, deployments });
      expect(first.exitCode, first.err).to.equal(undefined);
      const distributed = json<{ outcome: string; emission: string; transaction: string }>(first.out);
      expect(distributed.outcome).to.equal("distributed");
      expect(await s.rewardsLens.isDistributed(0n)).to.equal(true);
      expect(first.err).to.match(
        /^epoch:distribute: distributed epoch 0, 250,000 tokens: 187,500 tokens to the operators, /,
      );

      const block = await ethers.provider.getBlockNumber();
      const again = await runTask("epoch:distribute", { epoch: 0n, deployments });
      expect(again.exitCode).to.equal(undefined);
      expect(again.err).to.match(
        new RegExp(
          `^epoch:distribute: epoch 0 was distributed already \\(250,000 tokens: .*, tx ${distributed.transaction}\\): nothing sent\\n$`,
        ),
      );
      expect(json(again.out)).to.deep.include({ outcome: "already-distributed", emission: distributed.emission });
      expect(await ethers.provider.getBlockNumber()).to.equal(block);

      const ahead = await runTask("epoch:distribute", { epoch: 2n, deployments });
      expect(ahead).to.deep.include({ exitCode: 1, out: "" });
      expect(ahead.err).to.equal(`epoch:distribute: epoch 2 has not ended: it ends at ${formatDate(endOf(s, 2n))}\n`);
    });

    it("rewards:claim names the claimable epoch for an outdated file, says when nothing is due, and sends nothing then", async function () {
      const { file } = await twoEpochs();
      const latest = await readEpochFile(file(1n), { devices: "skip" });
      const account = latest.accounts[0].account;

      // Inside the challenge window: nothing is claimable yet, and the file's root is claimable from a date.
      const [, , claimableAt] = await s.rewardsLens.rootOf(1n);
      const early = await runTask("rewards:claim", { file: file(1n), account, deployments });
      expect(early).to.deep.equal({
        out: "",
        err: `rewards:claim: epoch 1's root is claimable from ${formatDate(claimableAt)}; no root is claimable yet\n`,
        exitCode: 1,
      });
      await time.increaseTo(claimableAt);

      const block = await ethers.provider.getBlockNumber();
      const outdated = await runTask("rewards:claim", { file: file(0n), account, deployments });
      expect(outdated).to.deep.equal({
        out: "",
        err: `rewards:claim: ${file(0n)} is epoch 0's file, but the latest claimable root is epoch 1's (${latest.root}): claim with epoch-1.json\n`,
        exitCode: 1,
      });
      expect(await ethers.provider.getBlockNumber()).to.equal(block);

      const cumulative = latest.accounts[0].cumulative;
      const paid = await runTask("rewards:claim", { file: file(1n), account, deployments });
      expect(paid.exitCode, paid.err).to.equal(undefined);
      expect(json(paid.out)).to.deep.include({ outcome: "paid", paid: cumulative.toString() });
      expect(paid.err).to.match(
        new RegExp(
          `^rewards:claim: paid ${formatTokens(cumulative).replace(/[.]/g, "\\.")} for ${account} to ${account} \\(tx 0x`,
        ),
      );
      expect(await s.rewardsLens.claimed(account)).to.equal(cumulative);

      const block2 = await ethers.provider.getBlockNumber();
      const nothing = await runTask("rewards:claim", { file: file(1n), account, deployments });
      expect(nothing.exitCode).to.equal(undefined);
      expect(nothing.err).to.equal(
        `rewards:claim: nothing due to ${account}: ${formatTokens(cumulative)} claimed of ${formatTokens(cumulative)}; nothing sent\n`,
      );
      expect(json(nothing.out)).to.deep.include({ outcome: "nothing-due", paid: "0" });
      expect(await ethers.provider.getBlockNumber()).to.equal(block2);
    });
  });
});
