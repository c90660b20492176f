import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { parseEther } from "ethers";
import fc from "fast-check";

import {
  QuoteError,
  creditsForTokens,
  delegateCredits,
  formatUsdPrice,
  mintWithPermit,
  parseUsdPrice,
  quote,
  readBalances,
  setGovernedPrice,
  tokensForCredits,
  withinDeviation,
  withinWindow,
} from "../../scripts/lib/credits";
import { formatDate, formatUsd } from "../../scripts/lib/format";
import {
  BUYER_TOKENS,
  INITIAL_PRICE,
  deployCreditsFixture,
  deployCreditsWithMockFeedFixture,
} from "../fixtures/credits";

describe("scripts/lib/credits", function () {
  describe("creditsForTokens and tokensForCredits", function () {
    it("round as the contract does, for random amounts, prices and decimals", async function () {
      const { credits, mockFeed, deployer } = await loadFixture(deployCreditsWithMockFeedFixture);
      const feedAddress = await mockFeed.getAddress();
      const input = fc.tuple(
        fc.integer({ min: 0, max: 36 }),
        fc.bigInt({ min: 1n, max: 2n ** 96n }),
        fc.bigInt({ min: 0n, max: 10n ** 27n }),
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
      );
      await fc.assert(
        fc.asyncProperty(input, async ([decimals, answer, tokens, wanted]) => {
          await mockFeed.setDecimals(decimals);
          await credits.connect(deployer).setPriceFeed(feedAddress);
          await mockFeed.setAnswer(answer);
          expect(creditsForTokens(tokens, answer, decimals)).to.equal(await credits.quoteCredits(tokens));
          expect(tokensForCredits(wanted, answer, decimals)).to.equal(await credits.quoteTokens(wanted));
        }),
        { numRuns: 30, seed: 0x11b },
      );
    });

    it("throws QuoteError for a non-positive price or unsupported decimals", function () {
      expect(() => creditsForTokens(1n, 0n, 8)).to.throw(QuoteError, "positive");
      expect(() => tokensForCredits(1n, 1n, 37)).to.throw(QuoteError, "decimals");
      expect(() => creditsForTokens(-1n, 1n, 8)).to.throw(QuoteError, "negative");
    });
  });

  describe("parseUsdPrice and formatUsdPrice", function () {
    it("parses plain decimals exactly and formats them back", function () {
      expect(parseUsdPrice("0.5", 8)).to.equal(50_000_000n);
      expect(parseUsdPrice("12.345", 8)).to.equal(1_234_500_000n);
      expect(parseUsdPrice("3", 0)).to.equal(3n);
      expect(formatUsdPrice(50_000_000n, 8)).to.equal("0.5");
      expect(formatUsdPrice(1_234_500_000n, 8)).to.equal("12.345");
      expect(formatUsdPrice(7n, 0)).to.equal("7");
    });

    it("refuses zero, signs, exponents and more fractional digits than the feed has", function () {
      for (const bad of ["0", "0.000", "-1", "1e3", "abc", ""]) {
        expect(() => parseUsdPrice(bad, 8), bad).to.throw(QuoteError);
      }
      expect(() => parseUsdPrice("0.123456789", 8)).to.throw(QuoteError, "fractional digits");
    });
  });

  describe("withinDeviation", function () {
    it("accepts exactly the governed feed's bound", function () {
      expect(withinDeviation(10_000n, 10_500n, 500n)).to.equal(true);
      expect(withinDeviation(10_000n, 10_501n, 500n)).to.equal(false);
      expect(withinDeviation(10_000n, 9_500n, 500n)).to.equal(true);
      expect(withinDeviation(10_000n, 9_499n, 500n)).to.equal(false);
    });
  });

  describe("withinWindow", function () {
    it("accepts exactly the governed feed's window bound: anything within the range, and up to the bound outside it", function () {
      expect(withinWindow(10_000n, 12_000n, 11_000n, 1n)).to.equal(true);
      expect(withinWindow(10_000n, 12_000n, 15_000n, 5_000n)).to.equal(true);
      expect(withinWindow(10_000n, 12_000n, 15_001n, 5_000n)).to.equal(false);
      expect(withinWindow(10_000n, 12_000n, 8_000n, 5_000n)).to.equal(true);
      expect(withinWindow(10_000n, 12_000n, 7_999n, 5_000n)).to.equal(false);
    });
  });

  describe("quote", function () {
    it("quotes both ways at the contract's price", async function () {
      const { credits } = await loadFixture(deployCreditsFixture);
      const forTokens = await quote(credits, { tokens: parseEther("2") });
      expect(forTokens.credits).to.equal(100_000n);
      expect(forTokens.price).to.deep.equal({ answer: INITIAL_PRICE, decimals: 8 });
      const forCredits = await quote(credits, { credits: 100_001n });
      expect(forCredits.tokens).to.equal(await credits.quoteTokens(100_001n));
    });
  });

  describe("mintWithPermit", function () {
    it("mints in one transaction and returns the credits from the event", async function () {
      const { credits, token, alice, carol } = await loadFixture(deployCreditsFixture);
      const deadline = BigInt(await time.latest()) + 600n;
      const result = await mintWithPermit(credits, token, alice, {
        to: carol.address,
        tokens: parseEther("3"),
        deadline,
      });
      expect(result.credits).to.equal(150_000n);
      expect(await credits.balanceOf(carol.address)).to.equal(150_000n);
      expect(await token.balanceOf(alice.address)).to.equal(BUYER_TOKENS - parseEther("3"));
    });

    it("throws QuoteError before sending when the tokens buy no credit", async function () {
      const { credits, token, alice } = await loadFixture(deployCreditsFixture);
      const deadline = BigInt(await time.latest()) + 600n;
      await expect(
        mintWithPermit(credits, token, alice, { to: alice.address, tokens: 1n, deadline }),
      ).to.be.rejectedWith(QuoteError, "0.000000000000000001 tokens buy no credit at the current price");
    });
  });

  describe("delegateCredits and readBalances", function () {
    it("delegates and reads credits, tokens and escrow", async function () {
      const { credits, token, alice, router } = await loadFixture(deployCreditsFixture);
      const deadline = BigInt(await time.latest()) + 600n;
      await mintWithPermit(credits, token, alice, { to: alice.address, tokens: parseEther("1"), deadline });
      const result = await delegateCredits(credits, alice, router.address, 20_000n);
      expect(result.escrow).to.equal(20_000n);
      const balances = await readBalances(credits, token, alice.address, [router.address]);
      expect(balances.credits).to.equal(30_000n);
      expect(balances.tokens).to.equal(BUYER_TOKENS - parseEther("1"));
      expect(balances.escrow).to.deep.equal({ [router.address]: 20_000n });
    });

    it("throws QuoteError for an unregistered router or too few credits", async function () {
      const { credits, alice, router, stranger } = await loadFixture(deployCreditsFixture);
      await expect(delegateCredits(credits, alice, stranger.address, 1n)).to.be.rejectedWith(
        QuoteError,
        "not a registered router",
      );
      await expect(delegateCredits(credits, alice, router.address, 1n)).to.be.rejectedWith(
        QuoteError,
        `${alice.address} holds 0 DC, fewer than 1 DC`,
      );
    });
  });

  describe("setGovernedPrice", function () {
    it("posts a price within the feed's bounds", async function () {
      const { feed, oracle } = await loadFixture(deployCreditsFixture);
      await time.increase(900);
      const now = BigInt(await time.latest());
      const result = await setGovernedPrice(feed, oracle, parseUsdPrice("0.52", 8), now);
      expect(result.roundId).to.equal(2n);
      expect(await feed.latestAnswer()).to.equal(52_000_000n);
    });

    it("throws QuoteError before sending an update too soon or too far", async function () {
      const { feed, oracle } = await loadFixture(deployCreditsFixture);
      const now = BigInt(await time.latest());
      const { updatedAt } = await feed.latestRoundData();
      // Times as dates, prices in dollars.
      await expect(setGovernedPrice(feed, oracle, INITIAL_PRICE, now)).to.be.rejectedWith(
        QuoteError,
        `the feed accepts its next update from ${formatDate(updatedAt + 900n)} (the chain is at ${formatDate(now)})`,
      );
      await expect(setGovernedPrice(feed, oracle, 60_000_000n, now + 900n)).to.be.rejectedWith(
        QuoteError,
        "$0.6 moves the price from $0.5 by more than 500 bps",
      );
      expect(await feed.latestRound()).to.equal(1n);
    });

    it("throws QuoteError before sending an update that takes the window's prices past its bound", async function () {
      const { feed, oracle } = await loadFixture(deployCreditsFixture);
      let price = INITIAL_PRICE;
      for (let i = 0; i < 8; i++) {
        await time.increase(900);
        price += (price * 500n) / 10_000n;
        await setGovernedPrice(feed, oracle, price, BigInt(await time.latest()));
      }
      await time.increase(900);
      const next = price + (price * 500n) / 10_000n;
      await expect(setGovernedPrice(feed, oracle, next, BigInt(await time.latest()))).to.be.rejectedWith(
        QuoteError,
        `${formatUsd(next, 8)} takes the window's prices ($0.5 to ${formatUsd(price, 8)}) more than 5,000 bps apart ` +
          "(window 86,400 s (1 d))",
      );
      expect(await feed.latestRound()).to.equal(9n);
    });
  });
});
