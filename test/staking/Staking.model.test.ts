import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import { ZeroAddress, id, parseEther } from "ethers";
import fc from "fast-check";
import { network } from "hardhat";

import { deployStakingFixture } from "../fixtures/staking";
import { fuzzRuns, fuzzSeed, underCoverage } from "../helpers/fuzz";

/**
 * The stateful model test of Staking: random sequences of register, stake, delegate, unbond, withdraw,
 * slash, notify, claim and time warps (and commission changes and rebonds), run against a bigint model that replays the contract's share
 * arithmetic exactly and bounds the rewards by exact fractions. After every step it checks:
 * - the token balance of Staking ≥ Σ active stake + Σ unbonding + Σ unclaimed rewards;
 * - Σ of the positions' shares of each operator = its pool's shares, and their stake adds up to its
 *   active stake (to within one wei per position);
 * - no account withdraws more than the model owes it (exactly what the model owes), or claims more
 *   than its exact share of the notified rewards (and not less, beyond rounding);
 * - a slash never raises anyone's stake or pending unbond.
 * `FUZZ_RUNS` and `FUZZ_SEED` (see `test/helpers/fuzz.ts`) raise the runs and replay a seed; on a
 * failure fast-check prints the seed, the path and the shrunk command sequence.
 */

type Fixture = Awaited<ReturnType<typeof deployStakingFixture>>;

const BPS = 10_000n;
const EPOCH = 86_400n;
const WEEK = 7n * EPOCH;
/** Rounding the contract may keep per account and notified epoch (index, tokens-per-share, mulDiv). */
const ROUNDING_PER_EPOCH = 1_000_000n;

interface OperatorModel {
  T: bigint;
  S: bigint;
  uT: bigint;
  uS: bigint;
  gen: number;
  ugen: number;
  /** The commission in effect (in a snapshot: at that epoch). */
  commission: bigint;
  /** Commission checkpoints: `bps` from epoch `from` on. */
  schedule: { from: bigint; bps: bigint }[];
}

function commissionAt(o: OperatorModel, e: bigint): bigint {
  let bps = 0n;
  for (const c of o.schedule) if (c.from <= e) bps = c.bps;
  return bps;
}
interface PositionModel {
  op: number;
  shares: bigint;
  gen: number;
}
interface RequestModel {
  op: number;
  shares: bigint;
  gen: number;
  maturity: bigint;
}
interface Snapshot {
  ops: Map<number, OperatorModel>;
  pos: Map<number, PositionModel>;
}

class Model {
  readonly ops = new Map<number, OperatorModel>();
  readonly pos = new Map<number, PositionModel>();
  readonly reqs = new Map<number, RequestModel[]>();
  readonly snapshots = new Map<bigint, Snapshot>();
  readonly owedHigh = new Map<number, bigint>();
  readonly owedLow = new Map<number, bigint>();
  readonly claimed = new Map<number, bigint>();
  epoch = 0n;
  nextNotify = 0n;
  /** What epochs with no stake at their end sent back to the notifier. */
  returned = 0n;
  epochsNotified = 0n;

  constructor(readonly genesis: bigint) {}

  /** Records the state at the end of every epoch that ended before `timestamp`. */
  syncTo(timestamp: bigint): void {
    const e = timestamp < this.genesis ? 0n : (timestamp - this.genesis) / EPOCH;
    while (this.epoch < e) {
      this.snapshots.set(this.epoch, {
        ops: new Map([...this.ops].map(([k, v]) => [k, { ...v, commission: commissionAt(v, this.epoch) }])),
        pos: new Map([...this.pos].map(([k, v]) => [k, { ...v }])),
      });
      this.epoch += 1n;
    }
  }

  stakeOf(account: number): bigint {
    const p = this.pos.get(account);
    if (p === undefined || p.shares === 0n) return 0n;
    const o = this.ops.get(p.op)!;
    if (p.gen !== o.gen) return 0n;
    return (p.shares * o.T) / o.S;
  }

