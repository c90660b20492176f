import { ZeroAddress, type Provider } from "ethers";

import { DeviceRegistry__factory } from "../../../typechain-types";
import { decodeName } from "./names";
import { deviceOf } from "./typedData";

/** The device statuses, as the contract numbers them. */
export const DeviceStatus = { None: 0, Active: 1, Suspended: 2, Decommissioned: 3 } as const;

export interface IndexedMaker {
  name: string;
  signer: string;
  sponsor: string;
  allowedClasses: bigint;
  quota: bigint;
  minted: bigint;
  enabled: boolean;
}

export interface IndexedClass {
  name: string;
  multiplierBps: bigint;
  onboardingFee: bigint;
  locationFee: bigint;
  enabled: boolean;
}

/** A device as `deviceInfo` reports it; `recipient` is the one set (zero: the owner). */
export interface IndexedDevice {
  device: string;
  owner: string;
  recipient: string;
  makerId: bigint;
  deviceClass: bigint;
  status: number;
  onboardedAt: bigint;
  location: bigint;
  assertionCount: bigint;
  suspensionReason: bigint;
  /** Who made the last suspension (an oracle or the guardian); zero if none ever did. */
  suspendedBy: string;
}

/** The oracles' suspension budget: suspensions per oracle per window of `windowSeconds`. */
export interface IndexedSuspensionBudget {
  perWindow: bigint;
  windowSeconds: bigint;
}

export interface RegistrySnapshot {
  readonly credits: string;
  readonly baseURI: string;
  readonly paused: boolean;
  readonly suspensionBudget: IndexedSuspensionBudget;
  readonly makers: Map<bigint, IndexedMaker>;
  readonly classes: Map<bigint, IndexedClass>;
  /** By token id. */
  readonly devices: Map<bigint, IndexedDevice>;
  /** Onboard nonces by device address (keys that onboarded or burned a nonce). */
  readonly nonces: Map<string, bigint>;
}

/** The effective rewards recipient of an indexed device. */
export function recipientOf(device: IndexedDevice): string {
  return device.recipient === ZeroAddress ? device.owner : device.recipient;
}

/** How many device tokens each owner holds (decommissioned devices are burned). */
export function heldDevices(snapshot: RegistrySnapshot): Map<string, bigint> {
  const held = new Map<string, bigint>();
  for (const device of snapshot.devices.values()) {
    if (device.owner === ZeroAddress) continue;
    held.set(device.owner, (held.get(device.owner) ?? 0n) + 1n);
  }
  return held;
}

/**
 * Rebuilds the registry at `toBlock` from its event log alone (no view is read): makers, classes, every device
 * with its owner, recipient, status and location. The epoch pipeline uses it to enumerate the devices at a
 * snapshot block; a test compares it with the views.
 */
