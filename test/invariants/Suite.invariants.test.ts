/**
 * The suite-wide stateful fuzz test: random actors take random actions across every contract of the deployed
 * suite (`deploySuiteFixture`, `deploy/params/hardhat.json`), honest and malicious, and after every step the
 * test checks every invariant of PROTOCOL.md's "Invariants the suite keeps" on chain state, read in one call
 * through `InvariantSuiteLens`, against a bigint model where the chain alone cannot tell.
 *
 * Sizing: `npm test` runs `fuzzRuns(300)` sequences of up to 40 steps with the fixed seed `fuzzSeed(0x5417e)`.
 * `npm run fuzz` (FUZZ_RUNS=2000) runs a longer campaign; when FUZZ_RUNS is set and FUZZ_SEED is not, the seed
 * is drawn at random and printed in the describe title, so a campaign explores new ground.
 *
 * Replay: a failure prints the shrunk sequence (each step's `toString`), the `seed` and the `path`. Replay it
 * with `FUZZ_SEED=<seed> npx hardhat test test/invariants/Suite.invariants.test.ts` (add FUZZ_RUNS=<runs> to
 * run the same number of sequences as the failing campaign).
 *
 * Each sequence starts from the same chain state (evm_snapshot / evm_revert) with: a maker (owners pay the
 * fees), a router, tokens and credits for five actors, one operator with a delegator, half the fleet onboarded,
 * and every onboarding pre-signed (device key × owner), so that a step is one transaction and one lens call.
 */
import { mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { expect } from "chai";
import { MaxUint256, Wallet, ZeroAddress, getAddress, id, keccak256, parseEther, toUtf8Bytes } from "ethers";
import fc from "fast-check";
import { ethers, network } from "hardhat";

import {
  DATA_CREDITS_ROLES,
  DEVICE_REGISTRY_ROLES,
  GOVERNED_PRICE_FEED_ROLES,
  REWARDS_DISTRIBUTOR_ROLES,
  REWARD_TOKEN_ROLES,
  STAKING_ROLES,
} from "../../scripts/lib/deploy";
import {
  addMaker,
  buildOnboardRequest,
  registryDomain,
  tokenIdOf,
  type OnboardRequest,
} from "../../scripts/lib/registry";
import { withinWindow } from "../../scripts/lib/credits";
import { buildRewardsTree, proofFor, type RewardsTree } from "../fixtures/rewards-tree";
import { InvariantSuiteLens__factory, type InvariantSuiteLens } from "../../typechain-types";
import { deploySuiteFixture } from "../fixtures/suite";
import { fuzzRuns, fuzzSeed, underCoverage } from "../helpers/fuzz";
import { callsOfTable, type RoleTableCall } from "../helpers/restricted-calls";

// ─── Sizing ─────────────────────────────────────────────────────────────────────────────────────

/**
 * `npm run coverage` does not run this file (the contract tests reach every line and branch); should it be run
 * under coverage by hand, the property runs a sample of 40 sequences (`npm test` keeps the full 300 as the
 * invariant gate), so that it finishes within its timeout.
 */
const UNDER_COVERAGE = underCoverage();
const RUNS = fuzzRuns(UNDER_COVERAGE ? 40 : 300);
const CAMPAIGN = process.env.FUZZ_RUNS !== undefined && process.env.FUZZ_SEED === undefined;
const SEED = CAMPAIGN ? Math.floor(Math.random() * 2 ** 31) : fuzzSeed(0x5417e);
const MAX_STEPS = 40;

const N_ACTORS = 5;
const N_DEVICES = 8;
/** Valid H3 cells (resolution 9 and 7). */
const CELLS = [0x8928308280fffffn, 0x872830828ffffffn];
/** Seconds a step may move the clock by: a minute, an hour, a challenge window's worth, a day, a week. */
const WARPS = [61, 3_600, 6 * 3_600, 86_400, 3 * 86_400, 8 * 86_400];
/** The margin kept from a time boundary, so that the next block's time cannot cross it. */
const MARGIN = 15n;
const FEE_ONBOARD = id("ONBOARD");

// ─── World and model ────────────────────────────────────────────────────────────────────────────

type Fixture = Awaited<ReturnType<typeof deploySuiteFixture>>;

interface World {
  readonly f: Fixture;
  readonly lens: InvariantSuiteLens;
  readonly oracle: HardhatEthersSigner;
  readonly actors: readonly HardhatEthersSigner[];
  readonly addresses: readonly string[];
  readonly router: HardhatEthersSigner;
  readonly devices: readonly string[];
  readonly tokenIds: readonly bigint[];
  readonly deviceClasses: readonly bigint[];
  /** `requests[device][owner]`, signed over the device's nonce 0. */
  readonly requests: readonly (readonly OnboardRequest[])[];
  readonly restricted: readonly RoleTableCall[];
  readonly suiteTuple: readonly string[];
  /** The owner of each device at the start of every sequence (the first half are onboarded by the setup). */
  readonly initialOwners: readonly (string | null)[];
  /** Credits minted and tokens burned by the setup's mints. */
  readonly setupMinted: bigint;
  readonly setupBurned: bigint;
  base: string;
}

interface StandingRoot {
  readonly epoch: bigint;
  readonly tree: RewardsTree;
  readonly amounts: ReadonlyMap<string, bigint>;
  readonly total: bigint;
  /** max(the post's block time + the challenge window, the previous root's): the model's own figure. */
  readonly claimableAt: bigint;
}

interface Model {
  /** Devices ever onboarded (a key onboards once, ever). */
  onboarded: boolean[];
  /** The owner of each live device token, or null. */
  owner: (string | null)[];
  suspended: boolean[];
  operators: string[];
  /** Tokens burned by slashes (each equal to what the `Slashed` event reported). */
  slashed: bigint;
  /** Credits and tokens of every mint, each mint's credits checked against its price. */
  creditsMinted: bigint;
  tokensBurned: bigint;
  /** Standing roots by epoch, and every tree ever posted by root. */
  roots: Map<bigint, StandingRoot>;
  trees: Map<string, StandingRoot>;
  /** What claims paid each account. */
  paid: Map<string, bigint>;
  lastUsage: Map<string, bigint>;
  /** Epoch → the operators' emission of epochs 0..epoch, read once per sequence (no step changes the split). */
  operatorsEmission: Map<bigint, bigint>;
}

function newModel(w: World): Model {
  return {
    onboarded: w.initialOwners.map((owner) => owner !== null),
    owner: [...w.initialOwners],
    suspended: Array<boolean>(N_DEVICES).fill(false),
    operators: [w.addresses[0]],
    slashed: 0n,
    creditsMinted: w.setupMinted,
    tokensBurned: w.setupBurned,
    roots: new Map(),
    trees: new Map(),
    paid: new Map(),
    lastUsage: new Map(),
    operatorsEmission: new Map(),
  };
}

type Cmd = fc.AsyncCommand<Model, World>;

async function latest(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** Fixes the next block's time explicitly (one second on) and returns it. */
async function nextBlockTime(): Promise<bigint> {
  const t = (await latest()) + 1n;
  await time.setNextBlockTimestamp(t);
  return t;
}

async function receiptOf(tx: Promise<{ wait(): Promise<unknown> }>) {
  return (await (await tx).wait()) as { blockNumber: number; logs: readonly unknown[] };
}

/** The tokens an address holds, read directly. */
async function tokens(w: World, account: string): Promise<bigint> {
  return w.f.token.balanceOf(account);
}

// ─── Invariants ─────────────────────────────────────────────────────────────────────────────────

async function checkInvariants(m: Model, w: World): Promise<void> {
  const [t, r, c, s, d] = await w.lens.read(w.suiteTuple as never, w.addresses as string[], m.operators, [
    ...w.tokenIds,
  ]);

  // Token total supply ≤ cap; emission minted ≤ the emission of the ended epochs, whatever was burned.
  expect(t.totalSupply, "supply ≤ cap").to.be.lte(t.cap);
  expect(t.emissionMinted, "emission minted ≤ emission budget").to.be.lte(t.emissionBudget);
  // No role mints outside the emission: the supply is the genesis allocation plus emission, less every burn.
  expect(t.totalSupply, "supply = genesis + emission − burns").to.equal(
    t.genesisAllocation + t.emissionMinted - c.tokensBurned - m.slashed,
  );

  // Σ claimed ≤ latest claimable totalCumulative ≤ operators' cumulative emission; balance covers what is owed.
  let claimedSum = 0n;
  for (const [i, account] of w.addresses.entries()) {
    claimedSum += r.claimed[i];
    // An account is never paid twice for the same cumulative amount.
    expect(r.claimed[i], `claimed(${account}) = what claims paid`).to.equal(m.paid.get(account) ?? 0n);
  }
  if (r.claimableExists) {
    expect(claimedSum, "Σ claimed ≤ latest claimable total").to.be.lte(r.claimableTotal);
    expect(r.claimableTotal, "latest claimable total ≤ operators' emission").to.be.lte(
      r.operatorsEmissionThroughClaimable,
    );
    expect(t.distributorBalance, "distributor balance ≥ owed").to.be.gte(r.claimableTotal - claimedSum);
    const root = m.trees.get(r.claimableRoot);
    expect(root !== undefined, "the claimable root is one the oracle posted").to.equal(true);
    for (const [i, account] of w.addresses.entries()) {
      expect(r.claimed[i], `claimed(${account}) ≤ its leaf`).to.be.lte(root!.amounts.get(account) ?? 0n);
    }
  } else {
    expect(claimedSum, "nothing claimed before a claimable root").to.equal(0n);
  }

  // Credits: minted = Σ per-mint floors; in existence = minted − burned = Σ balances + escrow.
  expect(c.creditsMinted, "credits minted = Σ mints").to.equal(m.creditsMinted);
  expect(c.tokensBurned, "tokens burned = Σ mints").to.equal(m.tokensBurned);
  expect(c.totalSupply, "credits = minted − burned").to.equal(c.creditsMinted - c.creditsBurned);
  expect(c.balances.reduce((a, b) => a + b, 0n) + c.escrowed, "Σ credit balances + escrow = supply").to.equal(
    c.totalSupply,
  );

  // Staking holds at least all stake, unbonding stake and unclaimed rewards.
  expect(t.stakingBalance, "staking is solvent").to.be.gte(s.bonded + s.totalUnbonding + s.rewardReserve);

  // A device token exists for each onboarded, non-decommissioned device, and for nothing else.
  let live = 0n;
  for (let i = 0; i < N_DEVICES; i++) {
    const expected = m.owner[i] ?? ZeroAddress;
    expect(d.owners[i], `owner of device ${i}`).to.equal(expected);
    if (m.owner[i] !== null) live += 1n;
  }
  expect(
    d.balances.reduce((a, b) => a + b, 0n),
    "device tokens held = live devices",
  ).to.equal(live);
}

// ─── Commands ───────────────────────────────────────────────────────────────────────────────────

/** Per kind of step: how many ran, and how many were effective (not skipped for an unmet precondition). */
const tally = new Map<string, { ran: number; effective: number }>();

abstract class Step implements Cmd {
  check(): true {
    return true;
  }
  async run(m: Model, w: World): Promise<void> {
    const effective = (await this.act(m, w)) !== false;
    const kind = this.toString().replace(/\(.*$/, "");
    const entry = tally.get(kind) ?? { ran: 0, effective: 0 };
    entry.ran += 1;
    if (effective) entry.effective += 1;
    tally.set(kind, entry);
    await checkInvariants(m, w);
  }
  abstract act(m: Model, w: World): Promise<boolean | void>;
  abstract toString(): string;
}

class Warp extends Step {
  constructor(readonly seconds: number) {
    super();
  }
  async act(): Promise<boolean | void> {
    await time.increase(this.seconds);
  }
  toString() {
    return `warp(${this.seconds})`;
  }
}

class RefreshPrice extends Step {
  constructor(readonly deltaBps: number) {
    super();
  }
  async act(_m: Model, w: World): Promise<boolean | void> {
    const feed = w.f.governedFeed!;
    const [, answer, , updatedAt] = await feed.latestRoundData();
    if ((await latest()) + 1n < updatedAt + (await feed.minInterval())) return false;
    const next = answer + (answer * BigInt(this.deltaBps)) / 10_000n;
    // An honest oracle does not post past the feed's bound on the moves of a window.
    const [[maxWindowMoveBps], [low, high]] = await Promise.all([feed.maxWindowMove(), feed.windowRange()]);
    if (!withinWindow(low, high, next, maxWindowMoveBps)) return false;
    await receiptOf(feed.connect(w.oracle).updateAnswer(next));
    expect((await feed.latestRoundData())[1]).to.equal(next);
  }
  toString() {
    return `refreshPrice(${this.deltaBps} bps)`;
  }
}

/** Burns tokens for credits; each mint's credits must be floor(tokens × price / $0.00001). */
class MintCredits extends Step {
  constructor(
    readonly actor: number,
    readonly to: number,
    readonly wholeTokens: number,
  ) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const { credits, governedFeed } = w.f;
    const amount = parseEther(String(this.wholeTokens));
    const payer = w.actors[this.actor];
    const [, , , updatedAt] = await governedFeed!.latestRoundData();
    const expiry = updatedAt + (await credits.maxStaleness());
    const now = await latest();
    if (now >= expiry) {
      // A stale price mints nothing.
      await expect(credits.connect(payer).mintWithTokens(w.addresses[this.to], amount, 0n))
        .to.be.revertedWithCustomError(credits, "StalePrice")
        .withArgs(updatedAt, await credits.maxStaleness(), (v: bigint) => v > expiry);
      return;
    }
    if (now + MARGIN >= expiry) return false;
    const price = await credits.price();
    const expected = (amount * price.answer) / 10n ** (13n + price.decimals);
    if (expected > (await credits.mintableCredits())) return false;
    const before = await credits.balanceOf(w.addresses[this.to]);
    await expect(credits.connect(payer).mintWithTokens(w.addresses[this.to], amount, expected))
      .to.emit(credits, "CreditsMinted")
      .withArgs(w.addresses[this.actor], w.addresses[this.to], amount, expected, price.answer);
    expect(await credits.balanceOf(w.addresses[this.to])).to.equal(before + expected);
    m.creditsMinted += expected;
    m.tokensBurned += amount;
  }
  toString() {
    return `mintCredits(actor ${this.actor} → ${this.to}, ${this.wholeTokens} tokens)`;
  }
}

class DelegateCredits extends Step {
  constructor(
    readonly actor: number,
    readonly bps: number,
  ) {
    super();
  }
  async act(_m: Model, w: World): Promise<boolean | void> {
    const { credits } = w.f;
    const payer = w.addresses[this.actor];
    const amount = ((await credits.balanceOf(payer)) * BigInt(this.bps)) / 10_000n;
    if (amount === 0n) return false;
    const escrow = await credits.escrowOf(payer, w.router.address);
    await receiptOf(credits.connect(w.actors[this.actor]).delegate(w.router.address, amount));
    expect(await credits.escrowOf(payer, w.router.address)).to.equal(escrow + amount);
  }
  toString() {
    return `delegateCredits(actor ${this.actor}, ${this.bps} bps)`;
  }
}

/** The router burns usage: honestly, beyond its escrow, or with a replayed usage id. */
class BurnUsage extends Step {
  constructor(
    readonly payer: number,
    readonly bps: number,
    readonly mode: "honest" | "overdraw" | "replay" | "stranger",
  ) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const { credits } = w.f;
    const payer = w.addresses[this.payer];
    const escrow = await credits.escrowOf(payer, w.router.address);
    const last = m.lastUsage.get(payer) ?? 0n;
    const router = credits.connect(w.router);
    if (this.mode === "overdraw") {
      await expect(router.burnForUsage(payer, escrow + 1n, last + 1n))
        .to.be.revertedWithCustomError(credits, "InsufficientEscrow")
        .withArgs(payer, w.router.address, escrow, escrow + 1n);
    } else if (this.mode === "replay") {
      if (last === 0n || escrow === 0n) return false;
      await expect(router.burnForUsage(payer, 1n, last))
        .to.be.revertedWithCustomError(credits, "UsageIdAlreadyUsed")
        .withArgs(payer, w.router.address, last, last);
    } else if (this.mode === "stranger") {
      const stranger = w.actors[(this.payer + 1) % N_ACTORS];
      await expect(credits.connect(stranger).burnForUsage(payer, 1n, last + 1n))
        .to.be.revertedWithCustomError(credits, "RouterNotRegistered")
        .withArgs(stranger.address);
    } else {
      const amount = (escrow * BigInt(this.bps)) / 10_000n;
      if (amount === 0n) return false;
      await receiptOf(router.burnForUsage(payer, amount, last + 1n));
      expect(await credits.escrowOf(payer, w.router.address)).to.equal(escrow - amount);
      m.lastUsage.set(payer, last + 1n);
      return;
    }
    expect(await credits.escrowOf(payer, w.router.address), "escrow untouched").to.equal(escrow);
  }
  toString() {
    return `burnUsage(${this.mode}, payer ${this.payer}, ${this.bps} bps)`;
  }
}

/** Onboards a pre-signed device; a key used before (onboarded or decommissioned) must be refused. */
class Onboard extends Step {
  constructor(
    readonly device: number,
    readonly owner: number,
  ) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const { registry, credits } = w.f;
    const request = w.requests[this.device][this.owner];
    const owner = w.actors[this.owner];
    if (m.onboarded[this.device]) {
      const nonce = await registry.onboardingNonce(w.devices[this.device]);
      await expect(registry.connect(owner).onboard(request))
        .to.be.revertedWithCustomError(registry, "DeviceAlreadyOnboarded")
        .withArgs(w.devices[this.device]);
      expect(await registry.onboardingNonce(w.devices[this.device]), "nonce unchanged").to.equal(nonce);
      return;
    }
    const fee = (await registry.deviceClass(w.deviceClasses[this.device])).onboardingFee;
    const balance = await credits.balanceOf(owner.address);
    if (balance < fee) {
      await expect(registry.connect(owner).onboard(request))
        .to.be.revertedWithCustomError(credits, "InsufficientCredits")
        .withArgs(owner.address, balance, fee);
      return;
    }
    await expect(registry.connect(owner).onboard(request))
      .to.emit(credits, "FeeBurned")
      .withArgs(owner.address, fee, FEE_ONBOARD);
    expect(await credits.balanceOf(owner.address)).to.equal(balance - fee);
    m.onboarded[this.device] = true;
    m.owner[this.device] = owner.address;
    m.suspended[this.device] = false;
  }
  toString() {
    return `onboard(device ${this.device} → actor ${this.owner})`;
  }
}

