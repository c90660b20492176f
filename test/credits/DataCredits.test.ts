import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { MaxUint256, ZeroAddress, ZeroHash, id, parseEther } from "ethers";
import { ethers, upgrades } from "hardhat";

import {
  CreditsMockAggregator__factory,
  CreditsMockDataCreditsV2__factory,
  CreditsMockSequencerFeed__factory,
  DataCredits__factory,
} from "../../typechain-types";
import { signTokenPermit } from "../../scripts/lib/credits";
import { revertDataOf } from "../../scripts/lib/sdk/errors";
import { DATA_CREDITS_ROLES, defaultDataCreditsParams } from "../../scripts/lib/deploy/credits";
import { deployUupsProxy } from "../../scripts/lib/deploy/proxy";
import { Roles } from "../../scripts/lib/roles";
import { shouldBehaveLikePausable } from "../behaviors/pausable.behavior";
import { shouldBehaveLikeRestricted } from "../behaviors/restricted.behavior";
import {
  BUYER_TOKENS,
  INITIAL_PRICE,
  deployCreditsFixture,
  deployCreditsWithMockFeedFixture,
} from "../fixtures/credits";

/** $0.50 a token with 8 decimals: one whole token buys 50,000 credits. */
const CREDITS_PER_TOKEN = 50_000n;
const HOUR = 3_600n;
const DAY = 86_400n;
const MAX_MINT = 100_000_000_000n;
/** ERC-7201 locations: DataCredits' namespace and OpenZeppelin's Pausable, which DataCredits leaves unused. */
const CREDITS_STORAGE_LOCATION = "0x68986a8740df951a3ee5e2f4c18a57f03b2d0cb4d8c726deaabf4bde2da02e00";
const OZ_PAUSABLE_LOCATION = "0xcd5ed15c6e187e77e9aee88184c21f4f2182ab5827cb3b7e07fbedcd63f03300";

/** The fixture with Alice's max approval for DataCredits. */
async function approvedFixture() {
  const f = await deployCreditsFixture();
  await f.token.connect(f.alice).approve(await f.credits.getAddress(), MaxUint256);
  await f.token.connect(f.bob).approve(await f.credits.getAddress(), MaxUint256);
  return f;
}

/** Alice minted 1,000 tokens' worth of credits (50,000,000 DC) and delegated 1,000,000 DC to the router. */
async function delegatedFixture() {
  const f = await approvedFixture();
  await f.credits.connect(f.alice).mintWithTokens(f.alice.address, parseEther("1000"), 0n);
  await f.credits.connect(f.alice).delegate(f.router.address, 1_000_000n);
  return f;
}

/**
 * `delegatedFixture` with an undelegation of 10 DC requested by Alice and its notice over; the oracle then
 * posts the same price again, so that the feed is fresh for mints.
 */
async function pendingUndelegationFixture() {
  const f = await delegatedFixture();
  await f.credits.connect(f.alice).requestUndelegate(f.router.address, 10n);
  await time.increase(DAY);
  await f.feed.connect(f.oracle).updateAnswer(INITIAL_PRICE);
  return f;
}

async function mockApprovedFixture() {
  const f = await deployCreditsWithMockFeedFixture();
  await f.token.connect(f.alice).approve(await f.credits.getAddress(), MaxUint256);
  return f;
}

