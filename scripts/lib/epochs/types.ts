/**
 * Every data shape of the epoch pipeline, in one place: the three inputs (snapshot, activity, the
 * previous epoch), the computed epoch, the epoch file as read back, and the requests and results
 * of the chain side. Addresses are lowercase 0x-strings (see `util/address.ts`); every amount and
 * every parameter that enters a formula is a bigint. The chain reader fills a `Snapshot` and hands
 * it to `writeSnapshot`; `readSnapshot` gives it back.
 */
import type { Provider, Signer } from "ethers";

import type { DeploymentRecord } from "../deployment-record";

// ─── Constants of the formulas ──────────────────────────────────────────────────────────────────

/** The fixed point of the stake factor: `ONE` is a factor of 1. */
export const ONE = 10n ** 18n;
export const BPS = 10_000n;
/** PROTOCOL.md: 6,000 bps of the operators' pool go to coverage, the rest to data. */
export const COVERAGE_SHARE_BPS = 6_000n;
/** PROTOCOL.md: one data credit per 24-byte packet. */
export const DATA_PACKET_BYTES = 24n;

// ─── The inputs ─────────────────────────────────────────────────────────────────────────────────

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

/** What identifies the previous epoch: its root commits to every cumulative amount. */
export interface PreviousIdentity {
  readonly chainId: bigint;
  readonly distributor: string;
  readonly epoch: bigint;
  readonly root: string;
  readonly totalCumulative: bigint;
}

/** The previous epoch, as `readEpochFile` gives it: accounts in lowercase. */
export interface PreviousEpoch extends PreviousIdentity {
  readonly cumulative: ReadonlyMap<string, bigint>;
  /** The contracts its snapshot was read from, when known: they must be this epoch's too. */
  readonly contracts?: SnapshotContracts;
}

// ─── The computed epoch ─────────────────────────────────────────────────────────────────────────

/** Why a device earned nothing. `null` in a row that earned something. */
export type ZeroReason =
  | "unknown-device"
  | "decommissioned"
  | "suspended"
  | "onboarded-late"
  | "no-location"
  | "no-activity"
  | "zero-weight"
  | "rounded-down";

/** The rules of eligibility, in the order they are checked (the first that fails is the reason). */
export const INELIGIBLE_REASONS = ["decommissioned", "suspended", "onboarded-late", "no-location"] as const;
export type IneligibleReason = (typeof INELIGIBLE_REASONS)[number];

export interface DeviceReward {
  readonly device: string;
  /** `null` for a device the snapshot does not know. */
  readonly beneficiary: string | null;
  readonly stakeFactor: bigint;
  readonly coverageWeight: bigint;
  readonly coverageReward: bigint;
  readonly dataWeight: bigint;
  readonly dataReward: bigint;
  readonly reward: bigint;
  readonly reason: ZeroReason | null;
}

/** A read-only list of device rows, as an array or as the compute's columns. */
export interface DeviceRewardList extends Iterable<DeviceReward> {
  readonly length: number;
  at(index: number): DeviceReward | undefined;
  /** Row `index` into a reused object (no allocation per row); false when out of range. Optional. */
  readInto?(index: number, into: DeviceRowFields): boolean;
}

/** A device row's fields as `DeviceRewardList.readInto` fills them (`reward` is the sum of the two rewards). */
export interface DeviceRowFields {
  device: string;
  beneficiary: string | null;
  stakeFactor: bigint;
  coverageWeight: bigint;
  coverageReward: bigint;
  dataWeight: bigint;
  dataReward: bigint;
  reason: ZeroReason | null;
}

export interface AccountAmount {
  readonly account: string;
  readonly cumulative: bigint;
  /** What this epoch added. */
  readonly epochAmount: bigint;
}

export interface EpochReport {
  readonly snapshotDevices: number;
  readonly activityDevices: number;
  readonly unknownDevices: number;
  /** Devices of the activity file that the snapshot knows but that may not earn, by reason. */
  readonly ineligible: Readonly<Record<IneligibleReason, number>>;
  /** Eligible devices of the snapshot that the activity file leaves out. */
  readonly eligibleWithoutActivity: number;
  readonly devicesWithCoverageWeight: number;
  readonly devicesWithDataWeight: number;
  readonly rewardedDevices: number;
  readonly rewardedAccounts: number;
  readonly pool: bigint;
  readonly coverageBucket: bigint;
  readonly dataBucket: bigint;
  readonly totalCoverageWeight: bigint;
  readonly totalDataWeight: bigint;
  readonly coverageRewards: bigint;
  readonly dataRewards: bigint;
  readonly coverageDust: bigint;
  readonly dataDust: bigint;
  /** coverageDust + dataDust: stays in the distributor. */
  readonly dust: bigint;
  /** The part of the pool in a bucket that no weight could take (a coverage bucket with no coverage weight). */
  readonly unallocated: bigint;
}

