import { EpochFileError } from "../../errors";
import { ZERO_HASH } from "../../inputHash";
import { buildStandardTree, LEAF_ENCODING } from "../../merkle";
import {
  INELIGIBLE_REASONS,
  type AccountAmount,
  type DeviceReward,
  type EpochFile,
  type EpochHeader,
  type EpochReport,
  type LineControl,
  type ReadEpochOptions,
  type StandardTreeDump,
  type ZeroReason,
} from "../../types";
import { normalizeAddress } from "../../util/address";
import { sharedKeccak, type Keccak } from "../../util/keccak";
import { readLineBatches } from "../lines";
import {
  ACCOUNT_COLUMNS,
  DEVICE_COLUMNS,
  EPOCH_FORMAT,
  HASH,
  REPORT_KEYS,
  TREE_OPEN,
  TREE_VALUES,
  UINT,
  ZERO_REASONS,
  accountLine,
  deviceLine,
} from "./layout";

/**
 * Reads an epoch file and checks that it is whole and consistent before anyone relies on it: the
 * layout `writeEpochFile` writes (line by line), Σ cumulative = totalCumulative, Σ device rewards =
 * Σ epoch amounts = epochTotal, each account's epoch amount = Σ its devices' rewards, and the tree,
 * rebuilt from the accounts, equal to the stored one node for node, with the stored root. Throws
 * `EpochFileError` with one line otherwise.
 */
