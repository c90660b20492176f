import { ErrorFragment, Interface, isError, type ErrorDescription, type InterfaceAbi } from "ethers";

import {
  AccessManager__factory,
  DataCredits__factory,
  DeviceRegistry__factory,
  GovernedPriceFeed__factory,
  RewardToken__factory,
  RewardsDistributor__factory,
  Staking__factory,
} from "../../../typechain-types";
import { formatBps, formatCredits, formatDate, formatDuration, formatTokens } from "../format";

/**
 * One `Interface` holding every custom error of the suite's contracts (their own, and the OpenZeppelin
 * errors they inherit, such as `ERC20InsufficientBalance` or `AccessManagedUnauthorized`), deduplicated
 * by selector, to decode any revert a suite transaction can produce.
 */
export function suiteErrorInterface(): Interface {
  const abis: InterfaceAbi[] = [
    RewardToken__factory.abi,
    DataCredits__factory.abi,
    DeviceRegistry__factory.abi,
    Staking__factory.abi,
    RewardsDistributor__factory.abi,
    AccessManager__factory.abi,
    GovernedPriceFeed__factory.abi,
  ];
  const bySelector = new Map<string, ErrorFragment>();
  for (const abi of abis) {
    new Interface(abi).forEachError((fragment) => {
      if (!bySelector.has(fragment.selector)) bySelector.set(fragment.selector, fragment);
    });
  }
  return new Interface([...bySelector.values()]);
}

let shared: Interface | undefined;