describe("DataCredits", function () {
  describe("initialize", function () {
    it("stores the parameters of the deploy library's defaults", async function () {
      const { credits, token, feed } = await loadFixture(deployCreditsFixture);
      const defaults = defaultDataCreditsParams(await feed.getAddress(), ZeroAddress);
      expect(await credits.token()).to.equal(await token.getAddress());
      expect(await credits.priceFeed()).to.equal(await feed.getAddress());
      expect(await credits.maxStaleness()).to.equal(defaults.maxStaleness);
      const sequencer = await credits.sequencerUptimeFeed();
      expect(sequencer.feed).to.equal(ZeroAddress);
      expect(sequencer.gracePeriod).to.equal(defaults.sequencerGracePeriod);
      const breaker = await credits.circuitBreaker();
      expect(breaker.maxMintPerWindow).to.equal(MAX_MINT);
      expect(breaker.mintWindow).to.equal(DAY);
      expect(await credits.undelegateNotice()).to.equal(DAY);
      expect(await credits.paused()).to.equal(false);
      expect(await credits.mintableCredits()).to.equal(MAX_MINT);
    });

    it("reverts with InvalidInitialization when called again on the proxy", async function () {
      const { credits, manager, token, feed } = await loadFixture(deployCreditsFixture);
      const params = defaultDataCreditsParams(await feed.getAddress(), ZeroAddress);
      await expect(
        credits.initialize(await manager.getAddress(), await token.getAddress(), params),
      ).to.be.revertedWithCustomError(credits, "InvalidInitialization");
    });

    it("reverts with InvalidInitialization when called on the implementation", async function () {
      const { credits, manager, token, feed, stranger } = await loadFixture(deployCreditsFixture);
      const implementation = DataCredits__factory.connect(
        await upgrades.erc1967.getImplementationAddress(await credits.getAddress()),
        stranger,
      );
      const params = defaultDataCreditsParams(await feed.getAddress(), ZeroAddress);
      await expect(
        implementation.initialize(await manager.getAddress(), await token.getAddress(), params),
      ).to.be.revertedWithCustomError(implementation, "InvalidInitialization");
    });

    describe("reverts on a bad configuration", function () {
      async function deployWith(overrides: {
        token?: string;
        params?: Partial<ReturnType<typeof defaultDataCreditsParams>>;
      }) {
        const { manager, token, feed, deployer } = await loadFixture(deployCreditsFixture);
        const params = { ...defaultDataCreditsParams(await feed.getAddress(), ZeroAddress), ...overrides.params };
        const factory = new DataCredits__factory(deployer);
        const deploy = () =>
          deployUupsProxy(deployer, factory, "initialize", [manager.target, overrides.token ?? token.target, params]);
        return { factory, deploy, feed };
      }

      it("reverts with InvalidToken for a token without code or without 18 decimals", async function () {
        const { stranger } = await loadFixture(deployCreditsFixture);
        const eoa = await deployWith({ token: stranger.address });
        await expect(eoa.deploy())
          .to.be.revertedWithCustomError(eoa.factory, "InvalidToken")
          .withArgs(stranger.address);
        const notAToken = await deployWith({});
        const feedAddress = await notAToken.feed.getAddress();
        const wrong = await deployWith({ token: feedAddress });
        await expect(wrong.deploy()).to.be.revertedWithCustomError(wrong.factory, "InvalidToken").withArgs(feedAddress);
      });

      it("reverts with InvalidPriceFeed, InvalidMaxStaleness or InvalidMintWindow", async function () {
        const noFeed = await deployWith({ params: { priceFeed: ZeroAddress } });
        await expect(noFeed.deploy())
          .to.be.revertedWithCustomError(noFeed.factory, "InvalidPriceFeed")
          .withArgs(ZeroAddress);
        const noStaleness = await deployWith({ params: { maxStaleness: 0n } });
        await expect(noStaleness.deploy())
          .to.be.revertedWithCustomError(noStaleness.factory, "InvalidMaxStaleness")
          .withArgs(0n);
        const noWindow = await deployWith({ params: { mintWindow: 0n } });
        await expect(noWindow.deploy())
          .to.be.revertedWithCustomError(noWindow.factory, "InvalidMintWindow")
          .withArgs(0n);
      });
    });
  });

  describe("wallet surface", function () {
    it("reads as a 0-decimal token named DePIN Data Credits", async function () {
      const { credits } = await loadFixture(deployCreditsFixture);
      expect(await credits.name()).to.equal("DePIN Data Credits");
      expect(await credits.symbol()).to.equal("DC");
      expect(await credits.decimals()).to.equal(0n);
      expect(await credits.totalSupply()).to.equal(0n);
    });

    it("reverts with CreditsNonTransferable on transfer, transferFrom and approve, and allows nothing", async function () {
      const { credits, alice, bob } = await loadFixture(delegatedFixture);
      const before = await credits.balanceOf(alice.address);
      await expect(credits.connect(alice).transfer(bob.address, 1n)).to.be.revertedWithCustomError(
        credits,
        "CreditsNonTransferable",
      );
      await expect(credits.connect(bob).transferFrom(alice.address, bob.address, 1n)).to.be.revertedWithCustomError(
        credits,
        "CreditsNonTransferable",
      );
      await expect(credits.connect(alice).approve(bob.address, 1n)).to.be.revertedWithCustomError(
        credits,
        "CreditsNonTransferable",
      );
      expect(await credits.allowance(alice.address, bob.address)).to.equal(0n);
      expect(await credits.balanceOf(alice.address)).to.equal(before);
      expect(await credits.balanceOf(bob.address)).to.equal(0n);
    });

    it("shows escrow as held by the contract, so balances sum to the total supply", async function () {
      const { credits, alice } = await loadFixture(delegatedFixture);
      const contract = await credits.getAddress();
      expect(await credits.balanceOf(contract)).to.equal(1_000_000n);
      expect((await credits.balanceOf(alice.address)) + (await credits.balanceOf(contract))).to.equal(
        await credits.totalSupply(),
      );
    });
  });

  describe("mintWithTokens", function () {
    it("burns the caller's tokens and mints floor(tokens * price / $0.00001) credits", async function () {
      const { credits, token, alice } = await loadFixture(approvedFixture);
      const tokens = parseEther("3") + 123_456_789_000_000n;
      const expected = (tokens * INITIAL_PRICE) / 10n ** 21n;
      const supply = await token.totalSupply();
      const tx = credits.connect(alice).mintWithTokens(alice.address, tokens, expected);
      await expect(tx)
        .to.emit(credits, "CreditsMinted")
        .withArgs(alice.address, alice.address, tokens, expected, INITIAL_PRICE);
      await expect(tx).to.emit(credits, "Transfer").withArgs(ZeroAddress, alice.address, expected);
      await expect(tx).to.emit(token, "Transfer").withArgs(alice.address, ZeroAddress, tokens);
      expect(expected).to.equal(3n * CREDITS_PER_TOKEN + 6n);
      expect(await credits.balanceOf(alice.address)).to.equal(expected);
      expect(await token.balanceOf(alice.address)).to.equal(BUYER_TOKENS - tokens);
      expect(await token.totalSupply()).to.equal(supply - tokens);
      expect(await token.balanceOf(await credits.getAddress())).to.equal(0n);
      expect(await credits.tokensBurned()).to.equal(tokens);
      expect(await credits.creditsMinted()).to.equal(expected);
      expect(await credits.totalSupply()).to.equal(expected);
    });

    it("mints to anyone: the buyer pays, the recipient holds", async function () {
      const { credits, token, alice, carol } = await loadFixture(approvedFixture);
      await expect(credits.connect(alice).mintWithTokens(carol.address, parseEther("1"), 0n))
        .to.emit(credits, "CreditsMinted")
        .withArgs(alice.address, carol.address, parseEther("1"), CREDITS_PER_TOKEN, INITIAL_PRICE);
      expect(await credits.balanceOf(carol.address)).to.equal(CREDITS_PER_TOKEN);
      expect(await credits.balanceOf(alice.address)).to.equal(0n);
      expect(await token.balanceOf(carol.address)).to.equal(0n);
    });

    it("reverts with ZeroCredits when the tokens buy less than one credit", async function () {
      const { credits, alice } = await loadFixture(approvedFixture);
      const tooFew = 10n ** 21n / INITIAL_PRICE - 1n;
      await expect(credits.connect(alice).mintWithTokens(alice.address, tooFew, 0n))
        .to.be.revertedWithCustomError(credits, "ZeroCredits")
        .withArgs(tooFew);
      await expect(credits.connect(alice).mintWithTokens(alice.address, 0n, 0n))
        .to.be.revertedWithCustomError(credits, "ZeroCredits")
        .withArgs(0n);
      await credits.connect(alice).mintWithTokens(alice.address, tooFew + 1n, 1n);
      expect(await credits.balanceOf(alice.address)).to.equal(1n);
    });

    it("reverts with CreditsBelowMinimum when the price moved against the buyer", async function () {
      const { credits, alice } = await loadFixture(approvedFixture);
      await expect(credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), CREDITS_PER_TOKEN + 1n))
        .to.be.revertedWithCustomError(credits, "CreditsBelowMinimum")
        .withArgs(CREDITS_PER_TOKEN, CREDITS_PER_TOKEN + 1n);
    });

    it("reverts with InvalidRecipient for the zero address", async function () {
      const { credits, alice } = await loadFixture(approvedFixture);
      await expect(credits.connect(alice).mintWithTokens(ZeroAddress, parseEther("1"), 0n))
        .to.be.revertedWithCustomError(credits, "InvalidRecipient")
        .withArgs(ZeroAddress);
    });

    it("reverts with the token's ERC20InsufficientAllowance without an allowance", async function () {
      const { credits, token, carol, treasury } = await loadFixture(deployCreditsFixture);
      await token.connect(treasury).transfer(carol.address, parseEther("1"));
      await expect(credits.connect(carol).mintWithTokens(carol.address, parseEther("1"), 0n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(await credits.getAddress(), 0n, parseEther("1"));
    });
  });

  describe("mintExactCredits", function () {
    it("mints exactly the credits and burns ceil(credits * $0.00001 / price) tokens", async function () {
      const { credits, token, alice } = await loadFixture(mockApprovedFixture);
      const f = await loadFixture(mockApprovedFixture);
      // $0.30000007 per token: 10 credits cost 10 * 10**21 / 30000007 wei, which is not whole.
      await f.mockFeed.setAnswer(30_000_007n);
      const want = 10n;
      const exact = want * 10n ** 21n;
      const tokens = (exact + 30_000_007n - 1n) / 30_000_007n;
      expect(exact % 30_000_007n).to.not.equal(0n);
      await expect(credits.connect(alice).mintExactCredits(alice.address, want, tokens))
        .to.emit(credits, "CreditsMinted")
        .withArgs(alice.address, alice.address, tokens, want, 30_000_007n);
      expect(await credits.balanceOf(alice.address)).to.equal(want);
      expect(await token.balanceOf(alice.address)).to.equal(BUYER_TOKENS - tokens);
      expect((tokens * 30_000_007n) / 10n ** 21n).to.equal(want);
      expect(((tokens - 1n) * 30_000_007n) / 10n ** 21n).to.be.lessThan(want);
    });

    it("reverts with TokensAboveMaximum when the credits cost more than maxTokens", async function () {
      const { credits, alice } = await loadFixture(approvedFixture);
      await expect(credits.connect(alice).mintExactCredits(alice.address, CREDITS_PER_TOKEN, parseEther("1") - 1n))
        .to.be.revertedWithCustomError(credits, "TokensAboveMaximum")
        .withArgs(parseEther("1"), parseEther("1") - 1n);
    });

    it("reverts with ZeroCredits for zero credits", async function () {
      const { credits, alice } = await loadFixture(approvedFixture);
      await expect(credits.connect(alice).mintExactCredits(alice.address, 0n, parseEther("1")))
        .to.be.revertedWithCustomError(credits, "ZeroCredits")
        .withArgs(0n);
    });
  });

  describe("permit variants", function () {
    it("mintWithTokensPermit mints in one transaction without a prior approval", async function () {
      const { credits, token, alice } = await loadFixture(deployCreditsFixture);
      const deadline = BigInt(await time.latest()) + HOUR;
      const sig = await signTokenPermit(token, alice, await credits.getAddress(), parseEther("2"), deadline);
      await expect(
        credits.connect(alice).mintWithTokensPermit(alice.address, parseEther("2"), 0n, deadline, sig.v, sig.r, sig.s),
      )
        .to.emit(credits, "CreditsMinted")
        .withArgs(alice.address, alice.address, parseEther("2"), 2n * CREDITS_PER_TOKEN, INITIAL_PRICE);
      expect(await credits.balanceOf(alice.address)).to.equal(2n * CREDITS_PER_TOKEN);
      expect(await token.allowance(alice.address, await credits.getAddress())).to.equal(0n);
    });

    it("still mints when a front-runner submitted the permit first", async function () {
      const { credits, token, alice, stranger } = await loadFixture(deployCreditsFixture);
      const spender = await credits.getAddress();
      const deadline = BigInt(await time.latest()) + HOUR;
      const sig = await signTokenPermit(token, alice, spender, parseEther("2"), deadline);
      await token.connect(stranger).permit(alice.address, spender, parseEther("2"), deadline, sig.v, sig.r, sig.s);
      await credits
        .connect(alice)
        .mintWithTokensPermit(alice.address, parseEther("2"), 0n, deadline, sig.v, sig.r, sig.s);
      expect(await credits.balanceOf(alice.address)).to.equal(2n * CREDITS_PER_TOKEN);
    });

    it("mintExactCreditsPermit permits maxTokens and burns only what the credits cost", async function () {
      const { credits, token, alice } = await loadFixture(deployCreditsFixture);
      const spender = await credits.getAddress();
      const deadline = BigInt(await time.latest()) + HOUR;
      const sig = await signTokenPermit(token, alice, spender, parseEther("5"), deadline);
      await credits
        .connect(alice)
        .mintExactCreditsPermit(alice.address, CREDITS_PER_TOKEN, parseEther("5"), deadline, sig.v, sig.r, sig.s);
      expect(await credits.balanceOf(alice.address)).to.equal(CREDITS_PER_TOKEN);
      expect(await token.balanceOf(alice.address)).to.equal(BUYER_TOKENS - parseEther("1"));
      expect(await token.allowance(alice.address, spender)).to.equal(parseEther("4"));
    });

    it("reverts with the token's ERC20InsufficientAllowance when the permit is bad and no allowance exists", async function () {
      const { credits, token, alice, bob } = await loadFixture(deployCreditsFixture);
      const spender = await credits.getAddress();
      const deadline = BigInt(await time.latest()) + HOUR;
      const sig = await signTokenPermit(token, bob, spender, parseEther("2"), deadline);
      await expect(
        credits.connect(alice).mintWithTokensPermit(alice.address, parseEther("2"), 0n, deadline, sig.v, sig.r, sig.s),
      )
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(spender, 0n, parseEther("2"));
    });
  });

  describe("price", function () {
    it("returns the governed feed's answer and decimals", async function () {
      const { credits } = await loadFixture(deployCreditsFixture);
      const price = await credits.price();
      expect(price.answer).to.equal(INITIAL_PRICE);
      expect(price.decimals).to.equal(8n);
      expect(await credits.quoteCredits(parseEther("1"))).to.equal(CREDITS_PER_TOKEN);
      expect(await credits.quoteTokens(CREDITS_PER_TOKEN)).to.equal(parseEther("1"));
    });

    it("reverts with InvalidPrice for a zero or negative answer", async function () {
      const { credits, mockFeed, alice } = await loadFixture(mockApprovedFixture);
      for (const answer of [0n, -1n]) {
        await mockFeed.setAnswer(answer);
        await expect(credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n))
          .to.be.revertedWithCustomError(credits, "InvalidPrice")
          .withArgs(answer);
      }
    });

    it("reverts with PriceNotUpdated when updatedAt is 0", async function () {
      const { credits, mockFeed, alice } = await loadFixture(mockApprovedFixture);
      await mockFeed.setRoundData(7n, INITIAL_PRICE, 0n, 0n, 7n);
      await expect(credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n))
        .to.be.revertedWithCustomError(credits, "PriceNotUpdated")
        .withArgs(7n);
    });

    it("reverts with PriceFromFuture when updatedAt is after the block", async function () {
      const { credits, mockFeed, alice } = await loadFixture(mockApprovedFixture);
      const now = BigInt(await time.latest()) + 10n;
      await mockFeed.setRoundData(7n, INITIAL_PRICE, now + 5n, now + 5n, 7n);
      await time.setNextBlockTimestamp(now);
      await expect(credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n))
        .to.be.revertedWithCustomError(credits, "PriceFromFuture")
        .withArgs(now + 5n, now);
    });

    it("reverts with StalePrice one second past maxStaleness, and accepts it at maxStaleness", async function () {
      const { credits, mockFeed, alice } = await loadFixture(mockApprovedFixture);
      const { updatedAt } = await mockFeed.latestRoundData();
      await time.setNextBlockTimestamp(updatedAt + HOUR);
      await credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n);
      await mockFeed.setRoundData(9n, INITIAL_PRICE, updatedAt, updatedAt, 9n);
      const at = updatedAt + HOUR + 2n;
      await time.setNextBlockTimestamp(at);
      await expect(credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n))
        .to.be.revertedWithCustomError(credits, "StalePrice")
        .withArgs(updatedAt, HOUR, at);
    });

    it("reverts with IncompleteRound when answeredInRound is behind roundId", async function () {
      const { credits, mockFeed, alice } = await loadFixture(mockApprovedFixture);
      const now = BigInt(await time.latest());
      await mockFeed.setRoundData(12n, INITIAL_PRICE, now, now, 11n);
      await expect(credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n))
        .to.be.revertedWithCustomError(credits, "IncompleteRound")
        .withArgs(12n, 11n);
    });

    it("normalises 8 and 18 feed decimals to the same credits", async function () {
      const { credits, mockFeed, deployer, alice } = await loadFixture(mockApprovedFixture);
      await credits.connect(alice).mintWithTokens(alice.address, parseEther("7"), 0n);
      const with8 = await credits.balanceOf(alice.address);
      await mockFeed.setDecimals(18);
      await expect(credits.connect(deployer).setPriceFeed(await mockFeed.getAddress()))
        .to.emit(credits, "PriceFeedSet")
        .withArgs(await mockFeed.getAddress(), 18n);
      await mockFeed.setAnswer(INITIAL_PRICE * 10n ** 10n);
      await credits.connect(alice).mintWithTokens(alice.address, parseEther("7"), 0n);
      expect(with8).to.equal(7n * CREDITS_PER_TOKEN);
      expect(await credits.balanceOf(alice.address)).to.equal(2n * with8);
      expect((await credits.price()).decimals).to.equal(18n);
    });

    it("reverts with UnsupportedFeedDecimals for a feed with more than 36 decimals", async function () {
      const { credits, deployer } = await loadFixture(deployCreditsFixture);
      const wide = await new CreditsMockAggregator__factory(deployer).deploy(37, 1n);
      await expect(credits.connect(deployer).setPriceFeed(await wide.getAddress()))
        .to.be.revertedWithCustomError(credits, "UnsupportedFeedDecimals")
        .withArgs(37n);
      await expect(credits.connect(deployer).setPriceFeed(ZeroAddress))
        .to.be.revertedWithCustomError(credits, "InvalidPriceFeed")
        .withArgs(ZeroAddress);
    });
  });

  describe("sequencer uptime", function () {
    async function withSequencer() {
      const f = await mockApprovedFixture();
      const sequencer = await new CreditsMockSequencerFeed__factory(f.deployer).deploy();
      const since = BigInt(await time.latest()) - 2n * HOUR;
      await sequencer.setStatus(0n, since);
      await f.credits.connect(f.deployer).setSequencerUptimeFeed(await sequencer.getAddress(), Number(HOUR));
      await f.mockFeed.setAnswer(INITIAL_PRICE);
      return { ...f, sequencer };
    }

    it("sets the feed and grace period with SequencerUptimeFeedSet, and mints while the sequencer is up", async function () {
      const { credits, sequencer, alice } = await loadFixture(withSequencer);
      const set = await credits.sequencerUptimeFeed();
      expect(set.feed).to.equal(await sequencer.getAddress());
      expect(set.gracePeriod).to.equal(HOUR);
      await credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n);
      expect(await credits.balanceOf(alice.address)).to.equal(CREDITS_PER_TOKEN);
    });

    it("reverts with SequencerDown while the sequencer is down", async function () {
      const { credits, sequencer, alice } = await loadFixture(withSequencer);
      await sequencer.setStatus(1n, BigInt(await time.latest()));
      await expect(credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n))
        .to.be.revertedWithCustomError(credits, "SequencerDown")
        .withArgs(1n);
    });

    it("reverts with SequencerGracePeriodNotOver until the grace period after a restart has passed", async function () {
      const { credits, sequencer, mockFeed, alice } = await loadFixture(withSequencer);
      const restart = BigInt(await time.latest());
      await sequencer.setStatus(0n, restart);
      await mockFeed.setAnswer(INITIAL_PRICE);
      await time.setNextBlockTimestamp(restart + HOUR);
      await expect(credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n))
        .to.be.revertedWithCustomError(credits, "SequencerGracePeriodNotOver")
        .withArgs(restart, HOUR, restart + HOUR);
      await mockFeed.setAnswer(INITIAL_PRICE);
      await credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n);
      expect(await credits.balanceOf(alice.address)).to.equal(CREDITS_PER_TOKEN);
    });

    it("reverts with SequencerStatusUnknown when the uptime feed has no status", async function () {
      const { credits, sequencer, alice } = await loadFixture(withSequencer);
      await sequencer.setStatus(0n, 0n);
      await expect(
        credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n),
      ).to.be.revertedWithCustomError(credits, "SequencerStatusUnknown");
    });

    it("stops checking once the feed is set to the zero address", async function () {
      const { credits, sequencer, deployer, alice } = await loadFixture(withSequencer);
      await sequencer.setStatus(1n, BigInt(await time.latest()));
      await expect(credits.connect(deployer).setSequencerUptimeFeed(ZeroAddress, 0))
        .to.emit(credits, "SequencerUptimeFeedSet")
        .withArgs(ZeroAddress, 0n);
      await credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n);
      expect(await credits.balanceOf(alice.address)).to.equal(CREDITS_PER_TOKEN);
    });
  });

  describe("circuit breaker", function () {
    /** A breaker of 1,000,000 DC (20 tokens) per 1,000 s, starting at the beginning of a bucket. */
    async function smallBreaker() {
      const f = await approvedFixture();
      await f.credits.connect(f.deployer).setCircuitBreaker(1_000_000, 1_000);
      const start = ((BigInt(await time.latest()) + 900n) / 1_000n + 1n) * 1_000n;
      await time.increaseTo(start);
      await f.feed.connect(f.oracle).updateAnswer(INITIAL_PRICE);
      return { ...f, start };
    }

    it("sets the limit and window with CircuitBreakerSet", async function () {
      const { credits, deployer } = await loadFixture(approvedFixture);
      await expect(credits.connect(deployer).setCircuitBreaker(5, 60))
        .to.emit(credits, "CircuitBreakerSet")
        .withArgs(5n, 60n);
      const breaker = await credits.circuitBreaker();
      expect(breaker.maxMintPerWindow).to.equal(5n);
      expect(breaker.mintWindow).to.equal(60n);
      await expect(credits.connect(deployer).setCircuitBreaker(5, 0))
        .to.be.revertedWithCustomError(credits, "InvalidMintWindow")
        .withArgs(0n);
    });

    it("reverts with MintLimitExceeded past the limit within a window", async function () {
      const { credits, alice } = await loadFixture(smallBreaker);
      await credits.connect(alice).mintExactCredits(alice.address, 900_000n, MaxUint256);
      expect(await credits.mintableCredits()).to.equal(100_000n);
      await expect(credits.connect(alice).mintExactCredits(alice.address, 100_001n, MaxUint256))
        .to.be.revertedWithCustomError(credits, "MintLimitExceeded")
        .withArgs(100_001n, 100_000n);
      await credits.connect(alice).mintExactCredits(alice.address, 100_000n, MaxUint256);
      expect(await credits.mintableCredits()).to.equal(0n);
    });

    it("still counts the previous bucket in the next one, so no window of its length exceeds the limit", async function () {
      const { credits, alice, start } = await loadFixture(smallBreaker);
      await time.setNextBlockTimestamp(start + 990n);
      await credits.connect(alice).mintExactCredits(alice.address, 1_000_000n, MaxUint256);
      // Eleven seconds later, a new bucket: a fixed window would allow 1,000,000 more at once.
      await time.setNextBlockTimestamp(start + 1_001n);
      await expect(credits.connect(alice).mintExactCredits(alice.address, 1n, MaxUint256))
        .to.be.revertedWithCustomError(credits, "MintLimitExceeded")
        .withArgs(1n, 0n);
      await time.increaseTo(start + 2_000n);
      expect(await credits.mintableCredits()).to.equal(1_000_000n);
    });

    it("carries what was minted recently across a change of parameters", async function () {
      const { credits, deployer, alice } = await loadFixture(smallBreaker);
      await credits.connect(alice).mintExactCredits(alice.address, 600_000n, MaxUint256);
      await credits.connect(deployer).setCircuitBreaker(1_000_000, 500);
      expect(await credits.mintableCredits()).to.equal(400_000n);
    });
  });

  describe("delegate", function () {
    it("moves credits into escrow for a registered router", async function () {
      const { credits, alice, router } = await loadFixture(approvedFixture);
      await credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n);
      const tx = credits.connect(alice).delegate(router.address, 20_000n);
      await expect(tx).to.emit(credits, "Delegated").withArgs(alice.address, router.address, 20_000n);
      await expect(tx)
        .to.emit(credits, "Transfer")
        .withArgs(alice.address, await credits.getAddress(), 20_000n);
      expect(await credits.balanceOf(alice.address)).to.equal(CREDITS_PER_TOKEN - 20_000n);
      expect(await credits.escrowOf(alice.address, router.address)).to.equal(20_000n);
      expect(await credits.totalSupply()).to.equal(CREDITS_PER_TOKEN);
    });

    it("reverts with RouterNotRegistered, InsufficientCredits or ZeroAmount", async function () {
      const { credits, alice, router, stranger } = await loadFixture(delegatedFixture);
      await expect(credits.connect(alice).delegate(stranger.address, 1n))
        .to.be.revertedWithCustomError(credits, "RouterNotRegistered")
        .withArgs(stranger.address);
      const balance = await credits.balanceOf(alice.address);
      await expect(credits.connect(alice).delegate(router.address, balance + 1n))
        .to.be.revertedWithCustomError(credits, "InsufficientCredits")
        .withArgs(alice.address, balance, balance + 1n);
      await expect(credits.connect(alice).delegate(router.address, 0n)).to.be.revertedWithCustomError(
        credits,
        "ZeroAmount",
      );
    });
  });

  describe("burnForUsage", function () {
    it("burns from the payer's escrow with the calling router", async function () {
      const { credits, alice, router } = await loadFixture(delegatedFixture);
      const supply = await credits.totalSupply();
      const tx = credits.connect(router).burnForUsage(alice.address, 300n, 1n);
      await expect(tx).to.emit(credits, "UsageBurned").withArgs(alice.address, router.address, 1n, 300n);
      await expect(tx)
        .to.emit(credits, "Transfer")
        .withArgs(await credits.getAddress(), ZeroAddress, 300n);
      expect(await credits.escrowOf(alice.address, router.address)).to.equal(1_000_000n - 300n);
      expect(await credits.creditsBurned()).to.equal(300n);
      expect(await credits.totalSupply()).to.equal(supply - 300n);
      expect(await credits.lastUsageId(alice.address, router.address)).to.equal(1n);
    });

    it("reverts with UsageIdAlreadyUsed for a replayed or older usage id", async function () {
      const { credits, alice, router } = await loadFixture(delegatedFixture);
      await credits.connect(router).burnForUsage(alice.address, 10n, 5n);
      await expect(credits.connect(router).burnForUsage(alice.address, 10n, 5n))
        .to.be.revertedWithCustomError(credits, "UsageIdAlreadyUsed")
        .withArgs(alice.address, router.address, 5n, 5n);
      await expect(credits.connect(router).burnForUsage(alice.address, 10n, 4n))
        .to.be.revertedWithCustomError(credits, "UsageIdAlreadyUsed")
        .withArgs(alice.address, router.address, 4n, 5n);
      await expect(credits.connect(router).burnForUsage(alice.address, 10n, 0n))
        .to.be.revertedWithCustomError(credits, "UsageIdAlreadyUsed")
        .withArgs(alice.address, router.address, 0n, 5n);
      expect(await credits.creditsBurned()).to.equal(10n);
    });

    it("reverts with InsufficientEscrow beyond the escrow the payer gave this router", async function () {
      const { credits, alice, bob, router, governance, stranger } = await loadFixture(delegatedFixture);
      await expect(credits.connect(router).burnForUsage(alice.address, 1_000_001n, 1n))
        .to.be.revertedWithCustomError(credits, "InsufficientEscrow")
        .withArgs(alice.address, router.address, 1_000_000n, 1_000_001n);
      // Bob gave the router nothing, and Alice's balance outside escrow is out of reach.
      await expect(credits.connect(router).burnForUsage(bob.address, 1n, 1n))
        .to.be.revertedWithCustomError(credits, "InsufficientEscrow")
        .withArgs(bob.address, router.address, 0n, 1n);
      // Another router cannot touch the escrow Alice gave the first one.
      await credits.connect(governance).registerRouter(stranger.address);
      await expect(credits.connect(stranger).burnForUsage(alice.address, 1n, 1n))
        .to.be.revertedWithCustomError(credits, "InsufficientEscrow")
        .withArgs(alice.address, stranger.address, 0n, 1n);
    });

    it("reverts with RouterNotRegistered for a caller that is not, or no longer, a router", async function () {
      const { credits, alice, router, governance, stranger } = await loadFixture(delegatedFixture);
      await expect(credits.connect(stranger).burnForUsage(alice.address, 1n, 1n))
        .to.be.revertedWithCustomError(credits, "RouterNotRegistered")
        .withArgs(stranger.address);
      await expect(credits.connect(governance).removeRouter(router.address))
        .to.emit(credits, "RouterRemoved")
        .withArgs(router.address);
      expect(await credits.isRouter(router.address)).to.equal(false);
      await expect(credits.connect(router).burnForUsage(alice.address, 1n, 1n))
        .to.be.revertedWithCustomError(credits, "RouterNotRegistered")
        .withArgs(router.address);
    });

    it("reverts with ZeroAmount for a zero burn", async function () {
      const { credits, alice, router } = await loadFixture(delegatedFixture);
      await expect(credits.connect(router).burnForUsage(alice.address, 0n, 1n)).to.be.revertedWithCustomError(
        credits,
        "ZeroAmount",
      );
    });
  });

  describe("undelegation", function () {
    it("returns the requested escrow after the notice, and the router can still burn during it", async function () {
      const { credits, alice, router } = await loadFixture(delegatedFixture);
      const before = await credits.balanceOf(alice.address);
      const requestedAt = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(requestedAt);
      await expect(credits.connect(alice).requestUndelegate(router.address, 600_000n))
        .to.emit(credits, "UndelegationRequested")
        .withArgs(alice.address, router.address, 600_000n, requestedAt + DAY);
      const pending = await credits.pendingUndelegation(alice.address, router.address);
      expect(pending.amount).to.equal(600_000n);
      expect(pending.unlockAt).to.equal(requestedAt + DAY);

      await credits.connect(router).burnForUsage(alice.address, 100_000n, 1n);
      await time.setNextBlockTimestamp(requestedAt + DAY - 1n);
      await expect(credits.connect(alice).completeUndelegate(router.address))
        .to.be.revertedWithCustomError(credits, "NoticeNotOver")
        .withArgs(requestedAt + DAY, requestedAt + DAY - 1n);

      const tx = credits.connect(alice).completeUndelegate(router.address);
      await expect(tx).to.emit(credits, "Undelegated").withArgs(alice.address, router.address, 600_000n);
      await expect(tx)
        .to.emit(credits, "Transfer")
        .withArgs(await credits.getAddress(), alice.address, 600_000n);
      expect(await credits.balanceOf(alice.address)).to.equal(before + 600_000n);
      expect(await credits.escrowOf(alice.address, router.address)).to.equal(300_000n);
      const cleared = await credits.pendingUndelegation(alice.address, router.address);
      expect(cleared.amount).to.equal(0n);
      expect(cleared.unlockAt).to.equal(0n);
    });

    it("returns only what the router left when it burned into the requested part", async function () {
      const { credits, alice, router } = await loadFixture(delegatedFixture);
      await credits.connect(alice).requestUndelegate(router.address, 1_000_000n);
      await credits.connect(router).burnForUsage(alice.address, 250_000n, 1n);
      await time.increase(DAY);
      await expect(credits.connect(alice).completeUndelegate(router.address))
        .to.emit(credits, "Undelegated")
        .withArgs(alice.address, router.address, 750_000n);
      expect(await credits.escrowOf(alice.address, router.address)).to.equal(0n);
    });

    it("works for a router that was removed", async function () {
      const { credits, alice, router, governance } = await loadFixture(delegatedFixture);
      await credits.connect(governance).removeRouter(router.address);
      await credits.connect(alice).requestUndelegate(router.address, 1_000_000n);
      await time.increase(DAY);
      await credits.connect(alice).completeUndelegate(router.address);
      expect(await credits.escrowOf(alice.address, router.address)).to.equal(0n);
    });

    it("reverts with InsufficientEscrow, ZeroAmount or NoUndelegationPending", async function () {
      const { credits, alice, router } = await loadFixture(delegatedFixture);
      await expect(credits.connect(alice).requestUndelegate(router.address, 1_000_001n))
        .to.be.revertedWithCustomError(credits, "InsufficientEscrow")
        .withArgs(alice.address, router.address, 1_000_000n, 1_000_001n);
      await expect(credits.connect(alice).requestUndelegate(router.address, 0n)).to.be.revertedWithCustomError(
        credits,
        "ZeroAmount",
      );
      await expect(credits.connect(alice).completeUndelegate(router.address))
        .to.be.revertedWithCustomError(credits, "NoUndelegationPending")
        .withArgs(alice.address, router.address);
    });

    it("applies a new notice period to later requests, with UndelegateNoticeSet", async function () {
      const { credits, alice, router, deployer } = await loadFixture(delegatedFixture);
      await expect(credits.connect(deployer).setUndelegateNotice(60))
        .to.emit(credits, "UndelegateNoticeSet")
        .withArgs(60n);
      await credits.connect(alice).requestUndelegate(router.address, 1n);
      await time.increase(60);
      await credits.connect(alice).completeUndelegate(router.address);
      expect(await credits.escrowOf(alice.address, router.address)).to.equal(999_999n);
    });
  });

  describe("burnFee", function () {
    it("burns the payer's spendable credits for the FEE_BURNER", async function () {
      const { credits, alice, feeBurner } = await loadFixture(delegatedFixture);
      const balance = await credits.balanceOf(alice.address);
      const reason = id("ONBOARD");
      const tx = credits.connect(feeBurner).burnFee(alice.address, 4_000_000n, reason);
      await expect(tx).to.emit(credits, "FeeBurned").withArgs(alice.address, 4_000_000n, reason);
      await expect(tx).to.emit(credits, "Transfer").withArgs(alice.address, ZeroAddress, 4_000_000n);
      expect(await credits.balanceOf(alice.address)).to.equal(balance - 4_000_000n);
      expect(await credits.creditsBurned()).to.equal(4_000_000n);
    });

    it("reverts with InsufficientCredits beyond the spendable balance (escrow is out of reach)", async function () {
      const { credits, alice, feeBurner } = await loadFixture(delegatedFixture);
      const balance = await credits.balanceOf(alice.address);
      await expect(credits.connect(feeBurner).burnFee(alice.address, balance + 1n, id("ASSERT")))
        .to.be.revertedWithCustomError(credits, "InsufficientCredits")
        .withArgs(alice.address, balance, balance + 1n);
    });
  });

  describe("routers", function () {
    it("registers with RouterRegistered and reverts with RouterAlreadyRegistered or RouterNotRegistered", async function () {
      const { credits, governance, router, stranger } = await loadFixture(deployCreditsFixture);
      await expect(credits.connect(governance).registerRouter(stranger.address))
        .to.emit(credits, "RouterRegistered")
        .withArgs(stranger.address);
      expect(await credits.isRouter(stranger.address)).to.equal(true);
      await expect(credits.connect(governance).registerRouter(router.address))
        .to.be.revertedWithCustomError(credits, "RouterAlreadyRegistered")
        .withArgs(router.address);
      await credits.connect(governance).removeRouter(stranger.address);
      await expect(credits.connect(governance).removeRouter(stranger.address))
        .to.be.revertedWithCustomError(credits, "RouterNotRegistered")
        .withArgs(stranger.address);
    });
  });

  describe("pause", function () {
    it("stops minting and delegation, not usage burns, fee burns or undelegation", async function () {
      const { credits, alice, router, guardian, feeBurner, deployer } = await loadFixture(delegatedFixture);
      await expect(credits.connect(guardian).pause()).to.emit(credits, "Paused").withArgs(guardian.address);
      expect(await credits.paused()).to.equal(true);
      await expect(
        credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n),
      ).to.be.revertedWithCustomError(credits, "EnforcedPause");
      await expect(
        credits.connect(alice).mintExactCredits(alice.address, 1n, MaxUint256),
      ).to.be.revertedWithCustomError(credits, "EnforcedPause");
      await expect(credits.connect(alice).delegate(router.address, 1n)).to.be.revertedWithCustomError(
        credits,
        "EnforcedPause",
      );
      await credits.connect(router).burnForUsage(alice.address, 1n, 1n);
      await credits.connect(feeBurner).burnFee(alice.address, 1n, id("ONBOARD"));
      await credits.connect(alice).requestUndelegate(router.address, 1n);
      await time.increase(DAY);
      await credits.connect(alice).completeUndelegate(router.address);
      expect(await credits.creditsBurned()).to.equal(2n);

      await expect(credits.connect(guardian).pause()).to.be.revertedWithCustomError(credits, "EnforcedPause");
      await expect(credits.connect(deployer).unpause()).to.emit(credits, "Unpaused").withArgs(deployer.address);
      await expect(credits.connect(deployer).unpause()).to.be.revertedWithCustomError(credits, "ExpectedPause");
      await credits.connect(alice).delegate(router.address, 1n);
    });

    it("keeps the flag in word 0 of its namespace, which every mint reads, not in OpenZeppelin's Pausable slot", async function () {
      const { credits, guardian } = await loadFixture(deployCreditsFixture);
      const proxy = await credits.getAddress();
      const word0 = async () => BigInt(await ethers.provider.getStorage(proxy, CREDITS_STORAGE_LOCATION));
      const before = await word0();
      await credits.connect(guardian).pause();
      // Word 0: priceFeed (160 bits), maxStaleness (32), feedDecimals (8), then `paused` at bit 200.
      expect((await word0()) ^ before).to.equal(1n << 200n);
      expect(await ethers.provider.getStorage(proxy, OZ_PAUSABLE_LOCATION)).to.equal(ZeroHash);
    });

    it("lets only ADMIN lift the pause, not the GUARDIAN", async function () {
      const { credits, guardian } = await loadFixture(deployCreditsFixture);
      await credits.connect(guardian).pause();
      await expect(credits.connect(guardian).unpause())
        .to.be.revertedWithCustomError(credits, "AccessManagedUnauthorized")
        .withArgs(guardian.address);
    });
  });

  describe("pause convention", function () {
    shouldBehaveLikePausable(async () => {
      const { credits, token, alice, bob, router, feeBurner, guardian, deployer, stranger } =
        await loadFixture(pendingUndelegationFixture);
      const spender = await credits.getAddress();
      let usageId = 100n;
      const permit = async (value: bigint) => {
        const deadline = BigInt(await time.latest()) + HOUR;
        return { deadline, sig: await signTokenPermit(token, bob, spender, value, deadline) };
      };
      return {
        target: credits,
        pauser: guardian,
        unpauser: deployer,
        stranger,
        stopped: [
          {
            name: "mintWithTokens",
            send: () => credits.connect(alice).mintWithTokens(alice.address, parseEther("1"), 0n),
          },
          {
            name: "mintExactCredits",
            send: () => credits.connect(alice).mintExactCredits(alice.address, 1_000n, MaxUint256),
          },
          {
            name: "mintWithTokensPermit",
            send: async () => {
              const { deadline, sig } = await permit(parseEther("1"));
              return credits
                .connect(bob)
                .mintWithTokensPermit(bob.address, parseEther("1"), 0n, deadline, sig.v, sig.r, sig.s);
            },
          },
          {
            name: "mintExactCreditsPermit",
            send: async () => {
              const { deadline, sig } = await permit(parseEther("1"));
              return credits
                .connect(bob)
                .mintExactCreditsPermit(bob.address, 1_000n, parseEther("1"), deadline, sig.v, sig.r, sig.s);
            },
          },
          { name: "delegate", send: () => credits.connect(alice).delegate(router.address, 1n) },
        ],
        unaffected: [
          { name: "burnForUsage", send: () => credits.connect(router).burnForUsage(alice.address, 1n, ++usageId) },
          { name: "burnFee", send: () => credits.connect(feeBurner).burnFee(alice.address, 1n, id("ONBOARD")) },
          { name: "completeUndelegate", send: () => credits.connect(alice).completeUndelegate(router.address) },
          { name: "requestUndelegate", send: () => credits.connect(alice).requestUndelegate(router.address, 1n) },
        ],
      };
    });
  });

  describe("governance setters", function () {
    it("sets maxStaleness with MaxStalenessSet and rejects 0", async function () {
      const { credits, deployer } = await loadFixture(deployCreditsFixture);
      await expect(credits.connect(deployer).setMaxStaleness(120)).to.emit(credits, "MaxStalenessSet").withArgs(120n);
      expect(await credits.maxStaleness()).to.equal(120n);
      await expect(credits.connect(deployer).setMaxStaleness(0))
        .to.be.revertedWithCustomError(credits, "InvalidMaxStaleness")
        .withArgs(0n);
    });

    it("waits for the execution delay that the authority gives governance (SUITE_ADMIN)", async function () {
      const { credits, manager, deployer, governance, feed } = await loadFixture(deployCreditsFixture);
      await manager.connect(deployer).grantRole(Roles.SUITE_ADMIN, governance.address, 3_600);
      const data = credits.interface.encodeFunctionData("setMaxStaleness", [600]);
      await expect(credits.connect(governance).setMaxStaleness(600))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled")
        .withArgs(await manager.hashOperation(governance.address, await credits.getAddress(), data));
      await manager.connect(governance).schedule(await credits.getAddress(), data, 0);
      await time.increase(3_600);
      await manager.connect(governance).execute(await credits.getAddress(), data);
      expect(await credits.maxStaleness()).to.equal(600n);
      expect(await credits.priceFeed()).to.equal(await feed.getAddress());
    });
  });

  describe("errors of the contracts it calls, decoded with DataCredits' ABI alone", function () {
    /** A dApp that holds DataCredits' ABI and nothing else. */
    const abi = DataCredits__factory.createInterface();

    /** The revert data of `call` (a static call that must revert), decoded with DataCredits' ABI only. */
    async function decodedRevert(call: Promise<unknown>): Promise<{ name: string; args: unknown[] }> {
      let data: string | undefined;
      try {
        await call;
      } catch (error) {
        data = revertDataOf(error);
      }
      expect(data, "the call reverted with data").to.be.a("string");
      const decoded = abi.parseError(data!);
      expect(decoded, `DataCredits' ABI decodes ${data!.slice(0, 10)}`).to.not.equal(null);
      return { name: decoded!.name, args: [...decoded!.args] };
    }

    it("decodes the token's ERC20InsufficientAllowance from a mint without an approval", async function () {
      const { credits, token, carol, treasury } = await loadFixture(deployCreditsFixture);
      await token.connect(treasury).transfer(carol.address, parseEther("1"));
      const spender = await credits.getAddress();
      expect(
        await decodedRevert(credits.connect(carol).mintWithTokens.staticCall(carol.address, parseEther("1"), 0n)),
      ).to.deep.equal({ name: "ERC20InsufficientAllowance", args: [spender, 0n, parseEther("1")] });
      await expect(credits.connect(carol).mintWithTokens(carol.address, parseEther("1"), 0n))
        .to.be.revertedWithCustomError(credits, "ERC20InsufficientAllowance")
        .withArgs(spender, 0n, parseEther("1"));
      expect(await credits.balanceOf(carol.address)).to.equal(0n);
      expect(await token.balanceOf(carol.address)).to.equal(parseEther("1"));
    });

    it("decodes ERC20InsufficientAllowance when a front-run permit was swallowed and its allowance is spent", async function () {
      const { credits, token, alice, stranger } = await loadFixture(deployCreditsFixture);
      const spender = await credits.getAddress();
      const deadline = BigInt(await time.latest()) + HOUR;
      const sig = await signTokenPermit(token, alice, spender, parseEther("2"), deadline);
      // A front-runner submits the permit; Alice's mint ignores the used permit and spends the allowance.
      await token.connect(stranger).permit(alice.address, spender, parseEther("2"), deadline, sig.v, sig.r, sig.s);
      const mint = () =>
        credits.connect(alice).mintWithTokensPermit(alice.address, parseEther("2"), 0n, deadline, sig.v, sig.r, sig.s);
      await mint();
      // Her wallet sends the same mint again: the permit is swallowed once more, and the allowance is short.
      await expect(mint())
        .to.be.revertedWithCustomError(credits, "ERC20InsufficientAllowance")
        .withArgs(spender, 0n, parseEther("2"));
      expect(await credits.balanceOf(alice.address)).to.equal(2n * CREDITS_PER_TOKEN);
      expect(await token.balanceOf(alice.address)).to.equal(BUYER_TOKENS - parseEther("2"));
    });

    it("decodes ERC20InsufficientAllowance from mintExactCreditsPermit with an expired permit", async function () {
      const { credits, token, alice } = await loadFixture(deployCreditsFixture);
      const spender = await credits.getAddress();
      const deadline = BigInt(await time.latest()) - 1n;
      const sig = await signTokenPermit(token, alice, spender, parseEther("5"), deadline);
      const call = credits
        .connect(alice)
        .mintExactCreditsPermit.staticCall(
          alice.address,
          CREDITS_PER_TOKEN,
          parseEther("5"),
          deadline,
          sig.v,
          sig.r,
          sig.s,
        );
      expect(await decodedRevert(call)).to.deep.equal({
        name: "ERC20InsufficientAllowance",
        args: [spender, 0n, parseEther("1")],
      });
    });

    it("decodes the token's ERC20InsufficientBalance from a mint of more tokens than the buyer holds", async function () {
      const { credits, token, alice } = await loadFixture(approvedFixture);
      const amount = BUYER_TOKENS + 1n;
      expect(
        await decodedRevert(credits.connect(alice).mintWithTokens.staticCall(alice.address, amount, 0n)),
      ).to.deep.equal({ name: "ERC20InsufficientBalance", args: [alice.address, BUYER_TOKENS, amount] });
      await expect(credits.connect(alice).mintWithTokens(alice.address, amount, 0n))
        .to.be.revertedWithCustomError(credits, "ERC20InsufficientBalance")
        .withArgs(alice.address, BUYER_TOKENS, amount);
      expect(await token.balanceOf(alice.address)).to.equal(BUYER_TOKENS);
      expect(await credits.creditsMinted()).to.equal(0n);
    });

    it("decodes the AccessManager's scheduling errors that a delayed admin's direct call passes on", async function () {
      const { credits, manager, deployer, governance } = await loadFixture(deployCreditsFixture);
      await manager.connect(deployer).grantRole(Roles.SUITE_ADMIN, governance.address, 3_600);
      const target = await credits.getAddress();
      const data = credits.interface.encodeFunctionData("setMaxStaleness", [600]);
      const operationId = await manager.hashOperation(governance.address, target, data);
      const call = () => credits.connect(governance).setMaxStaleness(600);
      await expect(call()).to.be.revertedWithCustomError(credits, "AccessManagerNotScheduled").withArgs(operationId);
      await manager.connect(governance).schedule(target, data, 0);
      await expect(call()).to.be.revertedWithCustomError(credits, "AccessManagerNotReady").withArgs(operationId);
      await time.increase(3_600n + (await manager.expiration()));
      await expect(call()).to.be.revertedWithCustomError(credits, "AccessManagerExpired").withArgs(operationId);
      expect(await credits.maxStaleness()).to.equal(HOUR);
    });
  });

  describe("upgrades", function () {
    it("keeps balances, escrow, totals and parameters across an upgrade by the UPGRADER", async function () {
      const { credits, alice, router, upgrader } = await loadFixture(delegatedFixture);
      await credits.connect(router).burnForUsage(alice.address, 77n, 3n);
      const before = {
        balance: await credits.balanceOf(alice.address),
        escrow: await credits.escrowOf(alice.address, router.address),
        minted: await credits.creditsMinted(),
        burned: await credits.creditsBurned(),
        tokens: await credits.tokensBurned(),
        supply: await credits.totalSupply(),
        feed: await credits.priceFeed(),
        breaker: await credits.circuitBreaker(),
      };
      const v2 = await new CreditsMockDataCreditsV2__factory(upgrader).deploy();
      await credits.connect(upgrader).upgradeToAndCall(await v2.getAddress(), "0x");
      const upgraded = CreditsMockDataCreditsV2__factory.connect(await credits.getAddress(), alice);
      expect(await upgraded.upgradedVersion()).to.equal(2n);
      expect(await upgraded.balanceOf(alice.address)).to.equal(before.balance);
      expect(await upgraded.escrowOf(alice.address, router.address)).to.equal(before.escrow);
      expect(await upgraded.creditsMinted()).to.equal(before.minted);
      expect(await upgraded.creditsBurned()).to.equal(before.burned);
      expect(await upgraded.tokensBurned()).to.equal(before.tokens);
      expect(await upgraded.totalSupply()).to.equal(before.supply);
      expect(await upgraded.priceFeed()).to.equal(before.feed);
      expect(await upgraded.circuitBreaker()).to.deep.equal(before.breaker);
      expect(await upgraded.lastUsageId(alice.address, router.address)).to.equal(3n);
    });

    it("passes the upgrades plugin's storage-layout validation", async function () {
      const { deployer } = await loadFixture(deployCreditsFixture);
      await upgrades.validateUpgrade(
        new DataCredits__factory(deployer),
        new CreditsMockDataCreditsV2__factory(deployer),
        { kind: "uups" },
      );
    });

    it("reverts with AccessManagedUnauthorized for an upgrade by anyone else", async function () {
      const { credits, stranger } = await loadFixture(deployCreditsFixture);
      const v2 = await new CreditsMockDataCreditsV2__factory(stranger).deploy();
      await expect(credits.connect(stranger).upgradeToAndCall(await v2.getAddress(), "0x"))
        .to.be.revertedWithCustomError(credits, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
    });
  });

  shouldBehaveLikeRestricted(async () => {
    const { manager, credits, feed, stranger, alice } = await loadFixture(deployCreditsFixture);
    return {
      manager,
      target: credits,
      table: DATA_CREDITS_ROLES,
      calls: [
        { signature: "setPriceFeed(address)", args: [await feed.getAddress()] },
        { signature: "setMaxStaleness(uint32)", args: [60] },
        { signature: "setSequencerUptimeFeed(address,uint32)", args: [ZeroAddress, 0] },
        { signature: "setCircuitBreaker(uint48,uint32)", args: [1, 1] },
        { signature: "setUndelegateNotice(uint32)", args: [1] },
        { signature: "unpause()", args: [] },
        { signature: "pause()", args: [] },
        { signature: "registerRouter(address)", args: [stranger.address] },
        { signature: "removeRouter(address)", args: [stranger.address] },
        { signature: "burnFee(address,uint256,bytes32)", args: [alice.address, 0n, id("ONBOARD")] },
        { signature: "upgradeToAndCall(address,bytes)", args: [await feed.getAddress(), "0x"] },
      ],
      publicFunctions: [
        "transfer(address,uint256)",
        "transferFrom(address,address,uint256)",
        "approve(address,uint256)",
        "mintWithTokens(address,uint256,uint256)",
        "mintWithTokensPermit(address,uint256,uint256,uint256,uint8,bytes32,bytes32)",
        "mintExactCredits(address,uint256,uint256)",
        "mintExactCreditsPermit(address,uint256,uint256,uint256,uint8,bytes32,bytes32)",
        "delegate(address,uint256)",
        "requestUndelegate(address,uint256)",
        "completeUndelegate(address)",
        "burnForUsage(address,uint256,uint64)",
        "initialize(address,address,(address,uint32,address,uint32,uint48,uint32,uint32))",
      ],
      stranger,
    };
  });
});
