import { ZeroAddress, getAddress, type Signer, type TypedDataDomain, type TypedDataField } from "ethers";

import { mintWithPermit } from "../credits";
import { quote } from "../credits";
import { formatH3Cell } from "../registry/h3";
import { DeviceStatus, rebuildRegistry, recipientOf, type IndexedDevice } from "../registry/indexer";
import { decodeName } from "../registry/names";
import {
  MAKER_ATTESTATION_TYPES,
  ONBOARD_TYPES,
  buildOnboardRequest,
  registryDomain,
  type OnboardRequest,
} from "../registry/typedData";
import {
  delegate as delegateStake,
  registerOperator,
  stake,
  stakingInfo as readStakingInfo,
  unbond,
  type StakingInfo,
} from "../staking";
import type { SuiteContracts } from "./contracts";

/** An EIP-712 message ready for `eth_signTypedData_v4` or `Signer.signTypedData`. */
export interface TypedDataRequest {
  readonly domain: TypedDataDomain;
  readonly types: Record<string, TypedDataField[]>;
  readonly primaryType: string;
  readonly message: Record<string, unknown>;
}

/** What a device onboarding needs signed, before anything is signed. */
export interface OnboardingInput {
  readonly device: string;
  readonly deviceClass: bigint;
  readonly makerId: bigint;
  readonly owner: string;
  /** Unix time after which the device's consent is void. */
  readonly deadline: bigint;
}

/** The latest block's timestamp: the clock deadlines are measured against (not the wall clock). */
export async function chainTime(suite: SuiteContracts): Promise<bigint> {
  const block = await suite.runner.provider?.getBlock("latest");
  if (block === null || block === undefined) throw new Error("cannot read the latest block");
  return BigInt(block.timestamp);
}

/**
 * The two typed-data messages of an onboarding, for signers that are not ethers Signers (a maker's
 * HSM, a device's firmware): the maker's `MakerAttestation` and the device's `Onboard`, both under the
 * registry's domain on this chain, with the device's current nonce.
 */
export async function onboardingTypedData(
  suite: SuiteContracts,
  input: OnboardingInput,
): Promise<{ maker: TypedDataRequest; device: TypedDataRequest }> {
  const domain = registryDomain(suite.chainId, await suite.registry.getAddress());
  const nonce = await suite.registry.onboardingNonce(input.device);
  return {
    maker: {
      domain,
      types: MAKER_ATTESTATION_TYPES,
      primaryType: "MakerAttestation",
      message: { device: getAddress(input.device), deviceClass: input.deviceClass, makerId: input.makerId },
    },
    device: {
      domain,
      types: ONBOARD_TYPES,
      primaryType: "Onboard",
      message: { owner: getAddress(input.owner), nonce, deadline: input.deadline },
    },
  };
}

/** Signs both halves of an onboarding with ethers Signers and returns the request `onboard` takes. */
export async function signOnboarding(
  suite: SuiteContracts,
  signers: { readonly maker: Signer; readonly device: Signer },
  input: Omit<OnboardingInput, "device">,
): Promise<OnboardRequest> {
  const device = await signers.device.getAddress();
  return buildOnboardRequest({
    ...input,
    domain: registryDomain(suite.chainId, await suite.registry.getAddress()),
    maker: signers.maker,
    device: signers.device,
    nonce: await suite.registry.onboardingNonce(device),
  });
}

/**
 * Sends a signed onboarding from `sender` (anyone: the owner, its operator, a relayer), which pays the fee unless the
 * maker has a sponsor. Returns the token id.
 */
export async function onboard(suite: SuiteContracts, sender: Signer, request: OnboardRequest): Promise<bigint> {
  const receipt = await (await suite.registry.connect(sender).onboard(request)).wait();
  if (receipt === null) throw new Error("the onboarding was not mined");
  return BigInt(getAddress(request.device));
}

/**
 * Buys credits with one signature and one transaction: the buyer signs an EIP-2612 permit for
 * DataCredits and sends `mintWithTokensPermit`, with `minCredits` at the current quote unless given.
 * The permit's deadline defaults to an hour past the chain's time.
 */