export async function readEpochFile(file: string, options: ReadEpochOptions = {}): Promise<EpochFile> {
  try {
    return await readEpochFileUnchecked(file, options);
  } catch (error) {
    if (error instanceof EpochFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new EpochFileError(file, "no such file");
    throw new EpochFileError(file, `cannot be read (${code ?? (error as Error).message})`);
  }
}

type Section = "open" | "header" | "accounts" | "devices" | "tree" | "nodes" | "values" | "end" | "done";

async function readEpochFileUnchecked(file: string, options: ReadEpochOptions): Promise<EpochFile> {
  const keccak = await sharedKeccak();
  let section: Section = "open";
  const headerParts: string[] = [];
  let header: EpochHeader | undefined;
  const accounts: AccountAmount[] = [];
  const devices: DeviceReward[] = [];
  const deviceSums = new Map<string, bigint>();
  let deviceTotal = 0n;
  let lastDevice = "";
  const nodes: string[] = [];
  const values: { value: [string, string]; treeIndex: number }[] = [];
  let treeNull = false;
  let lineNo = 0;
  let expectComma = false; // whether the previous element line ended with a comma
  const fail = (reason: string): never => {
    throw new EpochFileError(file, `line ${lineNo}: ${reason}`);
  };
  const element = (text: string): string => {
    if (text.endsWith(",")) {
      expectComma = true;
      return text.slice(0, -1);
    }
    expectComma = false;
    return text;
  };
  const closeList = (): void => {
    if (expectComma) fail("a list ends with a trailing comma");
  };
  const control: LineControl = {};
  for await (const batch of readLineBatches(file, control))
    for (const { text, line } of batch) {
      lineNo = line;
      switch (section) {
        case "open":
          if (text !== "{") fail("not an epoch file (expected '{' on the first line)");
          section = "header";
          break;
        case "header":
          if (text === `"accountColumns": ${JSON.stringify(ACCOUNT_COLUMNS)},`) break;
          if (text === `"accounts": [`) {
            header = parseHeader(`{${headerParts.join("")}"end":0}`, fail, keccak);
            section = "accounts";
            expectComma = false;
            break;
          }
          if (!/^"[A-Za-z]+": .*,$/.test(text)) fail("not in the line layout an epoch file is written in");
          headerParts.push(text);
          break;
        case "accounts": {
          if (text === "],") {
            closeList();
            section = "devices";
            break;
          }
          const body = element(text);
          const a = canonicalAccount(body, fail) ?? parseAccount(body, fail, keccak);
          if (accountLine(a) !== body) fail("an account row is not in canonical form");
          const prev = accounts[accounts.length - 1];
          if (prev !== undefined && prev.account >= a.account) fail(`account ${a.account} is out of order or repeated`);
          accounts.push(a);
          break;
        }
        case "devices": {
          if (text === `"deviceColumns": ${JSON.stringify(DEVICE_COLUMNS)},`) break;
          if (text === `"devices": [`) {
            expectComma = false;
            // Only the accounts are wanted: the rows are passed over in bytes, up to the list's end.
            if (options.devices === "skip") control.skipUntil = "],";
            break;
          }
          if (text === "],") {
            control.skipUntil = undefined;
            closeList();
            section = "tree";
            break;
          }
          if (options.devices === "skip") break;
          const body = element(text);
          const d = parseDevice(body, fail, keccak);
          if (deviceLine(d) !== body) fail("a device row is not in canonical form");
          if (d.device <= lastDevice) fail(`device ${d.device} is out of order or repeated`);
          lastDevice = d.device;
          if (d.reward > 0n && d.beneficiary !== null) {
            deviceSums.set(d.beneficiary, (deviceSums.get(d.beneficiary) ?? 0n) + d.reward);
          }
          deviceTotal += d.reward;
          if (options.devices === "keep") devices.push(d);
          break;
        }
        case "tree":
          if (text === `"tree": null`) {
            treeNull = true;
            section = "end";
          } else if (text === TREE_OPEN) {
            section = "nodes";
            expectComma = false;
          } else {
            fail("expected the tree");
          }
          break;
        case "nodes": {
          if (text === TREE_VALUES) {
            closeList();
            section = "values";
            expectComma = false;
            break;
          }
          const body = element(text);
          if (!/^"0x[0-9a-f]{64}"$/.test(body)) fail("a tree node is not a 0x-prefixed 32-byte hex string");
          nodes.push(body.slice(1, -1));
          break;
        }
        case "values": {
          if (text === "]}") {
            closeList();
            section = "end";
            break;
          }
          const body = element(text);
          const m = /^\{"value":\["(0x[0-9a-f]{40})","(0|[1-9][0-9]*)"\],"treeIndex":(0|[1-9][0-9]*)\}$/.exec(body);
          if (m === null) return fail("a tree value is malformed");
          values.push({ value: [m[1] as string, m[2] as string], treeIndex: Number(m[3]) });
          break;
        }
        case "end":
          if (text !== "}") fail("expected the end of the file");
          section = "done";
          break;
        case "done":
          if (text.trim() !== "") fail("unexpected content after the end of the file");
          break;
      }
    }
  if (section !== "done" || header === undefined) {
    throw new EpochFileError(file, "truncated: the file does not end where an epoch file ends");
  }
  return finish(file, header, accounts, options.devices ?? "check", devices, deviceSums, deviceTotal, {
    nodes,
    values,
    treeNull,
  });
}

type Fail = (reason: string) => never;

function parseHeader(text: string, fail: Fail, keccak: Keccak): EpochHeader {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return fail("the header is not valid JSON");
  }
  if (raw.format !== EPOCH_FORMAT) fail(`not an epoch file (format must be "${EPOCH_FORMAT}")`);
  const uint = (v: unknown, what: string): bigint =>
    typeof v === "string" && UINT.test(v) ? BigInt(v) : fail(`${what} must be a decimal integer string`);
  const hash = (v: unknown, what: string): string =>
    typeof v === "string" && HASH.test(v) ? v : fail(`${what} must be a lowercase 0x-prefixed bytes32`);
  const addr = (v: unknown, what: string): string =>
    (typeof v === "string" ? normalizeAddress(v, keccak) : undefined) ?? fail(`${what} is not an address`);
  const obj = (v: unknown, what: string): Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : fail(`${what} must be an object`);
  const inputs = obj(raw.inputs, "inputs");
  const contracts = obj(inputs.contracts, "inputs.contracts");
  const params = obj(raw.params, "params");
  const report = obj(raw.report, "report");
  const reportOut: Record<string, unknown> = {};
  for (const key of REPORT_KEYS) if (!(key in report)) fail(`report.${key} is missing`);
  for (const [k, v] of Object.entries(report)) {
    if (k === "ineligible") {
      const r = obj(v, "report.ineligible");
      const counts: Record<string, number> = {};
      for (const reason of INELIGIBLE_REASONS) {
        const c = r[reason];
        counts[reason] =
          typeof c === "number" && Number.isSafeInteger(c) && c >= 0
            ? c
            : fail(`report.ineligible.${reason} must be a count`);
      }
      reportOut[k] = counts;
    } else if (typeof v === "number") {
      if (!Number.isSafeInteger(v) || v < 0) fail(`report.${k} must be a count`);
      reportOut[k] = v;
    } else {
      reportOut[k] = uint(v, `report.${k}`);
    }
  }
  return {
    epoch: uint(raw.epoch, "epoch"),
    chainId: uint(raw.chainId, "chainId"),
    distributor: addr(raw.distributor, "distributor"),
    root: hash(raw.root, "root"),
    totalCumulative: uint(raw.totalCumulative, "totalCumulative"),
    epochTotal: uint(raw.epochTotal, "epochTotal"),
    inputHash: hash(raw.inputHash, "inputHash"),
    snapshotHash: hash(inputs.snapshotHash, "inputs.snapshotHash"),
    activityHash: hash(inputs.activityHash, "inputs.activityHash"),
    previousHash: hash(inputs.previousHash, "inputs.previousHash"),
    previousEpoch: inputs.previousEpoch === null ? null : uint(inputs.previousEpoch, "inputs.previousEpoch"),
    snapshotBlock: uint(inputs.snapshotBlock, "inputs.snapshotBlock"),
    contracts: {
      deviceRegistry: addr(contracts.deviceRegistry, "inputs.contracts.deviceRegistry"),
      staking: addr(contracts.staking, "inputs.contracts.staking"),
      rewardsDistributor: addr(contracts.rewardsDistributor, "inputs.contracts.rewardsDistributor"),
    },
    params: {
      emission: uint(params.emission, "params.emission"),
      operatorsBps: uint(params.operatorsBps, "params.operatorsBps"),
      stakersBps: uint(params.stakersBps, "params.stakersBps"),
      treasuryBps: uint(params.treasuryBps, "params.treasuryBps"),
      epochLength: uint(params.epochLength, "params.epochLength"),
      minStakePerDevice: uint(params.minStakePerDevice, "params.minStakePerDevice"),
      maxProofs: uint(params.maxProofs, "params.maxProofs"),
    },
    report: reportOut as unknown as EpochReport,
  };
}

