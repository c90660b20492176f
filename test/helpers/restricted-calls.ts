import { ZeroAddress, ZeroHash, type BaseContract, type ParamType } from "ethers";

import type { RoleTable } from "../../scripts/lib/deploy";
import type { RoleName } from "../../scripts/lib/roles";

/** One restricted function of a deployed contract, with well-formed arguments and the role it needs. */
export interface RoleTableCall {
  readonly contract: string;
  readonly target: BaseContract;
  readonly role: RoleName;
  readonly signature: string;
  readonly args: readonly unknown[];
}

/**
 * A well-formed value of an ABI type. The `restricted` modifier runs before a function's body, so any
 * well-formed arguments reach the access check; `filler` is used for every address (a non-zero one, so
 * that a body that checked addresses first would still be reached).
 */
export function sampleValue(type: ParamType, filler: string): unknown {
  if (type.baseType === "array") {
    const length = type.arrayLength !== null && type.arrayLength >= 0 ? type.arrayLength : 1;
    return Array.from({ length }, () => sampleValue(type.arrayChildren!, filler));
  }
  if (type.baseType === "tuple") return type.components!.map((component) => sampleValue(component, filler));
  if (type.baseType === "address") return filler === "" ? ZeroAddress : filler;
  if (type.baseType === "bool") return true;
  if (type.baseType === "string") return "x";
  if (type.baseType === "bytes") return "0x01";
  if (type.baseType.startsWith("bytes")) return ZeroHash.slice(0, 2 + 2 * Number(type.baseType.slice(5)));
  if (type.baseType.startsWith("uint") || type.baseType.startsWith("int")) return 1n;
  throw new Error(`no sample value for ${type.format()}`);
}

/** Every function of `table` on `target`, each with sample arguments. */
export function callsOfTable(
  contract: string,
  target: BaseContract,
  table: RoleTable,
  filler: string,
): RoleTableCall[] {
  const calls: RoleTableCall[] = [];
  for (const [role, signatures] of Object.entries(table) as [RoleName, readonly string[]][]) {
    for (const signature of signatures) {
      const fragment = target.interface.getFunction(signature);
      if (fragment === null) throw new Error(`${contract} has no function ${signature}`);
      calls.push({
        contract,
        target,
        role,
        signature,
        args: fragment.inputs.map((input) => sampleValue(input, filler)),
      });
    }
  }
  return calls;
}
