import type { ContractRunner, Signer } from "ethers";

import {
  DeviceOnboardingLib__factory,
  DeviceRegistry__factory,
  type AccessManager,
  type DeviceRegistry,
} from "../../../typechain-types";
import { encodeName } from "../registry/names";
import { grantRoles, restrictFunctions, type RoleTable } from "./authority";
import { createOnce, memoryJournal, type Journal } from "./journal";
import { deployUupsProxy } from "./proxy";

/** One device class: fees in data credits (0 decimals; 1 DC = $0.00001). */
export interface DeviceClassParams {
  /** At most 31 bytes of UTF-8 (stored as a bytes32). */
  readonly name: string;
  /** Reward multiplier in basis points (10,000 = 1x), 1 through 100,000. */
  readonly multiplierBps: bigint;
  readonly onboardingFee: bigint;
  readonly locationFee: bigint;
}

export interface DeviceRegistryParams {
  readonly name: string;
  readonly symbol: string;
  /** `tokenURI(id)` = baseURI + decimal id. */
  readonly baseURI: string;
  /** The classes to create at initialization, ids 0, 1, ... in order. */
  readonly classes: readonly DeviceClassParams[];
}

/**
 * The demo's classes: hotspot 1x, $40 to onboard and $10 per location; dashcam 1.2x, $20 and $5; sensor 0.5x,
 * $5 and $1. Ids follow the order: hotspot 0, dashcam 1, sensor 2.
 */
export const DEFAULT_DEVICE_CLASSES: readonly DeviceClassParams[] = [
  { name: "hotspot", multiplierBps: 10_000n, onboardingFee: 4_000_000n, locationFee: 1_000_000n },
  { name: "dashcam", multiplierBps: 12_000n, onboardingFee: 2_000_000n, locationFee: 500_000n },
  { name: "sensor", multiplierBps: 5_000n, onboardingFee: 500_000n, locationFee: 100_000n },
];

export function defaultDeviceRegistryParams(baseURI = "https://devices.example/metadata/"): DeviceRegistryParams {
  return { name: "DePIN Device", symbol: "DEVICE", baseURI, classes: DEFAULT_DEVICE_CLASSES };
}

const MAKER_CONFIG = "(bytes32,address,address,uint64,uint32)";
const CLASS_CONFIG = "(bytes32,uint32,uint64,uint64)";

/**
 * The registry's privileged functions and their roles. The guardian and the oracles each get their own suspend
 * entry point, because the AccessManager maps one selector to one role. The guardian can pause but only
 * governance (ADMIN) unpauses.
 */
export const DEVICE_REGISTRY_ROLES: RoleTable = {
  SUITE_ADMIN: ["setCredits(address)", "setBaseURI(string)", "reinstate(uint256)", "unpause()"],
  MAKER_ADMIN: [
    `addMaker(${MAKER_CONFIG})`,
    `updateMaker(uint32,${MAKER_CONFIG})`,
    "setMakerEnabled(uint32,bool)",
    `addDeviceClass(${CLASS_CONFIG})`,
    `updateDeviceClass(uint8,${CLASS_CONFIG})`,
    "setDeviceClassEnabled(uint8,bool)",
  ],
  ORACLE: ["suspend(uint256,uint16)"],
  GUARDIAN: ["guardianSuspend(uint256,uint16)", "pause()"],
  UPGRADER: ["upgradeToAndCall(address,bytes)"],
};

/** The on-chain form of a class. */
export function deviceClassConfig(params: DeviceClassParams) {
  return {
    name: encodeName(params.name),
    multiplierBps: params.multiplierBps,
    onboardingFee: params.onboardingFee,
    locationFee: params.locationFee,
  };
}

/** A factory for the registry's implementation, linked to its onboarding library. */
export function deviceRegistryFactory(library: string, deployer: Signer): DeviceRegistry__factory {
  return new DeviceRegistry__factory(
    { "contracts/libraries/DeviceOnboardingLib.sol:DeviceOnboardingLib": library },
    deployer,
  );
}

/**
 * Deploys the DeviceRegistry (its onboarding library, the implementation and an initialized ERC-1967 proxy)
 * under `manager`, with `credits` as the fee burner's target. Then wires `DEVICE_REGISTRY_ROLES` and grants the
 * registry FEE_BURNER, so the deployer must still be ADMIN of the manager. `credits` must restrict `burnFee` to
 * FEE_BURNER (the DataCredits deploy library does). Every step is idempotent but the deployments.
 */
export async function deployDeviceRegistry(
  deployer: Signer,
  manager: AccessManager,
  credits: string,
  params: DeviceRegistryParams,
  journal: Journal = memoryJournal(),
): Promise<DeviceRegistry> {
  const library = await createOnce(
    deployer,
    journal,
    "DeviceOnboardingLib",
    new DeviceOnboardingLib__factory(deployer),
  );
  const { proxy } = await deployUupsProxy(
    deployer,
    deviceRegistryFactory(library, deployer),
    "initialize",
    [
      await manager.getAddress(),
      credits,
      params.name,
      params.symbol,
      params.baseURI,
      params.classes.map(deviceClassConfig),
    ],
    { journal, name: "DeviceRegistry" },
  );
  await restrictFunctions(manager, proxy, DEVICE_REGISTRY_ROLES);
  await grantRoles(manager, [{ role: "FEE_BURNER", account: proxy }]);
  return DeviceRegistry__factory.connect(proxy, deployer);
}

export function connectDeviceRegistry(address: string, runner: ContractRunner): DeviceRegistry {
  return DeviceRegistry__factory.connect(address, runner);
}
