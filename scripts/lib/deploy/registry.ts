import type { ContractRunner, Signer } from "ethers";

import {
  DeviceOnboardingLib__factory,
  DeviceRegistry__factory,
  DeviceSuspensionLib__factory,
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

/**
 * What one oracle key may suspend: `perWindow` devices in each of its windows of `windowSeconds` (a window opens
 * at its first suspension after the last one closed). The guardian is not bounded. Governance changes it with
 * `setSuspensionBudget` (ADMIN).
 */
export interface SuspensionBudgetParams {
  /** 0 through 2^32 - 1; 0 closes the oracle path (only the guardian suspends). */
  readonly perWindow: bigint;
  /** 1 through 2^32 - 1 seconds. */
  readonly windowSeconds: bigint;
}

export interface DeviceRegistryParams {
  readonly name: string;
  readonly symbol: string;
  /** `tokenURI(id)` = baseURI + decimal id. */
  readonly baseURI: string;
  /** The classes to create at initialization, ids 0, 1, ... in order. */
  readonly classes: readonly DeviceClassParams[];
  /** The oracles' suspension budget, set at initialization. */
  readonly suspensionBudget: SuspensionBudgetParams;
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

/**
 * The default budget, as in every `deploy/params` file: 100 suspensions per oracle per day. Enough for an honest
 * oracle's daily work on a young network (a larger purge is the guardian's, or governance raises the budget);
 * bounded so that a stolen oracle key can suspend no more than ~100 devices a day (200 across the edge of two of
 * its windows) until governance revokes it, and the guardian lifts them in one call.
 */
export const DEFAULT_SUSPENSION_BUDGET: SuspensionBudgetParams = { perWindow: 100n, windowSeconds: 86_400n };

export function defaultDeviceRegistryParams(baseURI = "https://devices.example/metadata/"): DeviceRegistryParams {
  return {
    name: "DePIN Device",
    symbol: "DEVICE",
    baseURI,
    classes: DEFAULT_DEVICE_CLASSES,
    suspensionBudget: DEFAULT_SUSPENSION_BUDGET,
  };
}

const MAKER_CONFIG = "(bytes32,address,address,uint64,uint32)";
const CLASS_CONFIG = "(bytes32,uint32,uint64,uint64)";

/**
 * The registry's privileged functions and their roles. The guardian and the oracles each get their own suspend
 * entry point, because the AccessManager maps one selector to one role; the oracles' is bounded by the suspension
 * budget that governance (SUITE_ADMIN) sets, and the guardian can lift an oracle's suspensions at once. The guardian can
 * pause but only governance (SUITE_ADMIN) unpauses.
 */
export const DEVICE_REGISTRY_ROLES: RoleTable = {
  SUITE_ADMIN: [
    "setCredits(address)",
    "setBaseURI(string)",
    "setSuspensionBudget(uint32,uint32)",
    "reinstate(uint256)",
    "unpause()",
  ],
  MAKER_ADMIN: [
    `addMaker(${MAKER_CONFIG})`,
    `updateMaker(uint32,${MAKER_CONFIG})`,
    "setMakerEnabled(uint32,bool)",
    `addDeviceClass(${CLASS_CONFIG})`,
    `updateDeviceClass(uint8,${CLASS_CONFIG})`,
    "setDeviceClassEnabled(uint8,bool)",
  ],
  ORACLE: ["suspend(uint256,uint16)"],
  GUARDIAN: ["guardianSuspend(uint256,uint16)", "liftSuspensions(address,uint256[])", "pause()"],
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

/** The on-chain form of a suspension budget. */
export function suspensionBudgetConfig(params: SuspensionBudgetParams) {
  return { perWindow: params.perWindow, windowSeconds: params.windowSeconds };
}

/** The addresses of the registry's two linked libraries. */
export interface DeviceRegistryLibraries {
  readonly onboarding: string;
  readonly suspension: string;
}

/** The link references of the registry's implementation (and of any version that inherits it). */
export function deviceRegistryLinks(libraries: DeviceRegistryLibraries) {
  return {
    "contracts/libraries/DeviceOnboardingLib.sol:DeviceOnboardingLib": libraries.onboarding,
    "contracts/libraries/DeviceSuspensionLib.sol:DeviceSuspensionLib": libraries.suspension,
  };
}

/** Deploys the registry's libraries once each (journaled as `DeviceOnboardingLib` and `DeviceSuspensionLib`). */
export async function deployDeviceRegistryLibraries(
  deployer: Signer,
  journal: Journal = memoryJournal(),
): Promise<DeviceRegistryLibraries> {
  return {
    onboarding: await createOnce(deployer, journal, "DeviceOnboardingLib", new DeviceOnboardingLib__factory(deployer)),
    suspension: await createOnce(deployer, journal, "DeviceSuspensionLib", new DeviceSuspensionLib__factory(deployer)),
  };
}

/** A factory for the registry's implementation, linked to its libraries. */
export function deviceRegistryFactory(libraries: DeviceRegistryLibraries, deployer: Signer): DeviceRegistry__factory {
  return new DeviceRegistry__factory(deviceRegistryLinks(libraries), deployer);
}

/**
 * Deploys the DeviceRegistry (its two libraries, the implementation and an initialized ERC-1967 proxy)
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
  const libraries = await deployDeviceRegistryLibraries(deployer, journal);
  const { proxy } = await deployUupsProxy(
    deployer,
    deviceRegistryFactory(libraries, deployer),
    "initialize",
    [
      await manager.getAddress(),
      credits,
      params.name,
      params.symbol,
      params.baseURI,
      params.classes.map(deviceClassConfig),
      suspensionBudgetConfig(params.suspensionBudget),
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
