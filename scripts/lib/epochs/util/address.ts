import type { Keccak } from "./keccak";

/**
 * Addresses in the pipeline: accepted in any case on input (a mixed-case address must carry a
 * valid EIP-55 checksum, as ethers requires), held and written in lowercase (so that a device or an
 * owner written in two cases is the same key).
 */

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/**
 * The lowercase form of `text` when it is an address, or `undefined`. `keccak` checks the checksum
 * of a mixed-case address.
 */
export function normalizeAddress(text: string, keccak: Keccak): string | undefined {
  if (!ADDRESS.test(text)) return undefined;
  const lower = text.toLowerCase();
  if (text === lower) return lower;
  if (text.slice(2) === text.slice(2).toUpperCase()) return lower;
  return checksumAddress(lower, keccak) === text ? lower : undefined;
}

/** EIP-55: the checksummed form of a lowercase 0x-address. */
export function checksumAddress(lower: string, keccak: Keccak): string {
  const hash = keccak.init().update(lower.slice(2)).digest("hex");
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const c = lower[2 + i] as string;
    out += c >= "a" && parseInt(hash[i] as string, 16) >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

/**
 * Memoises checksums: owners and beneficiaries repeat across many devices, so each is hashed once.
 */
export class Checksummer {
  private readonly _cache = new Map<string, string>();
  constructor(private readonly _keccak: Keccak) {}

  /** The EIP-55 form of a lowercase address, cached. */
  of(lower: string): string {
    let out = this._cache.get(lower);
    if (out === undefined) {
      out = checksumAddress(lower, this._keccak);
      this._cache.set(lower, out);
    }
    return out;
  }

  /** The EIP-55 form, not cached (for addresses seen once, such as devices). */
  once(lower: string): string {
    return checksumAddress(lower, this._keccak);
  }
}
