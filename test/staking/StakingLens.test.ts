import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroHash, parseEther, toBeHex, zeroPadValue } from "ethers";
import { ethers } from "hardhat";

import { EPOCH, REWARD, WEEK, deployStakingFixture, enterEpoch, notify } from "../fixtures/staking";

/** Staking's ERC-7201 storage location (`StakingStorage.STORAGE_LOCATION`). */
const LAYOUT = 0x55c6028ae2e317ccde059f61853e93ef134b4f6fcba3f48a0b006f0bcc90de00n;

/**
 * Every path the lens decodes at once: Alice (operator, 10%, then 15% from epoch 1) with Bob delegated,
 * Carol (operator, 0%) with Dave delegated, a change of Bob's position while epoch 0 awaits its
 * notification (a history segment), a partial slash of Alice (a tokens-per-share checkpoint), late
 * notifications of epochs 0 to 2, and a pending unbond request of Bob's.
 */
async function busyFixture() {
  const f = await deployStakingFixture();
  await f.staking.connect(f.alice).registerOperator(1_000);
  await f.staking.connect(f.alice).stake(parseEther("3000"));
  await f.staking.connect(f.bob).delegate(f.alice.address, parseEther("1000"));
  await f.staking.connect(f.carol).registerOperator(0);
  await f.staking.connect(f.carol).stake(parseEther("500"));
  await f.staking.connect(f.alice).setCommission(1_500);
  await enterEpoch(f, 1n);
  await f.staking.connect(f.bob).unbond(parseEther("200"));
  await f.staking.connect(f.slasher).slash(f.alice.address, 1_000, ZeroHash);
  await enterEpoch(f, 2n);
  await notify(f, 0n, REWARD);
  await notify(f, 1n, REWARD);
  await f.staking.connect(f.dave).delegate(f.carol.address, parseEther("700"));
  await enterEpoch(f, 3n);
  await notify(f, 2n, REWARD);
  return f;
}

describe("StakingLens", function () {
  it("reads the Staking it was deployed for", async function () {
    const f = await loadFixture(deployStakingFixture);
    expect(await f.stakingLens.staking()).to.equal(await f.staking.getAddress());
  });

  describe("claimable", function () {
    it("is exactly what claimRewards pays each account, after history, a commission change and a slash", async function () {
      const f = await loadFixture(busyFixture);
      let total = 0n;
      for (const account of [f.alice, f.bob, f.carol, f.dave]) {
        const due = await f.stakingLens.claimable(account.address);
        expect(due, `${account.address} earned something`).to.be.greaterThan(0n);
        await expect(f.staking.connect(account).claimRewards())
          .to.emit(f.staking, "RewardsClaimed")
          .withArgs(account.address, due);
        expect(await f.stakingLens.claimable(account.address)).to.equal(0n);
        total += due;
      }
      // Three epochs were notified; rounding leaves at most a few wei behind.
      expect(total).to.be.lessThanOrEqual(3n * REWARD);
      expect(3n * REWARD - total).to.be.lessThan(10n);
    });
  });

  describe("unbondRequests", function () {
    it("values each request at what withdraw pays for it, after the slash", async function () {
      const f = await loadFixture(busyFixture);
      const [requests, amounts] = await f.stakingLens.unbondRequests(f.bob.address);
      expect(requests.length).to.equal(1);
      expect(amounts[0]).to.equal(parseEther("180"));
      await time.increase(WEEK);
      await expect(f.staking.connect(f.bob).withdraw())
        .to.emit(f.staking, "Withdrawn")
        .withArgs(f.bob.address, amounts[0], 1n);
      const [after] = await f.stakingLens.unbondRequests(f.bob.address);
      expect(after.length).to.equal(0);
    });
  });

  describe("operatorStakeAt and totalStakeAt", function () {
    it("return the stake at the last epoch end at or before the time, and 0 for a non-operator", async function () {
      const f = await loadFixture(busyFixture);
      const end = (e: bigint) => f.genesis + (e + 1n) * EPOCH;
      expect(await f.stakingLens.operatorStakeAt(f.alice.address, end(0n) - 1n)).to.equal(0n);
      expect(await f.stakingLens.operatorStakeAt(f.alice.address, end(0n))).to.equal(parseEther("4000"));
      // Epoch 1: Bob unbonded 200, then the 10% slash: 3,800 → 3,420.
      expect(await f.stakingLens.operatorStakeAt(f.alice.address, end(1n))).to.equal(parseEther("3420"));
      expect(await f.stakingLens.operatorStakeAt(f.carol.address, end(2n))).to.equal(parseEther("1200"));
      expect(await f.stakingLens.totalStakeAt(end(2n))).to.equal(parseEther("4620"));
      expect(await f.stakingLens.operatorStakeAt(f.bob.address, end(2n))).to.equal(0n);
    });

    it("reverts with SafeCastOverflowedUintDowncast past 48 bits, as Staking did", async function () {
      const f = await loadFixture(busyFixture);
      const huge = 2n ** 48n;
      await expect(f.stakingLens.totalStakeAt(huge))
        .to.be.revertedWithCustomError(f.stakingLens, "SafeCastOverflowedUintDowncast")
        .withArgs(48n, huge);
      await expect(f.stakingLens.operatorStakeAt(f.alice.address, huge))
        .to.be.revertedWithCustomError(f.stakingLens, "SafeCastOverflowedUintDowncast")
        .withArgs(48n, huge);
    });
  });

  describe("Staking's extsload", function () {
    it("returns the words of Staking's storage, one or a range", async function () {
      const f = await loadFixture(busyFixture);
      const staking = await f.staking.getAddress();
      const words = await Promise.all([0n, 1n, 2n, 3n].map((i) => ethers.provider.getStorage(staking, LAYOUT + i)));
      expect(await f.staking["extsload(bytes32)"](toBeHex(LAYOUT, 32))).to.equal(words[0]);
      expect(await f.staking["extsload(bytes32,uint256)"](toBeHex(LAYOUT, 32), 4n)).to.deep.equal(words);
      expect(await f.staking["extsload(bytes32,uint256)"](zeroPadValue("0x01", 32), 0n)).to.deep.equal([]);
    });
  });
});
