/**
 * The ring of 64 roots under vetoes and catch-ups longer than the ring. An outside review found that a
 * veto left the vetoed roots in slots that three readers took for the older epochs those slots held
 * before: the search behind `latestClaimable()`, `veto`'s pending check and `_accept`'s retry check.
 * Each record now names its epoch. The four deterministic cases below are the review's (a)–(d); the
 * stateful model after them checks the ring's promises after every step of random catch-ups, vetoes at
 * any position, time warps and claims, with every block's time set explicitly.
 */
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { parseEther, type Signer } from "ethers";
import fc from "fast-check";

import type { RewardsDistributor } from "../../typechain-types";
import { buildRewardsTree, proofFor, type RewardsTree } from "../fixtures/rewards-tree";
import { deployRewardsFixture } from "../fixtures/rewards";
import { fuzzRuns, fuzzSeed, underCoverage } from "../helpers/fuzz";
import { EPOCH, WINDOW, inputHashOf } from "./helpers";

const RING = 64n;

/** The root the oracles post for `epoch` in posting round `round`: alice's amount grows by epoch, bob's by round. */
function treeFor(alice: string, bob: string, epoch: bigint, round: bigint): { tree: RewardsTree; total: bigint } {
  const amounts = [parseEther("1") * (epoch + 1n), round + 1n];
  const tree = buildRewardsTree([
    { account: alice, cumulativeAmount: amounts[0] },
    { account: bob, cumulativeAmount: amounts[1] },
  ]);
  return { tree, total: amounts[0] + amounts[1] };
}

/** The fixture with every epoch up to 1,200 ended, so that the model never waits for an epoch to end. */
async function ringFixture() {
  const f = await deployRewardsFixture();
  await time.increaseTo(f.genesis + 1_201n * EPOCH);
  return f;
}

type Fixture = Awaited<ReturnType<typeof ringFixture>>;

/** Posts epochs `from..to` (inclusive) with round-0 trees; returns the trees by epoch. */
async function postRange(f: Fixture, from: bigint, to: bigint, round = 0n): Promise<Map<bigint, RewardsTree>> {
  const trees = new Map<bigint, RewardsTree>();
  for (let epoch = from; epoch <= to; epoch++) {
    const { tree, total } = treeFor(f.alice.address, f.bob.address, epoch, round);
    await (await f.distributor.connect(f.oracles[0]).postRoot(epoch, tree.root, total, inputHashOf(epoch), "")).wait();
    trees.set(epoch, tree);
  }
  return trees;
}

/** Roots 0..lastClaimable posted and claimable (64 at a time, as the ring allows). */
async function claimableThrough(f: Fixture, lastClaimable: bigint): Promise<Map<bigint, RewardsTree>> {
  const trees = new Map<bigint, RewardsTree>();
  for (let from = 0n; from <= lastClaimable; from += RING) {
    const to = from + RING - 1n < lastClaimable ? from + RING - 1n : lastClaimable;
    for (const [e, t] of await postRange(f, from, to)) trees.set(e, t);
    await time.increase(WINDOW);
  }
  return trees;
}

async function claimAlice(distributor: RewardsDistributor, alice: string, epoch: bigint, tree: RewardsTree) {
  const { cumulativeAmount, proof } = proofFor(tree, alice);
  expect(cumulativeAmount).to.equal(parseEther("1") * (epoch + 1n));
  return distributor.claim(alice, cumulativeAmount, proof);
}

