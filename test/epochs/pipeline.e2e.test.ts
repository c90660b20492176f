import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { parseEther } from "ethers";
import { ethers } from "hardhat";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { claimAll, writeSyntheticActivity } from "../../scripts/lib/demo/scenario";
import { publishEpoch, runEpoch } from "../../scripts/lib/epochs/chain";
import { readEpochFile } from "../../scripts/lib/epochs";
import { formatDate } from "../../scripts/lib/format";
import { withNetworkFixture, type Network } from "./network";

const EPOCHS = 3n;

/** Ends epoch 0, writes its synthetic activity and runs it through the pipeline as the deployer (the oracle); returns its file. */
async function runFirstEpoch(s: Network): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "epochs-"));
  await time.increaseTo(s.params.token.genesis + s.params.token.epochLength);
  const activity = path.join(dir, "activity-0.csv");
  await writeSyntheticActivity(activity, s.devices, 0n, s.params.token.epochLength);
  const { epochFile } = await runEpoch({
    record: s.record,
    oracle: s.deployer,
    epoch: 0n,
    activityFile: activity,
    outDir: dir,
  });
  return epochFile;
}

describe("epoch pipeline (end to end)", function () {
  it("runs three epochs through snapshot, compute and publish, and every account claims exactly its file's amount", async function () {
    const s = await loadFixture(withNetworkFixture);
    const dir = mkdtempSync(path.join(tmpdir(), "epochs-"));
    const epochLength = s.params.token.epochLength;
    const distributedBefore = await s.token.emissionMinted();
    const balancesBefore = new Map<string, bigint>();
    let fileTotals = 0n;
    let lastFile = "";

    for (let epoch = 0n; epoch < EPOCHS; epoch++) {
      await time.increaseTo(s.params.token.genesis + (epoch + 1n) * epochLength);
      const activity = path.join(dir, `activity-${epoch}.csv`);
      await writeSyntheticActivity(activity, s.devices, epoch, epochLength);
      const { epochFile, publish } = await runEpoch({
        record: s.record,
        oracle: s.deployer,
        epoch,
        activityFile: activity,
        outDir: dir,
      });
      expect(publish.outcome).to.equal("posted");
      expect(publish.stands).to.equal(true);
      const file = await readEpochFile(epochFile, { devices: "keep" });
      fileTotals += file.epochTotal;
      lastFile = epochFile;

      // Conservation: the devices' rewards fit the operators' pool, and the dust is small.
      const pool = await s.rewardsLens.operatorsShareOf(epoch);
      const rewarded = (file.devices ?? []).reduce((sum, d) => sum + d.reward, 0n);
      expect(rewarded).to.equal(file.epochTotal);
      expect(file.epochTotal <= pool).to.equal(true);
      const weighted = (file.devices ?? []).filter((d) => d.coverageWeight > 0n || d.dataWeight > 0n).length;
      expect(pool - file.epochTotal < BigInt(2 * weighted) + 1n).to.equal(true);

      await time.increase(Number(await s.rewardsLens.challengeWindow()));
      for (const { account } of file.accounts) {
        if (!balancesBefore.has(account)) balancesBefore.set(account, await s.token.balanceOf(account));
      }
      await claimAll(s, s.stranger, file);
      for (const { account, cumulative } of file.accounts) {
        expect(await s.rewardsLens.claimed(account), account).to.equal(cumulative);
      }
    }

    const last = await readEpochFile(lastFile);
    expect(last.totalCumulative).to.equal(fileTotals);
    for (const { account, cumulative } of last.accounts) {
      expect((await s.token.balanceOf(account)) - balancesBefore.get(account)!, account).to.equal(cumulative);
    }
    // Σ minted for operators equals Σ of the three epochs' operator shares, and the files never exceed it.
    const minted = (await s.token.emissionMinted()) - distributedBefore;
    let operatorsShare = 0n;
    for (let epoch = 0n; epoch < EPOCHS; epoch++) operatorsShare += await s.rewardsLens.operatorsShareOf(epoch);
    expect(minted).to.equal(3n * parseEther("250000"));
    expect(fileTotals <= operatorsShare).to.equal(true);
    expect(await s.token.balanceOf(s.addresses.RewardsDistributor)).to.equal(operatorsShare - fileTotals);
  });

  it("publishes idempotently: a second publish of the same file says so and sends nothing", async function () {
    const s = await loadFixture(withNetworkFixture);
    const epochFile = await runFirstEpoch(s);
    const file = await readEpochFile(epochFile);
    const block = await ethers.provider.getBlockNumber();
    const again = await publishEpoch(s.addresses.RewardsDistributor, s.addresses.RewardsLens, s.deployer, file);
    expect(again.outcome).to.equal("already-stands");
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });

  it("refuses to snapshot an epoch that has not ended, and a dry run sends nothing", async function () {
    const s = await loadFixture(withNetworkFixture);
    const { readChainSnapshot } = await import("../../scripts/lib/epochs/chain");
    const { EpochError } = await import("../../scripts/lib/epochs");
    const end = s.params.token.genesis + s.params.token.epochLength;
    const latest = BigInt(await time.latest());
    await expect(readChainSnapshot({ provider: ethers.provider, record: s.record, epoch: 0n })).to.be.rejectedWith(
      EpochError,
      `epoch 0 has not ended: it ends at ${formatDate(end)}, the chain's latest block is at ${formatDate(latest)}`,
    );

    const dir = mkdtempSync(path.join(tmpdir(), "epochs-"));
    await time.increaseTo(end);
    const activity = path.join(dir, "activity-0.csv");
    await writeSyntheticActivity(activity, s.devices, 0n, s.params.token.epochLength);
    const { writeSnapshot } = await import("../../scripts/lib/epochs");
    const { computeEpochFiles } = await import("../../scripts/lib/epochs");
    const snapshotFile = path.join(dir, "snapshot-0.ndjson");
    await writeSnapshot(
      snapshotFile,
      await readChainSnapshot({ provider: ethers.provider, record: s.record, epoch: 0n }),
    );
    const { file } = await computeEpochFiles({ epoch: 0n, snapshotFile, activityFile: activity, outDir: dir });
    const block = await ethers.provider.getBlockNumber();
    const dry = await publishEpoch(
      s.addresses.RewardsDistributor,
      s.addresses.RewardsLens,
      s.deployer,
      await readEpochFile(file),
      {
        dryRun: true,
      },
    );
    expect(dry.outcome).to.equal("dry-run");
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
    expect(await s.rewardsLens.nextEpoch()).to.equal(0n);
  });

  it("gives a proof from StandardMerkleTree.load of the epoch file that the distributor accepts", async function () {
    const s = await loadFixture(withNetworkFixture);
    const epochFile = await runFirstEpoch(s);
    await time.increase(Number(await s.rewardsLens.challengeWindow()));

    const json = JSON.parse(readFileSync(epochFile, "utf8")) as { tree: Parameters<typeof StandardMerkleTree.load>[0] };
    const tree = StandardMerkleTree.load<[string, string]>(json.tree as never);
    const [, [account, amount]] = [...tree.entries()][0];
    await expect(s.distributor.connect(s.stranger).claim(account, amount, tree.getProof([account, amount])))
      .to.emit(s.distributor, "Claimed")
      .withArgs(ethers.getAddress(account), ethers.getAddress(account), BigInt(amount), BigInt(amount));
  });
});