/** The revert data carried by an error from ethers, a wallet or a JSON-RPC node, wherever it sits. */
export function revertDataOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown): string | undefined => {
    if (value === null || typeof value !== "object" || seen.has(value)) return undefined;
    seen.add(value);
    const record = value as Record<string, unknown>;
    const data = record.data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]{8}/.test(data)) return data;
    for (const key of ["data", "error", "info", "cause", "payload"]) {
      const found = visit(record[key]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(error);
}

function formatValue(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  return String(value);
}

/** How an argument of a decoded error reads for people. */
type ArgKind = "tokens" | "credits" | "date" | "duration" | "bps";

/**
 * The amounts of the suite's errors, by error and argument: token amounts (wei) and whole credits
 * cannot be told apart by name (`needed`, `available`), so each is listed. Times, durations and
 * basis points go by their argument's name (`ARG_KINDS`).
 */
const ERROR_ARGS: Readonly<Record<string, Readonly<Record<string, ArgKind>>>> = {
  ClaimsExceedRootTotal: { totalClaimed: "tokens", rootTotal: "tokens" },
  ERC20ExceededCap: { increasedSupply: "tokens", cap: "tokens" },
  ERC20ExceededSafeSupply: { increasedSupply: "tokens", cap: "tokens" },
  ERC20InsufficientAllowance: { allowance: "tokens", needed: "tokens" },
  ERC20InsufficientBalance: { balance: "tokens", needed: "tokens" },
  EmissionBudgetExceeded: { requested: "tokens", available: "tokens" },
  EmissionScheduleExceedsCap: { genesisAllocation: "tokens", totalEmission: "tokens", cap: "tokens" },
  InsufficientStake: { requested: "tokens", available: "tokens" },
  InvalidCap: { cap: "tokens" },
  InvalidInitialEmission: { initialEpochEmission: "tokens", cap: "tokens" },
  InvalidProof: { cumulativeAmount: "tokens" },
  RewardsNotFunded: { amount: "tokens", available: "tokens" },
  SweepExceedsUnallocated: { amount: "tokens", available: "tokens" },
  TokensAboveMaximum: { tokens: "tokens", maxTokens: "tokens" },
  TotalCumulativeDecreased: { totalCumulative: "tokens", previous: "tokens" },
  TotalCumulativeExceedsEmission: { totalCumulative: "tokens", limit: "tokens" },
  ZeroCredits: { tokenAmount: "tokens" },
  ZeroShares: { amount: "tokens" },
  CreditsBelowMinimum: { credits: "credits", minCredits: "credits" },
  InsufficientCredits: { balance: "credits", needed: "credits" },
  InsufficientEscrow: { escrow: "credits", needed: "credits" },
  MintLimitExceeded: { credits: "credits", available: "credits" },
  InvalidChallengeWindow: { challengeWindow: "duration", max: "duration" },
  InvalidParams: { unbondingPeriod: "duration", maxCommissionStepBps: "bps" },
  CommissionStepTooLarge: { current: "bps", requested: "bps" },
};

/** Arguments whose name alone says what they are, in every error that has them. */
const ARG_KINDS: Readonly<Record<string, ArgKind>> = {
  deadline: "date",
  timestamp: "date",
  updatedAt: "date",
  lastUpdatedAt: "date",
  startedAt: "date",
  unlockAt: "date",
  retryAt: "date",
  claimableAt: "date",
  windowEnd: "date",
  expiry: "date",
  genesis: "date",
  timepoint: "date",
  clock: "date",
  endsAt: "date",
  maxStaleness: "duration",
  gracePeriod: "duration",
  windowSeconds: "duration",
  minInterval: "duration",
  moveWindow: "duration",
  mintWindow: "duration",
  epochLength: "duration",
  bps: "bps",
  moveBps: "bps",
};

function kindOf(error: string, arg: string): ArgKind | undefined {
  return ERROR_ARGS[error]?.[arg] ?? ARG_KINDS[arg] ?? (/Bps$/.test(arg) ? "bps" : undefined);
}

function formatArg(kind: ArgKind | undefined, value: unknown): string {
  if (typeof value !== "bigint" || kind === undefined) return formatValue(value);
  switch (kind) {
    case "tokens":
      return formatTokens(value);
    case "credits":
      return formatCredits(value);
    case "date":
      return formatDate(value);
    case "duration":
      return formatDuration(value);
    case "bps":
      return formatBps(value);
  }
}

/**
 * The arguments of a decoded error, named and formatted for people. Every error name of the suite
 * has one signature (`test/config/error-names.test.ts`), so its argument names say how to show them.
 */
function describeArgs(decoded: ErrorDescription): string[] {
  return decoded.fragment.inputs.map((input, i) => {
    const value: unknown = decoded.args[i];
    const name = input.name === "" ? `arg${i}` : input.name;
    return `${name}: ${formatArg(kindOf(decoded.name, name), value)}`;
  });
}

/** The custom error of `data` (revert data), or undefined when no suite contract declares it. */
export function decodeSuiteError(data: string): ErrorDescription | undefined {
  shared ??= suiteErrorInterface();
  try {
    return shared.parseError(data) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * A one-line, readable account of why a call failed: the decoded custom error with its named
 * arguments, amounts in tokens or credits and times as dates
 * (`InsufficientStake(requested: 5,000 tokens, available: 900 tokens)`,
 * `StalePrice(updatedAt: 2025-01-01T00:00:00Z, maxStaleness: 3,600 s (1 h), timestamp: …)`), a require
 * message, a panic, a wallet's refusal; never raw revert hex.
 */
export function describeError(error: unknown): string {
  const data = revertDataOf(error);
  if (data !== undefined) {
    const decoded = decodeSuiteError(data);
    if (decoded !== undefined) {
      return `${decoded.name}(${describeArgs(decoded).join(", ")})`;
    }
    return `the contract reverted with an error the suite does not declare (selector ${data.slice(0, 10)})`;
  }
  if (isError(error, "ACTION_REJECTED")) return "the request was rejected in the wallet";
  if (isError(error, "CALL_EXCEPTION") && error.reason) return `the contract reverted: ${error.reason}`;
  if (isError(error, "INSUFFICIENT_FUNDS")) return "the account cannot pay for gas";
  if (error instanceof Error) {
    const short = (error as Error & { shortMessage?: string }).shortMessage;
    return (short ?? error.message).split("\n")[0].replace(/0x[0-9a-fA-F]{64,}/g, "0x…");
  }
  return String(error);
}