export async function rebuildRegistry(
  provider: Provider,
  registry: string,
  fromBlock: number,
  toBlock: number | "latest" = "latest",
): Promise<RegistrySnapshot> {
  const iface = DeviceRegistry__factory.createInterface();
  const logs = await provider.getLogs({ address: registry, fromBlock, toBlock });
  logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const state = {
    credits: ZeroAddress,
    baseURI: "",
    paused: false,
    suspensionBudget: { perWindow: 0n, windowSeconds: 0n },
    makers: new Map<bigint, IndexedMaker>(),
    classes: new Map<bigint, IndexedClass>(),
    devices: new Map<bigint, IndexedDevice>(),
    nonces: new Map<string, bigint>(),
  };
  const timestamps = new Map<number, bigint>();
  const device = (tokenId: bigint): IndexedDevice => {
    const found = state.devices.get(tokenId);
    if (found === undefined) throw new Error(`log names device ${tokenId} before its onboarding`);
    return found;
  };
  const bumpNonce = (address: string) => state.nonces.set(address, (state.nonces.get(address) ?? 0n) + 1n);

  for (const log of logs) {
    const parsed = iface.parseLog(log);
    if (parsed === null) continue;
    const a = parsed.args;
    switch (parsed.name) {
      case "CreditsSet":
        state.credits = a.current as string;
        break;
      case "BaseURISet":
        state.baseURI = a.baseURI as string;
        break;
      case "Paused":
        state.paused = true;
        break;
      case "Unpaused":
        state.paused = false;
        break;
      case "SuspensionBudgetSet":
        state.suspensionBudget = { perWindow: a.perWindow as bigint, windowSeconds: a.windowSeconds as bigint };
        break;
      case "MakerConfigured": {
        const previous = state.makers.get(a.makerId as bigint);
        state.makers.set(a.makerId as bigint, {
          name: decodeName(a.name as string),
          signer: a.signer as string,
          sponsor: a.sponsor as string,
          allowedClasses: a.allowedClasses as bigint,
          quota: a.quota as bigint,
          minted: previous?.minted ?? 0n,
          enabled: previous?.enabled ?? true,
        });
        break;
      }
      case "MakerEnabledSet":
        state.makers.get(a.makerId as bigint)!.enabled = a.enabled as boolean;
        break;
      case "DeviceClassConfigured": {
        const previous = state.classes.get(a.deviceClass as bigint);
        state.classes.set(a.deviceClass as bigint, {
          name: decodeName(a.name as string),
          multiplierBps: a.multiplierBps as bigint,
          onboardingFee: a.onboardingFee as bigint,
          locationFee: a.locationFee as bigint,
          enabled: previous?.enabled ?? true,
        });
        break;
      }
      case "DeviceClassEnabledSet":
        state.classes.get(a.deviceClass as bigint)!.enabled = a.enabled as boolean;
        break;
      case "DeviceOnboarded": {
        const tokenId = a.tokenId as bigint;
        let timestamp = timestamps.get(log.blockNumber);
        if (timestamp === undefined) {
          const block = await provider.getBlock(log.blockNumber);
          if (block === null) throw new Error(`block ${log.blockNumber} not found`);
          timestamp = BigInt(block.timestamp);
          timestamps.set(log.blockNumber, timestamp);
        }
        state.devices.set(tokenId, {
          device: deviceOf(tokenId),
          owner: a.owner as string,
          recipient: ZeroAddress,
          makerId: a.makerId as bigint,
          deviceClass: a.deviceClass as bigint,
          status: DeviceStatus.Active,
          onboardedAt: timestamp,
          location: 0n,
          assertionCount: 0n,
          suspensionReason: 0n,
          suspendedBy: ZeroAddress,
        });
        state.makers.get(a.makerId as bigint)!.minted += 1n;
        bumpNonce(deviceOf(tokenId));
        break;
      }
      case "OnboardingNonceUsed":
        bumpNonce(a.device as string);
        break;
      case "Transfer": {
        // The mint's Transfer follows DeviceOnboarded; a burn's follows DeviceDecommissioned.
        const d = device(a.tokenId as bigint);
        d.owner = a.to as string;
        d.recipient = ZeroAddress;
        break;
      }
      case "RewardsRecipientSet":
        device(a.tokenId as bigint).recipient = a.recipient as string;
        break;
      case "LocationAsserted": {
        const d = device(a.tokenId as bigint);
        d.location = a.h3Cell as bigint;
        d.assertionCount = a.assertionCount as bigint;
        break;
      }
      case "DeviceSuspended": {
        const d = device(a.tokenId as bigint);
        d.status = DeviceStatus.Suspended;
        d.suspensionReason = a.reasonCode as bigint;
        d.suspendedBy = a.by as string;
        break;
      }
      case "DeviceReinstated":
        device(a.tokenId as bigint).status = DeviceStatus.Active;
        break;
      case "DeviceDecommissioned":
        device(a.tokenId as bigint).status = DeviceStatus.Decommissioned;
        break;
      default:
        break;
    }
  }
  return state;
}