class AssertLocation extends Step {
  constructor(
    readonly device: number,
    readonly cell: number,
  ) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const owner = m.owner[this.device];
    if (owner === null || m.suspended[this.device]) return false;
    const { registry, credits } = w.f;
    const signer = w.actors[w.addresses.indexOf(owner)];
    const fee = (await registry.deviceClass(w.deviceClasses[this.device])).locationFee;
    if ((await credits.balanceOf(owner)) < fee) return false;
    const count = (await registry.deviceInfo(w.tokenIds[this.device])).assertionCount;
    await expect(registry.connect(signer).assertLocation(w.tokenIds[this.device], CELLS[this.cell]))
      .to.emit(registry, "LocationAsserted")
      .withArgs(w.tokenIds[this.device], CELLS[this.cell], count + 1n);
  }
  toString() {
    return `assertLocation(device ${this.device}, cell ${this.cell})`;
  }
}

class TransferDevice extends Step {
  constructor(
    readonly device: number,
    readonly to: number,
  ) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const owner = m.owner[this.device];
    if (owner === null) return false;
    const { registry } = w.f;
    const signer = w.actors[w.addresses.indexOf(owner)];
    const to = w.addresses[this.to];
    await receiptOf(
      registry.connect(signer)["safeTransferFrom(address,address,uint256)"](owner, to, w.tokenIds[this.device]),
    );
    m.owner[this.device] = to;
  }
  toString() {
    return `transferDevice(device ${this.device} → actor ${this.to})`;
  }
}

