import {
  INELIGIBLE_REASONS,
  type AccountAmount,
  type DeviceReward,
  type EpochReport,
  type EpochResult,
  type ZeroReason,
} from "../../types";

/**
 * The epoch file (`docs/epoch-files.md`): one JSON document that any JSON parser reads, laid out
 * one entry per line so that it streams both ways at a million devices. Its `tree` member is a
 * `StandardMerkleTree.dump()`: `StandardMerkleTree.load(JSON.parse(text).tree)` gives every proof.
 * The bytes are a function of the inputs alone: keys in a fixed order, rows sorted by address,
 * amounts as decimal strings, addresses in lowercase (an EIP-55 checksum would cost one keccak per
 * device at a million devices, and every library accepts lowercase).
 */
export const EPOCH_FORMAT = "depin-epoch/v1";
export const ACCOUNT_COLUMNS = ["account", "cumulativeAmount", "epochAmount"] as const;
export const DEVICE_COLUMNS = [
  "device",
  "beneficiary",
  "reward",
  "coverageWeight",
  "coverageReward",
  "dataWeight",
  "dataReward",
  "stakeFactor",
  "reason",
] as const;
export const ZERO_REASONS: readonly ZeroReason[] = [
  "unknown-device",
  ...INELIGIBLE_REASONS,
  "no-activity",
  "zero-weight",
  "rounded-down",
];
export const TREE_OPEN = `"tree": {"format":"standard-v1","leafEncoding":["address","uint256"],"tree":[`;
export const TREE_VALUES = `],"values":[`;

/** The file name of epoch `epoch` in an output folder. */
export function epochFileName(epoch: bigint): string {
  return `epoch-${epoch}.json`;
}

export const UINT = /^(0|[1-9][0-9]*)$/;
/** Every member of `EpochReport`, in the order `computeEpoch` writes them. */
export const REPORT_KEYS: readonly (keyof EpochReport)[] = [
  "snapshotDevices",
  "activityDevices",
  "unknownDevices",
  "ineligible",
  "eligibleWithoutActivity",
  "devicesWithCoverageWeight",
  "devicesWithDataWeight",
  "rewardedDevices",
  "rewardedAccounts",
  "pool",
  "coverageBucket",
  "dataBucket",
  "totalCoverageWeight",
  "totalDataWeight",
  "coverageRewards",
  "dataRewards",
  "coverageDust",
  "dataDust",
  "dust",
  "unallocated",
];
export const HASH = /^0x[0-9a-f]{64}$/;

export function headerLines(r: EpochResult): string[] {
  const fields: [string, unknown][] = [
    ["format", EPOCH_FORMAT],
    ["epoch", r.epoch.toString()],
    ["chainId", r.chainId.toString()],
    ["distributor", r.distributor],
    ["root", r.root],
    ["totalCumulative", r.totalCumulative.toString()],
    ["epochTotal", r.epochTotal.toString()],
    ["inputHash", r.inputHash],
    [
      "inputs",
      {
        snapshotHash: r.snapshotHash,
        activityHash: r.activityHash,
        previousHash: r.previousHash,
        previousEpoch: r.previousEpoch === null ? null : r.previousEpoch.toString(),
        snapshotBlock: r.snapshotBlock.toString(),
        contracts: {
          deviceRegistry: r.contracts.deviceRegistry,
          staking: r.contracts.staking,
          rewardsDistributor: r.contracts.rewardsDistributor,
        },
      },
    ],
    [
      "params",
      {
        emission: r.params.emission.toString(),
        operatorsBps: r.params.operatorsBps.toString(),
        stakersBps: r.params.stakersBps.toString(),
        treasuryBps: r.params.treasuryBps.toString(),
        epochLength: r.params.epochLength.toString(),
        minStakePerDevice: r.params.minStakePerDevice.toString(),
        maxProofs: r.params.maxProofs.toString(),
      },
    ],
    ["report", reportJson(r.report)],
  ];
  return ["{", ...fields.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)},`)];
}

export function reportJson(report: EpochReport): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(report)) out[k] = typeof v === "bigint" ? v.toString() : v;
  return out;
}

export function accountLine(a: AccountAmount): string {
  return `["${a.account}","${a.cumulative}","${a.epochAmount}"]`;
}

export function deviceLine(d: DeviceReward): string {
  const beneficiary = d.beneficiary === null ? "null" : `"${d.beneficiary}"`;
  const reason = d.reason === null ? "null" : `"${d.reason}"`;
  return `["${d.device}",${beneficiary},"${d.reward}","${d.coverageWeight}","${d.coverageReward}","${d.dataWeight}","${d.dataReward}","${d.stakeFactor}",${reason}]`;
}

export function valueLine(account: string, amount: bigint, treeIndex: number): string {
  return `{"value":["${account}","${amount}"],"treeIndex":${treeIndex}}`;
}
