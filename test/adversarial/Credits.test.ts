import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { parseEther, parseUnits } from "ethers";

import { CreditsMockAggregator__factory, CreditsMockSequencerFeed__factory } from "../../typechain-types";
import { deployAdversarialFixture } from "../fixtures/adversarial";
import { stateOf, type AdversarialSuite } from "./helpers";

const TOKENS = parseEther("10");
const PRICE = parseUnits("0.5", 8);

/** The suite reading an external Chainlink-style feed that the test sets field by field. */
async function withExternalFeed() {
  const s = await loadFixture(deployAdversarialFixture);
  const feed = await new CreditsMockAggregator__factory(s.deployer).deploy(8, PRICE);
  await (await s.credits.setPriceFeed(await feed.getAddress())).wait();
  await (await s.token.connect(s.carol).approve(await s.credits.getAddress(), parseEther("1000"))).wait();
  return { s, feed };
}

/** Both mint paths revert with `error(...args)` and change nothing. */
async function expectMintsRefused(s: AdversarialSuite, error: string, args: readonly unknown[]): Promise<void> {
  const before = await stateOf(s, [s.carol.address]);
  await expect(s.credits.connect(s.carol).mintWithTokens(s.carol.address, TOKENS, 0n))
    .to.be.revertedWithCustomError(s.credits, error)
    .withArgs(...args);
  await expect(s.credits.connect(s.carol).mintExactCredits(s.carol.address, 1_000n, TOKENS))
    .to.be.revertedWithCustomError(s.credits, error)
    .withArgs(...args);
  expect(await stateOf(s, [s.carol.address]), "nothing changed").to.deep.equal(before);
}

