import { getAddress, zeroPadValue, type ContractFactory, type Signer } from "ethers";

import { AccessManager__factory, DataCredits__factory, RewardsDistributor__factory } from "../../../typechain-types";
import { addressOf, type DeploymentRecord } from "../deployments";
import { createOnce, type Journal } from "./journal";
import { deployDeviceRegistryLibraries, deviceRegistryFactory } from "./registry";
import { deployStakingLibraries, stakingFactory } from "./staking";

/** The UUPS contracts of the suite, by their record name. */
export const UPGRADEABLE = ["DataCredits", "DeviceRegistry", "Staking", "RewardsDistributor"] as const;
export type UpgradeableName = (typeof UPGRADEABLE)[number];

/** ERC-1967's implementation slot. */
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

export async function implementationOf(signer: Signer, proxy: string): Promise<string> {
  const word = await signer.provider!.getStorage(proxy, IMPLEMENTATION_SLOT);
  return getAddress(zeroPadValue(`0x${word.slice(-40)}`, 20));
}

/** The factory of the current code of `name`, linked to freshly journaled libraries where it needs them. */
export async function implementationFactory(
  signer: Signer,
  journal: Journal,
  name: UpgradeableName,
): Promise<ContractFactory> {
  switch (name) {
    case "DataCredits":
      return new DataCredits__factory(signer);
    case "RewardsDistributor":
      return new RewardsDistributor__factory(signer);
    case "Staking":
      return stakingFactory(await deployStakingLibraries(signer, journal), signer);
    case "DeviceRegistry":
      return deviceRegistryFactory(await deployDeviceRegistryLibraries(signer, journal), signer);
  }
}

export type UpgradeOutcome =
  | { readonly status: "upgraded"; readonly implementation: string; readonly txHash: string }
  | { readonly status: "scheduled"; readonly implementation: string; readonly readyAt: bigint }
  | { readonly status: "waiting"; readonly implementation: string; readonly readyAt: bigint }
  | { readonly status: "current"; readonly implementation: string };

export interface UpgradeRequest {
  readonly signer: Signer;
  readonly record: DeploymentRecord;
  readonly name: UpgradeableName;
  /** Where the new implementation's creation is journaled, so a re-run does not deploy it again. */
  readonly journal: Journal;
  /** Validates the new implementation against the proxy's storage layout; throws when unsafe. */
  readonly validate: (proxy: string, factory: ContractFactory) => Promise<void>;
  /** Records the new implementation's layout once the proxy points at it (the task re-registers the proxy). */
  readonly onUpgraded?: (proxy: string, factory: ContractFactory) => Promise<unknown>;
}

/**
 * `suite:upgrade`: validates the storage layout, deploys the new implementation once, and upgrades
 * through the authority. A caller whose UPGRADER role carries a delay gets the upgrade scheduled on
 * its first run, told to wait on the next, and executed once the delay has passed; a caller without
 * delay upgrades at once. Every step reads the chain first, so each run sends only what is due.
 */
export async function upgradeContract(request: UpgradeRequest): Promise<UpgradeOutcome> {
  const { signer, record, name, journal } = request;
  const proxy = addressOf(record, name);
  const factory = await implementationFactory(signer, journal, name);
  const journaled = journal.get(`${name}Implementation`);
  if (
    journaled !== undefined &&
    (await implementationOf(signer, proxy)).toLowerCase() === journaled.address.toLowerCase()
  ) {
    return { status: "current", implementation: journaled.address };
  }
  await request.validate(proxy, factory);
  const implementation = await createOnce(signer, journal, `${name}Implementation`, factory);

  const manager = AccessManager__factory.connect(addressOf(record, "AccessManager"), signer);
  const caller = await signer.getAddress();
  const data = factory.interface.encodeFunctionData("upgradeToAndCall", [implementation, "0x"]);
  const selector = data.slice(0, 10);
  const [immediate, delay] = await manager.canCall(caller, proxy, selector);
  if (immediate) {
    const tx = await signer.sendTransaction({ to: proxy, data });
    await tx.wait();
    await request.onUpgraded?.(proxy, factory);
    return { status: "upgraded", implementation, txHash: tx.hash };
  }
  if (delay === 0n) throw new Error(`${caller} may not upgrade ${name}: it lacks the UPGRADER role`);

  const operationId = await manager.hashOperation(caller, proxy, data);
  const readyAt = await manager.getSchedule(operationId);
  const now = BigInt((await signer.provider!.getBlock("latest"))!.timestamp);
  if (readyAt === 0n) {
    await (await manager.schedule(proxy, data, 0)).wait();
    return { status: "scheduled", implementation, readyAt: await manager.getSchedule(operationId) };
  }
  if (readyAt > now) return { status: "waiting", implementation, readyAt };
  const tx = await manager.execute(proxy, data);
  await tx.wait();
  await request.onUpgraded?.(proxy, factory);
  return { status: "upgraded", implementation, txHash: tx.hash };
}

/**
 * Registers each UUPS proxy and the storage layout of its current code with the upgrades plugin
 * (`forceImport`), so that a later `suite:upgrade` validates the new code against what was deployed.
 * `suite:deploy` calls it right after deploying; a proxy registered already is left as it is.
 */
export async function registerProxies(
  signer: Signer,
  record: DeploymentRecord,
  journal: Journal,
  forceImport: (proxy: string, factory: ContractFactory) => Promise<unknown>,
): Promise<void> {
  for (const name of UPGRADEABLE) {
    const factory = await implementationFactory(signer, journal, name);
    try {
      await forceImport(addressOf(record, name), factory);
    } catch (error) {
      if (!/already/i.test(error instanceof Error ? error.message : String(error))) throw error;
    }
  }
}