  liveShares(account: number): bigint {
    const p = this.pos.get(account);
    if (p === undefined) return 0n;
    return p.gen === this.ops.get(p.op)!.gen ? p.shares : 0n;
  }

  requestValue(r: RequestModel): bigint {
    const o = this.ops.get(r.op)!;
    if (r.gen !== o.ugen) return 0n;
    if (r.shares === o.uS) return o.uT;
    return (r.shares * o.uT) / o.uS;
  }

  /** Adds epoch `e`'s `amount` to every account's exact share; with no stake it goes back, unshared. */
  notify(e: bigint, amount: bigint): void {
    const snap = this.snapshots.get(e)!;
    let total = 0n;
    for (const o of snap.ops.values()) total += o.T;
    const pool = amount;
    this.nextNotify = e + 1n;
    this.epochsNotified += 1n;
    if (total === 0n) {
      this.returned += amount;
      return;
    }
    const add = (account: number, num: bigint, den: bigint) => {
      if (num === 0n) return;
      this.owedHigh.set(account, (this.owedHigh.get(account) ?? 0n) + (num + den - 1n) / den);
      this.owedLow.set(account, (this.owedLow.get(account) ?? 0n) + num / den);
    };
    for (const [account, p] of snap.pos) {
      const o = snap.ops.get(p.op)!;
      if (p.shares === 0n || p.gen !== o.gen) continue;
      add(account, pool * p.shares * o.T * (BPS - o.commission), total * o.S * BPS);
    }
    for (const [account, o] of snap.ops) add(account, pool * o.T * o.commission, total * BPS);
  }
}

interface Real {
  f: Fixture;
  accounts: Fixture["alice"][];
  /** Paid by withdraw so far, per account. */
  withdrawn: Map<number, bigint>;
}

/** Fixes the timestamp of the next transaction (one second on) and brings the model to it. */
async function sync(m: Model): Promise<bigint> {
  const next = BigInt(await time.latest()) + 1n;
  await time.setNextBlockTimestamp(next);
  m.syncTo(next);
  return next;
}

async function minedAt(tx: Promise<ContractTransactionResponse>, expected: bigint) {
  const receipt = await (await tx).wait();
  const block = await receipt!.getBlock();
  expect(BigInt(block.timestamp), "the model predicted the block time").to.equal(expected);
  return receipt!;
}

async function checkInvariants(m: Model, r: Real): Promise<void> {
  const { staking, stakingLens, token } = r.f;
  const stakingAddress = await staking.getAddress();
  let active = 0n;
  let unbonding = 0n;
  for (const [index, o] of m.ops) {
    const info = await staking.operatorInfo(r.accounts[index].address);
    expect([info.bondedTokens, info.bondedShares, info.unbondingTokens, info.unbondingShares]).to.deep.equal([
      o.T,
      o.S,
      o.uT,
      o.uS,
    ]);
    active += o.T;
    unbonding += o.uT;
    // Σ of the positions' shares is the pool's shares; their stake adds up to the pool's tokens.
    let shares = 0n;
    let stake = 0n;
    let holders = 0n;
    for (const [account, p] of m.pos) {
      if (p.op !== index || m.liveShares(account) === 0n) continue;
      shares += p.shares;
      stake += await staking.stakeOf(r.accounts[account].address, r.accounts[index].address);
      holders += 1n;
    }
    expect(shares, "Σ shares of operator").to.equal(o.S);
    expect(stake <= o.T && o.T - stake <= holders, "Σ stake of operator").to.equal(true);
  }
  for (let i = 0; i < r.accounts.length; i++) {
    const p = m.pos.get(i);
    const operator = p === undefined ? r.accounts[i].address : r.accounts[p.op].address;
    expect(await staking.stakeOf(r.accounts[i].address, operator), `stake of ${i}`).to.equal(m.stakeOf(i));
  }
  let unclaimed = 0n;
  for (let i = 0; i < r.accounts.length; i++) {
    const claimable = await stakingLens.claimable(r.accounts[i].address);
    unclaimed += claimable;
    const claimed = m.claimed.get(i) ?? 0n;
    const high = m.owedHigh.get(i) ?? 0n;
    const low = m.owedLow.get(i) ?? 0n;
    expect(claimed + claimable <= high, `account ${i} is owed at most ${high}`).to.equal(true);
    expect(claimed + claimable + ROUNDING_PER_EPOCH * m.epochsNotified >= low, `account ${i} is paid`).to.equal(true);
  }
  expect(await staking.totalUnbonding()).to.equal(unbonding);
  const balance = await token.balanceOf(stakingAddress);
  expect(balance >= active + unbonding + unclaimed, "balance covers stake, unbonding and rewards").to.equal(true);
  expect(await staking.rewardReserve()).to.be.greaterThanOrEqual(unclaimed);
}

