import { ZERO_ADDRESS } from "./util/address";
import { EpochInputMismatchError } from "./errors";
import { hashActivity, hashInputs, hashPrevious, hashSnapshot } from "./inputHash";
import { sharedKeccak, type Keccak } from "./util/keccak";
import { accountIndexOf } from "./accountIndex";
import { buildStandardTree } from "./merkle";
import { normalizeSnapshot, sortActivityRows, sortSnapshot, validateSnapshot } from "./rules";
import { isPrepared, markPrepared, sortByAddress } from "./util/sort";
import {
  BPS,
  COVERAGE_SHARE_BPS,
  DATA_PACKET_BYTES,
  ONE,
  type AccountAmount,
  type Activity,
  type AccountIndex,
  type ActivityRow,
  type ComputeOptions,
  type DeviceReward,
  type DeviceRowFields,
  type DeviceRewardList,
  type EpochParams,
  type EpochResult,
  type IneligibleReason,
  type OwnerStake,
  type PreviousEpoch,
  type Snapshot,
  type SnapshotContracts,
  type SnapshotDevice,
  type ZeroReason,
} from "./types";

/**
 * The epoch computation of PROTOCOL.md ("Epoch pipeline"), a pure function of its inputs: it reads
 * no file and no chain (`pipeline.ts` reads and writes the files around it).
 *
 * Decisions where the spec is silent (also in `docs/epoch-files.md`):
 * - A device is eligible when it is not decommissioned, is Active, was onboarded strictly before
 *   `epochEnd` (the epoch is `[epochStart, epochEnd)`) and has a location. When several rules fail,
 *   the reason recorded is the first in that order.
 * - `heldDevices` counts the owner's devices in the snapshot that are not decommissioned (a
 *   decommissioned device's NFT is burned), whatever their other status.
 * - Without a previous epoch the cumulative amounts start from 0, at any epoch (the first epoch a
 *   deployment computes need not be 0); with one, it must be epoch − 1 of the same chain and of
 *   the same three contracts (registry, staking, distributor). The snapshot must be of epoch `epoch`.
 * - Inputs are not trusted to be sorted or lowercase: a snapshot or activity that did not come from
 *   `readSnapshot` / `readActivity` is normalised, sorted and checked (duplicates refused) first.
 * - Accounts whose cumulative amount is 0 have no leaf; an epoch with no account at all has the root
 *   0x00…00 and no tree.
 * - Dust is counted per bucket: a bucket that is allocated (its total weight is positive) leaves
 *   less dust than the number of devices with weight in it. A coverage bucket whose total weight is
 *   0 is reported as unallocated, not as dust.
 */

const LOWER_ADDRESS = /^0x[0-9a-f]{40}$/;

/** The stake factor of PROTOCOL.md, scaled by ONE. `heldDevices` must be positive when `minStakePerDevice` is. */
export function stakeFactor(ownerStake: bigint, minStakePerDevice: bigint, heldDevices: bigint): bigint {
  if (minStakePerDevice === 0n) return ONE;
  const factor = (ownerStake * ONE) / (minStakePerDevice * heldDevices);
  return factor < ONE ? factor : ONE;
}

/** The operators' pool and its two buckets before the zero-weight rules. */
export function buckets(params: EpochParams): { pool: bigint; coverage: bigint; data: bigint } {
  const pool = (params.emission * params.operatorsBps) / BPS;
  const coverage = (pool * COVERAGE_SHARE_BPS) / BPS;
  return { pool, coverage, data: pool - coverage };
}

/**
 * Computes epoch `epoch` from its snapshot, its activity and the previous epoch's cumulative
 * amounts. Throws `EpochInputMismatchError` when the inputs do not belong together; never throws
 * for an unknown or ineligible device (they earn 0 and are counted).
 */