function parseRow(body: string, fail: Fail, what: string): unknown[] {
  try {
    const v = JSON.parse(body) as unknown;
    if (Array.isArray(v)) return v;
  } catch {
    // reported below
  }
  return fail(`${what} is not a JSON array (truncated?)`);
}

/** An account row exactly as `writeEpochFile` writes it, matched in one step (else `parseAccount` says what is wrong). */
const CANONICAL_ACCOUNT = /^\["(0x[0-9a-f]{40})","(0|[1-9][0-9]*)","(0|[1-9][0-9]*)"\]$/;

function canonicalAccount(body: string, fail: Fail): AccountAmount | undefined {
  const m = CANONICAL_ACCOUNT.exec(body);
  if (m === null) return undefined;
  return checkedAccount(
    { account: m[1] as string, cumulative: BigInt(m[2] as string), epochAmount: BigInt(m[3] as string) },
    fail,
  );
}

function checkedAccount(a: AccountAmount, fail: Fail): AccountAmount {
  if (a.cumulative === 0n) fail(`account ${a.account} has a cumulative amount of 0`);
  if (a.epochAmount > a.cumulative) fail(`account ${a.account} earned more this epoch than its cumulative amount`);
  return a;
}

function parseAccount(body: string, fail: Fail, keccak: Keccak): AccountAmount {
  const row = parseRow(body, fail, "an account row");
  if (row.length !== 3) fail("an account row must have 3 fields");
  const [account, cumulative, epochAmount] = row;
  const a =
    (typeof account === "string" ? normalizeAddress(account, keccak) : undefined) ?? fail("account is not an address");
  if (typeof cumulative !== "string" || !UINT.test(cumulative)) fail("cumulativeAmount must be a decimal string");
  if (typeof epochAmount !== "string" || !UINT.test(epochAmount)) fail("epochAmount must be a decimal string");
  return checkedAccount(
    { account: a, cumulative: BigInt(cumulative as string), epochAmount: BigInt(epochAmount as string) },
    fail,
  );
}