class Decommission extends Step {
  constructor(readonly device: number) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const owner = m.owner[this.device];
    if (owner === null) return false;
    const signer = w.actors[w.addresses.indexOf(owner)];
    await receiptOf(w.f.registry.connect(signer).decommission(w.tokenIds[this.device]));
    m.owner[this.device] = null;
  }
  toString() {
    return `decommission(device ${this.device})`;
  }
}

/** The oracle suspends an Active device, or governance reinstates a suspended one. */
class SuspendOrReinstate extends Step {
  constructor(readonly device: number) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    if (m.owner[this.device] === null) return false;
    const { registry } = w.f;
    const tokenId = w.tokenIds[this.device];
    if (m.suspended[this.device]) {
      await expect(registry.connect(w.oracle).reinstate(tokenId)).to.emit(registry, "DeviceReinstated");
    } else {
      await expect(registry.connect(w.oracle).suspend(tokenId, 1)).to.emit(registry, "DeviceSuspended");
    }
    m.suspended[this.device] = !m.suspended[this.device];
  }
  toString() {
    return `suspendOrReinstate(device ${this.device})`;
  }
}

class RegisterOperator extends Step {
  constructor(
    readonly actor: number,
    readonly commissionBps: number,
  ) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const account = w.addresses[this.actor];
    const [operator] = await w.f.staking.positionOf(account);
    if (operator !== ZeroAddress || m.operators.includes(account)) return false;
    await receiptOf(w.f.staking.connect(w.actors[this.actor]).registerOperator(this.commissionBps));
    m.operators.push(account);
  }
  toString() {
    return `registerOperator(actor ${this.actor}, ${this.commissionBps} bps)`;
  }
}

/** An operator stakes on itself, or anyone else delegates to an operator. */
class Bond extends Step {
  constructor(
    readonly actor: number,
    readonly operator: number,
    readonly wholeTokens: number,
  ) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const { staking } = w.f;
    const account = w.addresses[this.actor];
    const amount = parseEther(String(this.wholeTokens));
    const signer = staking.connect(w.actors[this.actor]);
    const [current, heldShares] = await staking.positionOf(account);
    if (m.operators.includes(account)) {
      const before = await staking.stakeOf(account, account);
      await receiptOf(signer.stake(amount));
      expect(await staking.stakeOf(account, account)).to.be.gte(before + amount - 1n);
      return;
    }
    const operator = m.operators[this.operator % m.operators.length];
    // A position emptied by unbonding or voided by a 100% slash binds to no operator.
    if (current !== ZeroAddress && heldShares > 0n && current !== operator) {
      await expect(signer.delegate(operator, amount))
        .to.be.revertedWithCustomError(staking, "StakedWithAnotherOperator")
        .withArgs(account, current);
      return;
    }
    const before = await staking.stakeOf(account, operator);
    const info = await staking.operatorInfo(operator);
    // A pool slashed to nothing takes no new shares.
    if (info.bondedShares !== 0n && info.bondedTokens === 0n) return false;
    await receiptOf(signer.delegate(operator, amount));
    expect(await staking.stakeOf(account, operator)).to.be.gte(before + amount - 1n);
  }
  toString() {
    return `bond(actor ${this.actor} → operator #${this.operator}, ${this.wholeTokens} tokens)`;
  }
}

class Unbond extends Step {
  constructor(
    readonly actor: number,
    readonly bps: number,
  ) {
    super();
  }
  async act(_m: Model, w: World): Promise<boolean | void> {
    const { staking } = w.f;
    const account = w.addresses[this.actor];
    const [operator] = await staking.positionOf(account);
    if (operator === ZeroAddress) return false;
    const bonded = await staking.stakeOf(account, operator);
    const amount = (bonded * BigInt(this.bps)) / 10_000n;
    if (amount === 0n) return false;
    const [requests] = await w.f.stakingLens.unbondRequests(account);
    if (BigInt(requests.length) >= (await staking.MAX_UNBOND_REQUESTS())) return false;
    const unbondingBefore = await staking.totalUnbonding();
    try {
      await receiptOf(staking.connect(w.actors[this.actor]).unbond(amount));
    } catch (error) {
      // An amount too small for one share of the unbonding pool is refused, and changes nothing.
      expect(String(error)).to.match(/ZeroShares/);
      return false;
    }
    expect(await staking.totalUnbonding()).to.be.gte(unbondingBefore + amount - 1n);
  }
  toString() {
    return `unbond(actor ${this.actor}, ${this.bps} bps)`;
  }
}

/** Withdraws matured unbonds: pays exactly the value of the requests matured at the block. */
class Withdraw extends Step {
  constructor(readonly actor: number) {
    super();
  }
  async act(_m: Model, w: World): Promise<boolean | void> {
    const { staking } = w.f;
    const account = w.addresses[this.actor];
    const [requests, amounts] = await w.f.stakingLens.unbondRequests(account);
    const before = await tokens(w, account);
    const receipt = await receiptOf(staking.connect(w.actors[this.actor]).withdraw());
    const block = await ethers.provider.getBlock(receipt.blockNumber);
    let expected = 0n;
    requests.forEach((request, i) => {
      if (request.maturity <= BigInt(block!.timestamp)) expected += amounts[i];
    });
    expect(await tokens(w, account), "withdraw pays the matured requests").to.equal(before + expected);
  }
  toString() {
    return `withdraw(actor ${this.actor})`;
  }
}

class ClaimStakingRewards extends Step {
  constructor(readonly actor: number) {
    super();
  }
  async act(_m: Model, w: World): Promise<boolean | void> {
    const { staking } = w.f;
    const account = w.addresses[this.actor];
    const due = await w.f.stakingLens.claimable(account);
    const before = await tokens(w, account);
    const reserve = await staking.rewardReserve();
    await receiptOf(staking.connect(w.actors[this.actor]).claimRewards());
    const paid = (await tokens(w, account)) - before;
    expect(paid, "staking claim pays at least what was due").to.be.gte(due);
    expect(await staking.rewardReserve(), "the reserve falls by what was paid").to.equal(reserve - paid);
    expect(await w.f.stakingLens.claimable(account)).to.equal(0n);
  }
  toString() {
    return `claimStakingRewards(actor ${this.actor})`;
  }
}