export async function computeEpoch(
  epoch: bigint,
  snapshotInput: Snapshot,
  activity: Activity,
  previous?: PreviousEpoch,
  options: ComputeOptions = {},
): Promise<EpochResult> {
  const progress = options.onProgress ?? (() => undefined);
  const snapshot = prepareSnapshot(snapshotInput, await sharedKeccak());
  const { header } = snapshot;
  const params = header.params;
  if (header.epoch !== epoch) {
    throw new EpochInputMismatchError(`the snapshot is of epoch ${header.epoch}, not ${epoch}`);
  }
  checkPrevious(epoch, header.chainId, header.contracts, previous);

  // Owners: devices held (not decommissioned) and stake, in arrays by account number (`accountIndex.ts`).
  const index = accountIndexOf(snapshot);
  const held = new Int32Array(index.accounts.length);
  for (let i = 0; i < snapshot.devices.length; i++) {
    if ((snapshot.devices[i] as SnapshotDevice).status !== "decommissioned") held[index.owner[i] as number]++;
  }
  const stakes = new Array<bigint>(index.accounts.length).fill(ZERO);
  for (let k = 0; k < snapshot.stakes.length; k++) {
    stakes[index.staker[k] as number] = (snapshot.stakes[k] as OwnerStake).stake;
  }
  const factors = new Array<bigint | undefined>(index.accounts.length).fill(undefined);
  const factorOf = (owner: number): bigint => {
    let f = factors[owner];
    if (f === undefined) {
      f = stakeFactor(stakes[owner] as bigint, params.minStakePerDevice, BigInt(held[owner] as number));
      factors[owner] = f;
    }
    return f;
  };

  // Join the activity (sorted by device) onto the snapshot (sorted by device): one merge, no map.
  const rows = prepareRows(activity);
  const n = snapshot.devices.length;
  const rowOf = new Array<ActivityRow | undefined>(n).fill(undefined);
  const unknown: string[] = [];
  for (let i = 0, j = 0; j < rows.length;) {
    const row = rows[j] as ActivityRow;
    const device = i < n ? (snapshot.devices[i] as SnapshotDevice).device : undefined;
    if (device === undefined || row.device < device) {
      unknown.push(row.device);
      j++;
    } else if (row.device === device) {
      rowOf[i++] = row;
      j++;
    } else {
      i++;
    }
  }
  progress(`joined ${rows.length} activity rows onto ${n} devices`);
  // Hashed now, so that nothing refers to the rows once they are weighed: at a million rows they
  // are 230 MB of heap that the tree and the file no longer need. With the previous epoch kept slim
  // (pipeline.ts), the 1M-device peak RSS went from 1,256 to 1,221 MB (one run each, load 8).
  const activityDevices = activity.rows.length;
  const activityHash = await hashActivity(rows === activity.rows ? activity : { source: activity.source, rows });

  // Weights.
  const coverageWeights = new Array<bigint>(n).fill(ZERO);
  const dataWeights = new Array<bigint>(n).fill(ZERO);
  const factorsOf = new Array<bigint>(n).fill(ZERO);
  const reasons = new Uint8Array(n);
  const ineligible: Record<IneligibleReason, number> = {
    decommissioned: 0,
    suspended: 0,
    "onboarded-late": 0,
    "no-location": 0,
  };
  let eligibleWithoutActivity = 0;
  let totalCoverage = 0n;
  let totalData = 0n;
  let withCoverage = 0;
  let withData = 0;
  for (let i = 0; i < n; i++) {
    const d = snapshot.devices[i] as SnapshotDevice;
    const row = rowOf[i];
    const notEligible = ineligibility(d, header.epochEnd);
    if (notEligible !== null) {
      reasons[i] = REASON_CODE[notEligible];
      if (row !== undefined) ineligible[notEligible]++;
      continue;
    }
    if (row === undefined) {
      reasons[i] = REASON_CODE["no-activity"];
      eligibleWithoutActivity++;
      continue;
    }
    const f = factorOf(index.owner[i] as number);
    factorsOf[i] = f;
    const uptime = row.uptimeSeconds < params.epochLength ? row.uptimeSeconds : params.epochLength;
    const proofs = row.coverageProofs < params.maxProofs ? row.coverageProofs : params.maxProofs;
    const cw = BigInt(d.classMultiplierBps) * uptime * proofs * f;
    const dw = ((row.dataBytes + DATA_PACKET_BYTES - 1n) / DATA_PACKET_BYTES) * f;
    if (cw > 0n) {
      coverageWeights[i] = cw;
      totalCoverage += cw;
      withCoverage++;
    }
    if (dw > 0n) {
      dataWeights[i] = dw;
      totalData += dw;
      withData++;
    }
    reasons[i] = cw === 0n && dw === 0n ? REASON_CODE["zero-weight"] : NO_REASON;
  }
  rowOf.length = 0;
  progress(`weighed ${n} devices`);

  // Buckets and rewards.
  const b = buckets(params);
  const coverageBucket = totalData === 0n ? b.pool : b.coverage;
  const dataBucket = totalData === 0n ? 0n : b.data;
  const earned = new Array<bigint>(index.accounts.length).fill(ZERO);
  const earners: number[] = [];
  const coverageRewardsOf = new Array<bigint>(n).fill(ZERO);
  const dataRewardsOf = new Array<bigint>(n).fill(ZERO);
  let coverageRewards = 0n;
  let dataRewards = 0n;
  let rewardedDevices = 0;
  for (let i = 0; i < n; i++) {
    const cw = coverageWeights[i] as bigint;
    const dw = dataWeights[i] as bigint;
    if (cw === ZERO && dw === ZERO) continue;
    const coverageReward = cw > 0n ? (coverageBucket * cw) / totalCoverage : ZERO;
    const dataReward = dw > 0n ? (dataBucket * dw) / totalData : ZERO;
    const reward = coverageReward + dataReward;
    if (reward > 0n) {
      const beneficiary = index.beneficiary[i] as number;
      if (earned[beneficiary] === ZERO) earners.push(beneficiary);
      earned[beneficiary] = (earned[beneficiary] as bigint) + reward;
      coverageRewardsOf[i] = coverageReward;
      dataRewardsOf[i] = dataReward;
      coverageRewards += coverageReward;
      dataRewards += dataReward;
      rewardedDevices++;
    } else {
      reasons[i] = REASON_CODE["rounded-down"];
    }
  }
  const names = new Array<string>(n);
  for (let i = 0; i < n; i++) names[i] = (snapshot.devices[i] as SnapshotDevice).device;
  const devices = new DeviceRewardTable(names, index, unknown, {
    coverageWeights,
    dataWeights,
    coverageRewards: coverageRewardsOf,
    dataRewards: dataRewardsOf,
    stakeFactors: factorsOf,
    reasons,
  });
  progress(`rewarded ${rewardedDevices} devices`);

  // Cumulative amounts.
  const epochTotal = coverageRewards + dataRewards;
  const accounts = cumulativeAmounts(
    sortByAddress(earners, (id) => index.accounts[id] as string).map(
      (id) => [index.accounts[id] as string, earned[id] as bigint] as const,
    ),
    previous,
  );
  let totalCumulative = 0n;
  for (const a of accounts) totalCumulative += a.cumulative;
  const snapshotHash = await hashSnapshot(snapshot);
  const previousHash = await hashPrevious(previous);
  const inputHash = await hashInputs(snapshotHash, activityHash, previousHash);
  progress("hashed the inputs");
  if (options.consumeInputs === true) {
    // Nothing below reads the rows or the device objects (the table keeps the names and the account
    // index), so the tree and the file no longer run with them live.
    (activity.rows as ActivityRow[]).length = 0;
    (snapshotInput.devices as SnapshotDevice[]).length = 0;
    (snapshot.devices as SnapshotDevice[]).length = 0;
  }

  const tree =
    accounts.length === 0 ? null : await buildStandardTree(accounts.map((a) => [a.account, a.cumulative] as const));
  progress(`built the merkle tree of ${accounts.length} accounts`);

  const coverageDust = (totalCoverage > 0n ? coverageBucket : 0n) - coverageRewards;
  const dataDust = (totalData > 0n ? dataBucket : 0n) - dataRewards;
  return {
    epoch,
    chainId: header.chainId,
    distributor: header.contracts.rewardsDistributor,
    contracts: header.contracts,
    snapshotBlock: header.block,
    params,
    previousEpoch: previous === undefined ? null : previous.epoch,
    root: tree === null ? `0x${"00".repeat(32)}` : tree.root,
    totalCumulative,
    epochTotal,
    inputHash,
    snapshotHash,
    activityHash,
    previousHash,
    report: {
      snapshotDevices: n,
      activityDevices,
      unknownDevices: unknown.length,
      ineligible,
      eligibleWithoutActivity,
      devicesWithCoverageWeight: withCoverage,
      devicesWithDataWeight: withData,
      rewardedDevices,
      rewardedAccounts: earners.length,
      pool: b.pool,
      coverageBucket,
      dataBucket,
      totalCoverageWeight: totalCoverage,
      totalDataWeight: totalData,
      coverageRewards,
      dataRewards,
      coverageDust,
      dataDust,
      dust: coverageDust + dataDust,
      unallocated: b.pool - (totalCoverage > 0n ? coverageBucket : 0n) - (totalData > 0n ? dataBucket : 0n),
    },
    accounts,
    devices,
    tree,
  };
}

