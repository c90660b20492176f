import { decodeBytes32String, encodeBytes32String } from "ethers";

/** Maker and class names are stored as bytes32: at most 31 bytes of UTF-8. Throws a one-line reason. */
export function encodeName(name: string): string {
  if (name.length === 0) throw new Error("a name must not be empty");
  try {
    return encodeBytes32String(name);
  } catch {
    throw new Error(`name "${name}" is longer than 31 bytes`);
  }
}

export function decodeName(name: string): string {
  return decodeBytes32String(name);
}