describe("RewardsDistributor", function () {
  describe("the ring after a veto", function () {
    it("(a) keeps a root in its window unclaimable after a veto in a catch-up longer than the ring", async function () {
      const f = await loadFixture(ringFixture);
      const { distributor, lens, guardian, alice } = f;
      const early = await claimableThrough(f, 69n);
      const late = await postRange(f, 70n, 132n);
      await expect(distributor.connect(guardian).veto(72)).to.emit(distributor, "RootVetoed");
      expect(await lens.nextEpoch()).to.equal(72n);

      // Epoch 69 is the latest claimable root; 70 and 71 are still in their window.
      const root69 = early.get(69n)!;
      const [exists, epoch, root] = await lens.latestClaimable();
      expect([exists, epoch, root]).to.deep.equal([true, 69n, root69.root]);
      // A claim against root 71 (still in its window) is refused; one against 69 pays.
      const { cumulativeAmount, proof } = proofFor(late.get(71n)!, alice.address);
      await expect(distributor.claim(alice.address, cumulativeAmount, proof))
        .to.be.revertedWithCustomError(distributor, "InvalidProof")
        .withArgs(alice.address, cumulativeAmount);
      await expect(claimAlice(distributor, alice.address, 69n, root69))
        .to.emit(distributor, "Claimed")
        .withArgs(alice.address, alice.address, parseEther("70"), parseEther("70"));
      // The guardian can still veto 71 in its window.
      await expect(distributor.connect(guardian).veto(71))
        .to.emit(distributor, "RootVetoed")
        .withArgs(71n, late.get(71n)!.root);
      expect((await lens.latestClaimable())[1]).to.equal(69n);
      // Slots that held 8..68 before the catch-up read as superseded, not as the vetoed roots.
      expect(await lens.rootOf(10)).to.deep.equal([`0x${"0".repeat(64)}`, 0n, 0n]);
    });

    it("(b) keeps the claimable roots claimable after a veto inside a 63-root catch-up", async function () {
      const f = await loadFixture(ringFixture);
      const { distributor, lens, guardian, alice } = f;
      const early = await claimableThrough(f, 39n);
      await postRange(f, 40n, 102n);
      await (await distributor.connect(guardian).veto(42)).wait();
      expect((await lens.latestClaimable()).slice(0, 3)).to.deep.equal([true, 39n, early.get(39n)!.root]);
      await expect(claimAlice(distributor, alice.address, 39n, early.get(39n)!)).to.emit(distributor, "Claimed");
      expect(await lens.claimed(alice.address)).to.equal(parseEther("40"));
    });

    it("(c) refuses to veto a root that has been claimable for days, and takes the re-post after a veto", async function () {
      const f = await loadFixture(ringFixture);
      const { distributor, lens, guardian, oracles, alice, bob } = f;
      await claimableThrough(f, 69n);
      // Epoch 10 has been claimable for days when the catch-up comes.
      await time.increase(3n * EPOCH);
      await postRange(f, 70n, 132n);
      await (await distributor.connect(guardian).veto(72)).wait();
      await expect(distributor.connect(guardian).veto(10))
        .to.be.revertedWithCustomError(distributor, "RootNotPending")
        .withArgs(10n);
      // The re-post of 72 takes the slot of epoch 8, superseded long ago: it is not held back.
      const { tree, total } = treeFor(alice.address, bob.address, 72n, 1n);
      const postedAt = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(postedAt);
      await expect(distributor.connect(oracles[0]).postRoot(72, tree.root, total, inputHashOf(72n), ""))
        .to.emit(distributor, "RootAccepted")
        .withArgs(72n, tree.root, postedAt + WINDOW);
      expect(await lens.nextEpoch()).to.equal(73n);
    });

    it("(d) refuses a second veto reaching a superseded epoch, so nothing underflows", async function () {
      const f = await loadFixture(ringFixture);
      const { distributor, lens, guardian, oracles, alice, bob } = f;
      await claimableThrough(f, 63n);
      await postRange(f, 64n, 66n);
      await (await distributor.connect(guardian).veto(66)).wait();
      const sweepable = await lens.sweepable();
      await expect(distributor.connect(guardian).veto(2))
        .to.be.revertedWithCustomError(distributor, "RootNotPending")
        .withArgs(2n);
      expect(await lens.nextEpoch()).to.equal(66n);
      expect(await lens.sweepable()).to.equal(sweepable);
      // Epoch 66 is posted again with the next total.
      const { tree, total } = treeFor(alice.address, bob.address, 66n, 1n);
      await expect(distributor.connect(oracles[0]).postRoot(66, tree.root, total, inputHashOf(66n), "")).to.emit(
        distributor,
        "RootAccepted",
      );
      await time.increase(WINDOW);
      expect(await lens.sweepable()).to.be.greaterThan(0n);
      expect((await lens.latestClaimable())[1]).to.equal(66n);
    });
  });

  describe("the ring as a stateful model", function () {
    /** One standing root as the model sees it. */
    interface Standing {
      readonly epoch: bigint;
      readonly round: bigint;
      readonly tree: RewardsTree;
      readonly total: bigint;
      readonly claimableAt: bigint;
    }

    interface Model {
      /** The chain's time: every transaction of the model runs at `now + 1`, set explicitly. */
      now: bigint;
      standing: Standing[];
      /** Posting rounds: each post and re-post has a new round, so a re-posted root differs. */
      round: bigint;
      vetoed: Set<string>;
      /** Epoch → root of every root seen claimable: such a root must never change. */
      claimableRoots: Map<bigint, string>;
      latestSeen: bigint;
      aliceClaimed: bigint;
    }

    interface Real {
      readonly f: Fixture;
      readonly oracle: Signer;
    }

    /** Runs the next transaction at `m.now + 1` and moves the model's clock there. */
    async function at(m: Model): Promise<bigint> {
      m.now += 1n;
      await time.setNextBlockTimestamp(m.now);
      return m.now;
    }

    function claimableAt(m: Model, epoch: bigint): bigint {
      return m.standing[Number(epoch)].claimableAt;
    }

    /** The model's latest claimable epoch at time `t`, or -1. */
    function latestClaimableAt(m: Model, t: bigint): bigint {
      let latest = -1n;
      for (const s of m.standing) if (s.claimableAt <= t) latest = s.epoch;
      return latest;
    }

    class Post implements fc.AsyncCommand<Model, Real> {
      constructor(readonly count: number) {}
      check = () => true;
      async run(m: Model, r: Real) {
        for (let i = 0; i < this.count; i++) {
          const epoch = BigInt(m.standing.length);
          const round = m.round++;
          const { tree, total } = treeFor(r.f.alice.address, r.f.bob.address, epoch, round);
          const t = await at(m);
          const post = r.f.distributor.connect(r.oracle).postRoot(epoch, tree.root, total, inputHashOf(epoch), "");
          // The slot it takes held epoch - 64, which may go only once epoch - 63 is claimable.
          if (epoch >= RING && claimableAt(m, epoch - RING + 1n) > t) {
            await expect(post)
              .to.be.revertedWithCustomError(r.f.distributor, "TooManyPendingRoots")
              .withArgs(epoch, claimableAt(m, epoch - RING + 1n));
            return;
          }
          const previous = m.standing.length > 0 ? m.standing[m.standing.length - 1].claimableAt : 0n;
          const at_ = t + WINDOW > previous ? t + WINDOW : previous;
          await expect(post).to.emit(r.f.distributor, "RootAccepted").withArgs(epoch, tree.root, at_);
          m.standing.push({ epoch, round, tree, total, claimableAt: at_ });
        }
      }
      toString = () => `post(${this.count})`;
    }

    class Veto implements fc.AsyncCommand<Model, Real> {
      /** `position` picks among the standing roots, claimable ones included. */
      constructor(readonly position: number) {}
      check = (m: Readonly<Model>) => m.standing.length > 0;
      async run(m: Model, r: Real) {
        const epoch = BigInt(this.position % m.standing.length);
        const t = await at(m);
        const veto = r.f.distributor.connect(r.f.guardian).veto(epoch);
        if (claimableAt(m, epoch) <= t) {
          await expect(veto).to.be.revertedWithCustomError(r.f.distributor, "RootNotPending").withArgs(epoch);
          return;
        }
        await expect(veto).to.emit(r.f.distributor, "RootVetoed").withArgs(epoch, m.standing[Number(epoch)].tree.root);
        for (const s of m.standing.slice(Number(epoch))) m.vetoed.add(s.tree.root);
        m.standing = m.standing.slice(0, Number(epoch));
      }
      toString = () => `veto(${this.position})`;
    }

    class Warp implements fc.AsyncCommand<Model, Real> {
      constructor(readonly seconds: bigint) {}
      check = () => true;
      async run(m: Model) {
        m.now += this.seconds;
        await time.increaseTo(m.now);
      }
      toString = () => `warp(${this.seconds})`;
    }

    class ClaimLatest implements fc.AsyncCommand<Model, Real> {
      check = () => true;
      async run(m: Model, r: Real) {
        const t = await at(m);
        const latest = latestClaimableAt(m, t);
        const alice = r.f.alice.address;
        if (latest < 0n) {
          await expect(r.f.distributor.claim(alice, 0n, [])).to.be.revertedWithCustomError(
            r.f.distributor,
            "NoClaimableRoot",
          );
          return;
        }
        const { cumulativeAmount, proof } = proofFor(m.standing[Number(latest)].tree, alice);
        const due = cumulativeAmount - m.aliceClaimed;
        const tx = r.f.distributor.claim(alice, cumulativeAmount, proof);
        if (due > 0n)
          await expect(tx).to.emit(r.f.distributor, "Claimed").withArgs(alice, alice, due, cumulativeAmount);
        else await expect(tx).not.to.emit(r.f.distributor, "Claimed");
        m.aliceClaimed = cumulativeAmount > m.aliceClaimed ? cumulativeAmount : m.aliceClaimed;
      }
      toString = () => "claim";
    }

    /** After every step: the ring's promises, read at the chain's current time. */
    async function checkRing(m: Model, r: Real): Promise<void> {
      const lens = r.f.lens;
      const t = BigInt(await time.latest());
      expect(t).to.equal(m.now);
      expect(await lens.nextEpoch()).to.equal(BigInt(m.standing.length));
      const expected = latestClaimableAt(m, t);
      const [exists, epoch, root, total] = await lens.latestClaimable();
      expect(exists).to.equal(expected >= 0n);
      if (expected >= 0n) {
        const s = m.standing[Number(expected)];
        // Never inside its window, never a vetoed root, never going back.
        expect([epoch, root, total]).to.deep.equal([expected, s.tree.root, s.total]);
        expect(s.claimableAt <= t).to.equal(true);
        expect(m.vetoed.has(root)).to.equal(false);
        expect(epoch >= m.latestSeen).to.equal(true);
        m.latestSeen = epoch;
      }
      // A claimable root never changes, and every claimable root still in the ring reads as itself.
      for (const s of m.standing) {
        if (s.claimableAt > t) continue;
        const seen = m.claimableRoots.get(s.epoch);
        if (seen !== undefined) expect(s.tree.root).to.equal(seen);
        m.claimableRoots.set(s.epoch, s.tree.root);
      }
      const newest = BigInt(m.standing.length);
      for (let e = newest > RING ? newest - RING : 0n; e < newest; e++) {
        const [ringRoot] = await lens.rootOf(e);
        // Kept: its own root; superseded (only ever once claimable): zeros.
        if (ringRoot !== `0x${"0".repeat(64)}`) expect(ringRoot).to.equal(m.standing[Number(e)].tree.root);
        else expect(m.standing[Number(e)].claimableAt <= t).to.equal(true);
      }
      expect(await lens.claimed(r.f.alice.address)).to.equal(m.aliceClaimed);
      expect(await lens.totalClaimed()).to.equal(m.aliceClaimed);
    }

    class Checked implements fc.AsyncCommand<Model, Real> {
      constructor(readonly inner: fc.AsyncCommand<Model, Real>) {}
      check = (m: Readonly<Model>) => this.inner.check(m);
      async run(m: Model, r: Real) {
        await this.inner.run(m, r);
        await checkRing(m, r);
      }
      toString = () => this.inner.toString();
    }

    it("keeps claimable roots fixed, latestClaimable monotone and outside windows, vetoed roots unclaimable", async function () {
      // Catch-ups up to 80 roots (longer than the ring), vetoes at any standing position, claimable or not.
      const commands = [
        fc.integer({ min: 1, max: 80 }).map((n) => new Post(n)),
        fc.integer({ min: 1, max: 8 }).map((n) => new Post(n)),
        fc.nat(200).map((p) => new Veto(p)),
        fc.nat(200).map((p) => new Veto(p)),
        fc.constantFrom(60n, WINDOW / 2n, WINDOW, 2n * WINDOW).map((s) => new Warp(s)),
        fc.constant(new ClaimLatest()),
      ];
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 14 }), async (cmds) => {
          const f = await loadFixture(ringFixture);
          const model: Model = {
            now: BigInt(await time.latest()),
            standing: [],
            round: 0n,
            vetoed: new Set(),
            claimableRoots: new Map(),
            latestSeen: 0n,
            aliceClaimed: 0n,
          };
          const real: Real = { f, oracle: f.oracles[0] };
          await fc.asyncModelRun(
            () => ({ model, real }),
            [...cmds].map((c) => new Checked(c)),
          );
        }),
        { seed: fuzzSeed(20261207), numRuns: fuzzRuns(underCoverage() ? 6 : 30) },
      );
    });
  });
});