/**
 * The accounts with a positive cumulative amount, sorted: this epoch's earnings (sorted by account)
 * merged with the previous epoch's cumulative amounts (sorted as `readEpochFile` gives them; sorted
 * here otherwise). One merge of two sorted lists rather than a set and a map of every account.
 */
function cumulativeAmounts(
  earned: readonly (readonly [string, bigint])[],
  previous: PreviousEpoch | undefined,
): AccountAmount[] {
  let before: (readonly [string, bigint])[] = previous === undefined ? [] : [...previous.cumulative];
  for (let k = 1; k < before.length; k++) {
    if ((before[k - 1] as readonly [string, bigint])[0] >= (before[k] as readonly [string, bigint])[0]) {
      before = sortByAddress(before, (e) => e[0]);
      break;
    }
  }
  const accounts: AccountAmount[] = [];
  let i = 0;
  let j = 0;
  while (i < earned.length || j < before.length) {
    const e = earned[i];
    const p = before[j];
    let account: string;
    let epochAmount = ZERO;
    let cumulative = ZERO;
    if (p === undefined || (e !== undefined && e[0] < p[0])) {
      [account, epochAmount] = e as readonly [string, bigint];
      cumulative = epochAmount;
      i++;
    } else if (e === undefined || p[0] < e[0]) {
      [account, cumulative] = p;
      j++;
    } else {
      account = e[0];
      epochAmount = e[1];
      cumulative = p[1] + epochAmount;
      i++;
      j++;
    }
    if (cumulative !== ZERO) accounts.push({ account, cumulative, epochAmount });
  }
  return accounts;
}