/** Slashes an operator: exactly what `Slashed` reports leaves Staking and the supply. */
class Slash extends Step {
  constructor(
    readonly operator: number,
    readonly bps: number,
  ) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const { staking, token } = w.f;
    const operator = m.operators[this.operator % m.operators.length];
    const supply = await token.totalSupply();
    const held = await token.balanceOf(await staking.getAddress());
    const receipt = await receiptOf(staking.connect(w.oracle).slash(operator, this.bps, id(`evidence ${this.bps}`)));
    let reported: bigint | undefined;
    for (const log of receipt.logs as Parameters<typeof staking.interface.parseLog>[0][]) {
      const parsed = staking.interface.parseLog(log);
      if (parsed?.name === "Slashed") reported = (parsed.args.bondedSlashed as bigint) + parsed.args.unbondingSlashed;
    }
    expect(reported !== undefined, "Slashed emitted").to.equal(true);
    expect(await token.totalSupply(), "supply falls by what was reported").to.equal(supply - reported!);
    expect(await token.balanceOf(await staking.getAddress())).to.equal(held - reported!);
    m.slashed += reported!;
  }
  toString() {
    return `slash(operator #${this.operator}, ${this.bps} bps)`;
  }
}

/** Distributes the oldest ended, undistributed epoch; or tries one already distributed, or one not ended. */
class Distribute extends Step {
  constructor(readonly mode: "next" | "again" | "future") {
    super();
  }
  async act(_m: Model, w: World): Promise<boolean | void> {
    const { distributor, rewardsLens: lens, token } = w.f;
    const ended = await token.endedEpochs();
    let next = 0n;
    while (next < ended && (await lens.isDistributed(next))) next += 1n;
    const supply = await token.totalSupply();
    if (this.mode === "future") {
      await expect(distributor.distributeEpoch(ended + 1n))
        .to.be.revertedWithCustomError(distributor, "EpochNotEnded")
        .withArgs(ended + 1n, (v: bigint) => v >= ended);
    } else if (this.mode === "again") {
      if (next === 0n) return false;
      await expect(distributor.distributeEpoch(next - 1n))
        .to.be.revertedWithCustomError(distributor, "EpochAlreadyDistributed")
        .withArgs(next - 1n);
    } else {
      if (next >= ended) return false;
      await expect(distributor.distributeEpoch(next)).to.emit(distributor, "EpochDistributed");
      expect(await token.totalSupply()).to.equal(supply + (await token.emission(next)));
      return;
    }
    expect(await token.totalSupply(), "nothing minted").to.equal(supply);
  }
  toString() {
    return `distribute(${this.mode})`;
  }
}

/** The room a root of `epoch` has: the operators' emission through it, less what was swept. */
async function emissionLimit(m: Model, w: World, epoch: bigint): Promise<bigint> {
  let e = 0n;
  while (m.operatorsEmission.has(e)) e += 1n;
  for (; e <= epoch; e++) {
    const share = await w.f.rewardsLens.operatorsShareOf(e);
    m.operatorsEmission.set(e, (e === 0n ? 0n : m.operatorsEmission.get(e - 1n)!) + share);
  }
  return m.operatorsEmission.get(epoch)! - (await w.f.rewardsLens.totalSwept());
}

/** Checks `latestClaimable()` against the model's own claimable times at block time `t` (the latest block's). */
async function expectLatestClaimable(m: Model, w: World, t: bigint, what: string): Promise<void> {
  let latestEpoch = -1n;
  for (const r of m.roots.values()) if (r.claimableAt <= t && r.epoch > latestEpoch) latestEpoch = r.epoch;
  const [exists, epoch, root] = await w.f.rewardsLens.latestClaimable();
  expect(exists, what).to.equal(latestEpoch >= 0n);
  if (exists) expect([epoch, root], what).to.deep.equal([latestEpoch, m.roots.get(latestEpoch)!.tree.root]);
}

/** The ring's size: the root of `epoch` may stand only once the root of `epoch - 63` is claimable. */
const RING = 64n;
/** Posts the ring refused, and roots that took the slot of one 64 epochs older: the catch-ups must reach both. */
const ringReach = { refused: 0, reused: 0 };

/**
 * The oracle posts an honest root for the next epoch at an explicit block time: every previous leaf
 * carried, new rewards within the emission. Returns false when the ring refuses it (`TooManyPendingRoots`,
 * asserted from the model's own claimable times).
 */
async function postHonest(m: Model, w: World, mask: number, bps: number): Promise<boolean> {
  const { distributor, rewardsLens: lens } = w.f;
  const epoch = await lens.nextEpoch();
  const previous = m.roots.get(epoch - 1n);
  const amounts = new Map<string, bigint>(previous?.amounts ?? []);
  const room = (await emissionLimit(m, w, epoch)) - (previous?.total ?? 0n);
  const winners = w.addresses.filter((_, i) => ((mask | 1) >> i) & 1);
  const share = (room * BigInt(bps)) / 10_000n / BigInt(winners.length);
  for (const account of winners) amounts.set(account, (amounts.get(account) ?? 0n) + share);
  const tree = buildRewardsTree([...amounts].map(([account, cumulativeAmount]) => ({ account, cumulativeAmount })));
  const total = [...amounts.values()].reduce((a, b) => a + b, 0n);
  const window = await lens.challengeWindow();
  const t = await nextBlockTime();
  const post = distributor
    .connect(w.oracle)
    .postRoot(epoch, tree.root, total, id(`inputs ${epoch}`), `ipfs://${epoch}`);
  const held = epoch >= RING ? m.roots.get(epoch - RING + 1n)!.claimableAt : 0n;
  if (held > t) {
    await expect(post).to.be.revertedWithCustomError(distributor, "TooManyPendingRoots").withArgs(epoch, held);
    expect(await lens.nextEpoch(), "the ring refused it").to.equal(epoch);
    ringReach.refused += 1;
    return false;
  }
  const claimableAt = t + window > (previous?.claimableAt ?? 0n) ? t + window : previous!.claimableAt;
  await expect(post).to.emit(distributor, "RootAccepted").withArgs(epoch, tree.root, claimableAt);
  expect(await lens.nextEpoch()).to.equal(epoch + 1n);
  expect(await lens.isDistributed(epoch), "a root never stands without its tokens").to.equal(true);
  const standing = { epoch, tree, amounts, total, claimableAt };
  if (epoch >= RING) ringReach.reused += 1;
  m.roots.set(epoch, standing);
  m.trees.set(tree.root, standing);
  return true;
}