/** What identifies and sums up a computed epoch: the header of its file, without the rows. */
export interface EpochHeader {
  readonly epoch: bigint;
  readonly chainId: bigint;
  readonly distributor: string;
  readonly contracts: SnapshotContracts;
  readonly snapshotBlock: bigint;
  readonly params: EpochParams;
  readonly previousEpoch: bigint | null;
  readonly root: string;
  readonly totalCumulative: bigint;
  readonly epochTotal: bigint;
  readonly inputHash: string;
  readonly snapshotHash: string;
  readonly activityHash: string;
  readonly previousHash: string;
  readonly report: EpochReport;
}

/** The merkle tree as built: `StandardMerkleTree.of(values, ["address", "uint256"])`'s layout. */
export interface BuiltTree {
  /** 0x-prefixed lowercase hex. */
  readonly root: string;
  /** Every node, root first, 0x-prefixed lowercase hex (the dump's `tree`). */
  readonly tree: readonly string[];
  /** For the i-th value given, the index of its leaf in `tree`. */
  readonly treeIndex: Int32Array;
}

/** `StandardMerkleTree.dump()` for `["address", "uint256"]` leaves, amounts as decimal strings. */
export interface StandardTreeDump {
  readonly format: "standard-v1";
  readonly leafEncoding: readonly ["address", "uint256"];
  readonly tree: readonly string[];
  readonly values: readonly { readonly value: readonly [string, string]; readonly treeIndex: number }[];
}

export interface EpochResult extends EpochHeader {
  /** Sorted by account (lowercase); the tree's values in the same order. */
  readonly accounts: readonly AccountAmount[];
  /** Every device of the snapshot and every unknown device of the activity file, sorted by address. */
  readonly devices: DeviceRewardList;
  /** `null` when no account has a positive cumulative amount. */
  readonly tree: BuiltTree | null;
}

export interface ComputeOptions {
  /** Progress messages for long steps (the task sends them to stderr). */
  readonly onProgress?: (message: string) => void;
  /**
   * The caller hands the inputs over: once weighed and hashed, the compute empties
   * `activity.rows` and `snapshot.devices`, so that their million objects are not live while the
   * tree is built and the file written. `computeEpochFiles` sets it.
   */
  readonly consumeInputs?: boolean;
}

// ─── The epoch file ─────────────────────────────────────────────────────────────────────────────

/** The epoch file as read back: everything but the device rows unless asked for. */
export interface EpochFile extends EpochHeader, PreviousEpoch {
  readonly source: string;
  readonly contracts: SnapshotContracts;
  /** Sorted by account (lowercase). */
  readonly accounts: readonly AccountAmount[];
  /** Only with `{ devices: "keep" }`. */
  readonly devices?: readonly DeviceReward[];
  /** `null` when no account has a positive amount. */
  readonly tree: StandardTreeDump | null;
}

export interface ReadEpochOptions {
  /**
   * What to do with the device rows: `"check"` (the default) checks them against the accounts and
   * the totals and drops them; `"keep"` checks and returns them; `"skip"` passes over them, for a
   * caller that needs only the accounts (the next epoch's compute): the accounts, their totals and
   * the tree are checked in every mode.
   */
  readonly devices?: "check" | "keep" | "skip";
}

/** The identity of an epoch file, from its first lines: what a caller checks before it reads the whole file. */
export interface EpochFileHead {
  readonly epoch: bigint;
  readonly chainId: bigint;
  readonly distributor: string;
  readonly root: string;
  readonly totalCumulative: bigint;
}

/** What `rewards:proof` prints: the claim of `account` against the file's root. */
export interface AccountProof {
  readonly account: string;
  readonly cumulativeAmount: string;
  readonly proof: readonly string[];
}

