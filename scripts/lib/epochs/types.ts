/**
 * The in-memory shapes of the pipeline's three inputs. Addresses are lowercase 0x-strings (see
 * `address.ts`); every amount and every parameter that enters a formula is a bigint. The chain
 * reader fills a `Snapshot` and hands it to `writeSnapshot`; `readSnapshot` gives it back.
 */

/** The fixed point of the stake factor: `ONE` is a factor of 1. */
export const ONE = 10n ** 18n;
export const BPS = 10_000n;
/** PROTOCOL.md: 6,000 bps of the operators' pool go to coverage, the rest to data. */
export const COVERAGE_SHARE_BPS = 6_000n;
/** PROTOCOL.md: one data credit per 24-byte packet. */
export const DATA_PACKET_BYTES = 24n;

/** A device's status in the DeviceRegistry at the snapshot block. */
export type DeviceStatus = "active" | "suspended" | "decommissioned";
export const DEVICE_STATUSES: readonly DeviceStatus[] = ["active", "suspended", "decommissioned"];

/** The contracts a snapshot was read from. */
export interface SnapshotContracts {
  readonly deviceRegistry: string;
  readonly staking: string;
  readonly rewardsDistributor: string;
}

/** The parameters of the epoch, as the contracts held them at the snapshot block. */
export interface EpochParams {
  /** `emission(e)`, in token wei. */
  readonly emission: bigint;
  readonly operatorsBps: bigint;
  readonly stakersBps: bigint;
  readonly treasuryBps: bigint;
  /** Seconds; also the cap on a device's uptime. */
  readonly epochLength: bigint;
  /** Token wei of operator stake each held device needs for a stake factor of ONE; 0 disables it. */
  readonly minStakePerDevice: bigint;
  /** The cap on a device's coverage proofs. */
  readonly maxProofs: bigint;
}

export interface SnapshotHeader {
  readonly chainId: bigint;
  readonly epoch: bigint;
  /** The block the chain was read at, and its timestamp (unix seconds). */
  readonly block: bigint;
  readonly blockTimestamp: bigint;
  /** The epoch covers `[epochStart, epochEnd)`, unix seconds. */
  readonly epochStart: bigint;
  readonly epochEnd: bigint;
  readonly contracts: SnapshotContracts;
  readonly params: EpochParams;
}

export interface SnapshotDevice {
  readonly device: string;
  /** The NFT's holder; the zero address for a decommissioned (burned) device. */
  readonly owner: string;
  /** The rewards recipient set by the owner, or `null` when the owner receives (the zero address means the same). */
  readonly recipient: string | null;
  readonly classId: number;
  readonly classMultiplierBps: number;
  readonly status: DeviceStatus;
  /** Unix seconds of the onboarding block. */
  readonly onboardedAt: number;
  readonly locationAsserted: boolean;
}

/** An owner's operator stake (self plus delegated, unbonding excluded) at the epoch's end. */
export interface OwnerStake {
  readonly owner: string;
  readonly stake: bigint;
}

export interface Snapshot {
  readonly header: SnapshotHeader;
  readonly devices: readonly SnapshotDevice[];
  /** Owners not listed have a stake of 0. */
  readonly stakes: readonly OwnerStake[];
}

/** One row of the activity file. */
export interface ActivityRow {
  readonly device: string;
  /** The 1-based line of the file it came from, when it came from a file. */
  readonly line?: number;
  readonly uptimeSeconds: bigint;
  readonly coverageProofs: bigint;
  readonly dataBytes: bigint;
}

export interface Activity {
  /** Where it was read from, for messages. */
  readonly source: string;
  /** `readActivity` gives them sorted by device (lowercase); `computeEpoch` accepts any order. */
  readonly rows: readonly ActivityRow[];
}
