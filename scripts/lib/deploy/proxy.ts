import type { BaseContract, ContractFactory, Signer } from "ethers";

import { ERC1967Proxy__factory } from "../../../typechain-types";

/**
 * Deploys a UUPS implementation and an ERC-1967 proxy in front of it, initialized in the proxy's
 * own deploy transaction (so nobody can front-run the initializer). Returns the proxy's address.
 * `initializer` is the name of the implementation's initializer; `args` are its arguments.
 */
export async function deployUupsProxy<F extends ContractFactory>(
  deployer: Signer,
  implementationFactory: F,
  initializer: string,
  args: readonly unknown[],
): Promise<{ proxy: string; implementation: string }> {
  const implementation: BaseContract = await implementationFactory.connect(deployer).deploy();
  await implementation.waitForDeployment();
  const data = implementation.interface.encodeFunctionData(initializer, args);
  const proxy = await new ERC1967Proxy__factory(deployer).deploy(await implementation.getAddress(), data);
  await proxy.waitForDeployment();
  return { proxy: await proxy.getAddress(), implementation: await implementation.getAddress() };
}
