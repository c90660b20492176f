/**
 * Staking's edge paths that the scenario tests of `Staking.test.ts` and the model do not reach: the
 * guards of every paused entry point, the reverts of rarely used arguments, an emptied pool that
 * restarts after a slash, a request voided by a full slash, a slash of an operator with nothing
 * staked, and stake added before the token's genesis.
 */
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress, id, parseEther, toBeHex, zeroPadValue } from "ethers";
import { ethers } from "hardhat";

import { defaultTokenParams } from "../../scripts/lib/deploy";
import { deployRewardToken } from "../../scripts/lib/deploy/token";
import { deployStaking } from "../../scripts/lib/deploy/staking";
import { EPOCH, REWARD, WEEK, deployStakingFixture, enterEpoch, notify } from "../fixtures/staking";

/** Alice registers with 10% commission and stakes 3,000; Bob delegates 1,000 to her; Carol registers at 0%. */
async function twoOperatorsFixture() {
  const f = await deployStakingFixture();
  await f.staking.connect(f.alice).registerOperator(1_000);
  await f.staking.connect(f.alice).stake(parseEther("3000"));
  await f.staking.connect(f.bob).delegate(f.alice.address, parseEther("1000"));
  await f.staking.connect(f.carol).registerOperator(0);
  return f;
}

