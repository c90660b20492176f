import { getAddress } from "ethers";

import { TaskInputError, parseAddress } from "./args";
import { UserError } from "./errors";

export { TaskInputError } from "./args";

/**
 * What every task shares. A failure a person can act on is one line on stderr and a non-zero exit
 * code: a `UserError` (bad input, a missing deployment, a malformed file: its message), or a
 * contract's refusal (`describe`, by default the SDK's decoder: the custom error with amounts in
 * tokens and times as dates). Anything else is a bug: it is printed with its stack, and the exit
 * code is non-zero too. The first line names the task.
 */
export async function runCommand(
  name: string,
  action: () => Promise<void>,
  describe: (error: unknown) => string | undefined | Promise<string | undefined> = describeTaskError,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    let line: string | undefined;
    try {
      line = await describe(error);
    } catch {
      line = error instanceof UserError ? oneLine(error) : undefined;
    }
    const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    process.stderr.write(line === undefined ? `${name}: ${stack}\n` : `${name}: ${oneLine(line)}\n`);
    process.exitCode = 1;
  }
}

/** An error as one line: its message's first line, or its string form. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}

/**
 * A task's error for people, or undefined for a bug: a `UserError` by its message; a contract's
 * refusal (or any error from ethers: a node that refused, a call that reverted) through the SDK's
 * decoder (`scripts/lib/sdk/errors.ts`, loaded only when needed, after the first compile).
 */
export async function describeTaskError(error: unknown): Promise<string | undefined> {
  if (error instanceof UserError) return oneLine(error);
  const fromEthers = typeof error === "object" && error !== null && "shortMessage" in error;
  const { describeError, revertDataOf } = await import("./sdk/errors");
  return fromEthers || revertDataOf(error) !== undefined ? describeError(error) : undefined;
}

/**
 * What the account helpers use of the Hardhat runtime (`hre`): its network's provider and name, and
 * hardhat-ethers' `getSigner`. Structural, so that this module needs no Hardhat types (it is part
 * of the SDK's build).
 */
export interface TaskRuntime<S> {
  readonly network: {
    readonly name: string;
    readonly provider: { request(args: { method: string; params?: unknown[] }): Promise<unknown> };
  };
  readonly ethers: { getSigner(address: string): Promise<S> };
}

/**
 * `--account` in every task is an address: the account the task acts for. A task that signs takes
 * the configured account with that address (`DEPLOYER_PRIVATE_KEY`, `ORACLE_PRIVATE_KEY`, or a node's
 * unlocked accounts); without `--account`, the first configured account (or the one at
 * `defaultIndex`).
 */
export function parseAccount(raw: string, option = "--account"): string {
  return parseAddress(raw, option);
}

/** The configured accounts, in order, as the node or the config gives them (`eth_accounts`). */
export async function configuredAccounts<S>(hre: TaskRuntime<S>): Promise<string[]> {
  const accounts = (await hre.network.provider.request({ method: "eth_accounts" })) as string[];
  return accounts.map((a) => getAddress(a));
}

/**
 * The account a read-only task reads: `--account` when given (any address), else the configured
 * account at `defaultIndex`.
 */
export async function accountOrDefault<S>(
  hre: TaskRuntime<S>,
  raw: string | undefined,
  defaultIndex = 0,
): Promise<string> {
  if (raw !== undefined) return parseAccount(raw);
  const accounts = await configuredAccounts(hre);
  const chosen = accounts[defaultIndex];
  if (chosen === undefined) throw new TaskInputError(noAccount(hre, defaultIndex));
  return chosen;
}

/**
 * The signer of a task that sends: the configured account `--account` names, else the configured
 * account at `defaultIndex`. Refuses an address that is not configured, before anything is sent.
 */
export async function signerFor<S>(hre: TaskRuntime<S>, raw: string | undefined, defaultIndex = 0): Promise<S> {
  const wanted = raw === undefined ? undefined : parseAccount(raw);
  const accounts = await configuredAccounts(hre);
  const address = wanted ?? accounts[defaultIndex];
  if (address === undefined) throw new TaskInputError(noAccount(hre, defaultIndex));
  if (!accounts.includes(address)) {
    throw new TaskInputError(
      `--account ${address} is not one of the ${accounts.length} configured accounts of network "${hre.network.name}"`,
    );
  }
  return hre.ethers.getSigner(address);
}

function noAccount<S>(hre: TaskRuntime<S>, index: number): string {
  const which = index === 0 ? "DEPLOYER_PRIVATE_KEY" : "ORACLE_PRIVATE_KEY";
  return `network "${hre.network.name}" has no configured account ${index + 1} (set ${which}, or give --account)`;
}
