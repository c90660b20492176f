import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Signature, getAddress, getBytes, hexlify, toBeHex, type Signer } from "ethers";
import { ethers } from "hardhat";

import { InvariantSuiteLens__factory } from "../../typechain-types";
import { buildRewardsTree, type Allocation, type RewardsTree } from "../fixtures/rewards-tree";
import type { deployAdversarialFixture } from "../fixtures/adversarial";
import { endEpoch, inputHashOf } from "../rewards/helpers";

export type AdversarialSuite = Awaited<ReturnType<typeof deployAdversarialFixture>>;

/** secp256k1's group order. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The other valid-looking form of an ECDSA signature: `s' = n − s` and the parity flipped (EIP-2 forbids it). */
export function malleate(signature: string): string {
  const sig = Signature.from(signature);
  const high = N - BigInt(sig.s);
  const v = sig.v === 27 ? 28 : 27;
  return hexlify(new Uint8Array([...getBytes(sig.r), ...getBytes(toBeHex(high, 32)), v]));
}

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
}

/**
 * Everything an attack could move, read at once: the token (supply, emission, the suite's balances), the
 * distributor (roots, claims, claimTo nonces), credits (supply, totals, balances, escrow), staking (stake,
 * unbonding, reserve, each account's position, unbond requests and claimable rewards), the registry (owners,
 * balances, onboarding nonces) and the token's permit nonces. Tests compare it before and after an attack.
 */
export async function stateOf(s: AdversarialSuite, accounts: readonly string[], devices: readonly string[] = []) {
  const lens = await new InvariantSuiteLens__factory(s.deployer).deploy();
  const suite = [
    await s.token.getAddress(),
    await s.credits.getAddress(),
    await s.registry.getAddress(),
    await s.staking.getAddress(),
    await s.distributor.getAddress(),
  ];
  const tokenIds = devices.map((d) => BigInt(d));
  const read = await lens.read(suite as never, [...accounts], [s.alice.address], tokenIds);
  const perAccount = [];
  for (const account of accounts) {
    perAccount.push({
      tokens: await s.token.balanceOf(account),
      permitNonce: await s.token.nonces(account),
      claimNonce: await s.distributor.nonces(account),
      position: await s.staking.positionOf(account),
      claimable: await s.stakingLens.claimable(account),
      unbonding: await s.stakingLens.unbondRequests(account),
      escrow: await s.credits.escrowOf(account, s.router.address),
      lastUsageId: await s.credits.lastUsageId(account, s.router.address),
    });
  }
  const perDevice = [];
  for (const device of devices) perDevice.push(await s.registry.onboardingNonce(device));
  const roots = await s.rewardsLens.latestClaimable();
  return plain({ read, perAccount, perDevice, roots, nextEpoch: await s.rewardsLens.nextEpoch() });
}

/**
 * Ends `epoch` (the suite's epochs are 86,400 s), posts `allocations` for it as the oracle and, unless
 * `pending`, waits out the challenge window so that the root is claimable.
 */
export async function postClaimableRoot(
  s: AdversarialSuite,
  epoch: bigint,
  allocations: readonly Allocation[],
  options: { pending?: boolean; oracle?: Signer } = {},
): Promise<{ tree: RewardsTree; total: bigint }> {
  await endEpoch(await s.token.genesis(), epoch);
  const tree = buildRewardsTree(allocations);
  const total = allocations.reduce((sum, a) => sum + a.cumulativeAmount, 0n);
  await (
    await s.distributor
      .connect(options.oracle ?? s.deployer)
      .postRoot(epoch, tree.root, total, inputHashOf(epoch), `ipfs://epoch-${epoch}`)
  ).wait();
  if (options.pending !== true) await time.increase((await s.rewardsLens.challengeWindow()) + 1n);
  return { tree, total };
}

/** The implementation behind an ERC-1967 proxy. */
export async function implementationOf(proxy: string): Promise<string> {
  const slot = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
  const word = await ethers.provider.getStorage(proxy, slot);
  return getAddress(`0x${word.slice(26)}`);
}
