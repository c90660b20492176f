import { getAddress, isAddress, parseUnits } from "ethers";

import { UserError } from "./errors";

/*
 * The one parser of every task's arguments. Integer options are Hardhat's `types.bigint` (the
 * command line refuses anything but a non-negative integer before the task runs); the task then
 * checks their range with `inRange`. Addresses, token amounts, lists and choices are strings parsed
 * here. Every refusal is a `TaskInputError` whose one line names the option. The module reads no
 * argv and no env, and imports nothing from Hardhat (the SDK's build includes it through `cli.ts`).
 */

/** A task's input that it refuses, with a one-line reason that names the option. */
export class TaskInputError extends UserError {
  override readonly name = "TaskInputError";
}

/** A checksummed address. */
export function parseAddress(raw: string, option: string): string {
  if (!isAddress(raw)) throw new TaskInputError(`${option} must be an address, not "${raw}"`);
  return getAddress(raw);
}

/** A comma-separated list of addresses (`""` is the empty list). */
export function parseAddressList(raw: string, option: string): string[] {
  return raw.trim() === "" ? [] : raw.split(",").map((item) => parseAddress(item.trim(), option));
}

/**
 * A positive amount of tokens with `decimals` decimals, in whole tokens as people write it
 * ("1000.5", or with thousands separators "1,000.5"), as base units (wei for 18 decimals). Refuses
 * more fractional digits than the token has (nothing is rounded), signs, exponents and zero.
 */
export function parseAmount(raw: string, option: string, decimals = 18): bigint {
  const text = raw.trim();
  if (!/^(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/.test(text)) {
    throw new TaskInputError(`${option} must be a decimal amount of tokens such as 1000.5 or 1,000.5, not "${raw}"`);
  }
  const plain = text.replace(/,/g, "");
  const fraction = plain.split(".")[1] ?? "";
  if (fraction.length > decimals) {
    throw new TaskInputError(`${option} has more than the token's ${decimals} decimals: "${raw}"`);
  }
  const amount = parseUnits(plain, decimals);
  if (amount === 0n) throw new TaskInputError(`${option} must be positive, not "${raw}"`);
  return amount;
}

/** `value` when `min <= value <= max` (a `types.bigint` option); refuses it naming the bound otherwise. */
export function inRange(value: bigint, option: string, min: bigint, max?: bigint): bigint {
  if (value < min) throw new TaskInputError(`${option} must be at least ${min}, not ${value}`);
  if (max !== undefined && value > max) throw new TaskInputError(`${option} must be at most ${max}, not ${value}`);
  return value;
}

/** A comma-separated list of integers, each at most `max` ("0,2"). */
export function parseIntegerList(raw: string, option: string, max: bigint): bigint[] {
  return raw.split(",").map((item) => {
    const text = item.trim();
    if (!/^\d+$/.test(text)) throw new TaskInputError(`${option} must be comma-separated integers, not "${raw}"`);
    return inRange(BigInt(text), option, 0n, max);
  });
}

/** One of `choices`. */
export function parseChoice<T extends string>(raw: string, option: string, choices: readonly T[]): T {
  const chosen = choices.find((choice) => choice === raw);
  if (chosen === undefined) {
    const which = choices.length === 2 ? `"${choices[0]}" or "${choices[1]}"` : `one of ${choices.join(", ")}`;
    throw new TaskInputError(`${option} must be ${which}, not "${raw}"`);
  }
  return chosen;
}

/**
 * What a library parser makes of a task's input (a key file, an H3 cell), its refusal as a
 * `TaskInputError`: one line, without a stack.
 */
export function asInput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof UserError || !(error instanceof Error)) throw error;
    throw new TaskInputError(error.message.split("\n")[0] ?? error.message);
  }
}