type Cmd = fc.AsyncCommand<Model, Real>;

class RegisterCmd implements Cmd {
  constructor(
    readonly who: number,
    readonly commission: bigint,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    if (m.ops.has(this.who) || m.liveShares(this.who) > 0n) return;
    const t = await sync(m);
    await minedAt(r.f.staking.connect(r.accounts[this.who]).registerOperator(this.commission), t);
    m.ops.set(this.who, {
      T: 0n,
      S: 0n,
      uT: 0n,
      uS: 0n,
      gen: 0,
      ugen: 0,
      commission: this.commission,
      schedule: [{ from: m.epoch, bps: this.commission }],
    });
    m.pos.set(this.who, { op: this.who, shares: 0n, gen: 0 });
    await checkInvariants(m, r);
  }
  toString = () => `register(${this.who}, ${this.commission})`;
}

/** Stake (an operator on itself) or delegate (anyone else) `amount` to operator `to`. */
class BondCmd implements Cmd {
  constructor(
    readonly who: number,
    readonly to: number,
    readonly amount: bigint,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const self = m.ops.has(this.who);
    const op = self ? this.who : this.to;
    const o = m.ops.get(op);
    if (o === undefined) return;
    const p = m.pos.get(this.who);
    if (!self && p !== undefined && p.op !== op && m.liveShares(this.who) > 0n) return;
    const t = await sync(m);
    const staking = r.f.staking.connect(r.accounts[this.who]);
    const tx = self ? staking.stake(this.amount) : staking.delegate(r.accounts[op].address, this.amount);
    await minedAt(tx, t);
    const minted = o.S === 0n ? this.amount : (this.amount * o.S) / o.T;
    const held = p !== undefined && p.op === op ? m.liveShares(this.who) : 0n;
    o.T += this.amount;
    o.S += minted;
    m.pos.set(this.who, { op, shares: held + minted, gen: o.gen });
    await checkInvariants(m, r);
  }
  toString = () => `bond(${this.who} → ${this.to}, ${this.amount})`;
}

class UnbondCmd implements Cmd {
  constructor(
    readonly who: number,
    readonly fractionBps: bigint,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const stake = m.stakeOf(this.who);
    const requests = m.reqs.get(this.who) ?? [];
    if (stake === 0n || requests.length >= 32) return;
    let amount = (stake * this.fractionBps) / BPS;
    if (amount === 0n) amount = 1n;
    const p = m.pos.get(this.who)!;
    const o = m.ops.get(p.op)!;
    const t = await sync(m);
    await minedAt(r.f.staking.connect(r.accounts[this.who]).unbond(amount), t);
    const burned = (amount * o.S + o.T - 1n) / o.T;
    if (burned === o.S) amount = o.T;
    o.T -= amount;
    o.S -= burned;
    p.shares -= burned;
    const minted = o.uS === 0n ? amount : (amount * o.uS) / o.uT;
    o.uT += amount;
    o.uS += minted;
    requests.push({ op: p.op, shares: minted, gen: o.ugen, maturity: t + WEEK });
    m.reqs.set(this.who, requests);
    await checkInvariants(m, r);
  }
  toString = () => `unbond(${this.who}, ${this.fractionBps} bps)`;
}