/** The oracle posts an honest root: every previous leaf carried, new rewards within the emission. */
class PostHonestRoot extends Step {
  constructor(
    readonly mask: number,
    readonly bps: number,
  ) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const { rewardsLens: lens, token } = w.f;
    // The margin keeps the post's block inside the epoch that `endedEpochs` saw ending.
    if ((await lens.nextEpoch()) >= (await token.endedEpochs())) return false;
    return postHonest(m, w, this.mask, this.bps);
  }
  toString() {
    return `postHonestRoot(mask ${this.mask}, ${this.bps} bps of the room)`;
  }
}

/**
 * An oracle back from an outage: time moves until `count` more epochs have ended, then it posts them one
 * after another in one go. Catch-ups longer than the ring stop where the ring refuses the next root.
 */
class CatchUp extends Step {
  constructor(
    readonly count: number,
    readonly mask: number,
    readonly bps: number,
  ) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const { rewardsLens: lens, token } = w.f;
    const target = BigInt(this.count) + (await lens.nextEpoch());
    const end = (await token.genesis()) + target * (await token.epochLength());
    if ((await latest()) < end) await time.increaseTo(end);
    let posted = 0;
    while (posted < this.count && (await postHonest(m, w, this.mask, this.bps))) posted += 1;
    return posted > 0;
  }
  toString() {
    return `catchUp(${this.count} epochs, mask ${this.mask}, ${this.bps} bps)`;
  }
}

/** A malicious post: above the emission, a decreasing total, the wrong epoch, or from a non-oracle. */
class PostMaliciousRoot extends Step {
  constructor(
    readonly kind: "aboveEmission" | "decreasing" | "wrongEpoch" | "nonOracle",
    readonly actor: number,
  ) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const { distributor, rewardsLens: lens, token } = w.f;
    const epoch = await lens.nextEpoch();
    const ended = epoch < (await token.endedEpochs());
    const root = keccak256(toUtf8Bytes(`forged ${this.kind}`));
    const previousTotal = m.roots.get(epoch - 1n)?.total ?? 0n;
    const post = (signer: HardhatEthersSigner, e: bigint, total: bigint) =>
      distributor.connect(signer).postRoot(e, root, total, id("forged"), "");
    if (this.kind === "nonOracle") {
      await expect(post(w.actors[this.actor], epoch, 0n))
        .to.be.revertedWithCustomError(distributor, "AccessManagedUnauthorized")
        .withArgs(w.addresses[this.actor]);
    } else if (this.kind === "wrongEpoch") {
      await expect(post(w.oracle, epoch + 1n, previousTotal))
        .to.be.revertedWithCustomError(distributor, "EpochNotNext")
        .withArgs(epoch + 1n, epoch);
    } else if (!ended) {
      return false;
    } else if (this.kind === "aboveEmission") {
      const limit = await emissionLimit(m, w, epoch);
      await expect(post(w.oracle, epoch, limit + 1n))
        .to.be.revertedWithCustomError(distributor, "TotalCumulativeExceedsEmission")
        .withArgs(limit + 1n, limit);
    } else {
      if (previousTotal === 0n) return false;
      await expect(post(w.oracle, epoch, previousTotal - 1n))
        .to.be.revertedWithCustomError(distributor, "TotalCumulativeDecreased")
        .withArgs(previousTotal - 1n, previousTotal);
    }
    expect(await lens.nextEpoch(), "no root stood").to.equal(epoch);
    await expectLatestClaimable(m, w, await latest(), "claims unchanged");
  }
  toString() {
    return `postMaliciousRoot(${this.kind}, actor ${this.actor})`;
  }
}

/**
 * The guardian vetoes any standing root, picked at random: a pending one goes with every later one; a
 * claimable one is refused, whatever slots of the ring later roots took (the model's claimable times decide).
 */
class Veto extends Step {
  constructor(readonly pick: number) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const { distributor, rewardsLens: lens } = w.f;
    const next = await lens.nextEpoch();
    if (next === 0n) return false;
    const epoch = BigInt(this.pick) % next;
    const t = await nextBlockTime();
    if (m.roots.get(epoch)!.claimableAt > t) {
      await expect(distributor.connect(w.oracle).veto(epoch))
        .to.emit(distributor, "RootVetoed")
        .withArgs(epoch, m.roots.get(epoch)!.tree.root);
      expect(await lens.nextEpoch()).to.equal(epoch);
      for (let e = epoch; e < next; e++) m.roots.delete(e);
    } else {
      await expect(distributor.connect(w.oracle).veto(epoch))
        .to.be.revertedWithCustomError(distributor, "RootNotPending")
        .withArgs(epoch);
      expect(await lens.nextEpoch()).to.equal(next);
    }
    // The latest claimable root is the model's, at the veto's block time: a veto never reaches it.
    await expectLatestClaimable(m, w, t, "claims unchanged by a veto");
  }
  toString() {
    return `veto(pick ${this.pick})`;
  }
}

/** A claim against the latest claimable root: honest, inflated by one wei, or replayed. */
class ClaimRewards extends Step {
  constructor(
    readonly actor: number,
    readonly mode: "honest" | "inflated" | "replay",
  ) {
    super();
  }
  async act(m: Model, w: World): Promise<boolean | void> {
    const { distributor, rewardsLens: lens } = w.f;
    const account = w.addresses[this.actor];
    const caller = distributor.connect(w.actors[(this.actor + 1) % N_ACTORS]);
    // The claim runs at an explicit block time, against the root the model says is claimable then.
    const t = (await latest()) + 1n;
    let latestEpoch = -1n;
    for (const r of m.roots.values()) if (r.claimableAt <= t && r.epoch > latestEpoch) latestEpoch = r.epoch;
    if (latestEpoch < 0n) {
      await time.setNextBlockTimestamp(t);
      await expect(caller.claim(account, 0n, [])).to.be.revertedWithCustomError(distributor, "NoClaimableRoot");
      return;
    }
    const standing = m.roots.get(latestEpoch)!;
    if (!standing.amounts.has(account)) return false;
    const { cumulativeAmount, proof } = proofFor(standing.tree, account);
    const claimed = await lens.claimed(account);
    const before = await tokens(w, account);
    await time.setNextBlockTimestamp(t);
    if (this.mode === "inflated") {
      await expect(caller.claim(account, cumulativeAmount + 1n, proof))
        .to.be.revertedWithCustomError(distributor, "InvalidProof")
        .withArgs(account, cumulativeAmount + 1n);
      expect(await tokens(w, account)).to.equal(before);
      return;
    }
    await receiptOf(caller.claim(account, cumulativeAmount, proof));
    const due = cumulativeAmount > claimed ? cumulativeAmount - claimed : 0n;
    expect(await tokens(w, account), "a claim pays what is newly due").to.equal(before + due);
    m.paid.set(account, (m.paid.get(account) ?? 0n) + due);
    if (this.mode === "replay") {
      // One second later a newer root may be claimable: the same proof then proves nothing.
      await time.setNextBlockTimestamp(t + 1n);
      const still = [...m.roots.values()].every((r) => r.epoch <= latestEpoch || r.claimableAt > t + 1n);
      const replay = caller.claim(account, cumulativeAmount, proof);
      if (still) await receiptOf(replay);
      else await expect(replay).to.be.revertedWithCustomError(distributor, "InvalidProof");
      expect(await tokens(w, account), "a replayed claim pays nothing").to.equal(before + due);
    }
  }
  toString() {
    return `claimRewards(${this.mode}, actor ${this.actor})`;
  }
}