/** What `computeEpochFiles` (`epoch:compute`) reads and where it writes. */
export interface ComputeFilesRequest {
  readonly epoch: bigint;
  readonly snapshotFile: string;
  readonly activityFile: string;
  readonly previousFile?: string;
  readonly outDir: string;
  readonly onProgress?: (message: string) => void;
  /**
   * Whether a worker thread hashes the inputs while they are read; by default when the snapshot
   * file is 32 MiB or more (about 200,000 devices).
   */
  readonly hashWorker?: boolean;
}

// ─── The chain side ─────────────────────────────────────────────────────────────────────────────

/**
 * The pipeline's off-chain parameters (not on-chain): `suite:deploy` records them in the deployment
 * record (`params.pipeline`), and the oracles read them from there.
 */
export interface PipelineParams {
  /** Tokens (wei) of operator stake an owner needs per device for a full stake factor; 0 turns the factor off. */
  readonly minStakePerDevice: bigint;
  /** Coverage proofs per device per epoch beyond which more earn nothing. */
  readonly maxProofs: bigint;
}

export interface SnapshotRequest {
  readonly provider: Provider;
  readonly record: DeploymentRecord;
  readonly epoch: bigint;
  /** Read at this block; by default the last block before the epoch's end. */
  readonly block?: number;
  /** How many staking reads run at once. */
  readonly concurrency?: number;
  readonly onProgress?: (message: string) => void;
}

/** What `epoch:publish` did: "waiting" when the ring holds the root back until `retryAt`. */
export type PublishOutcome = "posted" | "already-posted" | "already-stands" | "dry-run" | "waiting";

export interface PublishResult {
  readonly outcome: PublishOutcome;
  readonly epoch: bigint;
  readonly root: string;
  readonly totalCumulative: bigint;
  readonly inputHash: string;
  readonly oracle: string;
  readonly txHash?: string;
  /** Whether the root stands after this post (quorum reached). */
  readonly stands?: boolean;
  /** When the root that stands becomes claimable. */
  readonly claimableAt?: bigint;
  /** "waiting": the distributor takes the root from this time on. */
  readonly retryAt?: bigint;
}

/** Where the distributor stands for one epoch, read before any snapshot. */
export interface EpochOrder {
  /**
   * "stands": a root stands for the epoch already; "next": the distributor takes it now; "waiting":
   * the ring holds it back until `retryAt`.
   */
  readonly state: "stands" | "next" | "waiting";
  readonly epoch: bigint;
  /** "stands": the root that stands. */
  readonly root?: string;
  /** "waiting": when the root of `epoch − 63` becomes claimable, and with it room for this one. */
  readonly retryAt?: bigint;
  /** "next" and "waiting", for an epoch after 0: the root that stands for the epoch before. */
  readonly previous?: { readonly root: string; readonly totalCumulative: bigint };
}

export interface RunEpochRequest {
  readonly record: DeploymentRecord;
  readonly oracle: Signer;
  readonly epoch: bigint;
  readonly activityFile: string;
  /** The previous epoch's file; by default `outDir/epoch-<E-1>.json` when it exists. */
  readonly previousFile?: string;
  readonly outDir: string;
  readonly uri?: string;
  readonly onProgress?: (message: string) => void;
  /** The clock `checkEpochOrder` uses for the ring; the system's by default. */
  readonly clock?: () => bigint;
}

/**
 * What one epoch's run did: "posted" (the root stands if `stands`, else it awaits the other oracles'
 * votes), "already-posted" (this oracle's vote is in, the others' are awaited), "already-stands"
 * (nothing was done: no snapshot, no file, no transaction), "waiting" (the ring holds the root back
 * until `retryAt`: nothing was sent).
 */
export interface EpochStep {
  readonly epoch: bigint;
  readonly outcome: "posted" | "already-posted" | "already-stands" | "waiting";
  readonly root?: string;
  readonly stands?: boolean;
  readonly claimableAt?: bigint;
  readonly retryAt?: bigint;
  readonly snapshotFile?: string;
  readonly epochFile?: string;
  readonly publish?: PublishResult;
}

