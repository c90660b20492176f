import { time } from "@nomicfoundation/hardhat-network-helpers";
import { parseEther } from "ethers";
import { ethers } from "hardhat";

import { defaultTokenParams, deployCore } from "../scripts/lib/deploy";

/** The named actors of every fixture, always taken from the same signer slots. */
export async function actors() {
  const [deployer, treasury, minter, guardian, governance, alice, bob, carol, stranger] = await ethers.getSigners();
  return { deployer, treasury, minter, guardian, governance, alice, bob, carol, stranger };
}

export const GENESIS_ALLOCATION = parseEther("100000000");

/**
 * The authority and the token, deployed by the same library as the deploy task, with PROTOCOL.md's
 * defaults, epoch 0 starting now, a genesis allocation to the treasury, and an interim MINTER
 * (the RewardsDistributor holds that role in a full deployment).
 */
export async function deployCoreFixture() {
  const who = await actors();
  const genesis = BigInt(await time.latest());
  const core = await deployCore(who.deployer, {
    token: { ...defaultTokenParams(genesis, who.treasury.address), genesisAllocation: GENESIS_ALLOCATION },
    grants: [
      { role: "MINTER", account: who.minter.address },
      { role: "GUARDIAN", account: who.guardian.address },
    ],
  });
  return { ...who, ...core, genesis };
}