export async function buyCreditsWithPermit(
  suite: SuiteContracts,
  buyer: Signer,
  request: { readonly tokens: bigint; readonly to?: string; readonly minCredits?: bigint; readonly deadline?: bigint },
): Promise<{ credits: bigint; hash: string }> {
  const deadline = request.deadline ?? (await chainTime(suite)) + 3600n;
  const to = request.to ?? (await buyer.getAddress());
  return mintWithPermit(suite.credits, suite.token, buyer, {
    to,
    tokens: request.tokens,
    minCredits: request.minCredits,
    deadline,
  });
}

/** The credits `tokens` buy now, with the contract's rounding. */
export async function quoteCredits(suite: SuiteContracts, tokens: bigint): Promise<bigint> {
  return (await quote(suite.credits, { tokens })).credits;
}

/**
 * Stakes `amount` on the signer as an operator: registers it with `commissionBps` first when it is not
 * an operator yet, approves Staking when the allowance is short, then stakes.
 */
export async function stakeAsOperator(
  suite: SuiteContracts,
  signer: Signer,
  amount: bigint,
  commissionBps = 1_000,
): Promise<StakingInfo> {
  const account = await signer.getAddress();
  const info = await stakingInfo(suite, account);
  if (!info.isOperator) await registerOperator(suite.staking, signer, commissionBps);
  await stake(suite.staking, signer, amount);
  return stakingInfo(suite, account);
}

/** Delegates `amount` of the signer's tokens to `operator` (approving Staking when needed). */
export async function delegateTo(
  suite: SuiteContracts,
  signer: Signer,
  operator: string,
  amount: bigint,
): Promise<StakingInfo> {
  await delegateStake(suite.staking, signer, getAddress(operator), amount);
  return stakingInfo(suite, await signer.getAddress());
}

/** Starts unbonding `amount` of the signer's stake; `withdraw` pays it after the unbonding period. */
export async function unbondStake(suite: SuiteContracts, signer: Signer, amount: bigint): Promise<StakingInfo> {
  await unbond(suite.staking, signer, amount);
  return stakingInfo(suite, await signer.getAddress());
}

/**
 * Everything an operator or a delegator wants to know about `account`'s stake, in one read: its
 * operator, stake, claimable rewards, unbonding requests and, for an operator, its pool.
 */
export async function stakingInfo(suite: SuiteContracts, account: string): Promise<StakingInfo> {
  return readStakingInfo(suite.staking, suite.stakingLens, getAddress(account));
}

export type { StakingInfo };

export const DEVICE_STATUS_NAMES = ["none", "active", "suspended", "decommissioned"] as const;

/** A device of an owner, rebuilt from the registry's events, with names a person can read. */
export interface OwnedDevice extends IndexedDevice {
  readonly tokenId: bigint;
  readonly className: string;
  readonly statusName: (typeof DEVICE_STATUS_NAMES)[number];
  /** The H3 cell as H3 libraries print it, or null before the first assertion. */
  readonly h3Cell: string | null;
  /** Who the epoch pipeline pays. */
  readonly beneficiary: string;
}

/**
 * The devices `owner` holds now, rebuilt from the registry's event log from the deployment's block
 * (no enumeration view is needed). Decommissioned devices are burned and so held by nobody.
 */
export async function devicesOf(suite: SuiteContracts, owner: string): Promise<OwnedDevice[]> {
  const provider = suite.runner.provider;
  if (!provider) throw new Error("the suite's runner has no provider");
  const snapshot = await rebuildRegistry(provider, await suite.registry.getAddress(), suite.record.block);
  const wanted = getAddress(owner);
  const owned: OwnedDevice[] = [];
  for (const [tokenId, device] of snapshot.devices) {
    if (device.owner === ZeroAddress || getAddress(device.owner) !== wanted) continue;
    owned.push({
      ...device,
      tokenId,
      className: snapshot.classes.get(device.deviceClass)?.name ?? `class ${device.deviceClass}`,
      statusName: DEVICE_STATUS_NAMES[device.status] ?? "none",
      h3Cell: device.location === 0n ? null : formatH3Cell(device.location),
      beneficiary: recipientOf(device),
    });
  }
  return owned.sort((a, b) => (a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : 0));
}

export { DeviceStatus, decodeName };
