import { ZeroAddress, type TypedDataDomain } from "ethers";

import { PERMIT_TYPES } from "../credits";
import { CLAIM_TO_TYPES, claimToTypedData, rewardsDomain, type ClaimToMessage } from "../rewards/signature";
import {
  MAKER_ATTESTATION_TYPES,
  ONBOARD_TYPES,
  REGISTRY_DOMAIN_NAME,
  REGISTRY_DOMAIN_VERSION,
  registryDomain,
  type MakerAttestation,
  type OnboardMessage,
} from "../registry/typedData";
import type { SuiteContracts } from "./contracts";

/*
 * The EIP-712 messages of the suite, for any client (ethers, viem, a wallet's eth_signTypedData_v4,
 * firmware): the types and the domains' names and versions. They are the definitions the suite's own
 * code signs with (`registry/typedData.ts`, `rewards/signature.ts`, `credits/`), re-exported as they
 * are; tests keep them equal to the contracts' type hashes.
 */
export {
  CLAIM_TO_TYPES,
  MAKER_ATTESTATION_TYPES,
  ONBOARD_TYPES,
  PERMIT_TYPES,
  REGISTRY_DOMAIN_NAME,
  REGISTRY_DOMAIN_VERSION,
  claimToTypedData,
  registryDomain,
  rewardsDomain,
};
export type { ClaimToMessage, MakerAttestation, OnboardMessage };

const rewards = rewardsDomain(ZeroAddress, 0n);
/** The RewardsDistributor's domain name (`ClaimTo`), as `rewardsDomain` builds it. */
export const REWARDS_DOMAIN_NAME = rewards.name as string;
export const REWARDS_DOMAIN_VERSION = rewards.version as string;
/**
 * The version of the reward token's EIP-2612 domain (OpenZeppelin's `ERC20Permit`). Its name is the
 * token's ERC-20 `name()`, set at deploy; the token reports both through ERC-5267's `eip712Domain()`.
 */
export const PERMIT_DOMAIN_VERSION = "1";

/** Every message a user of the suite signs: the contract whose domain it is under, and its types. */
export const SUITE_TYPED_DATA = {
  MakerAttestation: { contract: "DeviceRegistry", primaryType: "MakerAttestation", types: MAKER_ATTESTATION_TYPES },
  Onboard: { contract: "DeviceRegistry", primaryType: "Onboard", types: ONBOARD_TYPES },
  ClaimTo: { contract: "RewardsDistributor", primaryType: "ClaimTo", types: CLAIM_TO_TYPES },
  Permit: { contract: "RewardToken", primaryType: "Permit", types: PERMIT_TYPES },
} as const;

/** The domains' names and versions (the token's name is its `name()`: see `PERMIT_DOMAIN_VERSION`). */
export const SUITE_DOMAINS = {
  DeviceRegistry: { name: REGISTRY_DOMAIN_NAME, version: REGISTRY_DOMAIN_VERSION },
  RewardsDistributor: { name: REWARDS_DOMAIN_NAME, version: REWARDS_DOMAIN_VERSION },
  RewardToken: { version: PERMIT_DOMAIN_VERSION },
} as const;

/** The reward token's EIP-2612 domain on this chain, as the token reports it (ERC-5267). */
export async function permitDomain(suite: SuiteContracts): Promise<TypedDataDomain> {
  const domain = await suite.token.eip712Domain();
  return {
    name: domain.name,
    version: domain.version,
    chainId: domain.chainId,
    verifyingContract: domain.verifyingContract,
  };
}
