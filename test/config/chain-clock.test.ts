import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";

/** A fixture whose block is the one every later load returns to. */
async function fixture() {
  await mine();
  return { at: BigInt(await time.latest()) };
}

describe("the in-process chain's clock (test/helpers/chain-clock.ts)", function () {
  it("gives the block after a reverted fixture the fixture's time plus one, however long ago it was made", async function () {
    const { at } = await loadFixture(fixture);
    // The machine's clock moves on, as it does between two tests of a long suite.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const again = await loadFixture(fixture);
    expect(again.at).to.equal(at);
    const [signer] = await ethers.getSigners();
    const receipt = await (await signer.sendTransaction({ to: signer.address, value: 0n })).wait();
    expect(BigInt((await ethers.provider.getBlock(receipt!.blockNumber))!.timestamp)).to.equal(at + 1n);
    await mine();
    expect(BigInt(await time.latest())).to.equal(at + 2n);
  });

  it("leaves the times a test sets, and the moves it makes, as the test set them", async function () {
    const { at } = await loadFixture(fixture);
    await time.setNextBlockTimestamp(at + 1_000n);
    await mine();
    expect(BigInt(await time.latest())).to.equal(at + 1_000n);
    await time.increase(3_600);
    expect(BigInt(await time.latest())).to.be.gte(at + 4_600n);
    const moved = BigInt(await time.latest());
    await mine();
    expect(BigInt(await time.latest())).to.equal(moved + 1n);
  });
});
