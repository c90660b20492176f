import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { getAddress, id } from "ethers";
import fc from "fast-check";

import { EmissionLibHarness__factory } from "../../typechain-types";
import { buildRewardsTree, proofFor, type RewardsTree } from "../fixtures/rewards-tree";
import { deployRewardsFixture } from "../fixtures/rewards";
import { underCoverage } from "../helpers/fuzz";
import { WINDOW, inputHashOf } from "./helpers";

/** Fixed accounts, so that the seeded run is the same every time. */
const ACCOUNTS = Array.from({ length: 5 }, (_, i) => getAddress(id(`rewards account ${i}`).slice(0, 42)));

type Real = Awaited<ReturnType<typeof invariantFixture>>;

interface Root {
  readonly epoch: bigint;
  readonly tree: RewardsTree;
  readonly amounts: readonly bigint[];
  readonly total: bigint;
  readonly claimableAt: bigint;
}

/** What the test expects, kept apart from the contract. */
interface Model {
  roots: Root[];
  distributed: Set<bigint>;
  /** Split changes: from epoch → operators' basis points (the first from epoch 0). */
  splits: { from: bigint; operatorsBps: bigint; stakersBps: bigint }[];
  claimed: bigint[];
  swept: bigint;
}

async function invariantFixture() {
  const f = await deployRewardsFixture();
  const harness = await new EmissionLibHarness__factory(f.deployer).deploy();
  return { ...f, harness };
}

async function now(): Promise<bigint> {
  return BigInt(await time.latest());
}

async function ended(r: Real): Promise<bigint> {
  return r.token.endedEpochs();
}

/** The operators' share of `epoch` under the model's split history, computed with EmissionLib. */
async function operatorsShare(m: Model, r: Real, epoch: bigint): Promise<bigint> {
  const split = [...m.splits].reverse().find((s) => s.from <= epoch)!;
  const emission = await r.harness.emission(
    await r.token.initialEpochEmission(),
    await r.token.halvingInterval(),
    epoch,
  );
  return (emission * split.operatorsBps) / 10_000n;
}

function latestClaimable(m: Model, at: bigint): Root | undefined {
  return [...m.roots].reverse().find((root) => root.claimableAt <= at);
}

/** Checks every invariant of the issue after each step. */
async function checkInvariants(m: Model, r: Real, previous: bigint[]): Promise<bigint[]> {
  const claimed = await Promise.all(ACCOUNTS.map((a) => r.lens.claimed(a)));
  claimed.forEach((c, i) => expect(c, "claimed never decreases").to.be.gte(previous[i]));
  expect(claimed).to.deep.equal(m.claimed);
  const sumClaimed = claimed.reduce((a, b) => a + b, 0n);
  const [exists, epoch, root, total] = await r.lens.latestClaimable();
  const modelRoot = latestClaimable(m, await now());
  expect(exists).to.equal(modelRoot !== undefined);
  let operatorsCumulative = 0n;
  if (modelRoot !== undefined) {
    expect(epoch).to.equal(modelRoot.epoch);
    expect(root).to.equal(modelRoot.tree.root);
    expect(total).to.equal(modelRoot.total);
    for (let e = 0n; e <= epoch; e++) operatorsCumulative += await operatorsShare(m, r, e);
  }
  expect(sumClaimed, "Σ claimed ≤ latest claimable totalCumulative").to.be.lte(total);
  expect(total, "totalCumulative ≤ operators' cumulative emission").to.be.lte(operatorsCumulative);
  const balance = await r.token.balanceOf(await r.distributor.getAddress());
  expect(balance, "balance ≥ what claimable roots still owe").to.be.gte(total - sumClaimed);
  const newest = m.roots.at(-1);
  if (newest !== undefined) expect(balance, "and what the newest root owes").to.be.gte(newest.total - sumClaimed);
  expect(await r.token.emissionMinted()).to.be.lte(await r.token.emissionBudget());
  expect(await r.lens.totalSwept()).to.equal(m.swept);
  return claimed;
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly seconds: bigint) {}
  check = () => true;
  async run(_m: Model, _r: Real) {
    await time.increase(this.seconds);
  }
  toString = () => `advance(${this.seconds})`;
}

