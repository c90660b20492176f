import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { ActivityRow, Snapshot, SnapshotDevice } from "../../scripts/lib/epochs";

export const TOKEN = 10n ** 18n;

/** A fresh temporary folder for one test. */
export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "epochs-"));
}

/** The files a folder holds (none when it does not exist). */
export function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A deterministic address from a number, lowercase. */
export function addr(n: number): string {
  return `0x${n.toString(16).padStart(40, "0")}`;
}

/** A small hand-made network: three owners, six devices, covering each eligibility rule. */
export function smallSnapshot(epoch = 0n, overrides: Partial<Snapshot["header"]["params"]> = {}): Snapshot {
  const epochStart = 1_000n + epoch * 100n;
  const device = (n: number, owner: number, extra: Partial<SnapshotDevice> = {}): SnapshotDevice => ({
    device: addr(0xd000 + n),
    owner: addr(0xa000 + owner),
    recipient: null,
    classId: 1,
    classMultiplierBps: 10_000,
    status: "active",
    onboardedAt: 900,
    locationAsserted: true,
    ...extra,
  });
  return {
    header: {
      chainId: 31_337n,
      epoch,
      block: 50n + epoch,
      blockTimestamp: epochStart + 99n,
      epochStart,
      epochEnd: epochStart + 100n,
      contracts: { deviceRegistry: addr(0xe1), staking: addr(0xe2), rewardsDistributor: addr(0xe3) },
      params: {
        emission: 1_000n * TOKEN,
        operatorsBps: 7_500n,
        stakersBps: 1_500n,
        treasuryBps: 1_000n,
        epochLength: 100n,
        minStakePerDevice: 10n * TOKEN,
        maxProofs: 10n,
        ...overrides,
      },
    },
    devices: [
      device(1, 1),
      device(2, 1, { classMultiplierBps: 20_000, recipient: addr(0xb001) }),
      device(3, 2, { status: "suspended" }),
      device(4, 2, { locationAsserted: false }),
      device(5, 3, { onboardedAt: Number(epochStart + 100n) }),
      device(6, 3, { status: "decommissioned", owner: addr(0) }),
      device(7, 2),
    ],
    stakes: [
      { owner: addr(0xa001), stake: 100n * TOKEN },
      { owner: addr(0xa002), stake: 15n * TOKEN },
    ],
  };
}

export function smallActivity(seed = 1): ActivityRow[] {
  const row = (n: number, uptime: bigint, proofs: bigint, bytes: bigint): ActivityRow => ({
    device: addr(0xd000 + n),
    uptimeSeconds: uptime,
    coverageProofs: proofs,
    dataBytes: bytes,
  });
  return [
    row(1, 100n, BigInt(seed + 4), 2_400n),
    row(2, 50n, 20n, 0n),
    row(3, 100n, 10n, 100n),
    row(4, 100n, 10n, 100n),
    row(5, 100n, 10n, 100n),
    row(6, 100n, 10n, 100n),
    row(7, 1_000n, 3n, BigInt(seed) * 1_000_000n),
    row(0xff, 100n, 10n, 100n),
  ];
}
