/**
 * H3 cell indexes (https://h3geo.org/docs/core-library/h3Indexing), checked exactly as
 * `DeviceRegistry.isValidH3Cell` does: reserved bit 0, mode 1 (a cell), mode-dependent bits 0, resolution
 * 0-15, base cell below 122, digits 0-6 up to the resolution and 7 past it. Pentagon deleted sub-sequences
 * are not checked.
 */
const DIGIT_BITS = 45n;
const BASE_CELLS = 122n;

export function h3Resolution(cell: bigint): number {
  return Number((cell >> 52n) & 0xfn);
}

export function isValidH3Cell(cell: bigint): boolean {
  if (cell < 0n || cell >= 2n ** 64n) return false;
  if (cell >> 56n !== 0x08n) return false;
  if (((cell >> DIGIT_BITS) & 0x7fn) >= BASE_CELLS) return false;
  const resolution = BigInt(h3Resolution(cell));
  for (let i = 1n; i <= 15n; i++) {
    const digit = (cell >> ((15n - i) * 3n)) & 7n;
    if (i <= resolution ? digit === 7n : digit !== 7n) return false;
  }
  return true;
}

/** Parses a cell written in hex, as H3 libraries print it (`8a2a1072b59ffff`), with or without `0x`. */
export function parseH3Cell(text: string): bigint {
  const hex = text.trim().replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw new Error(`"${text}" is not a 64-bit hex H3 index`);
  const cell = BigInt(`0x${hex}`);
  if (!isValidH3Cell(cell)) throw new Error(`"${text}" is not a valid H3 cell index`);
  return cell;
}

export function formatH3Cell(cell: bigint): string {
  return cell.toString(16);
}