class SetCommissionCmd implements Cmd {
  constructor(
    readonly who: number,
    readonly delta: bigint,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const o = m.ops.get(this.who);
    if (o === undefined) return;
    const t = await sync(m);
    let bps = commissionAt(o, m.epoch) + this.delta;
    bps = bps < 0n ? 0n : bps > BPS ? BPS : bps;
    await minedAt(r.f.staking.connect(r.accounts[this.who]).setCommission(bps), t);
    const next = m.epoch + 1n;
    o.schedule = [...o.schedule.filter((c) => c.from < next), { from: next, bps }];
    await checkInvariants(m, r);
  }
  toString = () => `setCommission(${this.who}, ${this.delta})`;
}

class RebondCmd implements Cmd {
  constructor(
    readonly who: number,
    readonly index: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const requests = m.reqs.get(this.who) ?? [];
    if (this.index >= requests.length) return;
    const req = requests[this.index];
    const value = m.requestValue(req);
    if (m.ops.has(this.who) && req.op !== this.who) {
      // An operator stakes only on itself: a request it made as a delegator is withdrawn, never rebonded.
      const account = r.accounts[this.who];
      await expect(r.f.staking.connect(account).rebond.staticCall(this.index))
        .to.be.revertedWithCustomError(r.f.staking, "OperatorCannotDelegate")
        .withArgs(account.address);
      return;
    }
    const p = m.pos.get(this.who);
    if (value === 0n || (p !== undefined && p.op !== req.op && m.liveShares(this.who) > 0n)) return;
    const t = await sync(m);
    await minedAt(r.f.staking.connect(r.accounts[this.who]).rebond(this.index), t);
    const o = m.ops.get(req.op)!;
    o.uS -= req.shares;
    o.uT -= value;
    requests[this.index] = requests[requests.length - 1];
    requests.pop();
    const minted = o.S === 0n ? value : (value * o.S) / o.T;
    const held = p !== undefined && p.op === req.op ? m.liveShares(this.who) : 0n;
    o.T += value;
    o.S += minted;
    m.pos.set(this.who, { op: req.op, shares: held + minted, gen: o.gen });
    await checkInvariants(m, r);
  }
  toString = () => `rebond(${this.who}, ${this.index})`;
}

class WithdrawCmd implements Cmd {
  constructor(readonly who: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const t = await sync(m);
    const receipt = await minedAt(r.f.staking.connect(r.accounts[this.who]).withdraw(), t);
    const requests = m.reqs.get(this.who) ?? [];
    let paid = 0n;
    let i = 0;
    while (i < requests.length) {
      const req = requests[i];
      if (req.maturity > t) {
        i++;
        continue;
      }
      const o = m.ops.get(req.op)!;
      if (req.gen === o.ugen) {
        const value = m.requestValue(req);
        o.uS -= req.shares;
        o.uT -= value;
        paid += value;
      }
      requests[i] = requests[requests.length - 1];
      requests.pop();
    }
    const event = receipt.logs
      .map((log) => r.f.staking.interface.parseLog(log))
      .find((parsed) => parsed?.name === "Withdrawn");
    // Nobody withdraws more than it is owed: exactly what the model owes.
    expect(event?.args.amount, "withdrawn").to.equal(paid);
    r.withdrawn.set(this.who, (r.withdrawn.get(this.who) ?? 0n) + paid);
    await checkInvariants(m, r);
  }
  toString = () => `withdraw(${this.who})`;
}