/** Governance sweeps unallocated operators' tokens to the treasury: within `sweepable`, or one wei past it. */
class Sweep extends Step {
  constructor(
    readonly bps: number,
    readonly greedy: boolean,
  ) {
    super();
  }
  async act(_m: Model, w: World): Promise<boolean | void> {
    const { distributor, rewardsLens: lens, token } = w.f;
    const [exists, epoch] = await lens.latestClaimable();
    const next = await lens.nextEpoch();
    // A sweep waits until the newest standing root is claimable.
    if (!exists || epoch + 1n !== next) return false;
    const sweepable = await lens.sweepable();
    const held = await token.balanceOf(await distributor.getAddress());
    if (this.greedy) {
      await expect(distributor.connect(w.oracle).sweep(sweepable + 1n))
        .to.be.revertedWithCustomError(distributor, "SweepExceedsUnallocated")
        .withArgs(sweepable + 1n, sweepable);
      expect(await token.balanceOf(await distributor.getAddress())).to.equal(held);
      return;
    }
    const amount = (sweepable * BigInt(this.bps)) / 10_000n;
    if (amount === 0n) return false;
    await expect(distributor.connect(w.oracle).sweep(amount)).to.changeTokenBalances(
      token,
      [await distributor.getAddress(), await lens.treasury()],
      [-amount, amount],
    );
  }
  toString() {
    return `sweep(${this.greedy ? "greedy" : `${this.bps} bps`})`;
  }
}

/** An actor without roles calls a restricted function of some contract. */
class CallRestricted extends Step {
  constructor(
    readonly actor: number,
    readonly index: number,
  ) {
    super();
  }
  async act(_m: Model, w: World): Promise<boolean | void> {
    const call = w.restricted[this.index % w.restricted.length];
    const signer = w.actors[this.actor];
    const fn = call.target.connect(signer).getFunction(call.signature);
    await expect(fn(...call.args), `${call.contract}.${call.signature}`)
      .to.be.revertedWithCustomError(call.target, "AccessManagedUnauthorized")
      .withArgs(signer.address);
  }
  toString() {
    return `callRestricted(actor ${this.actor}, #${this.index})`;
  }
}

function commandArbitraries(): fc.Arbitrary<Cmd>[] {
  const actor = fc.nat({ max: N_ACTORS - 1 });
  const device = fc.nat({ max: N_DEVICES - 1 });
  const bps = fc.integer({ min: 1, max: 10_000 });
  const wholeTokens = fc.integer({ min: 1, max: 2_000 });
  return [
    fc.constantFrom(...WARPS).map((s) => new Warp(s)),
    fc.constantFrom(...WARPS).map((s) => new Warp(s)),
    fc.integer({ min: -500, max: 500 }).map((d) => new RefreshPrice(d)),
    fc.integer({ min: -500, max: 500 }).map((d) => new RefreshPrice(d)),
    fc.tuple(actor, actor, wholeTokens).map(([a, t, n]) => new MintCredits(a, t, n)),
    fc.tuple(actor, bps).map(([a, b]) => new DelegateCredits(a, b)),
    fc
      .tuple(
        actor,
        bps,
        fc.constantFrom("honest", "honest", "overdraw", "replay", "stranger") as fc.Arbitrary<BurnUsage["mode"]>,
      )
      .map(([a, b, mode]) => new BurnUsage(a, b, mode)),
    fc.tuple(device, actor).map(([d, a]) => new Onboard(d, a)),
    fc.tuple(device, actor).map(([d, a]) => new Onboard(d, a)),
    fc.tuple(device, fc.nat({ max: CELLS.length - 1 })).map(([d, c]) => new AssertLocation(d, c)),
    fc.tuple(device, actor).map(([d, a]) => new TransferDevice(d, a)),
    device.map((d) => new Decommission(d)),
    device.map((d) => new SuspendOrReinstate(d)),
    fc.tuple(actor, fc.integer({ min: 0, max: 3_000 })).map(([a, c]) => new RegisterOperator(a, c)),
    fc.tuple(actor, fc.nat({ max: 4 }), wholeTokens).map(([a, o, n]) => new Bond(a, o, n)),
    fc.tuple(actor, bps).map(([a, b]) => new Unbond(a, b)),
    actor.map((a) => new Withdraw(a)),
    actor.map((a) => new ClaimStakingRewards(a)),
    fc
      .tuple(fc.nat({ max: 4 }), fc.oneof(fc.integer({ min: 1, max: 2_000 }), fc.constant(10_000)))
      .map(([o, b]) => new Slash(o, b)),
    fc.constantFrom("next", "next", "again", "future").map((mode) => new Distribute(mode as Distribute["mode"])),
    fc.tuple(fc.nat({ max: 31 }), bps).map(([mask, b]) => new PostHonestRoot(mask, b)),
    fc.tuple(fc.nat({ max: 31 }), bps).map(([mask, b]) => new PostHonestRoot(mask, b)),
    fc
      .tuple(
        fc.constantFrom("aboveEmission", "decreasing", "wrongEpoch", "nonOracle") as fc.Arbitrary<
          PostMaliciousRoot["kind"]
        >,
        actor,
      )
      .map(([kind, a]) => new PostMaliciousRoot(kind, a)),
    // Any standing root, pending or claimable, whatever ring slot it sits in.
    fc.nat({ max: 200 }).map((p) => new Veto(p)),
    // Catch-ups after an outage, the longest past the ring of 64.
    fc
      .tuple(fc.constantFrom(3, 10, 70), fc.nat({ max: 31 }), fc.integer({ min: 0, max: 200 }))
      .map(([n, mask, b]) => new CatchUp(n, mask, b)),
    fc
      .tuple(actor, fc.constantFrom("honest", "honest", "inflated", "replay") as fc.Arbitrary<ClaimRewards["mode"]>)
      .map(([a, mode]) => new ClaimRewards(a, mode)),
    fc.tuple(actor, fc.nat({ max: 1_000 })).map(([a, i]) => new CallRestricted(a, i)),
    fc.tuple(bps, fc.boolean()).map(([b, greedy]) => new Sweep(b, greedy)),
  ];
}

