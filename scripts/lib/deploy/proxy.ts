import type { ContractFactory, Signer } from "ethers";

import { ERC1967Proxy__factory } from "../../../typechain-types";
import { createOnce, memoryJournal, type Journal } from "./journal";

export interface ProxyOptions {
  /** Where the creations are journaled; a fresh in-memory journal by default. */
  readonly journal?: Journal;
  /** The record name of the proxy; the implementation is recorded as `<name>Implementation`. */
  readonly name?: string;
}

/**
 * Deploys a UUPS implementation and an ERC-1967 proxy in front of it, initialized in the proxy's
 * own deploy transaction (so nobody can front-run the initializer). Returns both addresses.
 * `initializer` is the name of the implementation's initializer; `args` are its arguments.
 */
export async function deployUupsProxy<F extends ContractFactory>(
  deployer: Signer,
  implementationFactory: F,
  initializer: string,
  args: readonly unknown[],
  options: ProxyOptions = {},
): Promise<{ proxy: string; implementation: string }> {
  const journal = options.journal ?? memoryJournal();
  const name = options.name ?? "Proxy";
  const factory = implementationFactory.connect(deployer);
  const implementation = await createOnce(deployer, journal, `${name}Implementation`, factory);
  const data = factory.interface.encodeFunctionData(initializer, args);
  const proxy = await createOnce(deployer, journal, name, new ERC1967Proxy__factory(deployer), implementation, data);
  return { proxy, implementation };
}
