import { time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256, parseEther } from "ethers";
import { ethers } from "hardhat";

import { defaultTokenParams, deployCore } from "../../scripts/lib/deploy";
import { grantRoles } from "../../scripts/lib/deploy/authority";
import { deployGovernedCredits } from "../../scripts/lib/deploy/credits";
import { gasOf, type GasBench } from "../lib";

/**
 * DataCredits with the GovernedPriceFeed (no sequencer feed), as the demo and local deployments run.
 * - `credits.mintWithTokens`: a buyer who already holds credits, and already minted in the current
 *   breaker bucket, mints more for itself with a max approval; the price is read from the governed
 *   feed and the token burn writes a new total-supply checkpoint.
 * - `credits.burnForUsage`: a router that burned before burns part of an escrow that stays non-zero.
 */
const bench: GasBench = async () => {
  const [deployer, treasury, buyer, router] = await ethers.getSigners();
  const { manager, token } = await deployCore(deployer, {
    token: {
      ...defaultTokenParams(BigInt(await time.latest()), treasury.address),
      genesisAllocation: parseEther("1000000"),
    },
  });
  const { credits } = await deployGovernedCredits(deployer, manager, await token.getAddress(), 50_000_000n);
  await grantRoles(manager, [{ role: "ROUTER_ADMIN", account: deployer.address }]);
  await credits.registerRouter(router.address);

  await token.connect(treasury).transfer(buyer.address, parseEther("1000"));
  await token.connect(buyer).approve(await credits.getAddress(), MaxUint256);
  await credits.connect(buyer).mintWithTokens(buyer.address, parseEther("10"), 0n);
  const mint = await gasOf(credits.connect(buyer).mintWithTokens(buyer.address, parseEther("10"), 0n));

  await credits.connect(buyer).delegate(router.address, 1_000_000n);
  await credits.connect(router).burnForUsage(buyer.address, 1_000n, 1n);
  const burn = await gasOf(credits.connect(router).burnForUsage(buyer.address, 1_000n, 2n));

  return [
    { op: "credits.mintWithTokens", gas: mint },
    { op: "credits.burnForUsage", gas: burn },
  ];
};

export default bench;