describe("Staking", function () {
  describe("pause", function () {
    it("reverts with EnforcedPause for registering, commission changes, staking, redelegating and rebonding", async function () {
      const f = await loadFixture(twoOperatorsFixture);
      await f.staking.connect(f.bob).unbond(parseEther("100"));
      await f.staking.connect(f.guardian).pause();
      const paused = [
        () => f.staking.connect(f.dave).registerOperator(0),
        () => f.staking.connect(f.alice).setCommission(1_100),
        () => f.staking.connect(f.alice).stake(1n),
        () => f.staking.connect(f.bob).redelegate(f.carol.address),
        () => f.staking.connect(f.bob).rebond(0),
      ];
      for (const call of paused) await expect(call()).to.be.revertedWithCustomError(f.staking, "EnforcedPause");
      // Nothing moved: Bob's request is still pending and Alice's pool is as it was.
      const [requests, amounts] = await f.stakingLens.unbondRequests(f.bob.address);
      expect(requests.length).to.equal(1);
      expect(amounts[0]).to.equal(parseEther("100"));
      expect((await f.staking.operatorInfo(f.alice.address)).bondedTokens).to.equal(parseEther("3900"));
      await expect(f.staking.operatorInfo(f.dave.address))
        .to.be.revertedWithCustomError(f.staking, "NotAnOperator")
        .withArgs(f.dave.address);
    });
  });

  describe("setCommission", function () {
    it("reverts with InvalidCommission above 10,000 bps", async function () {
      const f = await loadFixture(twoOperatorsFixture);
      await f.staking.setParams({ unbondingPeriod: WEEK, maxCommissionStepBps: 10_000n });
      await expect(f.staking.connect(f.alice).setCommission(10_001))
        .to.be.revertedWithCustomError(f.staking, "InvalidCommission")
        .withArgs(10_001n);
      expect((await f.staking.operatorInfo(f.alice.address)).commissionBps).to.equal(1_000n);
    });
  });

  describe("stake", function () {
    it("restarts an emptied pool at one token per share after a partial slash", async function () {
      const f = await loadFixture(twoOperatorsFixture);
      await f.staking.connect(f.carol).stake(parseEther("1000"));
      await f.staking.connect(f.slasher).slash(f.carol.address, 5_000, id("evidence"));
      expect(await f.staking.stakeOf(f.carol.address, f.carol.address)).to.equal(parseEther("500"));
      // The pool's last holder unbonds everything: it takes the whole pool, which is left empty.
      const maturity = BigInt(await time.latest()) + 1n + WEEK;
      await expect(f.staking.connect(f.carol).unbond(parseEther("500")))
        .to.emit(f.staking, "Unbonded")
        .withArgs(f.carol.address, f.carol.address, parseEther("500"), parseEther("500"), maturity);
      let info = await f.staking.operatorInfo(f.carol.address);
      expect([info.bondedTokens, info.bondedShares]).to.deep.equal([0n, 0n]);

      // In a later epoch she stakes again: one share per token, not two (the slashed pool's rate).
      await enterEpoch(f, 1n);
      await expect(f.staking.connect(f.carol).stake(parseEther("1000")))
        .to.emit(f.staking, "Staked")
        .withArgs(f.carol.address, f.carol.address, parseEther("1000"), parseEther("1000"));
      info = await f.staking.operatorInfo(f.carol.address);
      expect([info.bondedTokens, info.bondedShares, info.selfStake]).to.deep.equal([
        parseEther("1000"),
        parseEther("1000"),
        parseEther("1000"),
      ]);

      // Epoch 1's rewards are paid on her full 1,000 at one token per share, commission 0%.
      await enterEpoch(f, 2n);
      await f.staking.connect(f.minter).notifyRewards(0n, 0n);
      await notify(f, 1n, REWARD);
      const total = parseEther("5000");
      const expected = (REWARD * parseEther("1000")) / total;
      const claimable = await f.stakingLens.claimable(f.carol.address);
      expect(claimable).to.be.lessThanOrEqual(expected);
      expect(expected - claimable).to.be.lessThan(10n);
    });
  });

  describe("claimRewards", function () {
    it("settles a history segment only through the last notified epoch, and the rest once notified", async function () {
      const f = await loadFixture(twoOperatorsFixture);
      // Bob's 1,000 (epochs 0-2), then 2,000 (epochs 3-4), then 3,000 from epoch 5: two history segments.
      await enterEpoch(f, 3n);
      await f.staking.connect(f.bob).delegate(f.alice.address, parseEther("1000"));
      await enterEpoch(f, 5n);
      await f.staking.connect(f.bob).delegate(f.alice.address, parseEther("1000"));
      await enterEpoch(f, 6n);
      // Only epochs 0 and 1 are notified: the first segment is half settled, the second not at all.
      await notify(f, 0n, REWARD);
      await notify(f, 1n, REWARD);
      // Alice's commission is 10%; Bob holds 1,000 of 4,000 in epochs 0-2.
      const perEpoch = (REWARD * 9n) / 40n;
      const first = await f.stakingLens.claimable(f.bob.address);
      expect(first).to.be.lessThanOrEqual(2n * perEpoch);
      expect(2n * perEpoch - first).to.be.lessThan(10n);
      await expect(f.staking.connect(f.bob).claimRewards())
        .to.emit(f.staking, "RewardsClaimed")
        .withArgs(f.bob.address, first);
      expect(await f.stakingLens.claimable(f.bob.address)).to.equal(0n);

      // Epochs 2-5 notified: epoch 2 at 1,000 of 4,000, 3-4 at 2,000 of 5,000, 5 at 3,000 of 6,000.
      for (const e of [2n, 3n, 4n, 5n]) await notify(f, e, REWARD);
      const expected = perEpoch + 2n * ((REWARD * 2n * 9n) / 50n) + (REWARD * 9n) / 20n;
      const second = await f.stakingLens.claimable(f.bob.address);
      expect(second).to.be.lessThanOrEqual(expected);
      expect(expected - second).to.be.lessThan(10n);
      await expect(f.staking.connect(f.bob).claimRewards())
        .to.emit(f.staking, "RewardsClaimed")
        .withArgs(f.bob.address, second);
      expect(await f.stakingLens.claimable(f.bob.address)).to.equal(0n);
    });
  });

  describe("unbondRequests", function () {
    it("values each of several requests of a pool in proportion to its shares, after a slash", async function () {
      const f = await loadFixture(twoOperatorsFixture);
      await f.staking.connect(f.bob).unbond(parseEther("100"));
      await f.staking.connect(f.bob).unbond(parseEther("300"));
      await f.staking.connect(f.slasher).slash(f.alice.address, 5_000, id("evidence"));
      const [requests, amounts] = await f.stakingLens.unbondRequests(f.bob.address);
      expect(requests.length).to.equal(2);
      expect(amounts).to.deep.equal([parseEther("50"), parseEther("150")]);
      expect(await f.staking.totalUnbonding()).to.equal(parseEther("200"));
    });
  });

  describe("unbond", function () {
    it("reverts with ZeroAmount for a zero amount", async function () {
      const f = await loadFixture(twoOperatorsFixture);
      await expect(f.staking.connect(f.bob).unbond(0n)).to.be.revertedWithCustomError(f.staking, "ZeroAmount");
      expect(await f.staking.stakeOf(f.bob.address, f.alice.address)).to.equal(parseEther("1000"));
      expect(await f.staking.totalUnbonding()).to.equal(0n);
    });
  });

  describe("redelegate", function () {
    it("points an account with nothing bonded at the new operator and unbonds nothing", async function () {
      const f = await loadFixture(twoOperatorsFixture);
      await expect(f.staking.connect(f.dave).redelegate(f.carol.address))
        .to.emit(f.staking, "Redelegated")
        .withArgs(f.dave.address, ZeroAddress, f.carol.address, 0n);
      const [operator, shares] = await f.staking.positionOf(f.dave.address);
      expect([operator, shares]).to.deep.equal([f.carol.address, 0n]);
      const [requests] = await f.stakingLens.unbondRequests(f.dave.address);
      expect(requests.length).to.equal(0);
      expect(await f.staking.totalUnbonding()).to.equal(0n);
    });
  });

  describe("rebond", function () {
    it("reverts with RebondToAnotherOperator when the account is staked with another operator", async function () {
      const f = await loadFixture(twoOperatorsFixture);
      await f.staking.connect(f.bob).redelegate(f.carol.address);
      await f.staking.connect(f.bob).delegate(f.carol.address, parseEther("10"));
      await expect(f.staking.connect(f.bob).rebond(0))
        .to.be.revertedWithCustomError(f.staking, "RebondToAnotherOperator")
        .withArgs(f.alice.address, f.carol.address);
      const [requests, amounts] = await f.stakingLens.unbondRequests(f.bob.address);
      expect(requests.length).to.equal(1);
      expect(amounts[0]).to.equal(parseEther("1000"));
    });

    it("reverts with ZeroAmount for a request that a 100% slash voided", async function () {
      const f = await loadFixture(twoOperatorsFixture);
      await f.staking.connect(f.bob).unbond(parseEther("400"));
      await f.staking.connect(f.slasher).slash(f.alice.address, 10_000, id("evidence"));
      const [, amounts] = await f.stakingLens.unbondRequests(f.bob.address);
      expect(amounts[0]).to.equal(0n);
      await expect(f.staking.connect(f.bob).rebond(0)).to.be.revertedWithCustomError(f.staking, "ZeroAmount");
      const [requests] = await f.stakingLens.unbondRequests(f.bob.address);
      expect(requests.length).to.equal(1);
    });

    it("reverts with OperatorCannotDelegate when an operator rebonds a request to another operator", async function () {
      const f = await loadFixture(twoOperatorsFixture);
      // Bob unbonds his whole delegation to Alice, then registers as an operator himself.
      await f.staking.connect(f.bob).unbond(parseEther("1000"));
      await f.staking.connect(f.bob).registerOperator(0);
      await expect(f.staking.connect(f.bob).rebond(0))
        .to.be.revertedWithCustomError(f.staking, "OperatorCannotDelegate")
        .withArgs(f.bob.address);
      // His position still points at himself, and he can stake on himself.
      const [operator] = await f.staking.positionOf(f.bob.address);
      expect(operator).to.equal(f.bob.address);
      await f.staking.connect(f.bob).stake(parseEther("10"));
      expect((await f.staking.operatorInfo(f.bob.address)).selfStake).to.equal(parseEther("10"));
    });
  });

  describe("slash", function () {
    it("cuts and burns nothing for an operator with no stake", async function () {
      const f = await loadFixture(twoOperatorsFixture);
      const supply = await f.token.totalSupply();
      await expect(f.staking.connect(f.slasher).slash(f.carol.address, 1_000, id("evidence")))
        .to.emit(f.staking, "Slashed")
        .withArgs(f.carol.address, 1_000n, id("evidence"), 0n, 0n);
      expect(await f.token.totalSupply()).to.equal(supply);
      // No rate was recorded: her first staker still gets one share per token.
      await expect(f.staking.connect(f.carol).stake(parseEther("5")))
        .to.emit(f.staking, "Staked")
        .withArgs(f.carol.address, f.carol.address, parseEther("5"), parseEther("5"));
    });
  });

  describe("setParams", function () {
    it("reverts with InvalidParams for a commission step above 10,000 bps", async function () {
      const f = await loadFixture(deployStakingFixture);
      await expect(f.staking.setParams({ unbondingPeriod: WEEK, maxCommissionStepBps: 10_001n }))
        .to.be.revertedWithCustomError(f.staking, "InvalidParams")
        .withArgs(WEEK, 10_001n);
      expect((await f.staking.params()).maxCommissionStepBps).to.equal(500n);
    });
  });

  describe("stakeOf", function () {
    it("returns 0 for an address that is not an operator", async function () {
      const f = await loadFixture(twoOperatorsFixture);
      expect(await f.staking.stakeOf(f.bob.address, f.dave.address)).to.equal(0n);
      expect(await f.staking.stakeOf(f.bob.address, f.carol.address)).to.equal(0n);
      expect(await f.staking.stakeOf(f.bob.address, f.alice.address)).to.equal(parseEther("1000"));
    });
  });

  describe("before genesis", function () {
    it("counts stake added before the token's genesis as stake at the end of epoch 0", async function () {
      const f = await loadFixture(deployStakingFixture);
      const genesis = BigInt(await time.latest()) + 10n * EPOCH;
      const token = await deployRewardToken(f.deployer, f.manager, {
        ...defaultTokenParams(genesis, f.treasury.address),
        genesisAllocation: parseEther("1000"),
      });
      const { staking, stakingLens } = await deployStaking(f.deployer, f.manager, token);
      await token.connect(f.treasury).approve(await staking.getAddress(), parseEther("1000"));
      await expect(staking.connect(f.treasury).registerOperator(500))
        .to.emit(staking, "OperatorRegistered")
        .withArgs(f.treasury.address, 1n, 500n);
      await staking.connect(f.treasury).stake(parseEther("1000"));
      expect(await stakingLens.operatorStakeAt(f.treasury.address, genesis)).to.equal(0n);
      expect(await stakingLens.operatorStakeAt(f.treasury.address, genesis + EPOCH)).to.equal(parseEther("1000"));
      expect(await stakingLens.totalStakeAt(genesis + EPOCH)).to.equal(parseEther("1000"));
    });
  });

  describe("the reward epoch counter", function () {
    /** Staking's ERC-7201 storage location (`StakingStorage.STORAGE_LOCATION`) and the counter's place in its first word. */
    const LAYOUT = 0x55c6028ae2e317ccde059f61853e93ef134b4f6fcba3f48a0b006f0bcc90de00n;
    const COUNTER_SHIFT = 160n + 32n + 24n; // after the token, genesis (32 bits) and the epoch length (24 bits)

    it("counts past 2**24 epochs (the review: a uint24 stalled every distribution there)", async function () {
      const f = await loadFixture(deployStakingFixture);
      const staking = await f.staking.getAddress();
      const last24 = 2n ** 24n - 1n;
      // 16,777,215 notifications cannot be sent one by one: the counter is written where they would leave it.
      const word = BigInt(await ethers.provider.getStorage(staking, LAYOUT));
      const cleared = word & ~(0xffffffffn << COUNTER_SHIFT);
      await ethers.provider.send("hardhat_setStorageAt", [
        staking,
        toBeHex(LAYOUT),
        zeroPadValue(toBeHex(cleared | (last24 << COUNTER_SHIFT)), 32),
      ]);
      expect(await f.staking.nextRewardEpoch()).to.equal(last24);
      // The rest of the word is untouched.
      expect(await f.staking.token()).to.equal(await f.token.getAddress());
      expect(await f.staking.paused()).to.equal(false);
      await time.increaseTo((await f.token.genesis()) + (last24 + 1n) * EPOCH);
      await expect(f.staking.connect(f.minter).notifyRewards(last24, 0n))
        .to.emit(f.staking, "RewardsNotified")
        .withArgs(last24, 0n, 0n, 0n);
      expect(await f.staking.nextRewardEpoch()).to.equal(last24 + 1n);
      await time.increaseTo((await f.token.genesis()) + (last24 + 2n) * EPOCH);
      await (await f.staking.connect(f.minter).notifyRewards(last24 + 1n, 0n)).wait();
      expect(await f.staking.nextRewardEpoch()).to.equal(last24 + 2n);
    });
  });

  describe("checkpoint search before the first checkpoint", function () {
    it("returns an epoch's whole share when every stake counts from later epochs (a late notification)", async function () {
      const f = await loadFixture(deployStakingFixture);
      const genesis = await f.token.genesis();
      // Alice's stake made in epoch 1 counts from the end of epoch 1, Carol's made in epoch 2 from the end of
      // epoch 2: two checkpoints, both after the end of epoch 0, so the search for epoch 0 finds none.
      await enterEpoch(f, 1n);
      await f.staking.connect(f.alice).registerOperator(0);
      await f.staking.connect(f.alice).stake(parseEther("1000"));
      await enterEpoch(f, 2n);
      await f.staking.connect(f.carol).registerOperator(0);
      await f.staking.connect(f.carol).stake(parseEther("500"));
      await enterEpoch(f, 3n);
      await f.token.connect(f.minter).mint(await f.staking.getAddress(), REWARD);
      const reserve = await f.staking.rewardReserve();
      await expect(f.staking.connect(f.minter).notifyRewards(0n, REWARD))
        .to.emit(f.staking, "RewardsNotified")
        .withArgs(0n, REWARD, 0n, REWARD);
      expect(await f.staking.rewardReserve()).to.equal(reserve);
      expect(await f.stakingLens.totalStakeAt(genesis + EPOCH)).to.equal(0n);
      expect(await f.stakingLens.totalStakeAt(genesis + 2n * EPOCH)).to.equal(parseEther("1000"));
      expect(await f.stakingLens.totalStakeAt(genesis + 3n * EPOCH)).to.equal(parseEther("1500"));
      expect(await f.stakingLens.operatorStakeAt(f.alice.address, genesis + EPOCH)).to.equal(0n);
      expect(await f.stakingLens.operatorStakeAt(f.alice.address, genesis + 2n * EPOCH)).to.equal(parseEther("1000"));
    });
  });
});
