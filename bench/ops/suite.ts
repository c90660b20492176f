import { time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256, parseEther } from "ethers";
import { ethers } from "hardhat";
import path from "node:path";

import { deploySuite, loadSuiteParams } from "../../scripts/lib/deploy";
import { gasOf, type GasBench } from "../lib";

/**
 * Operations that span contracts, in the suite as `suite:deploy` deploys it (deploy/params/hardhat.json):
 * `distributeEpoch` with the real Staking notified, for an epoch after the first, with an operator
 * and a delegator staked.
 */
const bench: GasBench = async () => {
  const [deployer, operator, delegator] = await ethers.getSigners();
  const params = loadSuiteParams(path.join(__dirname, "..", "..", "deploy", "params", "hardhat.json"), {
    deployer: deployer.address,
    now: BigInt(await time.latest()),
  }).params;
  const { token, staking, distributor } = await deploySuite(deployer, params);
  const epochLength = params.token.epochLength;
  const genesis = params.token.genesis;

  for (const who of [operator, delegator]) {
    await token.transfer(who.address, parseEther("10000"));
    await token.connect(who).approve(await staking.getAddress(), MaxUint256);
  }
  await staking.connect(operator).registerOperator(1_000);
  await staking.connect(operator).stake(parseEther("5000"));
  await staking.connect(delegator).delegate(operator.address, parseEther("5000"));

  await time.increaseTo(genesis + 2n * epochLength);
  await (await distributor.distributeEpoch(0)).wait();
  const distribute = await gasOf(distributor.distributeEpoch(1));

  return [{ op: "rewards.distributeEpoch", gas: distribute }];
};

export default bench;