class Distribute implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const count = await ended(r);
    if (count === 0n) return;
    const epoch = BigInt(this.pick) % count;
    if (m.distributed.has(epoch)) {
      await expect(r.distributor.distributeEpoch(epoch))
        .to.be.revertedWithCustomError(r.distributor, "EpochAlreadyDistributed")
        .withArgs(epoch);
      return;
    }
    if (epoch > 0n && !m.distributed.has(epoch - 1n)) {
      await expect(r.distributor.distributeEpoch(epoch))
        .to.be.revertedWithCustomError(r.distributor, "PreviousEpochNotDistributed")
        .withArgs(epoch);
      return;
    }
    const share = await operatorsShare(m, r, epoch);
    await expect(r.distributor.distributeEpoch(epoch)).to.emit(r.distributor, "EpochDistributed");
    expect(await r.lens.operatorsShareOf(epoch)).to.equal(share);
    m.distributed.add(epoch);
  }
  toString = () => `distribute(${this.pick})`;
}

class Post implements fc.AsyncCommand<Model, Real> {
  /** `weights` share out a `fill` fraction (in basis points) of what the epoch may add. */
  constructor(
    readonly weights: number[],
    readonly fillBps: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const epoch = BigInt(m.roots.length);
    if (epoch >= (await ended(r))) return;
    const previous = m.roots.at(-1);
    // What roots through `epoch` may allocate: the operators' emission less what was swept.
    let limit = -m.swept;
    for (let e = 0n; e <= epoch; e++) limit += await operatorsShare(m, r, e);
    const room = limit - (previous?.total ?? 0n);
    const budget = (room * BigInt(this.fillBps)) / 10_000n;
    const weightSum = BigInt(this.weights.reduce((a, b) => a + b, 0)) || 1n;
    const amounts = ACCOUNTS.map(
      (_, i) => (previous?.amounts[i] ?? 0n) + (budget * BigInt(this.weights[i])) / weightSum,
    );
    const total = (previous?.total ?? 0n) + budget;
    const tree = buildRewardsTree(ACCOUNTS.map((account, i) => ({ account, cumulativeAmount: amounts[i] })));
    await (await r.distributor.connect(r.oracles[0]).postRoot(epoch, tree.root, total, inputHashOf(epoch), "")).wait();
    const [, , claimableAt] = await r.lens.rootOf(epoch);
    const floor = previous?.claimableAt ?? 0n;
    const expected = (await now()) + WINDOW > floor ? (await now()) + WINDOW : floor;
    expect(claimableAt).to.equal(expected);
    m.roots.push({ epoch, tree, amounts, total, claimableAt });
    m.distributed.add(epoch);
  }
  toString = () => `post(${this.weights.join("/")}, ${this.fillBps})`;
}

class Veto implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const at = (await now()) + 1n;
    const pending = m.roots.filter((root) => root.claimableAt > at);
    if (pending.length === 0) return;
    const target = pending[this.pick % pending.length];
    await (await r.distributor.connect(r.guardian).veto(target.epoch)).wait();
    m.roots = m.roots.filter((root) => root.epoch < target.epoch);
  }
  toString = () => `veto(${this.pick})`;
}

class Claim implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly account: number,
    readonly pending: boolean,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const at = (await now()) + 1n;
    const claimable = latestClaimable(m, at);
    const newest = m.roots.at(-1);
    const account = ACCOUNTS[this.account];
    if (this.pending && newest !== undefined && newest.claimableAt > at) {
      // A proof against a pending root fails unless that leaf is also in the claimable tree.
      const { cumulativeAmount, proof } = proofFor(newest.tree, account);
      if (claimable === undefined) {
        await expect(r.distributor.claim(account, cumulativeAmount, proof)).to.be.revertedWithCustomError(
          r.distributor,
          "NoClaimableRoot",
        );
      } else if (cumulativeAmount !== claimable.amounts[this.account]) {
        await expect(r.distributor.claim(account, cumulativeAmount, proof))
          .to.be.revertedWithCustomError(r.distributor, "InvalidProof")
          .withArgs(account, cumulativeAmount);
      }
      return;
    }
    if (claimable === undefined) return;
    const { cumulativeAmount, proof } = proofFor(claimable.tree, account);
    const due = cumulativeAmount > m.claimed[this.account] ? cumulativeAmount - m.claimed[this.account] : 0n;
    await expect(r.distributor.claim(account, cumulativeAmount, proof)).to.changeTokenBalance(r.token, account, due);
    if (due > 0n) m.claimed[this.account] = cumulativeAmount;
  }
  toString = () => `claim(${this.account}${this.pending ? ", pending" : ""})`;
}