/** Who is paid for `device`: its recipient, or its owner when it has none (null or the zero address). */
export function beneficiaryOf(device: SnapshotDevice): string {
  return device.recipient === null || device.recipient === ZERO_ADDRESS ? device.owner : device.recipient;
}

/** The first rule of eligibility that `device` fails, or `null` when it is eligible. */
export function ineligibility(device: SnapshotDevice, epochEnd: bigint): IneligibleReason | null {
  if (device.status === "decommissioned") return "decommissioned";
  if (device.status !== "active") return "suspended";
  if (BigInt(device.onboardedAt) >= epochEnd) return "onboarded-late";
  if (!device.locationAsserted) return "no-location";
  return null;
}

/** Refuses a previous epoch of another chain or contracts, or that is not `epoch − 1`. */
export function checkPrevious(
  epoch: bigint,
  chainId: bigint,
  contracts: SnapshotContracts,
  previous?: PreviousEpoch,
): void {
  if (previous === undefined) return;
  if (epoch === 0n) throw new EpochInputMismatchError("epoch 0 has no previous epoch, but one was given");
  if (previous.chainId !== chainId) {
    throw new EpochInputMismatchError(`the previous epoch file is of chain ${previous.chainId}, not ${chainId}`);
  }
  const theirs: SnapshotContracts = previous.contracts ?? { ...contracts, rewardsDistributor: previous.distributor };
  if (previous.distributor.toLowerCase() !== theirs.rewardsDistributor.toLowerCase()) {
    throw new EpochInputMismatchError("the previous epoch file names two different distributors");
  }
  for (const name of ["rewardsDistributor", "deviceRegistry", "staking"] as const) {
    if (theirs[name].toLowerCase() !== contracts[name].toLowerCase()) {
      const what = name === "rewardsDistributor" ? "distributor" : name;
      throw new EpochInputMismatchError(
        `the previous epoch file is of ${what} ${theirs[name]}, not ${contracts[name]}`,
      );
    }
  }
  if (previous.epoch !== epoch - 1n) {
    throw new EpochInputMismatchError(`the previous epoch file is of epoch ${previous.epoch}, not ${epoch - 1n}`);
  }
}

