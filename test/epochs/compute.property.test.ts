import { expect } from "chai";
import fc from "fast-check";

import {
  computeEpoch,
  type ActivityRow,
  type DeviceStatus,
  type EpochResult,
  type PreviousEpoch,
  type Snapshot,
} from "../../scripts/lib/epochs";
import { addr } from "./helpers";

// ─── An independent reference, written from PROTOCOL.md ("Epoch pipeline", points 2 to 6) ─────────
// It shares no code with the library: plain loops over the inputs, bigint throughout.

interface Expected {
  coverageWeight: bigint;
  dataWeight: bigint;
  coverageReward: bigint;
  dataReward: bigint;
}

function reference(snapshot: Snapshot, activity: readonly ActivityRow[]) {
  const p = snapshot.header.params;
  const ONE = 1_000_000_000_000_000_000n;
  const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
  const heldDevices = (owner: string): bigint =>
    BigInt(snapshot.devices.filter((d) => d.owner === owner && d.status !== "decommissioned").length);
  const ownerStake = (owner: string): bigint => snapshot.stakes.find((s) => s.owner === owner)?.stake ?? 0n;
  const stakeFactor = (owner: string): bigint =>
    p.minStakePerDevice === 0n ? ONE : min(ONE, (ownerStake(owner) * ONE) / (p.minStakePerDevice * heldDevices(owner)));

  const weights = new Map<string, { cw: bigint; dw: bigint; beneficiary: string }>();
  for (const row of activity) {
    const d = snapshot.devices.find((x) => x.device === row.device.toLowerCase());
    if (d === undefined) continue; // unknown: earns 0
    const eligible = BigInt(d.onboardedAt) < snapshot.header.epochEnd && d.status === "active" && d.locationAsserted;
    if (!eligible) continue;
    const sf = stakeFactor(d.owner);
    const cw =
      BigInt(d.classMultiplierBps) * min(row.uptimeSeconds, p.epochLength) * min(row.coverageProofs, p.maxProofs) * sf;
    const packets = row.dataBytes / 24n + (row.dataBytes % 24n === 0n ? 0n : 1n);
    weights.set(d.device, { cw, dw: packets * sf, beneficiary: d.recipient ?? d.owner });
  }
  let totalCw = 0n;
  let totalDw = 0n;
  for (const w of weights.values()) {
    totalCw += w.cw;
    totalDw += w.dw;
  }
  const pool = (p.emission * p.operatorsBps) / 10_000n;
  let coverageBucket = (pool * 6_000n) / 10_000n;
  let dataBucket = pool - coverageBucket;
  if (totalDw === 0n) {
    coverageBucket = pool;
    dataBucket = 0n;
  }
  const perDevice = new Map<string, Expected>();
  const perAccount = new Map<string, bigint>();
  for (const [device, w] of weights) {
    const coverageReward = totalCw === 0n ? 0n : (coverageBucket * w.cw) / totalCw;
    const dataReward = totalDw === 0n ? 0n : (dataBucket * w.dw) / totalDw;
    perDevice.set(device, { coverageWeight: w.cw, dataWeight: w.dw, coverageReward, dataReward });
    perAccount.set(w.beneficiary, (perAccount.get(w.beneficiary) ?? 0n) + coverageReward + dataReward);
  }
  return { pool, perDevice, perAccount };
}

// ─── Random small networks ───────────────────────────────────────────────────────────────────────

const MAX_DEVICES = 10;
const STATUSES: DeviceStatus[] = ["active", "active", "active", "suspended", "decommissioned"];

const deviceArb = fc.record({
  owner: fc.nat(3),
  recipient: fc.option(fc.nat(2), { nil: null }),
  multiplier: fc.oneof(fc.constant(10_000), fc.integer({ min: 0, max: 30_000 })),
  status: fc.constantFrom(...STATUSES),
  onboarding: fc.constantFrom("early", "early", "early", "at-end-of-0", "after-all"),
  located: fc.oneof(fc.constant(true), fc.boolean()),
});

const rowArb = fc.record({
  uptime: fc.oneof(fc.bigInt({ min: 0n, max: 200n }), fc.bigInt({ min: 0n, max: 200_000n })),
  proofs: fc.bigInt({ min: 0n, max: 300n }),
  bytes: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 100n }), fc.bigInt({ min: 0n, max: 10n ** 15n })),
  upper: fc.boolean(),
});

const epochActivityArb = fc.record({
  rows: fc.array(fc.option(rowArb, { nil: null }), { minLength: MAX_DEVICES, maxLength: MAX_DEVICES }),
  unknown: fc.array(rowArb, { maxLength: 2 }),
});

const networkArb = fc.record({
  emission: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.bigInt({ min: 0n, max: 10n ** 27n })),
  operatorsBps: fc.integer({ min: 0, max: 10_000 }),
  epochLength: fc.constantFrom(1n, 60n, 86_400n),
  maxProofs: fc.bigInt({ min: 0n, max: 150n }),
  minStake: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 21n })),
  devices: fc.array(deviceArb, { maxLength: MAX_DEVICES }),
  stakes: fc.array(fc.option(fc.bigInt({ min: 0n, max: 10n ** 22n }), { nil: null }), { minLength: 4, maxLength: 4 }),
  epochs: fc.array(epochActivityArb, { minLength: 1, maxLength: 3 }),
});

type Network = typeof networkArb extends fc.Arbitrary<infer T> ? T : never;

