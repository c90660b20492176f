import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { MaxUint256, id } from "ethers";
import fc from "fast-check";
import { ethers } from "hardhat";

import type { DataCredits } from "../../typechain-types";
import { INITIAL_PRICE, deployCreditsWithMockFeedFixture } from "../fixtures/credits";

const SEED = 0x0dc0ffee;
const UINT48_MAX = 2n ** 48n - 1n;
const UINT32_MAX = 2n ** 32n - 1n;

/** The bigint reference of the spec: floor(tokens × (answer / 10^d) USD / $0.00001), with 18-decimal tokens. */
function referenceCredits(tokens: bigint, answer: bigint, decimals: bigint): bigint {
  return (tokens * answer * 10n ** 5n) / (10n ** 18n * 10n ** decimals);
}

/** The mock-feed fixture with a breaker that stays out of the way and a price that never goes stale. */
async function propertyFixture() {
  const f = await deployCreditsWithMockFeedFixture();
  await f.credits.connect(f.deployer).setCircuitBreaker(UINT48_MAX, 86_400);
  await f.credits.connect(f.deployer).setMaxStaleness(UINT32_MAX);
  await f.token.connect(f.alice).approve(await f.credits.getAddress(), MaxUint256);
  await f.token.connect(f.bob).approve(await f.credits.getAddress(), MaxUint256);
  return f;
}

