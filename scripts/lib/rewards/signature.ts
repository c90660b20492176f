import type { Signer, TypedDataDomain, TypedDataField } from "ethers";

/** The message `claimTo` checks, signed by `account` (an EOA or an ERC-1271 wallet's owner). */
export interface ClaimToMessage {
  readonly account: string;
  readonly recipient: string;
  readonly cumulativeAmount: bigint;
  /** `nonces(account)` on the distributor. */
  readonly nonce: bigint;
  /** Unix time after which the signature is refused. */
  readonly deadline: bigint;
}

export const CLAIM_TO_TYPES: Record<string, TypedDataField[]> = {
  ClaimTo: [
    { name: "account", type: "address" },
    { name: "recipient", type: "address" },
    { name: "cumulativeAmount", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The distributor's EIP-712 domain: bound to the chain and the proxy's address. */
export function rewardsDomain(distributor: string, chainId: bigint): TypedDataDomain {
  return { name: "RewardsDistributor", version: "1", chainId, verifyingContract: distributor };
}

/** The typed data of a `claimTo` signature, for any EIP-712 wallet (`eth_signTypedData_v4`). */
export function claimToTypedData(distributor: string, chainId: bigint, message: ClaimToMessage) {
  return { domain: rewardsDomain(distributor, chainId), types: CLAIM_TO_TYPES, primaryType: "ClaimTo", message };
}

/** Signs a `claimTo` message with `signer`. */
export async function signClaimTo(
  signer: Signer,
  distributor: string,
  chainId: bigint,
  message: ClaimToMessage,
): Promise<string> {
  const { domain, types } = claimToTypedData(distributor, chainId, message);
  return signer.signTypedData(domain, types, { ...message });
}