function snapshotOf(net: Network, epoch: bigint): Snapshot {
  const genesis = 10_000n;
  const epochStart = genesis + epoch * net.epochLength;
  const endOf0 = genesis + net.epochLength;
  const operatorsBps = BigInt(net.operatorsBps);
  return {
    header: {
      chainId: 31_337n,
      epoch,
      block: 100n + epoch,
      blockTimestamp: epochStart + net.epochLength - 1n,
      epochStart,
      epochEnd: epochStart + net.epochLength,
      contracts: { deviceRegistry: addr(0xe1), staking: addr(0xe2), rewardsDistributor: addr(0xe3) },
      params: {
        emission: net.emission,
        operatorsBps,
        stakersBps: (10_000n - operatorsBps) / 2n,
        treasuryBps: 10_000n - operatorsBps - (10_000n - operatorsBps) / 2n,
        epochLength: net.epochLength,
        minStakePerDevice: net.minStake,
        maxProofs: net.maxProofs,
      },
    },
    devices: net.devices.map((d, i) => ({
      device: addr(0xd000 + i),
      owner: addr(0xa000 + d.owner),
      recipient: d.recipient === null ? null : addr(0xb000 + d.recipient),
      classId: 1,
      classMultiplierBps: d.multiplier,
      status: d.status,
      onboardedAt: Number(
        d.onboarding === "early" ? genesis - 1n : d.onboarding === "at-end-of-0" ? endOf0 : 10n ** 9n,
      ),
      locationAsserted: d.located,
    })),
    stakes: net.stakes.flatMap((s, i) => (s === null ? [] : [{ owner: addr(0xa000 + i), stake: s }])),
  };
}

function activityOf(net: Network, e: number): ActivityRow[] {
  const epoch = net.epochs[e] as Network["epochs"][number];
  const rows: ActivityRow[] = [];
  epoch.rows.forEach((r, i) => {
    if (r === null || i >= net.devices.length) return;
    const device = addr(0xd000 + i);
    rows.push({
      device: r.upper ? `0x${device.slice(2).toUpperCase()}` : device,
      uptimeSeconds: r.uptime,
      coverageProofs: r.proofs,
      dataBytes: r.bytes,
    });
  });
  epoch.unknown.forEach((r, i) =>
    rows.push({ device: addr(0xf000 + i), uptimeSeconds: r.uptime, coverageProofs: r.proofs, dataBytes: r.bytes }),
  );
  return rows.reverse(); // not in address order: the compute must not rely on it
}

function previousOf(result: EpochResult): PreviousEpoch {
  return {
    chainId: result.chainId,
    distributor: result.distributor,
    epoch: result.epoch,
    root: result.root,
    totalCumulative: result.totalCumulative,
    cumulative: new Map(result.accounts.map((a) => [a.account, a.cumulative])),
  };
}

describe("epochs › computeEpoch (properties)", function () {
  it("pays each device in each bucket what PROTOCOL.md's formula gives, conserves the pool and never lowers a cumulative amount", async function () {
    await fc.assert(
      fc.asyncProperty(networkArb, async (net) => {
        let previous: EpochResult | undefined;
        for (let e = 0; e < net.epochs.length; e++) {
          const snapshot = snapshotOf(net, BigInt(e));
          const activity = activityOf(net, e);
          const result = await computeEpoch(
            BigInt(e),
            snapshot,
            { source: "activity", rows: activity },
            previous === undefined ? undefined : previousOf(previous),
          );
          const expected = reference(snapshot, activity);

          // (a) each device, each bucket: the reference's weights and rewards; every other device earns 0.
          const rows = [...result.devices];
          expect(rows.length).to.equal(net.devices.length + net.epochs[e]!.unknown.length);
          let sum = 0n;
          for (const row of rows) {
            const want = expected.perDevice.get(row.device);
            expect(row.coverageWeight).to.equal(want?.coverageWeight ?? 0n);
            expect(row.dataWeight).to.equal(want?.dataWeight ?? 0n);
            expect(row.coverageReward).to.equal(want?.coverageReward ?? 0n);
            expect(row.dataReward).to.equal(want?.dataReward ?? 0n);
            expect(row.reward).to.equal(row.coverageReward + row.dataReward);
            expect(row.reason === null).to.equal(row.reward > 0n);
            sum += row.reward;
          }
          for (const a of result.accounts) expect(a.epochAmount).to.equal(expected.perAccount.get(a.account) ?? 0n);

          // (c) conservation: Σ rewards ≤ the operators' pool; dust per bucket < the devices with weight in it.
          const r = result.report;
          expect(sum).to.equal(result.epochTotal);
          expect(result.epochTotal).to.be.lte(expected.pool);
          expect(r.pool).to.equal(expected.pool);
          expect(r.coverageRewards + r.dataRewards + r.dust + r.unallocated).to.equal(r.pool);
          expect(r.coverageDust === 0n || r.coverageDust < BigInt(r.devicesWithCoverageWeight)).to.equal(true);
          expect(r.dataDust === 0n || r.dataDust < BigInt(r.devicesWithDataWeight)).to.equal(true);
          expect(r.dust === 0n || r.dust < BigInt(r.devicesWithCoverageWeight + r.devicesWithDataWeight)).to.equal(
            true,
          );

          // (b) cumulative amounts never decrease, and add up.
          let total = 0n;
          for (const a of result.accounts) total += a.cumulative;
          expect(total).to.equal(result.totalCumulative);
          if (previous !== undefined) {
            expect(result.totalCumulative).to.equal(previous.totalCumulative + result.epochTotal);
            const now = new Map(result.accounts.map((a) => [a.account, a.cumulative]));
            for (const a of previous.accounts) expect(now.get(a.account) ?? 0n).to.be.gte(a.cumulative);
          }
          previous = result;
        }
      }),
      { seed: 20261121, numRuns: 250 },
    );
  });
});