describe("DataCredits properties", function () {
  describe("mintWithTokens", function () {
    it("mints floor(tokens × price / $0.00001) credits for random amounts, prices and decimals", async function () {
      const { credits, token, mockFeed, deployer, alice } = await loadFixture(propertyFixture);
      const feedAddress = await mockFeed.getAddress();
      const price = fc.integer({ min: 0, max: 36 }).chain((d) =>
        fc.tuple(
          fc.constant(BigInt(d)),
          fc.oneof(
            // $0.0001 to $10,000 per token, the realistic range.
            fc.bigInt({ min: 10n ** BigInt(d) / 10_000n + 1n, max: 10n ** BigInt(d + 4) }),
            // Anything positive up to 2^128, to reach the rounding edges and the breaker.
            fc.bigInt({ min: 1n, max: 2n ** 128n }),
          ),
        ),
      );
      const tokens = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 21n }), fc.bigInt({ min: 0n, max: 10n ** 6n }));
      await fc.assert(
        fc.asyncProperty(price, tokens, async ([decimals, answer], amount) => {
          await mockFeed.setDecimals(decimals);
          await credits.connect(deployer).setPriceFeed(feedAddress);
          await mockFeed.setAnswer(answer);
          const expected = referenceCredits(amount, answer, decimals);
          const available = await credits.mintableCredits();
          const [creditsBefore, tokensBefore, burnedBefore] = await Promise.all([
            credits.balanceOf(alice.address),
            token.balanceOf(alice.address),
            credits.tokensBurned(),
          ]);
          const mint = credits.connect(alice).mintWithTokens(alice.address, amount, expected);
          if (expected === 0n) {
            await expect(mint).to.be.revertedWithCustomError(credits, "ZeroCredits").withArgs(amount);
          } else if (expected > available) {
            await expect(mint)
              .to.be.revertedWithCustomError(credits, "MintLimitExceeded")
              .withArgs(expected, available);
          } else {
            await expect(mint)
              .to.emit(credits, "CreditsMinted")
              .withArgs(alice.address, alice.address, amount, expected, answer);
            expect(await credits.balanceOf(alice.address)).to.equal(creditsBefore + expected);
            expect(await token.balanceOf(alice.address)).to.equal(tokensBefore - amount);
            expect(await credits.tokensBurned()).to.equal(burnedBefore + amount);
          }
        }),
        { numRuns: 40, seed: SEED },
      );
    });
  });

  describe("mintExactCredits", function () {
    it("burns the fewest tokens that buy the credits at the price (ceil), for random decimals", async function () {
      const { credits, token, mockFeed, deployer, bob } = await loadFixture(propertyFixture);
      const feedAddress = await mockFeed.getAddress();
      const input = fc.integer({ min: 0, max: 36 }).chain((d) =>
        fc.tuple(
          fc.constant(BigInt(d)),
          // $0.01 to $1,000 per token, and 1 to 10,000,000 credits ($100): at most 10,000 tokens.
          fc.bigInt({ min: 10n ** BigInt(d) / 100n + 1n, max: 10n ** BigInt(d + 3) }),
          fc.bigInt({ min: 1n, max: 10_000_000n }),
        ),
      );
      await fc.assert(
        fc.asyncProperty(input, async ([decimals, answer, want]) => {
          await mockFeed.setDecimals(decimals);
          await credits.connect(deployer).setPriceFeed(feedAddress);
          await mockFeed.setAnswer(answer);
          const unit = 10n ** (13n + decimals);
          const tokens = (want * unit + answer - 1n) / answer;
          const [creditsBefore, tokensBefore] = await Promise.all([
            credits.balanceOf(bob.address),
            token.balanceOf(bob.address),
          ]);
          await expect(credits.connect(bob).mintExactCredits(bob.address, want, tokens))
            .to.emit(credits, "CreditsMinted")
            .withArgs(bob.address, bob.address, tokens, want, answer);
          expect(await credits.balanceOf(bob.address)).to.equal(creditsBefore + want);
          expect(await token.balanceOf(bob.address)).to.equal(tokensBefore - tokens);
          // The tokens buy at least the credits, and one wei less would not.
          expect(referenceCredits(tokens, answer, decimals) >= want).to.equal(true);
          expect(referenceCredits(tokens - 1n, answer, decimals) < want).to.equal(true);
        }),
        { numRuns: 30, seed: SEED },
      );
    });
  });

  describe("circuit breaker", function () {
    const WINDOW = 1_000n;
    const MAX = 1_000_000n;

    async function breakerFixture() {
      const f = await propertyFixture();
      await f.credits.connect(f.deployer).setCircuitBreaker(MAX, Number(WINDOW));
      await f.mockFeed.setDecimals(8);
      await f.credits.connect(f.deployer).setPriceFeed(await f.mockFeed.getAddress());
      await f.mockFeed.setAnswer(INITIAL_PRICE);
      return f;
    }

    it("never lets any interval of mintWindow seconds see more than maxMintPerWindow credits", async function () {
      const steps = fc.array(
        fc.record({ gap: fc.integer({ min: 1, max: 700 }), credits: fc.bigInt({ min: 1n, max: 700_000n }) }),
        { minLength: 1, maxLength: 10 },
      );
      await fc.assert(
        fc.asyncProperty(steps, async (plan) => {
          const { credits, alice } = await loadFixture(breakerFixture);
          const minted: { at: bigint; credits: bigint }[] = [];
          // The two-bucket model of the contract, to check that it refuses exactly what it documents.
          let bucket = -1n;
          let prev = 0n;
          let current = 0n;
          for (const step of plan) {
            await time.increase(step.gap);
            const at = BigInt(await time.latest()) + 1n;
            await time.setNextBlockTimestamp(at);
            const b = at / WINDOW;
            if (b === bucket + 1n) [prev, current] = [current, 0n];
            else if (b !== bucket) [prev, current] = [0n, 0n];
            bucket = b;
            const available = prev + current >= MAX ? 0n : MAX - prev - current;
            const mint = credits.connect(alice).mintExactCredits(alice.address, step.credits, MaxUint256);
            if (step.credits > available) {
              await expect(mint)
                .to.be.revertedWithCustomError(credits, "MintLimitExceeded")
                .withArgs(step.credits, available);
            } else {
              await mint;
              current += step.credits;
              minted.push({ at, credits: step.credits });
            }
          }
          for (const start of minted) {
            const inWindow = minted
              .filter((m) => m.at >= start.at && m.at < start.at + WINDOW)
              .reduce((sum, m) => sum + m.credits, 0n);
            expect(inWindow <= MAX, `window from ${start.at} holds ${inWindow}`).to.equal(true);
          }
        }),
        { numRuns: 12, seed: SEED },
      );
    });
  });

  describe("accounts (stateful)", function () {
    const NOTICE = 100n;
    const PRICE_UNIT = 10n ** 21n; // 10^(13 + 8)

    interface Model {
      balances: bigint[];
      escrow: bigint[][];
      lastUsage: bigint[][];
      pending: { amount: bigint; unlockAt: bigint }[][];
      minted: bigint;
      burned: bigint;
      tokensBurned: bigint;
    }

    interface Real {
      credits: DataCredits;
      payers: Awaited<ReturnType<typeof ethers.getSigners>>;
      buyers: Awaited<ReturnType<typeof ethers.getSigners>>;
      routers: Awaited<ReturnType<typeof ethers.getSigners>>;
      feeBurner: Awaited<ReturnType<typeof ethers.getSigners>>[number];
      checkTokens: (tokensBurned: bigint) => Promise<void>;
    }

    type Command = fc.AsyncCommand<Model, Real>;

    async function checkAll(m: Model, r: Real) {
      const { credits } = r;
      let held = 0n;
      let escrowed = 0n;
      for (let p = 0; p < r.payers.length; p++) {
        expect(await credits.balanceOf(r.payers[p].address), `balance of payer ${p}`).to.equal(m.balances[p]);
        held += m.balances[p];
        for (let k = 0; k < r.routers.length; k++) {
          expect(await credits.escrowOf(r.payers[p].address, r.routers[k].address)).to.equal(m.escrow[p][k]);
          escrowed += m.escrow[p][k];
        }
      }
      expect(await credits.balanceOf(await credits.getAddress())).to.equal(escrowed);
      expect(await credits.totalSupply()).to.equal(held + escrowed);
      expect(await credits.totalSupply()).to.equal(m.minted - m.burned);
      expect(await credits.creditsMinted()).to.equal(m.minted);
      expect(await credits.creditsBurned()).to.equal(m.burned);
      expect(await credits.tokensBurned()).to.equal(m.tokensBurned);
      await r.checkTokens(m.tokensBurned);
    }

    class Mint implements Command {
      constructor(
        readonly buyer: number,
        readonly to: number,
        readonly tokens: bigint,
      ) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const credits = (this.tokens * INITIAL_PRICE) / PRICE_UNIT;
        const tx = r.credits.connect(r.buyers[this.buyer]).mintWithTokens(r.payers[this.to].address, this.tokens, 0n);
        if (credits === 0n) {
          await expect(tx).to.be.revertedWithCustomError(r.credits, "ZeroCredits").withArgs(this.tokens);
        } else {
          await tx;
          m.balances[this.to] += credits;
          m.minted += credits;
          m.tokensBurned += this.tokens;
        }
        await checkAll(m, r);
      }
      toString = () => `mint(${this.buyer} → ${this.to}, ${this.tokens})`;
    }

    class Delegate implements Command {
      constructor(
        readonly payer: number,
        readonly router: number,
        readonly amount: bigint,
      ) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const tx = r.credits.connect(r.payers[this.payer]).delegate(r.routers[this.router].address, this.amount);
        if (this.amount === 0n) await expect(tx).to.be.revertedWithCustomError(r.credits, "ZeroAmount");
        else if (this.amount > m.balances[this.payer]) {
          await expect(tx)
            .to.be.revertedWithCustomError(r.credits, "InsufficientCredits")
            .withArgs(r.payers[this.payer].address, m.balances[this.payer], this.amount);
        } else {
          await tx;
          m.balances[this.payer] -= this.amount;
          m.escrow[this.payer][this.router] += this.amount;
        }
        await checkAll(m, r);
      }
      toString = () => `delegate(${this.payer} → ${this.router}, ${this.amount})`;
    }

    class BurnForUsage implements Command {
      constructor(
        readonly router: number,
        readonly payer: number,
        readonly amount: bigint,
        readonly idStep: bigint,
      ) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const last = m.lastUsage[this.payer][this.router];
        // idStep 0 replays the last id, 1 uses an older id when there is one, more moves forward.
        const usageId = this.idStep === 0n ? last : this.idStep === 1n && last > 0n ? last - 1n : last + this.idStep;
        const payer = r.payers[this.payer].address;
        const router = r.routers[this.router];
        const tx = r.credits.connect(router).burnForUsage(payer, this.amount, usageId);
        const escrow = m.escrow[this.payer][this.router];
        if (this.amount === 0n) await expect(tx).to.be.revertedWithCustomError(r.credits, "ZeroAmount");
        else if (usageId <= last) {
          await expect(tx)
            .to.be.revertedWithCustomError(r.credits, "UsageIdAlreadyUsed")
            .withArgs(payer, router.address, usageId, last);
        } else if (this.amount > escrow) {
          await expect(tx)
            .to.be.revertedWithCustomError(r.credits, "InsufficientEscrow")
            .withArgs(payer, router.address, escrow, this.amount);
        } else {
          await tx;
          m.escrow[this.payer][this.router] -= this.amount;
          m.lastUsage[this.payer][this.router] = usageId;
          m.burned += this.amount;
        }
        await checkAll(m, r);
      }
      toString = () => `burnForUsage(${this.router} on ${this.payer}, ${this.amount}, +${this.idStep})`;
    }

    class RequestUndelegate implements Command {
      constructor(
        readonly payer: number,
        readonly router: number,
        readonly amount: bigint,
      ) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const tx = r.credits
          .connect(r.payers[this.payer])
          .requestUndelegate(r.routers[this.router].address, this.amount);
        if (this.amount === 0n) await expect(tx).to.be.revertedWithCustomError(r.credits, "ZeroAmount");
        else if (this.amount > m.escrow[this.payer][this.router]) {
          await expect(tx).to.be.revertedWithCustomError(r.credits, "InsufficientEscrow");
        } else {
          const receipt = await (await tx).wait();
          const block = await ethers.provider.getBlock(receipt!.blockNumber);
          m.pending[this.payer][this.router] = { amount: this.amount, unlockAt: BigInt(block!.timestamp) + NOTICE };
        }
        await checkAll(m, r);
      }
      toString = () => `requestUndelegate(${this.payer} from ${this.router}, ${this.amount})`;
    }

    class CompleteUndelegate implements Command {
      constructor(
        readonly payer: number,
        readonly router: number,
        readonly wait: boolean,
      ) {}
      check = () => true;
      async run(m: Model, r: Real) {
        if (this.wait) await time.increase(NOTICE);
        const at = BigInt(await time.latest()) + 1n;
        await time.setNextBlockTimestamp(at);
        const pending = m.pending[this.payer][this.router];
        const payer = r.payers[this.payer].address;
        const tx = r.credits.connect(r.payers[this.payer]).completeUndelegate(r.routers[this.router].address);
        if (pending.unlockAt === 0n) {
          await expect(tx)
            .to.be.revertedWithCustomError(r.credits, "NoUndelegationPending")
            .withArgs(payer, r.routers[this.router].address);
        } else if (at < pending.unlockAt) {
          await expect(tx).to.be.revertedWithCustomError(r.credits, "NoticeNotOver").withArgs(pending.unlockAt, at);
        } else {
          const escrow = m.escrow[this.payer][this.router];
          const amount = pending.amount < escrow ? pending.amount : escrow;
          await expect(tx).to.emit(r.credits, "Undelegated").withArgs(payer, r.routers[this.router].address, amount);
          m.escrow[this.payer][this.router] -= amount;
          m.balances[this.payer] += amount;
          m.pending[this.payer][this.router] = { amount: 0n, unlockAt: 0n };
        }
        await checkAll(m, r);
      }
      toString = () => `completeUndelegate(${this.payer} from ${this.router}${this.wait ? ", after the notice" : ""})`;
    }

    class BurnFee implements Command {
      constructor(
        readonly payer: number,
        readonly amount: bigint,
      ) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const payer = r.payers[this.payer].address;
        const tx = r.credits.connect(r.feeBurner).burnFee(payer, this.amount, id("ONBOARD"));
        if (this.amount > m.balances[this.payer]) {
          await expect(tx)
            .to.be.revertedWithCustomError(r.credits, "InsufficientCredits")
            .withArgs(payer, m.balances[this.payer], this.amount);
        } else {
          await tx;
          m.balances[this.payer] -= this.amount;
          m.burned += this.amount;
        }
        await checkAll(m, r);
      }
      toString = () => `burnFee(${this.payer}, ${this.amount})`;
    }

    class TryToMove implements Command {
      constructor(
        readonly from: number,
        readonly to: number,
        readonly amount: bigint,
      ) {}
      check = () => true;
      async run(m: Model, r: Real) {
        const from = r.payers[this.from];
        const to = r.payers[this.to].address;
        await expect(r.credits.connect(from).transfer(to, this.amount)).to.be.revertedWithCustomError(
          r.credits,
          "CreditsNonTransferable",
        );
        await expect(r.credits.connect(from).approve(to, this.amount)).to.be.revertedWithCustomError(
          r.credits,
          "CreditsNonTransferable",
        );
        await expect(
          r.credits.connect(r.payers[this.to]).transferFrom(from.address, to, this.amount),
        ).to.be.revertedWithCustomError(r.credits, "CreditsNonTransferable");
        await checkAll(m, r);
      }
      toString = () => `tryToMove(${this.from} → ${this.to}, ${this.amount})`;
    }

    async function statefulFixture() {
      const f = await propertyFixture();
      const signers = await ethers.getSigners();
      const secondRouter = signers[13];
      await f.credits.connect(f.governance).registerRouter(secondRouter.address);
      await f.credits.connect(f.deployer).setUndelegateNotice(Number(NOTICE));
      await f.mockFeed.setDecimals(8);
      await f.credits.connect(f.deployer).setPriceFeed(await f.mockFeed.getAddress());
      await f.mockFeed.setAnswer(INITIAL_PRICE);
      return { ...f, secondRouter };
    }

    it("keeps every credit where the rules put it: no move between accounts, no way back to tokens", async function () {
      const payer = fc.integer({ min: 0, max: 2 });
      const router = fc.integer({ min: 0, max: 1 });
      const buyer = fc.integer({ min: 0, max: 1 });
      const credits = fc.oneof(fc.bigInt({ min: 0n, max: 60_000n }), fc.bigInt({ min: 0n, max: 200n }));
      const commands = [
        fc.tuple(buyer, payer, fc.bigInt({ min: 0n, max: 10n ** 18n })).map(([b, t, n]) => new Mint(b, t, n)),
        fc.tuple(payer, router, credits).map(([p, k, a]) => new Delegate(p, k, a)),
        fc
          .tuple(router, payer, credits, fc.bigInt({ min: 0n, max: 3n }))
          .map(([k, p, a, s]) => new BurnForUsage(k, p, a, s)),
        fc.tuple(payer, router, credits).map(([p, k, a]) => new RequestUndelegate(p, k, a)),
        fc.tuple(payer, router, fc.boolean()).map(([p, k, w]) => new CompleteUndelegate(p, k, w)),
        fc.tuple(payer, credits).map(([p, a]) => new BurnFee(p, a)),
        fc.tuple(payer, payer, credits).map(([a, b, n]) => new TryToMove(a, b, n)),
      ];
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 18 }), async (cmds) => {
          const f = await loadFixture(statefulFixture);
          const supplyBefore = await f.token.totalSupply();
          const creditsAddress = await f.credits.getAddress();
          const real: Real = {
            credits: f.credits,
            payers: [f.alice, f.bob, f.carol],
            buyers: [f.alice, f.bob],
            routers: [f.router, f.secondRouter],
            feeBurner: f.feeBurner,
            checkTokens: async (tokensBurned) => {
              expect(await f.token.totalSupply()).to.equal(supplyBefore - tokensBurned);
              expect(await f.token.balanceOf(creditsAddress)).to.equal(0n);
            },
          };
          const zeros = () => [
            [0n, 0n],
            [0n, 0n],
            [0n, 0n],
          ];
          const model: Model = {
            balances: [0n, 0n, 0n],
            escrow: zeros(),
            lastUsage: zeros(),
            pending: [0, 1, 2].map(() => [0, 1].map(() => ({ amount: 0n, unlockAt: 0n }))),
            minted: 0n,
            burned: 0n,
            tokensBurned: 0n,
          };
          await fc.asyncModelRun(() => ({ model, real }), cmds);
        }),
        { numRuns: 12, seed: SEED },
      );
    });
  });
});
