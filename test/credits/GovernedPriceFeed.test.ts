import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { expect } from "chai";

import type { Signer } from "ethers";

import { GovernedPriceFeed__factory, type GovernedPriceFeed } from "../../typechain-types";
import { GOVERNED_PRICE_FEED_ROLES, defaultGovernedPriceFeedParams } from "../../scripts/lib/deploy/credits";
import { Roles } from "../../scripts/lib/roles";
import { shouldBehaveLikeRestricted } from "../behaviors/restricted.behavior";
import { INITIAL_PRICE, deployCreditsFixture } from "../fixtures/credits";

const MIN_INTERVAL = 900n;
const INT128_MAX = 2n ** 127n - 1n;
const MAX_WINDOW_MOVE = 5_000n;
const WINDOW = 86_400n;

/** The next answer of a climb (or fall) by `bps`, rounded down, as an oracle would post it. */
const step = (price: bigint, bps: bigint) => price + (price * bps) / 10_000n;
/** How far `high` lies above `low` in bps of `low`, rounded up: the `moveBps` of `WindowMoveTooLarge`. */
const moveBps = (low: bigint, high: bigint) => ((high - low) * 10_000n + low - 1n) / low;

/**
 * Climbs the fixture's feed by 5 % every 15 min from `start`, `steps` times; returns the last price
 * posted and the time of the last update.
 */