class SlashCmd implements Cmd {
  constructor(
    readonly op: number,
    readonly bps: bigint,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const o = m.ops.get(this.op);
    if (o === undefined) return;
    const { staking, stakingLens, token } = r.f;
    const stakesBefore: bigint[] = [];
    const requestsBefore: bigint[][] = [];
    for (const account of r.accounts) {
      const p = await staking.positionOf(account.address);
      stakesBefore.push(p.operator === ZeroAddress ? 0n : await staking.stakeOf(account.address, p.operator));
      requestsBefore.push([...(await stakingLens.unbondRequests(account.address))[1]]);
    }
    const balance = await token.balanceOf(await staking.getAddress());
    const t = await sync(m);
    const receipt = await minedAt(
      staking.connect(r.f.slasher).slash(r.accounts[this.op].address, this.bps, id(`slash ${t}`)),
      t,
    );
    let bondedCut: bigint;
    let unbondingCut: bigint;
    if (this.bps === BPS) {
      [bondedCut, unbondingCut] = [o.T, o.uT];
      Object.assign(o, { T: 0n, S: 0n, uT: 0n, uS: 0n, gen: o.gen + 1, ugen: o.ugen + 1 });
    } else {
      bondedCut = (o.T * this.bps) / BPS;
      unbondingCut = (o.uT * this.bps) / BPS;
      o.T -= bondedCut;
      o.uT -= unbondingCut;
    }
    const event = receipt.logs
      .map((log) => staking.interface.parseLog(log))
      .find((parsed) => parsed?.name === "Slashed");
    expect([event?.args.bondedSlashed, event?.args.unbondingSlashed]).to.deep.equal([bondedCut, unbondingCut]);
    // What the event reports is exactly what left the contract.
    expect(await token.balanceOf(await staking.getAddress())).to.equal(balance - bondedCut - unbondingCut);
    for (let i = 0; i < r.accounts.length; i++) {
      const account = r.accounts[i].address;
      const p = await staking.positionOf(account);
      const after = p.operator === ZeroAddress ? 0n : await staking.stakeOf(account, p.operator);
      expect(after <= stakesBefore[i], `slash raised the stake of ${i}`).to.equal(true);
      const requests = (await stakingLens.unbondRequests(account))[1];
      requests.forEach((value, k) => expect(value <= requestsBefore[i][k], "slash raised an unbond").to.equal(true));
    }
    await checkInvariants(m, r);
  }
  toString = () => `slash(${this.op}, ${this.bps} bps)`;
}

class NotifyCmd implements Cmd {
  constructor(readonly amount: bigint) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const e = m.nextNotify;
    const end = r.f.genesis + (e + 1n) * EPOCH;
    // The distributor notifies as soon as the epoch ends, or later.
    if (BigInt(await time.latest()) + 1n < end) {
      await time.increaseTo(end - 1n);
      m.syncTo(end - 1n);
    }
    const { staking, token, minter } = r.f;
    await sync(m);
    await token.connect(minter).mint(await staking.getAddress(), this.amount);
    const t = await sync(m);
    const before = await token.balanceOf(minter.address);
    const returnedBefore = m.returned;
    await minedAt(staking.connect(minter).notifyRewards(e, this.amount), t);
    m.notify(e, this.amount);
    // An epoch with no stake at its end goes back to the notifier whole; any other stays.
    expect(await token.balanceOf(minter.address)).to.equal(before + m.returned - returnedBefore);
    await checkInvariants(m, r);
  }
  toString = () => `notify(${this.amount})`;
}

class ClaimCmd implements Cmd {
  constructor(readonly who: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const t = await sync(m);
    const receipt = await minedAt(r.f.staking.connect(r.accounts[this.who]).claimRewards(), t);
    const event = receipt.logs
      .map((log) => r.f.staking.interface.parseLog(log))
      .find((parsed) => parsed?.name === "RewardsClaimed");
    m.claimed.set(this.who, (m.claimed.get(this.who) ?? 0n) + (event?.args.amount as bigint));
    await checkInvariants(m, r);
  }
  toString = () => `claim(${this.who})`;
}

class WarpCmd implements Cmd {
  constructor(readonly seconds: bigint) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await time.increase(this.seconds);
    m.syncTo(BigInt(await time.latest()));
    await checkInvariants(m, r);
  }
  toString = () => `warp(${this.seconds})`;
}

