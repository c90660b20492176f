import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { expect } from "chai";

import { GovernedPriceFeed__factory } from "../../typechain-types";
import { GOVERNED_PRICE_FEED_ROLES, defaultGovernedPriceFeedParams } from "../../scripts/lib/deploy/credits";
import { shouldBehaveLikeRestricted } from "../behaviors/restricted.behavior";
import { INITIAL_PRICE, deployCreditsFixture } from "../fixtures/credits";

const MIN_INTERVAL = 900n;
const INT128_MAX = 2n ** 127n - 1n;

describe("GovernedPriceFeed", function () {
  describe("deployment", function () {
    it("opens round 1 with the initial answer and holds the defaults", async function () {
      const { feed } = await loadFixture(deployCreditsFixture);
      const defaults = defaultGovernedPriceFeedParams(INITIAL_PRICE);
      expect(await feed.decimals()).to.equal(8n);
      expect(await feed.description()).to.equal("DPN / USD");
      expect(await feed.version()).to.equal(1n);
      expect(await feed.maxDeviationBps()).to.equal(defaults.maxDeviationBps);
      expect(await feed.minInterval()).to.equal(defaults.minInterval);
      const round = await feed.latestRoundData();
      expect(round.roundId).to.equal(1n);
      expect(round.answer).to.equal(INITIAL_PRICE);
      expect(round.startedAt).to.equal(round.updatedAt);
      expect(round.updatedAt).to.be.greaterThan(0n);
      expect(round.answeredInRound).to.equal(1n);
      expect(await feed.latestAnswer()).to.equal(INITIAL_PRICE);
      expect(await feed.latestRound()).to.equal(1n);
    });

    it("emits the initial round and the parameters", async function () {
      const { manager, deployer } = await loadFixture(deployCreditsFixture);
      const factory = new GovernedPriceFeed__factory(deployer);
      const feed = await factory.deploy(await manager.getAddress(), 8, "X / USD", 7n, 100, 60);
      const tx = feed.deploymentTransaction();
      const block = await ethers.provider.getBlock(tx!.blockNumber!);
      await expect(tx).to.emit(feed, "AnswerUpdated").withArgs(7n, 1n, BigInt(block!.timestamp));
      await expect(tx).to.emit(feed, "MaxDeviationSet").withArgs(100n);
      await expect(tx).to.emit(feed, "MinIntervalSet").withArgs(60n);
    });

    it("reverts with InvalidAnswer or InvalidMaxDeviation on a bad configuration", async function () {
      const { manager, deployer } = await loadFixture(deployCreditsFixture);
      const factory = new GovernedPriceFeed__factory(deployer);
      const authority = await manager.getAddress();
      await expect(factory.deploy(authority, 8, "X", 0n, 100, 60))
        .to.be.revertedWithCustomError(factory, "InvalidAnswer")
        .withArgs(0n);
      await expect(factory.deploy(authority, 8, "X", INT128_MAX + 1n, 100, 60))
        .to.be.revertedWithCustomError(factory, "InvalidAnswer")
        .withArgs(INT128_MAX + 1n);
      await expect(factory.deploy(authority, 8, "X", 1n, 0, 60))
        .to.be.revertedWithCustomError(factory, "InvalidMaxDeviation")
        .withArgs(0n);
      await expect(factory.deploy(authority, 8, "X", 1n, 10_001, 60))
        .to.be.revertedWithCustomError(factory, "InvalidMaxDeviation")
        .withArgs(10_001n);
    });
  });

  describe("updateAnswer", function () {
    it("opens the next well-formed round and keeps the past ones readable", async function () {
      const { feed, oracle } = await loadFixture(deployCreditsFixture);
      const first = await feed.latestRoundData();
      const at = first.updatedAt + MIN_INTERVAL;
      await time.setNextBlockTimestamp(at);
      const next = INITIAL_PRICE + (INITIAL_PRICE * 500n) / 10_000n;
      await expect(feed.connect(oracle).updateAnswer(next)).to.emit(feed, "AnswerUpdated").withArgs(next, 2n, at);
      const round = await feed.latestRoundData();
      expect(round.roundId).to.equal(2n);
      expect(round.answer).to.equal(next);
      expect(round.startedAt).to.equal(at);
      expect(round.updatedAt).to.equal(round.startedAt);
      expect(round.answeredInRound).to.equal(2n);
      const past = await feed.getRoundData(1n);
      expect(past.roundId_).to.equal(1n);
      expect(past.answer).to.equal(INITIAL_PRICE);
      expect(past.updatedAt).to.equal(first.updatedAt);
      expect(past.answeredInRound).to.equal(1n);
      const latest = await feed.getRoundData(2n);
      expect(latest.answer).to.equal(next);
    });

    it("accepts the same answer again to refresh it, and a move of exactly maxDeviationBps down", async function () {
      const { feed, oracle } = await loadFixture(deployCreditsFixture);
      await time.increase(MIN_INTERVAL);
      await feed.connect(oracle).updateAnswer(INITIAL_PRICE);
      expect(await feed.latestRound()).to.equal(2n);
      await time.increase(MIN_INTERVAL);
      const down = INITIAL_PRICE - (INITIAL_PRICE * 500n) / 10_000n;
      await feed.connect(oracle).updateAnswer(down);
      expect(await feed.latestAnswer()).to.equal(down);
      expect(await feed.latestRound()).to.equal(3n);
    });

    it("reverts with UpdateTooSoon before minInterval has passed", async function () {
      const { feed, oracle } = await loadFixture(deployCreditsFixture);
      const { updatedAt } = await feed.latestRoundData();
      const at = updatedAt + MIN_INTERVAL - 1n;
      await time.setNextBlockTimestamp(at);
      await expect(feed.connect(oracle).updateAnswer(INITIAL_PRICE))
        .to.be.revertedWithCustomError(feed, "UpdateTooSoon")
        .withArgs(updatedAt, MIN_INTERVAL, at);
    });

    it("reverts with DeviationTooLarge for a move beyond maxDeviationBps either way", async function () {
      const { feed, oracle } = await loadFixture(deployCreditsFixture);
      await time.increase(MIN_INTERVAL);
      const up = INITIAL_PRICE + (INITIAL_PRICE * 500n) / 10_000n + 1n;
      await expect(feed.connect(oracle).updateAnswer(up))
        .to.be.revertedWithCustomError(feed, "DeviationTooLarge")
        .withArgs(INITIAL_PRICE, up, 500n);
      const down = INITIAL_PRICE - (INITIAL_PRICE * 500n) / 10_000n - 1n;
      await expect(feed.connect(oracle).updateAnswer(down))
        .to.be.revertedWithCustomError(feed, "DeviationTooLarge")
        .withArgs(INITIAL_PRICE, down, 500n);
    });

    it("reverts with InvalidAnswer for a non-positive answer or one beyond 128 bits", async function () {
      const { feed, oracle } = await loadFixture(deployCreditsFixture);
      await time.increase(MIN_INTERVAL);
      for (const answer of [0n, -1n, INT128_MAX + 1n]) {
        await expect(feed.connect(oracle).updateAnswer(answer))
          .to.be.revertedWithCustomError(feed, "InvalidAnswer")
          .withArgs(answer);
      }
    });
  });

  describe("getRoundData", function () {
    it("reverts with RoundNotFound for a round that does not exist", async function () {
      const { feed } = await loadFixture(deployCreditsFixture);
      await expect(feed.getRoundData(0n)).to.be.revertedWithCustomError(feed, "RoundNotFound").withArgs(0n);
      await expect(feed.getRoundData(2n)).to.be.revertedWithCustomError(feed, "RoundNotFound").withArgs(2n);
    });
  });

  describe("setMaxDeviationBps", function () {
    it("sets the bound and emits MaxDeviationSet", async function () {
      const { feed, deployer } = await loadFixture(deployCreditsFixture);
      await expect(feed.connect(deployer).setMaxDeviationBps(2_000)).to.emit(feed, "MaxDeviationSet").withArgs(2_000n);
      expect(await feed.maxDeviationBps()).to.equal(2_000n);
    });

    it("reverts with InvalidMaxDeviation for 0 or more than 10,000 bps", async function () {
      const { feed, deployer } = await loadFixture(deployCreditsFixture);
      await expect(feed.connect(deployer).setMaxDeviationBps(0))
        .to.be.revertedWithCustomError(feed, "InvalidMaxDeviation")
        .withArgs(0n);
      await expect(feed.connect(deployer).setMaxDeviationBps(10_001))
        .to.be.revertedWithCustomError(feed, "InvalidMaxDeviation")
        .withArgs(10_001n);
    });
  });

  describe("setMinInterval", function () {
    it("sets the interval and emits MinIntervalSet", async function () {
      const { feed, deployer, oracle } = await loadFixture(deployCreditsFixture);
      await expect(feed.connect(deployer).setMinInterval(0)).to.emit(feed, "MinIntervalSet").withArgs(0n);
      expect(await feed.minInterval()).to.equal(0n);
      await feed.connect(oracle).updateAnswer(INITIAL_PRICE);
      await feed.connect(oracle).updateAnswer(INITIAL_PRICE);
      expect(await feed.latestRound()).to.equal(3n);
    });
  });

  shouldBehaveLikeRestricted(async () => {
    const { manager, feed, stranger } = await loadFixture(deployCreditsFixture);
    return {
      manager,
      target: feed,
      table: GOVERNED_PRICE_FEED_ROLES,
      calls: [
        { signature: "updateAnswer(int256)", args: [INITIAL_PRICE] },
        { signature: "setMaxDeviationBps(uint16)", args: [100] },
        { signature: "setMinInterval(uint32)", args: [60] },
      ],
      publicFunctions: [],
      stranger,
    };
  });
});