class Sweep implements fc.AsyncCommand<Model, Real> {
  constructor(readonly fractionBps: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const newest = m.roots.at(-1);
    if (newest !== undefined && newest.claimableAt > (await now()) + 1n) {
      await expect(r.distributor.sweep(0n))
        .to.be.revertedWithCustomError(r.distributor, "SweepBlockedByPendingRoot")
        .withArgs(newest.epoch, newest.claimableAt);
      return;
    }
    const available = await r.lens.sweepable();
    const amount = (available * BigInt(this.fractionBps)) / 10_000n;
    await (await r.distributor.sweep(amount)).wait();
    m.swept += amount;
  }
  toString = () => `sweep(${this.fractionBps})`;
}

class SetSplit implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly operatorsBps: number,
    readonly stakersBps: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const operatorsBps = BigInt(this.operatorsBps);
    const stakersBps = BigInt(this.stakersBps);
    await (await r.distributor.setSplit(operatorsBps, stakersBps, 10_000n - operatorsBps - stakersBps)).wait();
    // Future epochs only (PROTOCOL.md): from the first epoch that had not started at the change's block.
    const from = (await now()) < (await r.token.genesis()) ? 0n : (await ended(r)) + 1n;
    m.splits = m.splits.filter((s) => s.from < from);
    m.splits.push({ from, operatorsBps, stakersBps });
  }
  toString = () => `split(${this.operatorsBps}, ${this.stakersBps})`;
}

/** Wraps a command so that the invariants are checked after it. */
class Checked implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly inner: fc.AsyncCommand<Model, Real>,
    readonly last: { claimed: bigint[] },
  ) {}
  check = (m: Readonly<Model>) => this.inner.check(m);
  async run(m: Model, r: Real) {
    await this.inner.run(m, r);
    this.last.claimed = await checkInvariants(m, r, this.last.claimed);
  }
  toString = () => this.inner.toString();
}

describe("RewardsDistributor", function () {
  describe("invariants", function () {
    it("holds Σ claimed ≤ claimable total ≤ operators' emission, monotone claims and a covering balance", async function () {
      const advance = fc.constantFrom(3_600n, WINDOW, 86_400n, 3n * 86_400n).map((s) => new Advance(s));
      const claim = fc.tuple(fc.nat(4), fc.boolean()).map(([a, p]) => new Claim(a, p));
      // Claims and time are listed more than once: they are what the other steps need to matter.
      const commands = [
        advance,
        advance,
        claim,
        claim,
        fc.nat(50).map((p) => new Distribute(p)),
        fc
          .tuple(fc.array(fc.nat(100), { minLength: 5, maxLength: 5 }), fc.integer({ min: 0, max: 10_000 }))
          .map(([w, f]) => new Post(w, f)),
        fc.nat(10).map((p) => new Veto(p)),
        fc.tuple(fc.nat(4), fc.boolean()).map(([a, p]) => new Claim(a, p)),
        fc.integer({ min: 0, max: 10_000 }).map((f) => new Sweep(f)),
        fc
          .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }))
          .filter(([o, s]) => o + s <= 10_000)
          .map(([o, s]) => new SetSplit(o, s)),
      ];
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 60, size: "max" }), async (cmds) => {
          const real = await loadFixture(invariantFixture);
          const model: Model = {
            roots: [],
            distributed: new Set(),
            splits: [{ from: 0n, operatorsBps: 7_500n, stakersBps: 1_500n }],
            claimed: ACCOUNTS.map(() => 0n),
            swept: 0n,
          };
          const last = { claimed: ACCOUNTS.map(() => 0n) };
          const checked = [...cmds].map((cmd) => new Checked(cmd, last));
          await fc.asyncModelRun(() => ({ model, real }), checked);
        }),
        // Under `npm run coverage` a 10-run sample: with the unit tests it reaches every line and branch (measured).
        { seed: 20261121, numRuns: underCoverage() ? 10 : 40 },
      );
    });
  });
});
