import { createKeccak, type IHasher } from "hash-wasm";

/**
 * Keccak-256 over WebAssembly (`hash-wasm`), for the hot paths of the pipeline: the merkle tree,
 * the input hash and address checksums. One hasher instance is created once and reused; it is not
 * re-entrant, so each user that streams (the input hash) asks for its own with `newKeccak()`.
 */
export type Keccak = IHasher;

let shared: Promise<Keccak> | undefined;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A process-wide hasher for one-shot hashes (init → update → digest with no await in between). */
export function sharedKeccak(): Promise<Keccak> {
  shared ??= createKeccak(256);
  return shared;
}

/** A fresh hasher, for a hash that is fed across awaits. */
export function newKeccak(): Promise<Keccak> {
  return createKeccak(256);
}

/**
 * Buffers ABI words (32 bytes each, `abi.encode`) and packed rows (`abi.encodePacked`) and feeds
 * a hasher in 64 KiB chunks, so that hashing a million rows costs a few thousand crossings into
 * WebAssembly rather than millions.
 */
export class WordHasher {
  private readonly _buffer = Buffer.alloc(64 * 1024);
  private _used = 0;

  constructor(private readonly _keccak: Keccak) {
    _keccak.init();
  }

  /** Appends `value` as a big-endian uint256 word. Throws when it does not fit in 256 bits. */
  uint(value: bigint): this {
    if (value < 0n || value >> 256n !== 0n) throw new RangeError(`${value} does not fit in a uint256`);
    if (value <= MAX_SAFE) return this.small(Number(value));
    const at = this._reserve();
    this._buffer.write(value.toString(16).padStart(64, "0"), at, 32, "hex");
    return this;
  }

  /** Appends a small non-negative integer (a JS safe integer) as a uint256 word. */
  small(value: number): this {
    const at = this._reserve();
    let v = value;
    for (let i = 31; i >= 24 && v > 0; i--) {
      this._buffer[at + i] = v % 256;
      v = Math.floor(v / 256);
    }
    return this;
  }

  /** Appends a 0x-prefixed 40-hex-digit address (any case) as a left-padded word. */
  address(address: string): this {
    const at = this._reserve();
    if (address.length !== 42 || this._buffer.write(address.slice(2), at + 12, 20, "hex") !== 20) {
      throw new RangeError(`${address} is not an address`);
    }
    return this;
  }

  /** Appends a 0x-prefixed 64-hex-digit bytes32. */
  bytes32(hex: string): this {
    const at = this._reserve();
    if (hex.length !== 66 || this._buffer.write(hex.slice(2), at, 32, "hex") !== 32) {
      throw new RangeError(`${hex} is not a bytes32`);
    }
    return this;
  }

  /**
   * Appends one `abi.encodePacked` row of `bytes` bytes (at most 1 KiB), zeroed, and returns the
   * offset where it starts in `buffer`; the caller fills it with `putAddress`, `putNumber` and
   * `putUint256` before the next call. Rows are written straight into the buffer that is hashed, with
   * no string in between: "hashed the inputs" at 1M devices (78 MB of snapshot rows, 99 MB of
   * activity rows) took 1.7 to 2.9 s of CPU instead of 4.4 to 5.1 s through a hex string per row
   * (single runs, load average 7 to 9).
   */
  packed(bytes: number): number {
    return this._reserve(bytes);
  }

  /** The buffer `packed` hands out offsets in. */
  get buffer(): Buffer {
    return this._buffer;
  }

  /** Appends raw UTF-8 bytes (a domain tag). */
  tag(text: string): this {
    this._flush();
    this._keccak.update(text);
    return this;
  }

  /** The keccak-256 of everything appended, as 0x-prefixed lowercase hex. */
  digest(): string {
    this._flush();
    return `0x${this._keccak.digest("hex")}`;
  }

  private _reserve(bytes = 32): number {
    if (this._used + bytes > this._buffer.length) this._flushBytes();
    const at = this._used;
    this._used += bytes;
    return at;
  }

  private _flush(): void {
    this._flushBytes();
  }

  private _flushBytes(): void {
    if (this._used === 0) return;
    this._keccak.update(this._buffer.subarray(0, this._used));
    // What is handed out next is zero: one fill per 64 KiB rather than one per row.
    this._buffer.fill(0, 0, this._used);
    this._used = 0;
  }
}

/** Writes the 20 bytes of a 0x-address (any case) at `offset`; throws when it is not one. */
export function putAddress(target: Uint8Array, offset: number, address: string): void {
  writeHex(target, offset, address, 20);
}

/** Writes a non-negative safe integer big-endian in `width` bytes (≤ 8) at `offset`; throws when it does not fit. */
export function putNumber(target: Uint8Array, offset: number, value: number, width: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || (width < 7 && value >= 2 ** (8 * width))) {
    throw new RangeError(`${value} does not fit in ${width} bytes`);
  }
  let v = value;
  for (let i = offset + width - 1; i >= offset && v > 0; i--) {
    target[i] = v % 256;
    v = Math.floor(v / 256);
  }
}

/** Writes a uint256 big-endian in 32 bytes at `offset` (zeroed before); throws when it does not fit. */
export function putUint256(target: Uint8Array, offset: number, value: bigint): void {
  if (value <= MAX_SAFE && value >= 0n) {
    putNumber(target, offset + 24, Number(value), 8);
    return;
  }
  if (value < 0n || value >> 256n !== 0n) throw new RangeError(`${value} does not fit in a uint256`);
  writeHex(target, offset, `0x${value.toString(16).padStart(64, "0")}`, 32);
}

const HEX_VALUES = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    table[97 + i] = 10 + i;
    table[65 + i] = 10 + i;
  }
  return table;
})();

/** Writes the `length` bytes of a 0x-prefixed hex string into `target` at `offset`. */
export function writeHex(target: Uint8Array, offset: number, hex: string, length: number): void {
  if (hex.length !== 2 + 2 * length) throw new RangeError(`${hex} is not ${length} bytes of hex`);
  for (let i = 0; i < length; i++) {
    const hi = HEX_VALUES[hex.charCodeAt(2 + 2 * i)] ?? -1;
    const lo = HEX_VALUES[hex.charCodeAt(3 + 2 * i)] ?? -1;
    if (hi < 0 || lo < 0) throw new RangeError(`${hex} is not hex`);
    target[offset + i] = hi * 16 + lo;
  }
}