/** The rows sorted by lowercase device, as `readActivity` gives them; else a sorted, checked copy. */
function prepareRows(activity: Activity): readonly ActivityRow[] {
  const rows = activity.rows;
  if (isPrepared(rows)) return rows;
  let ready = true;
  for (let i = 0; i < rows.length && ready; i++) {
    const row = rows[i] as ActivityRow;
    ready = LOWER_ADDRESS.test(row.device) && (i === 0 || (rows[i - 1] as ActivityRow).device < row.device);
  }
  if (ready) return markPrepared(rows);
  return sortActivityRows(
    activity.source,
    rows.map((r) => (LOWER_ADDRESS.test(r.device) ? r : { ...r, device: r.device.toLowerCase() })),
  );
}

const ZERO = 0n;
const NO_REASON = 0;
const REASONS: readonly (ZeroReason | null)[] = [
  null,
  "unknown-device",
  "decommissioned",
  "suspended",
  "onboarded-late",
  "no-location",
  "no-activity",
  "zero-weight",
  "rounded-down",
];
const REASON_CODE = Object.fromEntries(REASONS.map((r, i) => [r, i]).slice(1)) as Record<ZeroReason, number>;

/** What the result holds per device, beyond the snapshot: a column per field. */
interface DeviceColumns {
  readonly coverageWeights: readonly bigint[];
  readonly dataWeights: readonly bigint[];
  readonly coverageRewards: readonly bigint[];
  readonly dataRewards: readonly bigint[];
  readonly stakeFactors: readonly bigint[];
  readonly reasons: Uint8Array;
}

/**
 * The per-device rewards of an epoch, sorted by device: the snapshot's devices merged with the
 * unknown devices of the activity. Rows are built on demand from columns, so that a million of them
 * cost a few arrays rather than a million objects that the garbage collector has to walk.
 */
export class DeviceRewardTable implements DeviceRewardList {
  readonly length: number;
  /** For each row, the index in the snapshot (≥ 0) or −1 − the index in `unknown`. */
  private readonly _order: Int32Array;

  /**
   * `_devices`: the snapshot's device addresses, sorted; `_index`: its account index (each device's
   * beneficiary); `_unknown`: the activity's unknown devices, sorted. The table holds no device
   * object, so the snapshot's can be released once it is built.
   */
  constructor(
    private readonly _devices: readonly string[],
    private readonly _index: Pick<AccountIndex, "accounts" | "beneficiary">,
    private readonly _unknown: readonly string[],
    private readonly _columns: DeviceColumns,
  ) {
    this.length = _devices.length + _unknown.length;
    this._order = new Int32Array(this.length);
    let i = 0;
    let u = 0;
    for (let k = 0; k < this.length; k++) {
      const d = _devices[i];
      const x = _unknown[u];
      if (x !== undefined && (d === undefined || x < d)) this._order[k] = -1 - u++;
      else this._order[k] = i++;
    }
  }