// ─── Setup ──────────────────────────────────────────────────────────────────────────────────────

/** The deployed suite plus everything every sequence starts from. */
async function buildWorld(): Promise<World> {
  const f = await deploySuiteFixture();
  const signers = await ethers.getSigners();
  const oracle = f.deployer;
  const actors = [f.alice, f.bob, f.carol, signers[9], signers[10]];
  const addresses = actors.map((a) => a.address);
  const router = signers[11];
  const lens = await new InvariantSuiteLens__factory(f.deployer).deploy();

  const maker = Wallet.createRandom();
  await f.credits.registerRouter(router.address);
  // Testnet's six-hour challenge window (hardhat.json has a minute): long enough that a catch-up fills the ring
  // of 64 roots before the first of them is claimable, and that vetoes find pending roots.
  await f.distributor.setChallengeWindow(6 * 3_600);
  const { makerId } = await addMaker(f.registry, {
    name: "invariant maker",
    signer: maker.address,
    sponsor: ZeroAddress,
    classes: [0n, 1n, 2n],
    quota: 0n,
  });

  const credits = await f.credits.getAddress();
  const stakingAddress = await f.staking.getAddress();
  for (const account of actors) {
    await f.token.connect(f.deployer).transfer(account.address, parseEther("1000000"));
    await f.token.connect(account).approve(credits, MaxUint256);
    await f.token.connect(account).approve(stakingAddress, MaxUint256);
    await f.credits.connect(account).mintWithTokens(account.address, parseEther("1000"), 0n);
  }
  // One operator with a delegator, so that staking rewards and slashes have stake to act on.
  await f.staking.connect(actors[0]).registerOperator(1_000);
  await f.staking.connect(actors[0]).stake(parseEther("1000"));
  await f.staking.connect(actors[1]).delegate(actors[0].address, parseEther("500"));

  const { chainId } = await ethers.provider.getNetwork();
  const domain = registryDomain(chainId, await f.registry.getAddress());
  const deviceKeys = Array.from({ length: N_DEVICES }, (_, i) => new Wallet(id(`invariant device ${i}`)));
  const deviceClasses = deviceKeys.map((_, i) => BigInt(i % 3));
  const requests: OnboardRequest[][] = [];
  for (const [i, key] of deviceKeys.entries()) {
    const row: OnboardRequest[] = [];
    for (const owner of addresses) {
      row.push(
        await buildOnboardRequest({
          domain,
          maker,
          makerId,
          device: key,
          deviceClass: deviceClasses[i],
          owner,
          nonce: 0n,
          deadline: 2n ** 40n,
        }),
      );
    }
    requests.push(row);
  }

  // Half the fleet is live from the start, so that transfers, assertions and decommissions have devices.
  const initialOwners: (string | null)[] = Array<string | null>(N_DEVICES).fill(null);
  for (let i = 0; i < N_DEVICES / 2; i++) {
    await f.registry.connect(actors[i % N_ACTORS]).onboard(requests[i][i % N_ACTORS]);
    initialOwners[i] = addresses[i % N_ACTORS];
  }

  const restricted = [
    ...callsOfTable("RewardToken", f.token, REWARD_TOKEN_ROLES, addresses[0]),
    ...callsOfTable("GovernedPriceFeed", f.governedFeed!, GOVERNED_PRICE_FEED_ROLES, addresses[0]),
    ...callsOfTable("DataCredits", f.credits, DATA_CREDITS_ROLES, addresses[0]),
    ...callsOfTable("DeviceRegistry", f.registry, DEVICE_REGISTRY_ROLES, addresses[0]),
    ...callsOfTable("Staking", f.staking, STAKING_ROLES, addresses[0]),
    ...callsOfTable("RewardsDistributor", f.distributor, REWARDS_DISTRIBUTOR_ROLES, addresses[0]),
  ];
  const suiteTuple = [
    await f.token.getAddress(),
    credits,
    await f.registry.getAddress(),
    stakingAddress,
    await f.distributor.getAddress(),
  ];
  await mine();
  const base = (await network.provider.send("evm_snapshot")) as string;
  return {
    f,
    lens,
    oracle,
    actors,
    addresses,
    router,
    devices: deviceKeys.map((k) => getAddress(k.address)),
    tokenIds: deviceKeys.map((k) => tokenIdOf(k.address)),
    deviceClasses,
    requests,
    restricted,
    suiteTuple,
    initialOwners,
    setupMinted: await f.credits.creditsMinted(),
    setupBurned: await f.credits.tokensBurned(),
    base,
  };
}

async function resetWorld(w: World): Promise<void> {
  await network.provider.send("evm_revert", [w.base]);
  w.base = (await network.provider.send("evm_snapshot")) as string;
}

// ─── The property ───────────────────────────────────────────────────────────────────────────────

describe(`Suite invariants (stateful fuzz: ${RUNS} sequences of up to ${MAX_STEPS} steps, seed ${SEED})`, function () {
  // A 2-core machine runs the CI size in about three minutes; a campaign scales with its runs.
  this.timeout(Math.max(600_000, RUNS * 2_000));
  let world: World;

  before(async function () {
    world = await buildWorld();
  });

  after(async function () {
    await network.provider.send("evm_revert", [world.base]);
  });

  it("keeps every invariant of PROTOCOL.md whatever the actors do", async function () {
    await checkInvariants(newModel(world), world);
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbitraries(), { maxCommands: MAX_STEPS, size: "max" }), async (cmds) => {
        await resetWorld(world);
        await fc.asyncModelRun(() => ({ model: newModel(world), real: world }), cmds);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The campaign must not go vacuous: every kind of step did its work at least once.
    const summary = [...tally].map(([k, v]) => `${k} ${v.effective}/${v.ran}`).join(", ");
    console.log(`      effective/ran steps: ${summary}`);
    console.log(`      ring: ${ringReach.reused} roots past epoch 63, ${ringReach.refused} posts refused by the ring`);
    if (RUNS >= 100 && !UNDER_COVERAGE) {
      expect(tally.size, "every one of the 24 kinds of step ran").to.equal(24);
      for (const [kind, { effective }] of tally) expect(effective, `${kind} never took effect`).to.be.gt(0);
      expect(ringReach.refused, "a catch-up ran into the ring's limit").to.be.gt(0);
      expect(ringReach.reused, "a root took the slot of one 64 epochs older").to.be.gt(0);
    }
  });
});