function parseDevice(body: string, fail: Fail, keccak: Keccak): DeviceReward {
  const row = parseRow(body, fail, "a device row");
  if (row.length !== DEVICE_COLUMNS.length) fail(`a device row must have ${DEVICE_COLUMNS.length} fields`);
  const [device, beneficiary, reward, cw, cr, dw, dr, sf, reason] = row;
  const amount = (v: unknown, what: string): bigint =>
    typeof v === "string" && UINT.test(v) ? BigInt(v) : fail(`${what} must be a decimal string`);
  const d: DeviceReward = {
    device:
      (typeof device === "string" ? normalizeAddress(device, keccak) : undefined) ?? fail("device is not an address"),
    beneficiary:
      beneficiary === null
        ? null
        : ((typeof beneficiary === "string" ? normalizeAddress(beneficiary, keccak) : undefined) ??
          fail("beneficiary is not an address")),
    reward: amount(reward, "reward"),
    coverageWeight: amount(cw, "coverageWeight"),
    coverageReward: amount(cr, "coverageReward"),
    dataWeight: amount(dw, "dataWeight"),
    dataReward: amount(dr, "dataReward"),
    stakeFactor: amount(sf, "stakeFactor"),
    reason:
      reason === null
        ? null
        : ZERO_REASONS.includes(reason as ZeroReason)
          ? (reason as ZeroReason)
          : fail("unknown reason"),
  };
  if (d.reward !== d.coverageReward + d.dataReward)
    fail(`device ${d.device}: reward is not coverageReward + dataReward`);
  if ((d.reward === 0n) !== (d.reason !== null))
    fail(`device ${d.device}: a reason is given exactly when the reward is 0`);
  if (d.reward > 0n && d.beneficiary === null) fail(`device ${d.device} earned without a beneficiary`);
  return d;
}

async function finish(
  file: string,
  header: EpochHeader,
  accounts: AccountAmount[],
  mode: "check" | "keep" | "skip",
  devices: DeviceReward[],
  deviceSums: Map<string, bigint>,
  deviceTotal: bigint,
  stored: { nodes: string[]; values: { value: [string, string]; treeIndex: number }[]; treeNull: boolean },
): Promise<EpochFile> {
  const fail = (reason: string): never => {
    throw new EpochFileError(file, reason);
  };
  let cumulativeTotal = 0n;
  let epochSum = 0n;
  for (const a of accounts) {
    cumulativeTotal += a.cumulative;
    epochSum += a.epochAmount;
    if (mode !== "skip" && (deviceSums.get(a.account) ?? 0n) !== a.epochAmount) {
      fail(`account ${a.account}: its epoch amount is not the sum of its devices' rewards`);
    }
    deviceSums.delete(a.account);
  }
  if (deviceSums.size > 0) fail("a device's beneficiary has no account row");
  if (cumulativeTotal !== header.totalCumulative)
    fail("the accounts' cumulative amounts do not add up to totalCumulative");
  if (epochSum !== header.epochTotal || (mode !== "skip" && deviceTotal !== header.epochTotal)) {
    fail("the devices' rewards and the accounts' epoch amounts do not add up to epochTotal");
  }
  const r = header.report;
  if (r.coverageRewards + r.dataRewards !== header.epochTotal)
    fail("report: coverageRewards + dataRewards is not epochTotal");
  if (r.coverageRewards + r.dataRewards + r.dust + r.unallocated !== r.pool) fail("report: the pool does not add up");
  if (header.epochTotal > r.pool) fail("epochTotal exceeds the operators' pool");
  if ((header.previousEpoch === null) !== (header.previousHash === ZERO_HASH))
    fail("inputs.previousHash and previousEpoch disagree");
  if (header.previousEpoch !== null && header.previousEpoch + 1n !== header.epoch)
    fail("inputs.previousEpoch is not epoch − 1");
  if (header.distributor !== header.contracts.rewardsDistributor)
    fail("distributor differs from inputs.contracts.rewardsDistributor");

  let tree: StandardTreeDump | null = null;
  if (accounts.length === 0) {
    if (!stored.treeNull) fail("a tree without accounts");
    if (header.root !== ZERO_HASH) fail("the root of an epoch without accounts must be 0x00…00");
  } else {
    if (stored.treeNull) fail("accounts without a tree");
    const built = await buildStandardTree(accounts.map((a) => [a.account, a.cumulative] as const));
    if (built.root !== header.root) fail("root is not the root of the accounts' cumulative amounts");
    if (stored.nodes.length !== built.tree.length || stored.nodes.some((node, i) => node !== built.tree[i])) {
      fail("the stored tree is not the tree of the accounts");
    }
    if (stored.values.length !== accounts.length) fail("the tree's values do not match the accounts");
    stored.values.forEach((v, i) => {
      const a = accounts[i] as AccountAmount;
      if (v.value[0] !== a.account || v.value[1] !== a.cumulative.toString() || v.treeIndex !== built.treeIndex[i]) {
        fail(`tree value ${i} does not match account ${a.account}`);
      }
    });
    tree = { format: "standard-v1", leafEncoding: [...LEAF_ENCODING], tree: stored.nodes, values: stored.values };
  }
  const cumulative = new Map<string, bigint>();
  for (const a of accounts) cumulative.set(a.account, a.cumulative);
  return { source: file, ...header, accounts, cumulative, devices: mode === "keep" ? devices : undefined, tree };
}
