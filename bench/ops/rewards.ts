import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, ZeroHash, hexlify, parseEther, randomBytes } from "ethers";
import { ethers } from "hardhat";

import { RewardsMockStaking__factory } from "../../typechain-types";
import { defaultTokenParams, deployCore } from "../../scripts/lib/deploy";
import { defaultRewardsParams, deployRewardsDistributor } from "../../scripts/lib/deploy/rewards";
import { syntheticTree } from "../../test/fixtures/rewards-synthetic";
import { gasOf, type GasBench } from "../lib";

const EPOCH = 86_400;
const DEPTH = 20; // a tree of 2^20 leaves
const WARM_UP = 65; // roots posted before measuring: more than the distributor's ring of 64

/**
 * RewardsDistributor: claims with 20-element proofs, a batch of 20, a root post for a distributed
 * epoch (quorum 1), against a Staking stand-in. Steady state: each measured call follows an earlier
 * one of its kind, as on a live network. `distributeEpoch` is measured with the real Staking in `suite.ts`.
 */
const bench: GasBench = async () => {
  const [deployer, treasury, oracle, claimant] = await ethers.getSigners();
  const { manager, token } = await deployCore(deployer, {
    token: { ...defaultTokenParams(BigInt(await time.latest()), treasury.address), genesisAllocation: parseEther("1") },
  });
  const staking = await new RewardsMockStaking__factory(deployer).deploy();
  const { distributor, lens } = await deployRewardsDistributor(
    deployer,
    manager,
    token,
    await staking.getAddress(),
    defaultRewardsParams(treasury.address, [oracle.address]),
  );
  const window = Number(await lens.challengeWindow());
  const post = (epoch: number, root: string, total: bigint) =>
    distributor.connect(oracle).postRoot(epoch, root, total, ZeroHash, `ipfs://bafybeibench${epoch}/epoch.json`);

  // The steady state of a running network: the ring of the newest 64 roots has been filled once, so
  // a root post reuses storage, as it does from epoch 64 on.
  await time.increase(80 * EPOCH);
  for (let epoch = 0; epoch < WARM_UP; epoch++) {
    await (await post(epoch, hexlify(randomBytes(32)), parseEther("1000") * BigInt(epoch))).wait();
    if (epoch % 32 === 31) await time.increase(window);
  }
  const accounts = Array.from({ length: 20 }, () => Wallet.createRandom().address);
  const first = syntheticTree(
    [
      { account: claimant.address, cumulativeAmount: parseEther("1234.567") },
      ...accounts.map((account, i) => ({ account, cumulativeAmount: parseEther("10") + BigInt(i) })),
    ],
    DEPTH,
  );
  await (await post(WARM_UP, first.root, parseEther("100000"))).wait();
  // The next two epochs are distributed ahead of their roots (the post below finds one distributed).
  await (await distributor.distributeEpoch(WARM_UP + 1)).wait();
  await (await distributor.distributeEpoch(WARM_UP + 2)).wait();

  await time.increase(window);
  // Others have claimed before (Σ claimed is no longer zero), as on a live network: the measured first
  // claim is an account's first, not the network's (which writes Σ claimed's fresh slot once, ~17.1k more).
  await (
    await distributor.batchClaim(
      accounts.map((account, i) => ({
        account,
        cumulativeAmount: parseEther("10") + BigInt(i),
        proof: first.proofs[i + 1],
      })),
    )
  ).wait();
  const claimFirst = await gasOf(distributor.claim(claimant.address, parseEther("1234.567"), first.proofs[0]));

  const second = syntheticTree(
    [
      { account: claimant.address, cumulativeAmount: parseEther("2469.134") },
      ...accounts.map((account, i) => ({ account, cumulativeAmount: parseEther("20") + BigInt(i) })),
    ],
    DEPTH,
  );
  const postRoot = await gasOf(post(WARM_UP + 1, second.root, parseEther("200000")));
  await time.increase(window);
  const claimNext = await gasOf(distributor.claim(claimant.address, parseEther("2469.134"), second.proofs[0]));
  const batch = await gasOf(
    distributor.batchClaim(
      accounts.map((account, i) => ({
        account,
        cumulativeAmount: parseEther("20") + BigInt(i),
        proof: second.proofs[i + 1],
      })),
    ),
    accounts.length,
  );

  return [
    { op: "rewards.claim.first", gas: claimFirst },
    { op: "rewards.claim.next", gas: claimNext },
    { op: "rewards.batchClaim20", gas: batch, per: accounts.length },
    { op: "rewards.postRoot.distributed", gas: postRoot },
  ];
};

export default bench;
