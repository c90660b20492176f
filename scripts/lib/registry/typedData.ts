import { TypedDataEncoder, getAddress, toBeHex, type Signer, type TypedDataDomain } from "ethers";

/**
 * The EIP-712 messages of the DeviceRegistry, shared by tests, tasks and the SDK. The contract's twins are
 * `DeviceOnboardingLib.MAKER_ATTESTATION_TYPEHASH` and `ONBOARD_TYPEHASH`; a test keeps them equal.
 */
export const REGISTRY_DOMAIN_NAME = "DeviceRegistry";
export const REGISTRY_DOMAIN_VERSION = "1";

export const MAKER_ATTESTATION_TYPES = {
  MakerAttestation: [
    { name: "device", type: "address" },
    { name: "deviceClass", type: "uint8" },
    { name: "makerId", type: "uint32" },
  ],
};

export const ONBOARD_TYPES = {
  Onboard: [
    { name: "owner", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** What a maker signs once per device it builds. */
export interface MakerAttestation {
  readonly device: string;
  readonly deviceClass: bigint;
  readonly makerId: bigint;
}

/** What a device key signs to be onboarded to `owner`. */
export interface OnboardMessage {
  readonly owner: string;
  readonly nonce: bigint;
  readonly deadline: bigint;
}

/** The request `onboard` and `batchOnboard` take (the contract's `OnboardRequest`). */
export interface OnboardRequest {
  readonly device: string;
  readonly deviceClass: bigint;
  readonly makerId: bigint;
  readonly owner: string;
  readonly deadline: bigint;
  readonly makerSignature: string;
  readonly deviceSignature: string;
}

/** The registry's domain on `chainId` at `verifyingContract`. */
export function registryDomain(chainId: bigint, verifyingContract: string): TypedDataDomain {
  return { name: REGISTRY_DOMAIN_NAME, version: REGISTRY_DOMAIN_VERSION, chainId, verifyingContract };
}

export function makerAttestationDigest(domain: TypedDataDomain, attestation: MakerAttestation): string {
  return TypedDataEncoder.hash(domain, MAKER_ATTESTATION_TYPES, { ...attestation });
}

export function onboardDigest(domain: TypedDataDomain, message: OnboardMessage): string {
  return TypedDataEncoder.hash(domain, ONBOARD_TYPES, { ...message });
}

/** The maker's signature over an attestation (an EOA key, or the owner key of an ERC-1271 signer). */
export async function signMakerAttestation(
  signer: Signer,
  domain: TypedDataDomain,
  attestation: MakerAttestation,
): Promise<string> {
  return signer.signTypedData(domain, MAKER_ATTESTATION_TYPES, { ...attestation });
}

/** The device key's signature over its consent to be onboarded to `message.owner`. */
export async function signOnboard(signer: Signer, domain: TypedDataDomain, message: OnboardMessage): Promise<string> {
  return signer.signTypedData(domain, ONBOARD_TYPES, { ...message });
}

/** A device's token id: its address as a number. */
export function tokenIdOf(device: string): bigint {
  return BigInt(getAddress(device));
}

/** The device address of a token id. Throws when the id does not fit 160 bits. */
export function deviceOf(tokenId: bigint): string {
  if (tokenId < 0n || tokenId >= 2n ** 160n) throw new Error(`token id ${tokenId} is not a device address`);
  return getAddress(toBeHex(tokenId, 20));
}

export interface BuildOnboardRequestArgs {
  readonly domain: TypedDataDomain;
  /** Signs the attestation (or its ERC-1271 owner key). */
  readonly maker: Signer;
  readonly makerId: bigint;
  /** The device's own key. */
  readonly device: Signer;
  readonly deviceClass: bigint;
  readonly owner: string;
  /** The device's current `onboardingNonce`. */
  readonly nonce: bigint;
  readonly deadline: bigint;
}

/** Signs both halves of an onboarding and returns the request to send. */
export async function buildOnboardRequest(args: BuildOnboardRequestArgs): Promise<OnboardRequest> {
  const device = await args.device.getAddress();
  const makerSignature = await signMakerAttestation(args.maker, args.domain, {
    device,
    deviceClass: args.deviceClass,
    makerId: args.makerId,
  });
  const deviceSignature = await signOnboard(args.device, args.domain, {
    owner: args.owner,
    nonce: args.nonce,
    deadline: args.deadline,
  });
  return {
    device,
    deviceClass: args.deviceClass,
    makerId: args.makerId,
    owner: args.owner,
    deadline: args.deadline,
    makerSignature,
    deviceSignature,
  };
}
