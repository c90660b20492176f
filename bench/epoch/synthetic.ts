import { ZERO_ADDRESS } from "../../scripts/lib/epochs";
import type { ActivityRow, DeviceStatus, OwnerStake, Snapshot, SnapshotDevice } from "../../scripts/lib/epochs";

/**
 * A seeded, deterministic synthetic network for the benchmark and the tests: the same options give
 * the same snapshot and activity, row for row. Its shape follows a real fleet:
 * - four device classes (multipliers 0.5× to 2×);
 * - owners holding 1 to 500 devices (Pareto-skewed: most hold one or a few, a few hold hundreds);
 *   some route their rewards to a separate recipient, some single devices too;
 * - about 1.5 % suspended, 1 % decommissioned, 3 % without a location, 1 % onboarded after the end;
 * - 15 % of devices absent from the activity (inactive), skewed coverage proofs and data (many
 *   low, a few high, some over the caps), 0.5 % unknown devices in the activity;
 * - 75 % of owners staked at or above the requirement, 15 % below it, 10 % not operators.
 * One million devices give about 200,000 accounts.
 */
export interface SyntheticOptions {
  readonly devices: number;
  readonly seed: number;
  readonly epoch?: bigint;
  readonly chainId?: bigint;
  /** Token wei per device; the demo's 1,000 tokens by default. */
  readonly minStakePerDevice?: bigint;
}

export const SYNTHETIC_GENESIS = 1_700_000_000n;
const TOKEN = 10n ** 18n;
const CLASSES = [
  { id: 1, multiplierBps: 10_000, weight: 0.5 },
  { id: 2, multiplierBps: 5_000, weight: 0.25 },
  { id: 3, multiplierBps: 15_000, weight: 0.15 },
  { id: 4, multiplierBps: 20_000, weight: 0.1 },
];

/** sfc32: a small, fast, seedable generator with good statistics. */
export function prng(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

function randomAddress(random: () => number): string {
  let out = "0x";
  for (let i = 0; i < 5; i++)
    out += Math.floor(random() * 4294967296)
      .toString(16)
      .padStart(8, "0");
  return out;
}

/** The synthetic snapshot of `options.devices` devices. */
export function syntheticSnapshot(options: SyntheticOptions): Snapshot {
  const random = prng(options.seed);
  const epoch = options.epoch ?? 0n;
  const epochLength = 86_400n;
  const epochStart = SYNTHETIC_GENESIS + epoch * epochLength;
  const epochEnd = epochStart + epochLength;
  const minStake = options.minStakePerDevice ?? 1_000n * TOKEN;
  const devices: SnapshotDevice[] = [];
  const stakes: OwnerStake[] = [];
  let remaining = options.devices;
  while (remaining > 0) {
    // Pareto (alpha 1.15) truncated to [1, 500].
    const fleet = Math.min(remaining, Math.min(500, Math.floor(1 / Math.pow(1 - random(), 1 / 1.15))));
    remaining -= fleet;
    const owner = randomAddress(random);
    const fleetRecipient = random() < 0.05 ? randomAddress(random) : null;
    let held = 0;
    for (let k = 0; k < fleet; k++) {
      const r = random();
      const status: DeviceStatus = r < 0.01 ? "decommissioned" : r < 0.025 ? "suspended" : "active";
      if (status !== "decommissioned") held++;
      const c = random();
      let acc = 0;
      const cls = CLASSES.find((x) => (acc += x.weight) > c) ?? (CLASSES[0] as (typeof CLASSES)[number]);
      const late = random() < 0.01;
      const onboardedAt = late
        ? Number(epochEnd) + Math.floor(random() * 3600)
        : Number(epochEnd) - 1 - Math.floor(random() * 365 * 86_400);
      devices.push({
        device: randomAddress(random),
        owner: status === "decommissioned" ? ZERO_ADDRESS : owner,
        recipient: random() < 0.01 ? randomAddress(random) : fleetRecipient,
        classId: cls.id,
        classMultiplierBps: cls.multiplierBps,
        status,
        onboardedAt,
        locationAsserted: random() >= 0.03,
      });
    }
    const s = random();
    if (held > 0 && s < 0.9) {
      const required = minStake * BigInt(held);
      const stake =
        s < 0.75
          ? required + (required * BigInt(Math.floor(random() * 200))) / 100n
          : (required * BigInt(Math.floor(random() * 1000))) / 1000n;
      stakes.push({ owner, stake });
    }
  }
  devices.sort((a, b) => (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
  stakes.sort((a, b) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0));
  return {
    header: {
      chainId: options.chainId ?? 31_337n,
      epoch,
      block: 1_000_000n + epoch * 7_200n,
      blockTimestamp: epochEnd - 1n,
      epochStart,
      epochEnd,
      contracts: {
        deviceRegistry: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
        staking: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512",
        rewardsDistributor: "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0",
      },
      params: {
        emission: 250_000n * TOKEN,
        operatorsBps: 7_500n,
        stakersBps: 1_500n,
        treasuryBps: 1_000n,
        epochLength,
        minStakePerDevice: minStake,
        maxProofs: 100n,
      },
    },
    devices,
    stakes,
  };
}

/** The synthetic activity of a snapshot's devices (seeded separately, so epochs differ). */
export function syntheticActivity(snapshot: Snapshot, seed: number): ActivityRow[] {
  const random = prng(seed ^ 0x5bd1e995);
  const rows: ActivityRow[] = [];
  const length = Number(snapshot.header.params.epochLength);
  for (const d of snapshot.devices) {
    if (random() < 0.15) continue;
    const u = random();
    const uptime = u < 0.7 ? length : u < 0.95 ? Math.floor(random() * length) : length + Math.floor(random() * 3600);
    const proofs = Math.floor(150 * Math.pow(random(), 3));
    const dataBytes = random() < 0.2 ? 0 : Math.floor(Math.exp(random() * 24));
    rows.push({
      device: d.device,
      uptimeSeconds: BigInt(uptime),
      coverageProofs: BigInt(proofs),
      dataBytes: BigInt(dataBytes),
    });
  }
  const unknown = Math.max(1, Math.floor(snapshot.devices.length * 0.005));
  for (let i = 0; i < unknown; i++) {
    rows.push({
      device: randomAddress(random),
      uptimeSeconds: BigInt(length),
      coverageProofs: BigInt(Math.floor(random() * 100)),
      dataBytes: BigInt(Math.floor(random() * 1e6)),
    });
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = rows[i] as ActivityRow;
    rows[i] = rows[j] as ActivityRow;
    rows[j] = t;
  }
  return rows;
}
