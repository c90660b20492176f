import { type ContractTransactionResponse, type Signer } from "ethers";

import type { DeviceRegistry } from "../../../typechain-types";
import { formatBps, formatDate } from "../format";
import { decodeName, encodeName } from "./names";
import { buildOnboardRequest, registryDomain, tokenIdOf } from "./typedData";

export * from "./h3";
export * from "./indexer";
export * from "./keys";
export * from "./names";
export * from "./typedData";

/** What governance sets for a maker. */
export interface MakerParams {
  readonly name: string;
  readonly signer: string;
  /** Pays its devices' onboarding fees when set; with the zero address, whoever sends each onboarding pays. */
  readonly sponsor: string;
  /** Class ids the maker may build. */
  readonly classes: readonly bigint[];
  /** 0: no quota. */
  readonly quota: bigint;
}

export interface SentTransaction {
  readonly hash: string;
}

/** The 64-bit `allowedClasses` bitmap of a list of class ids. */
export function classBitmap(classes: readonly bigint[]): bigint {
  let bitmap = 0n;
  for (const id of classes) {
    if (id < 0n || id >= 64n) throw new Error(`class id ${id} is out of range 0-63`);
    bitmap |= 1n << id;
  }
  return bitmap;
}

export function makerConfig(params: MakerParams) {
  return {
    name: encodeName(params.name),
    signer: params.signer,
    sponsor: params.sponsor,
    allowedClasses: classBitmap(params.classes),
    quota: params.quota,
  };
}

async function mined(tx: Promise<ContractTransactionResponse>) {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return receipt;
}

/** Adds a maker (as MAKER_ADMIN) and returns its id, read from `MakerConfigured`. */
export async function addMaker(
  registry: DeviceRegistry,
  params: MakerParams,
): Promise<SentTransaction & { makerId: bigint }> {
  const receipt = await mined(registry.addMaker(makerConfig(params)));
  for (const log of receipt.logs) {
    const parsed = registry.interface.parseLog(log);
    if (parsed?.name === "MakerConfigured") return { hash: receipt.hash, makerId: parsed.args.makerId as bigint };
  }
  throw new Error("addMaker emitted no MakerConfigured");
}

export interface OnboardParams {
  /** The maker's attestation key. */
  readonly maker: Signer;
  readonly makerId: bigint;
  /** The device's own key. */
  readonly device: Signer;
  readonly deviceClass: bigint;
  readonly owner: string;
  /** Unix time after which the device's signature is void. */
  readonly deadline: bigint;
}

/** Signs and sends one onboarding from `registry`'s runner; returns the tx hash and the token id. */
export async function onboardDevice(
  registry: DeviceRegistry,
  params: OnboardParams,
): Promise<SentTransaction & { tokenId: bigint }> {
  const address = await registry.getAddress();
  const provider = registry.runner?.provider;
  if (provider === null || provider === undefined) throw new Error("the registry has no provider");
  const { chainId } = await provider.getNetwork();
  const device = await params.device.getAddress();
  const request = await buildOnboardRequest({
    ...params,
    domain: registryDomain(chainId, address),
    nonce: await registry.onboardingNonce(device),
  });
  const receipt = await mined(registry.onboard(request));
  return { hash: receipt.hash, tokenId: tokenIdOf(device) };
}

export async function assertLocation(
  registry: DeviceRegistry,
  tokenId: bigint,
  cell: bigint,
): Promise<SentTransaction> {
  return { hash: (await mined(registry.assertLocation(tokenId, cell))).hash };
}

/** Suspends as ORACLE (`suspend`) or as GUARDIAN (`guardianSuspend`). */
export async function suspendDevice(
  registry: DeviceRegistry,
  tokenId: bigint,
  reasonCode: bigint,
  as: "oracle" | "guardian",
): Promise<SentTransaction> {
  const tx = as === "oracle" ? registry.suspend(tokenId, reasonCode) : registry.guardianSuspend(tokenId, reasonCode);
  return { hash: (await mined(tx)).hash };
}

const STATUS_NAMES = ["None", "Active", "Suspended", "Decommissioned"] as const;

/** A device's views in a printable form (times as ISO-8601 dates in UTC). */
export async function describeDevice(registry: DeviceRegistry, tokenId: bigint) {
  const info = await registry.deviceInfo(tokenId);
  const deviceClass = await registry.deviceClass(info.deviceClass);
  return {
    tokenId: tokenId.toString(),
    owner: info.owner,
    rewardsRecipient: info.rewardsRecipient,
    makerId: info.makerId.toString(),
    deviceClass: `${info.deviceClass} (${decodeName(deviceClass.name)}, ${formatBps(deviceClass.multiplierBps)})`,
    status: STATUS_NAMES[Number(info.status)],
    onboardedAt: formatDate(info.onboardedAt),
    location: info.location === 0n ? "none" : info.location.toString(16),
    assertionCount: info.assertionCount.toString(),
    suspensionReason: info.suspensionReason.toString(),
    suspendedBy: info.suspendedBy,
  };
}