  /** The beneficiary of snapshot device `at`, `null` for the zero address (as `beneficiaryOf`). */
  private _beneficiary(at: number): string | null {
    const beneficiary = this._index.accounts[this._index.beneficiary[at] as number] as string;
    return beneficiary === ZERO_ADDRESS ? null : beneficiary;
  }

  at(index: number): DeviceReward | undefined {
    if (index < 0 || index >= this.length) return undefined;
    const at = this._order[index] as number;
    if (at < 0) {
      return {
        device: this._unknown[-1 - at] as string,
        beneficiary: null,
        stakeFactor: ZERO,
        coverageWeight: ZERO,
        coverageReward: ZERO,
        dataWeight: ZERO,
        dataReward: ZERO,
        reward: ZERO,
        reason: "unknown-device",
      };
    }
    const c = this._columns;
    const coverageReward = c.coverageRewards[at] as bigint;
    const dataReward = c.dataRewards[at] as bigint;
    return {
      device: this._devices[at] as string,
      beneficiary: this._beneficiary(at),
      stakeFactor: c.stakeFactors[at] as bigint,
      coverageWeight: c.coverageWeights[at] as bigint,
      coverageReward,
      dataWeight: c.dataWeights[at] as bigint,
      dataReward,
      reward: coverageReward + dataReward,
      reason: REASONS[c.reasons[at] as number] ?? null,
    };
  }

  /**
   * Row `index` into `into`, without allocating: the fast path of the file writer
   * (`formats/epochFile/layout.ts`, `deviceLines`). Returns false when out of range.
   */
  readInto(index: number, into: DeviceRowFields): boolean {
    if (index < 0 || index >= this.length) return false;
    const at = this._order[index] as number;
    if (at < 0) {
      into.device = this._unknown[-1 - at] as string;
      into.beneficiary = null;
      into.stakeFactor = ZERO;
      into.coverageWeight = ZERO;
      into.coverageReward = ZERO;
      into.dataWeight = ZERO;
      into.dataReward = ZERO;
      into.reason = "unknown-device";
      return true;
    }
    const c = this._columns;
    into.device = this._devices[at] as string;
    into.beneficiary = this._beneficiary(at);
    into.stakeFactor = c.stakeFactors[at] as bigint;
    into.coverageWeight = c.coverageWeights[at] as bigint;
    into.coverageReward = c.coverageRewards[at] as bigint;
    into.dataWeight = c.dataWeights[at] as bigint;
    into.dataReward = c.dataRewards[at] as bigint;
    into.reason = REASONS[c.reasons[at] as number] ?? null;
    return true;
  }

  *[Symbol.iterator](): Iterator<DeviceReward> {
    for (let k = 0; k < this.length; k++) yield this.at(k) as DeviceReward;
  }
}

/** Uses a snapshot as is when it is already normalised and sorted (as read from a file); else normalises a copy. */
function prepareSnapshot(snapshot: Snapshot, keccak: Keccak): Snapshot {
  if (isPrepared(snapshot)) return snapshot;
  const c = snapshot.header.contracts;
  const normal =
    [c.deviceRegistry, c.staking, c.rewardsDistributor].every((a) => LOWER_ADDRESS.test(a)) &&
    snapshot.devices.every(
      (d) =>
        LOWER_ADDRESS.test(d.device) &&
        LOWER_ADDRESS.test(d.owner) &&
        (d.recipient === null || LOWER_ADDRESS.test(d.recipient)),
    ) &&
    snapshot.stakes.every((s) => LOWER_ADDRESS.test(s.owner));
  return normal ? sortAndValidate(snapshot) : sortAndValidate(normalizeSnapshot(snapshot, "the snapshot", keccak));
}

function sortAndValidate(snapshot: Snapshot): Snapshot {
  const sorted = sortSnapshot(snapshot);
  validateSnapshot(sorted, "the snapshot");
  return markPrepared(sorted);
}
