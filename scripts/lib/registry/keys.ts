import { readFileSync } from "node:fs";

import { Wallet, getAddress, isAddress } from "ethers";

const PRIVATE_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

/**
 * Reads a private key from a file holding one 32-byte hex key (optionally 0x-prefixed, surrounding whitespace
 * ignored). Keys are never taken from the command line. Throws a one-line reason that never echoes the key.
 */
export function readKeyFile(file: string, what: string): Wallet {
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch {
    throw new Error(`cannot read the ${what} key file ${file}`);
  }
  if (!PRIVATE_KEY.test(text)) throw new Error(`the ${what} key file ${file} does not hold a 32-byte hex private key`);
  return new Wallet(text.startsWith("0x") ? text : `0x${text}`);
}

/** Parses a non-negative integer argument. Throws a one-line reason. */
export function parseUint(text: string, what: string, max: bigint = 2n ** 256n - 1n): bigint {
  if (!/^\d+$/.test(text.trim())) throw new Error(`${what} must be a non-negative integer, got "${text}"`);
  const value = BigInt(text.trim());
  if (value > max) throw new Error(`${what} must be at most ${max}`);
  return value;
}

export function parseAddress(text: string, what: string): string {
  if (!isAddress(text)) throw new Error(`${what} must be an address, got "${text}"`);
  return getAddress(text);
}