export interface CatchUpRequest {
  readonly record: DeploymentRecord;
  readonly oracle: Signer;
  /** The last epoch to run; by default the last epoch that has ended by the chain's latest block. */
  readonly through?: bigint;
  /** Holds `activity-<E>.csv` for every epoch to run. */
  readonly activityDir: string;
  readonly outDir: string;
  /** The file of the epoch before the first one to run; by default `outDir/epoch-<E-1>.json`. */
  readonly previousFile?: string;
  readonly uri?: string;
  readonly onProgress?: (message: string) => void;
  readonly clock?: () => bigint;
}

export interface CatchUpResult {
  /** The first epoch the distributor was missing. */
  readonly from: bigint;
  /** The last epoch to run, or null when none has ended. */
  readonly through: bigint | null;
  readonly steps: readonly EpochStep[];
  /** Whether a root stands for every epoch through `through`. */
  readonly complete: boolean;
  /** Why it stopped early: the ring (until `retryAt`), or a quorum that needs other oracles' votes. */
  readonly stopped?: { readonly epoch: bigint; readonly reason: "ring" | "quorum"; readonly retryAt?: bigint };
  /** One line for people. */
  readonly message: string;
}

// ─── Reading files, the hashing worker, the commands ────────────────────────────────────────────

/** One line of a file: its text without the terminator, and its 1-based number. */
export interface Line {
  readonly text: string;
  readonly line: number;
}

/**
 * What a consumer of `readLineBatches` may ask while it reads: set `skipUntil` to a line's text and
 * the lines before the next line with exactly that text are passed over in bytes, never decoded nor
 * handed out (that line is, and the numbering stays exact). The epoch file's reader passes over the
 * million device rows of a previous epoch this way: with the one-step account rows, reading the
 * 244 MB previous file of the 1M-device bench took 2.35 s of CPU instead of 3.5 s (load average 8).
 */
export interface LineControl {
  skipUntil?: string;
  /**
   * Called with each chunk read (its first `length` bytes are the file's), once its lines have been
   * decoded: the callee may keep or transfer the chunk's memory (`hashWhileReading.ts`).
   */
  readonly onBytes?: (chunk: Buffer, length: number) => Promise<void> | undefined;
}

/** What a reader of an input file may be given. */
export interface ReadOptions {
  /** Receives every chunk of bytes read, once parsed (`LineControl.onBytes`). */
  readonly onBytes?: (chunk: Buffer, length: number) => Promise<void> | undefined;
}

/**
 * The accounts of a snapshot (owners, recipients, stakers) numbered once, so that the compute keeps
 * its per-owner and per-beneficiary sums in arrays indexed by number rather than in maps keyed by
 * 42-character strings. The snapshot reader numbers the accounts while it reads (it looks each one
 * up once anyway, to share one string per owner); a snapshot built in memory is numbered on first
 * use. At 1M devices and 190,000 accounts, `computeEpoch`'s own time in a sampled CPU profile fell
 * from 7.3 s to 3.1 s with this and the merge of `cumulativeAmounts` (load average 8).
 */
export interface AccountIndex {
  /** Every distinct account, numbered from 0. */
  readonly accounts: readonly string[];
  /** Per device: the number of its owner. */
  readonly owner: Int32Array;
  /** Per device: the number of its beneficiary (its recipient, else its owner). */
  readonly beneficiary: Int32Array;
  /** Per stake row: the number of its owner. */
  readonly staker: Int32Array;
}

/**
 * The commands behind the `epoch:compute` and `rewards:proof` tasks, with their output sent to an
 * `io` rather than to the process, so that tests run them in-process. Each returns the exit code:
 * 0, or 1 after one line on `io.err` for bad input (an `EpochError`). Anything else is a bug and is
 * rethrown with its stack.
 */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

export interface EpochComputeArgs {
  readonly epoch: string;
  readonly snapshot: string;
  readonly activity: string;
  readonly previous?: string;
  readonly out: string;
}

/** The two input files the hashing worker hashes. */
export type Which = "snapshot" | "activity";
/** A message to the hashing worker (`formats/hashWorker.ts`): a chunk of a file, or its end. */
export type HashRequest =
  | { readonly kind: "bytes"; readonly which: Which; readonly bytes: ArrayBuffer; readonly length: number }
  | { readonly kind: "end"; readonly which: Which };
/** A file's hash (null: not canonical), or how many bytes of a chunk were taken (`done`). */
export type HashReply =
  { readonly which: Which; readonly hash: string | null } | { readonly which: Which; readonly done: number };