const ACCOUNTS = 4;
const who = fc.integer({ min: 0, max: ACCOUNTS - 1 });
const amount = fc.bigInt({ min: 1n, max: parseEther("5000") });
const bond = fc.tuple(who, who, amount).map(([w, to, a]) => new BondCmd(w, to, a));
const unbond = fc.tuple(who, fc.bigInt({ min: 1n, max: BPS })).map(([w, f]) => new UnbondCmd(w, f));
const notify = fc.bigInt({ min: 0n, max: parseEther("40000") }).map((a) => new NotifyCmd(a));
/** Duplicates weight the draw towards the commands that move value. */
const commands = [
  fc.tuple(who, fc.bigInt({ min: 0n, max: BPS })).map(([w, c]) => new RegisterCmd(w, c)),
  bond,
  bond,
  unbond,
  unbond,
  notify,
  notify,
  who.map((w) => new WithdrawCmd(w)),
  fc.tuple(who, fc.oneof(fc.constant(BPS), fc.bigInt({ min: 1n, max: BPS }))).map(([o, bps]) => new SlashCmd(o, bps)),
  who.map((w) => new ClaimCmd(w)),
  fc.tuple(who, fc.bigInt({ min: -500n, max: 500n })).map(([w, d]) => new SetCommissionCmd(w, d)),
  fc.tuple(who, fc.integer({ min: 0, max: 2 })).map(([w, i]) => new RebondCmd(w, i)),
  fc.oneof(fc.bigInt({ min: 1n, max: EPOCH }), fc.constant(EPOCH), fc.constant(WEEK)).map((s) => new WarpCmd(s)),
];

describe("Staking", function () {
  describe("model", function () {
    it("keeps its invariants over random sequences of staking operations", async function () {
      // Under `npm run coverage` the instrumented run is slower: an 8-run sample, with the deterministic tests of
      // the rare paths in Staking.branches.test.ts, reaches every reachable line and branch (measured).
      const coverage = underCoverage();
      const runs = fuzzRuns(coverage ? 8 : 200);
      // About a quarter of a second per run here; generous, so that a slow runner does not time out.
      this.timeout(Math.max(120_000, runs * (coverage ? 30_000 : 2_000)));
      const f = await loadFixture(deployStakingFixture);
      // Four accounts; the first two start as staked operators with a delegator each, so that most
      // sequences move value from the first step.
      const accounts = [f.alice, f.bob, f.carol, f.dave];
      await f.staking.connect(f.alice).registerOperator(1_000);
      await f.staking.connect(f.bob).registerOperator(0);
      await f.staking.connect(f.alice).stake(parseEther("3000"));
      await f.staking.connect(f.bob).stake(parseEther("2000"));
      await f.staking.connect(f.carol).delegate(f.alice.address, parseEther("1000"));
      await f.staking.connect(f.dave).delegate(f.bob.address, parseEther("500"));
      let snapshot = (await network.provider.send("evm_snapshot", [])) as string;
      const genesis = f.genesis;
      const start = BigInt(await time.latest());
      const seed = fuzzSeed(20261121);
      await fc.assert(
        fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: "max" }), async (cmds) => {
          await network.provider.send("evm_revert", [snapshot]);
          snapshot = (await network.provider.send("evm_snapshot", [])) as string;
          const model = new Model(genesis);
          model.syncTo(start);
          const [a, b, c, d] = ["3000", "2000", "1000", "500"].map((x) => parseEther(x));
          const op = (T: bigint, commission: bigint): OperatorModel => ({
            T,
            S: T,
            uT: 0n,
            uS: 0n,
            gen: 0,
            ugen: 0,
            commission,
            schedule: [{ from: 0n, bps: commission }],
          });
          model.ops.set(0, op(a + c, 1_000n));
          model.ops.set(1, op(b + d, 0n));
          model.pos.set(0, { op: 0, shares: a, gen: 0 });
          model.pos.set(1, { op: 1, shares: b, gen: 0 });
          model.pos.set(2, { op: 0, shares: c, gen: 0 });
          model.pos.set(3, { op: 1, shares: d, gen: 0 });
          await fc.asyncModelRun(() => ({ model, real: { f, accounts, withdrawn: new Map() } }), cmds);
        }),
        { numRuns: runs, seed, verbose: 1 },
      );
    });
  });
});
