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
 * arguments (`InsufficientStake(requested: 5, available: 2)`), a require message, a panic, a
 * wallet's refusal; never raw revert hex.
 */
export function describeError(error: unknown): string {
  const data = revertDataOf(error);
  if (data !== undefined) {
    const decoded = decodeSuiteError(data);
    if (decoded !== undefined) {
      const args = decoded.fragment.inputs.map(
        (input, i) => `${input.name === "" ? `arg${i}` : input.name}: ${formatValue(decoded.args[i])}`,
      );
      return `${decoded.name}(${args.join(", ")})`;
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
