import { time } from "@nomicfoundation/hardhat-network-helpers";
import { parseEther } from "ethers";
import { ethers } from "hardhat";

import { signTokenPermit } from "../../scripts/lib/credits";
import { defaultTokenParams, deployCore } from "../../scripts/lib/deploy";
import { gasOf, type GasBench } from "../lib";

/** RewardToken: transfers with and without delegated votes, and a first permit. */
const bench: GasBench = async () => {
  const [deployer, treasury, alice, bob, carol, dave] = await ethers.getSigners();
  const { token } = await deployCore(deployer, {
    token: {
      ...defaultTokenParams(BigInt(await time.latest()), treasury.address),
      genesisAllocation: parseEther("1000000"),
    },
  });
  for (const holder of [alice, bob, carol, dave])
    await token.connect(treasury).transfer(holder.address, parseEther("100"));

  // Both holders already hold tokens; neither has delegated.
  const transfer = await gasOf(token.connect(alice).transfer(bob.address, parseEther("1")));

  await token.connect(carol).delegate(carol.address);
  await token.connect(dave).delegate(dave.address);
  const transferDelegated = await gasOf(token.connect(carol).transfer(dave.address, parseEther("1")));

  const deadline = BigInt(await time.latest()) + 3600n;
  const sig = await signTokenPermit(token, alice, bob.address, parseEther("1"), deadline);
  const permit = await gasOf(
    token.connect(bob).permit(alice.address, bob.address, parseEther("1"), deadline, sig.v, sig.r, sig.s),
  );

  return [
    { op: "token.transfer", gas: transfer },
    { op: "token.transfer.delegated", gas: transferDelegated },
    { op: "token.permit.first", gas: permit },
  ];
};

export default bench;
