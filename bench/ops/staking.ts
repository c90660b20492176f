import { time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256, parseEther } from "ethers";
import { ethers } from "hardhat";

import { defaultTokenParams, deployCore, grantRoles, restrictFunctions } from "../../scripts/lib/deploy";
import { STAKING_ROLES, deployStaking } from "../../scripts/lib/deploy/staking";
import { gasOf, type GasBench } from "../lib";

/**
 * Staking: an operator's first self-stake, a new delegator's delegation to an existing operator, and
 * a delegator's claim of one notified epoch (the claimer still holds tokens, as most do).
 */
const bench: GasBench = async () => {
  const [deployer, treasury, operator, alice, bob, other] = await ethers.getSigners();
  const { manager, token } = await deployCore(deployer, {
    token: {
      ...defaultTokenParams(BigInt(await time.latest()), treasury.address),
      genesisAllocation: parseEther("1000000"),
    },
  });
  const { staking } = await deployStaking(deployer, manager, token);
  const stakingAddress = await staking.getAddress();
  await restrictFunctions(manager, stakingAddress, STAKING_ROLES);
  await grantRoles(manager, [
    { role: "MINTER", account: deployer.address },
    { role: "REWARDS_NOTIFIER", account: deployer.address },
  ]);
  for (const holder of [operator, alice, bob, other]) {
    await token.connect(treasury).transfer(holder.address, parseEther("10000"));
    await token.connect(holder).approve(stakingAddress, MaxUint256);
  }

  // Epoch 0: another operator is already staked; `operator` registers and stakes for the first time.
  await staking.connect(other).registerOperator(500);
  await staking.connect(other).stake(parseEther("2000"));
  await staking.connect(operator).registerOperator(1_000);
  const selfStake = await gasOf(staking.connect(operator).stake(parseEther("5000")));

  // Epoch 1: someone else has staked this epoch; Alice's delegation is the operator's first change of it.
  await time.increase(86_400);
  await staking.connect(bob).delegate(other.address, parseEther("1000"));
  const delegate = await gasOf(staking.connect(alice).delegate(operator.address, parseEther("1000")));

  // Epoch 2: the distributor notified epochs 0 and 1; Alice claims epoch 1.
  await time.increase(86_400);
  for (const epoch of [0n, 1n]) {
    await token.mint(stakingAddress, parseEther("37500"));
    await staking.notifyRewards(epoch, parseEther("37500"));
  }
  const claim = await gasOf(staking.connect(alice).claimRewards());

  return [
    { op: "staking.selfStake.first", gas: selfStake },
    { op: "staking.delegate", gas: delegate },
    { op: "staking.claimRewards", gas: claim },
  ];
};

export default bench;