describe("Adversarial", function () {
  describe("credits and prices", function () {
    it("a stale price mints nothing", async function () {
      const { s, feed } = await withExternalFeed();
      const now = BigInt(await time.latest());
      const updatedAt = now - 3_601n - 5n;
      await feed.setRoundData(7, PRICE, updatedAt, updatedAt, 7);
      await expectMintsRefused(s, "StalePrice", [updatedAt, 3_600n, (t: bigint) => t > updatedAt + 3_600n]);
    });

    it("a zero price mints nothing", async function () {
      const { s, feed } = await withExternalFeed();
      await feed.setAnswer(0);
      await expectMintsRefused(s, "InvalidPrice", [0n]);
    });

    it("a negative price mints nothing", async function () {
      const { s, feed } = await withExternalFeed();
      await feed.setAnswer(-PRICE);
      await expectMintsRefused(s, "InvalidPrice", [-PRICE]);
    });

    it("a price from the future mints nothing", async function () {
      const { s, feed } = await withExternalFeed();
      const future = BigInt(await time.latest()) + 3_600n;
      await feed.setRoundData(7, PRICE, future, future, 7);
      await expectMintsRefused(s, "PriceFromFuture", [future, (t: bigint) => t < future]);
    });

    it("a price from an incomplete round mints nothing", async function () {
      const { s, feed } = await withExternalFeed();
      const now = BigInt(await time.latest());
      await feed.setRoundData(9, PRICE, now, now, 8);
      await expectMintsRefused(s, "IncompleteRound", [9n, 8n]);
    });

    it("a sequencer down mints nothing, nor within its grace period after it is back", async function () {
      const { s } = await withExternalFeed();
      const sequencer = await new CreditsMockSequencerFeed__factory(s.deployer).deploy();
      await s.credits.setSequencerUptimeFeed(await sequencer.getAddress(), 3_600);
      const now = BigInt(await time.latest());
      await sequencer.setStatus(1, now);
      await expectMintsRefused(s, "SequencerDown", [1n]);

      const back = BigInt(await time.latest());
      await sequencer.setStatus(0, back);
      await expectMintsRefused(s, "SequencerGracePeriodNotOver", [back, 3_600n, (t: bigint) => t <= back + 3_600n]);

      // After the grace period, with a fresh price, minting resumes.
      await time.increaseTo(back + 3_601n);
      const feed = await s.credits.priceFeed();
      await CreditsMockAggregator__factory.connect(feed, s.deployer).setAnswer(PRICE);
      await expect(s.credits.connect(s.carol).mintWithTokens(s.carol.address, TOKENS, 0n)).to.emit(
        s.credits,
        "CreditsMinted",
      );
    });

    it("the governed feed refuses a manipulated price beyond maxDeviationBps, so credits mint at the honest one", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const feed = s.governedFeed!;
      const maxDeviation = await feed.maxDeviationBps();
      await time.increase(await feed.minInterval());
      const honest = await feed.latestAnswer();
      const round = await feed.latestRound();
      // A compromised oracle key doubles the price, then tries just past the bound, in both directions.
      for (const manipulated of [
        honest * 2n,
        honest + (honest * maxDeviation) / 10_000n + 1n,
        honest - (honest * maxDeviation) / 10_000n - 1n,
      ]) {
        await expect(feed.updateAnswer(manipulated))
          .to.be.revertedWithCustomError(feed, "DeviationTooLarge")
          .withArgs(honest, manipulated, maxDeviation);
      }
      // The largest step allowed, then an immediate second step, which the minimum interval refuses.
      const step = honest + (honest * maxDeviation) / 10_000n;
      await feed.updateAnswer(step);
      const updatedAt = BigInt(await time.latest());
      const second = step + (step * maxDeviation) / 10_000n;
      await expect(feed.updateAnswer(second))
        .to.be.revertedWithCustomError(feed, "UpdateTooSoon")
        .withArgs(updatedAt, await feed.minInterval(), (t: bigint) => t > updatedAt);
      expect(await feed.latestRound()).to.equal(round + 1n);

      // Credits mint at the bounded price, floor(tokens × price / $0.00001), never at the manipulated one.
      await s.token.connect(s.carol).approve(await s.credits.getAddress(), TOKENS);
      const expected = (TOKENS * step) / 10n ** 21n;
      await expect(s.credits.connect(s.carol).mintWithTokens(s.carol.address, TOKENS, 0n))
        .to.emit(s.credits, "CreditsMinted")
        .withArgs(s.carol.address, s.carol.address, TOKENS, expected, step);
      await expect(s.credits.connect(s.carol).mintWithTokens(s.carol.address, TOKENS, expected + 1n))
        .to.be.revertedWithCustomError(s.credits, "CreditsBelowMinimum")
        .withArgs(expected, expected + 1n);
    });

    it("a router cannot burn beyond its escrow, from another router's escrow, or replay a usage id", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const other = s.signers[12];
      await s.credits.registerRouter(other.address);
      await s.credits.connect(s.alice).delegate(s.router.address, 1_000n);
      await s.credits.connect(s.bob).delegate(other.address, 5_000n);
      await s.credits.connect(s.router).burnForUsage(s.alice.address, 400n, 1n);
      const before = await stateOf(s, [s.alice.address, s.bob.address]);
      const bobEscrow = await s.credits.escrowOf(s.bob.address, other.address);

      await expect(s.credits.connect(s.router).burnForUsage(s.alice.address, 601n, 2n))
        .to.be.revertedWithCustomError(s.credits, "InsufficientEscrow")
        .withArgs(s.alice.address, s.router.address, 600n, 601n);
      await expect(s.credits.connect(s.router).burnForUsage(s.bob.address, 1n, 1n))
        .to.be.revertedWithCustomError(s.credits, "InsufficientEscrow")
        .withArgs(s.bob.address, s.router.address, 0n, 1n);
      await expect(s.credits.connect(s.router).burnForUsage(s.alice.address, 1n, 1n))
        .to.be.revertedWithCustomError(s.credits, "UsageIdAlreadyUsed")
        .withArgs(s.alice.address, s.router.address, 1n, 1n);
      // Nor can anyone who is not a router burn an escrow, even of a router that exists.
      await expect(s.credits.connect(s.carol).burnForUsage(s.alice.address, 1n, 2n))
        .to.be.revertedWithCustomError(s.credits, "RouterNotRegistered")
        .withArgs(s.carol.address);
      expect(await stateOf(s, [s.alice.address, s.bob.address])).to.deep.equal(before);
      expect(await s.credits.escrowOf(s.bob.address, other.address)).to.equal(bobEscrow);
    });
  });
});