async function climb(f: { feed: GovernedPriceFeed; oracle: Signer }, start: bigint, steps: number) {
  let price = await f.feed.latestAnswer();
  let at = start;
  for (let i = 0; i < steps; i++) {
    await time.setNextBlockTimestamp(at);
    price = step(price, 500n);
    await f.feed.connect(f.oracle).updateAnswer(price);
    at += MIN_INTERVAL;
  }
  return { price, last: at - MIN_INTERVAL };
}

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
      expect(await feed.maxWindowMove()).to.deep.equal([MAX_WINDOW_MOVE, WINDOW]);
      expect(defaults.maxWindowMoveBps).to.equal(MAX_WINDOW_MOVE);
      expect(defaults.moveWindow).to.equal(WINDOW);
      expect(await feed.windowRange()).to.deep.equal([INITIAL_PRICE, INITIAL_PRICE]);
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
      const feed = await factory.deploy(await manager.getAddress(), 8, "X / USD", 7n, 100, 60, 3_000, 3_600);
      const tx = feed.deploymentTransaction();
      const block = await ethers.provider.getBlock(tx!.blockNumber!);
      await expect(tx).to.emit(feed, "AnswerUpdated").withArgs(7n, 1n, BigInt(block!.timestamp));
      await expect(tx).to.emit(feed, "MaxDeviationSet").withArgs(100n);
      await expect(tx).to.emit(feed, "MinIntervalSet").withArgs(60n);
      await expect(tx).to.emit(feed, "MaxWindowMoveSet").withArgs(3_000n, 3_600n);
    });

    it("reverts with InvalidAnswer, InvalidMaxDeviation or InvalidMaxWindowMove on a bad configuration", async function () {
      const { manager, deployer } = await loadFixture(deployCreditsFixture);
      const factory = new GovernedPriceFeed__factory(deployer);
      const authority = await manager.getAddress();
      await expect(factory.deploy(authority, 8, "X", 0n, 100, 60, 5_000, 86_400))
        .to.be.revertedWithCustomError(factory, "InvalidAnswer")
        .withArgs(0n);
      await expect(factory.deploy(authority, 8, "X", INT128_MAX + 1n, 100, 60, 5_000, 86_400))
        .to.be.revertedWithCustomError(factory, "InvalidAnswer")
        .withArgs(INT128_MAX + 1n);
      await expect(factory.deploy(authority, 8, "X", 1n, 0, 60, 5_000, 86_400))
        .to.be.revertedWithCustomError(factory, "InvalidMaxDeviation")
        .withArgs(0n);
      await expect(factory.deploy(authority, 8, "X", 1n, 10_001, 60, 5_000, 86_400))
        .to.be.revertedWithCustomError(factory, "InvalidMaxDeviation")
        .withArgs(10_001n);
      await expect(factory.deploy(authority, 8, "X", 1n, 100, 60, 0, 86_400))
        .to.be.revertedWithCustomError(factory, "InvalidMaxWindowMove")
        .withArgs(0n, 86_400n);
      await expect(factory.deploy(authority, 8, "X", 1n, 100, 60, 5_000, 0))
        .to.be.revertedWithCustomError(factory, "InvalidMaxWindowMove")
        .withArgs(5_000n, 0n);
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

  describe("the window bound", function () {
    it("refuses the review's ×100 day: 5 % every 15 min stops at the 50 % bound for the rest of the 24 h", async function () {
      const { feed, oracle } = await loadFixture(deployCreditsFixture);
      const { updatedAt: start } = await feed.latestRoundData();
      let price = INITIAL_PRICE;
      let refused = 0;
      // 96 updates of +5 % 15 min apart would compound to 1.05**96 ≈ ×108 in 24 h.
      for (let i = 1n; i <= 96n; i++) {
        const at = start + i * MIN_INTERVAL;
        await time.setNextBlockTimestamp(at);
        const next = step(price, 500n);
        if (i <= 8n) {
          // 1.05**8 ≈ 1.477: within the bound.
          await expect(feed.connect(oracle).updateAnswer(next))
            .to.emit(feed, "AnswerUpdated")
            .withArgs(next, i + 1n, at);
          price = next;
        } else {
          await expect(feed.connect(oracle).updateAnswer(next))
            .to.be.revertedWithCustomError(feed, "WindowMoveTooLarge")
            .withArgs(INITIAL_PRICE, price, next, moveBps(INITIAL_PRICE, next), MAX_WINDOW_MOVE);
          refused += 1;
        }
      }
      expect(refused).to.equal(88);
      expect(await feed.latestRound()).to.equal(9n);
      expect(await feed.latestAnswer()).to.equal(price);
      expect(price * 10_000n <= INITIAL_PRICE * (10_000n + MAX_WINDOW_MOVE)).to.equal(true);
    });

    it("refuses a fall below the window's high divided by 1.5, and accepts a refresh and a move back at the bound", async function () {
      const { feed, oracle } = await loadFixture(deployCreditsFixture);
      const { updatedAt: start } = await feed.latestRoundData();
      let price = INITIAL_PRICE;
      for (let i = 1n; i <= 7n; i++) {
        await time.setNextBlockTimestamp(start + i * MIN_INTERVAL);
        price = step(price, -500n);
        await feed.connect(oracle).updateAnswer(price);
      }
      // 0.95**7 ≈ 0.698 of the high; 0.95**8 ≈ 0.663 < 1 / 1.5.
      const at = start + 8n * MIN_INTERVAL;
      await time.setNextBlockTimestamp(at);
      const next = step(price, -500n);
      await expect(feed.connect(oracle).updateAnswer(next))
        .to.be.revertedWithCustomError(feed, "WindowMoveTooLarge")
        .withArgs(price, INITIAL_PRICE, next, moveBps(next, INITIAL_PRICE), MAX_WINDOW_MOVE);
      // A refused update is mined: the refresh comes a second later.
      await time.setNextBlockTimestamp(at + 1n);
      await expect(feed.connect(oracle).updateAnswer(price))
        .to.emit(feed, "AnswerUpdated")
        .withArgs(price, 9n, at + 1n);
      await time.setNextBlockTimestamp(at + 1n + MIN_INTERVAL);
      await feed.connect(oracle).updateAnswer(step(price, 500n));
      expect(await feed.latestAnswer()).to.equal(step(price, 500n));
      expect(await feed.windowRange()).to.deep.equal([price, INITIAL_PRICE]);
    });

    it("still counts a climb during the next bucket, and forgets it from the bucket after", async function () {
      const f = await loadFixture(deployCreditsFixture);
      const { feed, oracle } = f;
      // Explicit buckets: the climb starts one minute into a bucket well after the fixture's update.
      const bucket = (await feed.latestRoundData()).updatedAt / WINDOW + 2n;
      const { price: top } = await climb(f, bucket * WINDOW + 60n, 8);
      expect(await feed.windowRange()).to.deep.equal([INITIAL_PRICE, top]);

      // The next bucket, less than 24 h after the climb: the initial price still counts.
      const next = (bucket + 1n) * WINDOW + 60n;
      await time.setNextBlockTimestamp(next);
      await expect(feed.connect(oracle).updateAnswer(step(top, 500n)))
        .to.be.revertedWithCustomError(feed, "WindowMoveTooLarge")
        .withArgs(INITIAL_PRICE, top, step(top, 500n), moveBps(INITIAL_PRICE, step(top, 500n)), MAX_WINDOW_MOVE);
      await time.setNextBlockTimestamp(next + 1n);
      await expect(feed.connect(oracle).updateAnswer(top))
        .to.emit(feed, "AnswerUpdated")
        .withArgs(top, 10n, next + 1n);
      expect(await feed.windowRange()).to.deep.equal([INITIAL_PRICE, top]);

      // From the bucket after, only the prices since the climb's end count: it may go on, up to ×1.5 of them.
      const { price: higher, last } = await climb(f, (bucket + 2n) * WINDOW + 60n, 8);
      expect(await feed.windowRange()).to.deep.equal([top, higher]);
      expect(higher > (INITIAL_PRICE * 15_000n) / 10_000n).to.equal(true);
      await time.setNextBlockTimestamp(last + MIN_INTERVAL);
      await expect(feed.connect(oracle).updateAnswer(step(higher, 500n)))
        .to.be.revertedWithCustomError(feed, "WindowMoveTooLarge")
        .withArgs(top, higher, step(higher, 500n), moveBps(top, step(higher, 500n)), MAX_WINDOW_MOVE);
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

  describe("setMaxWindowMove", function () {
    it("sets the bound and the window and emits MaxWindowMoveSet", async function () {
      const { feed, deployer } = await loadFixture(deployCreditsFixture);
      await expect(feed.connect(deployer).setMaxWindowMove(2_000, 3_600))
        .to.emit(feed, "MaxWindowMoveSet")
        .withArgs(2_000n, 3_600n);
      expect(await feed.maxWindowMove()).to.deep.equal([2_000n, 3_600n]);
    });

    it("reverts with InvalidMaxWindowMove for a zero bound or window", async function () {
      const { feed, deployer } = await loadFixture(deployCreditsFixture);
      await expect(feed.connect(deployer).setMaxWindowMove(0, 3_600))
        .to.be.revertedWithCustomError(feed, "InvalidMaxWindowMove")
        .withArgs(0n, 3_600n);
      await expect(feed.connect(deployer).setMaxWindowMove(2_000, 0))
        .to.be.revertedWithCustomError(feed, "InvalidMaxWindowMove")
        .withArgs(2_000n, 0n);
      expect(await feed.maxWindowMove()).to.deep.equal([MAX_WINDOW_MOVE, WINDOW]);
    });

    it("lets governance widen the bound, and a lower bound stops the range widening but never a refresh", async function () {
      const f = await loadFixture(deployCreditsFixture);
      const { feed, oracle, deployer } = f;
      const { updatedAt: start } = await feed.latestRoundData();
      const { price: top, last } = await climb(f, start + MIN_INTERVAL, 8);
      await time.setNextBlockTimestamp(last + MIN_INTERVAL);
      await expect(feed.connect(oracle).updateAnswer(step(top, 500n))).to.be.revertedWithCustomError(
        feed,
        "WindowMoveTooLarge",
      );

      // ×2 a day: the climb goes on.
      await time.setNextBlockTimestamp(last + MIN_INTERVAL + 1n);
      await feed.connect(deployer).setMaxWindowMove(10_000, 86_400);
      let at = last + MIN_INTERVAL + 2n;
      await time.setNextBlockTimestamp(at);
      const higher = step(top, 500n);
      await expect(feed.connect(oracle).updateAnswer(higher)).to.emit(feed, "AnswerUpdated").withArgs(higher, 10n, at);
      expect(await feed.windowRange()).to.deep.equal([INITIAL_PRICE, higher]);

      // 10 % a day, already exceeded: no new high nor low, but a refresh and a move back are accepted.
      await time.setNextBlockTimestamp(at + 1n);
      await feed.connect(deployer).setMaxWindowMove(1_000, 86_400);
      at += MIN_INTERVAL;
      await time.setNextBlockTimestamp(at);
      await expect(feed.connect(oracle).updateAnswer(higher + 1n))
        .to.be.revertedWithCustomError(feed, "WindowMoveTooLarge")
        .withArgs(INITIAL_PRICE, higher, higher + 1n, moveBps(INITIAL_PRICE, higher + 1n), 1_000n);
      await time.setNextBlockTimestamp(at + 1n);
      await expect(feed.connect(oracle).updateAnswer(higher))
        .to.emit(feed, "AnswerUpdated")
        .withArgs(higher, 11n, at + 1n);
      at += 1n + MIN_INTERVAL;
      await time.setNextBlockTimestamp(at);
      const back = step(higher, -500n);
      await expect(feed.connect(oracle).updateAnswer(back)).to.emit(feed, "AnswerUpdated").withArgs(back, 12n, at);
      expect(await feed.latestAnswer()).to.equal(back);
      expect(await feed.windowRange()).to.deep.equal([INITIAL_PRICE, higher]);
    });

    it("keeps the window's prices across a change of window, in both buckets of the new numbering", async function () {
      const f = await loadFixture(deployCreditsFixture);
      const { feed, oracle, deployer } = f;
      const hour = 3_600n;
      const base = ((await feed.latestRoundData()).updatedAt / WINDOW + 1n) * WINDOW;
      const { price: top, last } = await climb(f, base + hour, 8);
      expect(last).to.equal(base + 2n * hour + 45n * 60n);
      // The window becomes 1 h at 3:30, in the third bucket of the new numbering after the climb's.
      await time.setNextBlockTimestamp(base + 3n * hour + 30n * 60n);
      await expect(feed.connect(deployer).setMaxWindowMove(5_000, Number(hour)))
        .to.emit(feed, "MaxWindowMoveSet")
        .withArgs(5_000n, hour);
      expect(await feed.windowRange()).to.deep.equal([INITIAL_PRICE, top]);
      // In the next hour the climb still counts: the change put it in both buckets of the new numbering ...
      await time.setNextBlockTimestamp(base + 4n * hour + 60n);
      await expect(feed.connect(oracle).updateAnswer(step(top, 500n)))
        .to.be.revertedWithCustomError(feed, "WindowMoveTooLarge")
        .withArgs(INITIAL_PRICE, top, step(top, 500n), moveBps(INITIAL_PRICE, step(top, 500n)), 5_000n);
      // ... and from the hour after, it no longer does.
      await time.setNextBlockTimestamp(base + 5n * hour + 60n);
      await expect(feed.connect(oracle).updateAnswer(step(top, 500n)))
        .to.emit(feed, "AnswerUpdated")
        .withArgs(step(top, 500n), 10n, base + 5n * hour + 60n);
    });
  });

  describe("errors passed on from the AccessManager", function () {
    it("decodes the scheduling errors of a delayed admin's direct call with the feed's own ABI", async function () {
      const { feed, manager, deployer, governance } = await loadFixture(deployCreditsFixture);
      await manager.connect(deployer).grantRole(Roles.SUITE_ADMIN, governance.address, 3_600);
      const target = await feed.getAddress();
      const data = feed.interface.encodeFunctionData("setMaxWindowMove", [1_000, 3_600]);
      const operationId = await manager.hashOperation(governance.address, target, data);
      const call = () => feed.connect(governance).setMaxWindowMove(1_000, 3_600);
      await expect(call()).to.be.revertedWithCustomError(feed, "AccessManagerNotScheduled").withArgs(operationId);
      await manager.connect(governance).schedule(target, data, 0);
      await expect(call()).to.be.revertedWithCustomError(feed, "AccessManagerNotReady").withArgs(operationId);
      await time.increase(3_600n + (await manager.expiration()));
      await expect(call()).to.be.revertedWithCustomError(feed, "AccessManagerExpired").withArgs(operationId);
      expect(await feed.maxWindowMove()).to.deep.equal([MAX_WINDOW_MOVE, WINDOW]);
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
        { signature: "setMaxWindowMove(uint32,uint32)", args: [5_000, 86_400] },
      ],
      publicFunctions: [],
      stranger,
    };
  });
});
