import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { MaxUint256, ZeroAddress, ZeroHash, id, parseEther } from "ethers";
import { network, upgrades } from "hardhat";

import { StakingFlashStaker__factory, StakingV2Mock__factory, Staking__factory } from "../../typechain-types";
import { STAKING_ROLES, stakingFactory, stakingLinks } from "../../scripts/lib/deploy/staking";
import { shouldBehaveLikePausable } from "../behaviors/pausable.behavior";
import { shouldBehaveLikeRestricted } from "../behaviors/restricted.behavior";
import {
  EPOCH,
  REWARD,
  WEEK,
  deployStakingFixture,
  enterEpoch,
  notify,
  type StakingFixture,
} from "../fixtures/staking";

/** The end of epoch `e`, which is also the key of the stake that epoch `e`'s rewards are split by. */
function endOf(f: StakingFixture, e: bigint): bigint {
  return f.genesis + (e + 1n) * EPOCH;
}

/** Alice registers with 10% commission and stakes 3,000; Bob delegates 1,000 to her; all in epoch 0. */
async function withOperatorFixture() {
  const f = await deployStakingFixture();
  await f.staking.connect(f.alice).registerOperator(1_000);
  await f.staking.connect(f.alice).stake(parseEther("3000"));
  await f.staking.connect(f.bob).delegate(f.alice.address, parseEther("1000"));
  return f;
}

/**
 * `withOperatorFixture` plus Erin registered as a second operator, a pending unbond request of Dave's
 * (delegated to Alice) and, in epoch 1, epoch 0's share minted to Staking: every paused call and every
 * call the pause must never stop can then succeed once.
 */
async function pausableFixture() {
  const f = await withOperatorFixture();
  await f.staking.connect(f.erin).registerOperator(500);
  await f.staking.connect(f.dave).delegate(f.alice.address, parseEther("100"));
  await f.staking.connect(f.dave).unbond(parseEther("50"));
  await enterEpoch(f, 1n);
  await f.token.connect(f.minter).mint(await f.staking.getAddress(), REWARD);
  return f;
}

describe("Staking", function () {
  describe("initialize", function () {
    it("reads the epoch timing from the token and expects notifications from epoch 0", async function () {
      const f = await loadFixture(deployStakingFixture);
      expect(await f.staking.token()).to.equal(await f.token.getAddress());
      expect(await f.staking.nextRewardEpoch()).to.equal(0n);
      const params = await f.staking.params();
      expect(params.unbondingPeriod).to.equal(WEEK);
      expect(params.maxCommissionStepBps).to.equal(500n);
      expect(await f.staking.authority()).to.equal(await f.manager.getAddress());
      expect(await f.staking.paused()).to.equal(false);
    });

    it("reverts with InvalidInitialization on the implementation and on a second call", async function () {
      const f = await loadFixture(deployStakingFixture);
      const implementation = Staking__factory.connect(f.implementation, f.stranger);
      const params = { unbondingPeriod: WEEK, maxCommissionStepBps: 500n };
      await expect(
        implementation.initialize(await f.manager.getAddress(), await f.token.getAddress(), params),
      ).to.be.revertedWithCustomError(implementation, "InvalidInitialization");
      await expect(
        f.staking.initialize(await f.manager.getAddress(), await f.token.getAddress(), params),
      ).to.be.revertedWithCustomError(f.staking, "InvalidInitialization");
    });
  });

  shouldBehaveLikeRestricted(async () => {
    const f = await loadFixture(deployStakingFixture);
    return {
      manager: f.manager,
      target: f.staking,
      table: STAKING_ROLES,
      calls: [
        { signature: "setParams((uint64,uint16))", args: [{ unbondingPeriod: WEEK, maxCommissionStepBps: 100n }] },
        { signature: "unpause()", args: [] },
        { signature: "pause()", args: [] },
        { signature: "slash(address,uint256,bytes32)", args: [f.alice.address, 100n, ZeroHash] },
        { signature: "notifyRewards(uint256,uint256)", args: [0n, 0n] },
        { signature: "upgradeToAndCall(address,bytes)", args: [f.implementation, "0x"] },
      ],
      publicFunctions: [
        "initialize(address,address,(uint64,uint16))",
        "registerOperator(uint16)",
        "setCommission(uint16)",
        "stake(uint256)",
        "delegate(address,uint256)",
        "unbond(uint256)",
        "redelegate(address)",
        "rebond(uint256)",
        "withdraw()",
        "claimRewards()",
        "accrueCommission(address,uint256)",
      ],
      stranger: f.stranger,
    };
  });

  describe("registerOperator", function () {
    it("registers the caller with its commission and emits OperatorRegistered", async function () {
      const f = await loadFixture(deployStakingFixture);
      await expect(f.staking.connect(f.alice).registerOperator(1_000))
        .to.emit(f.staking, "OperatorRegistered")
        .withArgs(f.alice.address, 1n, 1_000n);
      const info = await f.staking.operatorInfo(f.alice.address);
      expect(info.id).to.equal(1n);
      expect(info.commissionBps).to.equal(1_000n);
      expect(await f.staking.operatorById(1)).to.equal(f.alice.address);
    });

    it("reverts with OperatorAlreadyRegistered for a second registration", async function () {
      const f = await loadFixture(deployStakingFixture);
      await f.staking.connect(f.alice).registerOperator(1_000);
      await expect(f.staking.connect(f.alice).registerOperator(1_000))
        .to.be.revertedWithCustomError(f.staking, "OperatorAlreadyRegistered")
        .withArgs(f.alice.address);
    });

    it("reverts with InvalidCommission above 10,000 bps", async function () {
      const f = await loadFixture(deployStakingFixture);
      await expect(f.staking.connect(f.alice).registerOperator(10_001))
        .to.be.revertedWithCustomError(f.staking, "InvalidCommission")
        .withArgs(10_001n);
    });

    it("reverts with StakedWithAnotherOperator when the caller delegates elsewhere", async function () {
      const f = await loadFixture(withOperatorFixture);
      await expect(f.staking.connect(f.bob).registerOperator(0))
        .to.be.revertedWithCustomError(f.staking, "StakedWithAnotherOperator")
        .withArgs(f.bob.address, f.alice.address);
    });
  });

  describe("setCommission", function () {
    it("takes effect at the next epoch, and the split follows it", async function () {
      const f = await loadFixture(withOperatorFixture);
      await expect(f.staking.connect(f.alice).setCommission(1_500))
        .to.emit(f.staking, "CommissionChangeScheduled")
        .withArgs(f.alice.address, 1_500n, 1n);
      expect((await f.staking.operatorInfo(f.alice.address)).commissionBps).to.equal(1_000n);
      await enterEpoch(f, 2n);
      expect((await f.staking.operatorInfo(f.alice.address)).commissionBps).to.equal(1_500n);
      await notify(f, 0n, REWARD);
      await notify(f, 1n, REWARD);
      // Bob holds 1/4 of the stake: 90% of his quarter in epoch 0, 85% in epoch 1.
      expect(await f.stakingLens.claimable(f.bob.address)).to.equal(parseEther("9000") + parseEther("8500"));
      expect(await f.stakingLens.claimable(f.alice.address)).to.equal(2n * REWARD - parseEther("17500"));
    });

    it("reverts with CommissionStepTooLarge beyond maxCommissionStepBps", async function () {
      const f = await loadFixture(withOperatorFixture);
      await expect(f.staking.connect(f.alice).setCommission(1_501))
        .to.be.revertedWithCustomError(f.staking, "CommissionStepTooLarge")
        .withArgs(1_000n, 1_501n, 500n);
    });

    it("reverts with NotAnOperator for a delegator", async function () {
      const f = await loadFixture(withOperatorFixture);
      await expect(f.staking.connect(f.bob).setCommission(100))
        .to.be.revertedWithCustomError(f.staking, "NotAnOperator")
        .withArgs(f.bob.address);
    });
  });

  describe("stake and delegate", function () {
    it("bonds the tokens and counts them from the end of the current epoch", async function () {
      const f = await loadFixture(deployStakingFixture);
      await f.staking.connect(f.alice).registerOperator(1_000);
      await expect(f.staking.connect(f.alice).stake(parseEther("3000")))
        .to.emit(f.staking, "Staked")
        .withArgs(f.alice.address, f.alice.address, parseEther("3000"), parseEther("3000"));
      const now = BigInt(await time.latest());
      await f.staking.connect(f.bob).delegate(f.alice.address, parseEther("1000"));
      expect(await f.token.balanceOf(await f.staking.getAddress())).to.equal(parseEther("4000"));
      expect(await f.staking.stakeOf(f.alice.address, f.alice.address)).to.equal(parseEther("3000"));
      expect(await f.staking.stakeOf(f.bob.address, f.alice.address)).to.equal(parseEther("1000"));
      expect(await f.stakingLens.operatorStakeAt(f.alice.address, now)).to.equal(0n);
      expect(await f.stakingLens.operatorStakeAt(f.alice.address, endOf(f, 0n) - 1n)).to.equal(0n);
      expect(await f.stakingLens.operatorStakeAt(f.alice.address, endOf(f, 0n))).to.equal(parseEther("4000"));
      expect(await f.stakingLens.totalStakeAt(endOf(f, 0n))).to.equal(parseEther("4000"));
      expect(await f.stakingLens.operatorStakeAt(f.carol.address, endOf(f, 0n))).to.equal(0n);
    });

    it("leaves a new staker nothing to claim right after staking", async function () {
      const f = await loadFixture(withOperatorFixture);
      await enterEpoch(f, 1n);
      await notify(f, 0n, REWARD);
      await f.staking.connect(f.carol).delegate(f.alice.address, parseEther("5000"));
      expect(await f.stakingLens.claimable(f.carol.address)).to.equal(0n);
      await expect(f.staking.connect(f.carol).claimRewards())
        .to.emit(f.staking, "RewardsClaimed")
        .withArgs(f.carol.address, 0n);
    });

    it("reverts with OperatorCannotDelegate when an operator delegates", async function () {
      const f = await loadFixture(withOperatorFixture);
      await f.staking.connect(f.carol).registerOperator(0);
      await expect(f.staking.connect(f.alice).delegate(f.carol.address, 1n))
        .to.be.revertedWithCustomError(f.staking, "OperatorCannotDelegate")
        .withArgs(f.alice.address);
    });

    it("reverts with StakedWithAnotherOperator when the delegator is bonded elsewhere", async function () {
      const f = await loadFixture(withOperatorFixture);
      await f.staking.connect(f.carol).registerOperator(0);
      await expect(f.staking.connect(f.bob).delegate(f.carol.address, 1n))
        .to.be.revertedWithCustomError(f.staking, "StakedWithAnotherOperator")
        .withArgs(f.bob.address, f.alice.address);
    });

    it("reverts with NotAnOperator and ZeroAmount", async function () {
      const f = await loadFixture(withOperatorFixture);
      await expect(f.staking.connect(f.bob).stake(1n))
        .to.be.revertedWithCustomError(f.staking, "NotAnOperator")
        .withArgs(f.bob.address);
      await expect(f.staking.connect(f.carol).delegate(f.dave.address, 1n))
        .to.be.revertedWithCustomError(f.staking, "NotAnOperator")
        .withArgs(f.dave.address);
      await expect(f.staking.connect(f.carol).delegate(f.alice.address, 0n)).to.be.revertedWithCustomError(
        f.staking,
        "ZeroAmount",
      );
    });

    it("gives no first staker a way to inflate the share price", async function () {
      const f = await loadFixture(deployStakingFixture);
      await f.staking.connect(f.alice).registerOperator(0);
      await f.staking.connect(f.alice).stake(1n);
      // A donation goes to nobody's stake: pools count what was bonded, not the balance.
      await f.token.connect(f.alice).transfer(await f.staking.getAddress(), parseEther("100000"));
      await f.staking.connect(f.bob).delegate(f.alice.address, parseEther("1000"));
      expect(await f.staking.stakeOf(f.bob.address, f.alice.address)).to.equal(parseEther("1000"));
      expect(await f.staking.stakeOf(f.alice.address, f.alice.address)).to.equal(1n);
      expect((await f.staking.operatorInfo(f.alice.address)).bondedTokens).to.equal(parseEther("1000") + 1n);
    });
  });

  describe("notifyRewards and claimRewards", function () {
    it("splits an epoch by the stake at its end, commission out of the delegators' part", async function () {
      const f = await loadFixture(withOperatorFixture);
      await enterEpoch(f, 1n);
      await expect(f.staking.connect(f.minter).notifyRewards(0n, 0n)).to.emit(f.staking, "RewardsNotified");
      await enterEpoch(f, 2n);
      await f.token.connect(f.minter).mint(await f.staking.getAddress(), REWARD);
      await expect(f.staking.connect(f.minter).notifyRewards(1n, REWARD))
        .to.emit(f.staking, "RewardsNotified")
        .withArgs(1n, REWARD, parseEther("4000"), 0n);
      // Bob: 1/4 of the stake, less 10%. Alice: 3/4, plus 10% of the whole.
      expect(await f.stakingLens.claimable(f.bob.address)).to.equal(parseEther("9000"));
      expect(await f.stakingLens.claimable(f.alice.address)).to.equal(parseEther("31000"));
      const before = await f.token.balanceOf(f.bob.address);
      await expect(f.staking.connect(f.bob).claimRewards())
        .to.emit(f.staking, "RewardsClaimed")
        .withArgs(f.bob.address, parseEther("9000"));
      expect(await f.token.balanceOf(f.bob.address)).to.equal(before + parseEther("9000"));
      await f.staking.connect(f.alice).claimRewards();
      expect(await f.stakingLens.claimable(f.alice.address)).to.equal(0n);
      expect(await f.staking.rewardReserve()).to.equal(0n);
      // A second claim pays nothing.
      await expect(f.staking.connect(f.bob).claimRewards())
        .to.emit(f.staking, "RewardsClaimed")
        .withArgs(f.bob.address, 0n);
    });

    it("splits a late notification by the stake at the epoch's end, not at the notification", async function () {
      const f = await loadFixture(withOperatorFixture);
      await enterEpoch(f, 3n);
      // Carol joins two epochs after epoch 0 ended, then epochs 0..2 are notified.
      await f.staking.connect(f.carol).delegate(f.alice.address, parseEther("4000"));
      for (const e of [0n, 1n, 2n]) await notify(f, e, REWARD);
      expect(await f.stakingLens.claimable(f.carol.address)).to.equal(0n);
      expect(await f.stakingLens.claimable(f.bob.address)).to.equal(3n * parseEther("9000"));
      await enterEpoch(f, 4n);
      await notify(f, 3n, REWARD);
      // In epoch 3 Carol holds half of 8,000.
      expect(await f.stakingLens.claimable(f.carol.address)).to.equal(parseEther("18000"));
    });

    it("settles several epochs notified in one block, across a stake change in between", async function () {
      const f = await loadFixture(withOperatorFixture);
      await enterEpoch(f, 1n);
      await f.staking.connect(f.bob).delegate(f.alice.address, parseEther("4000")); // Bob: 5,000 of 8,000
      await enterEpoch(f, 2n);
      const stakingAddress = await f.staking.getAddress();
      await network.provider.send("evm_setAutomine", [false]);
      try {
        await f.token.connect(f.minter).mint(stakingAddress, 2n * REWARD);
        await f.staking.connect(f.minter).notifyRewards(0n, REWARD);
        await f.staking.connect(f.minter).notifyRewards(1n, REWARD);
        await mine();
      } finally {
        await network.provider.send("evm_setAutomine", [true]);
      }
      expect(await f.staking.nextRewardEpoch()).to.equal(2n);
      // Epoch 0: 1/4 of 90%; epoch 1: 5/8 of 90%.
      expect(await f.stakingLens.claimable(f.bob.address)).to.equal(parseEther("9000") + parseEther("22500"));
    });

    it("settles a position that changed in every epoch while notifications lagged", async function () {
      const f = await loadFixture(withOperatorFixture);
      await enterEpoch(f, 1n);
      await f.staking.connect(f.bob).delegate(f.alice.address, parseEther("1000")); // 2,000 of 5,000
      await enterEpoch(f, 2n);
      await f.staking.connect(f.bob).unbond(parseEther("1500")); // 500 of 3,500
      await enterEpoch(f, 3n);
      for (const e of [0n, 1n, 2n]) await notify(f, e, REWARD);
      const net = (REWARD * 9n) / 10n;
      const expected = (net * 1_000n) / 4_000n + (net * 2_000n) / 5_000n + (net * 500n) / 3_500n;
      const bob = await f.stakingLens.claimable(f.bob.address);
      expect(bob).to.be.lessThanOrEqual(expected);
      expect(expected - bob).to.be.lessThan(10n);
      await expect(f.staking.connect(f.bob).claimRewards())
        .to.emit(f.staking, "RewardsClaimed")
        .withArgs(f.bob.address, bob);
      // Alice: her 3,000 of each total at 90%, plus 10% of every epoch.
      const alice = await f.stakingLens.claimable(f.alice.address);
      const aliceExpected =
        (net * 3_000n) / 4_000n + (net * 3_000n) / 5_000n + (net * 3_000n) / 3_500n + 3n * (REWARD / 10n);
      expect(alice).to.be.lessThanOrEqual(aliceExpected);
      expect(aliceExpected - alice).to.be.lessThan(10n);
      expect(await f.stakingLens.claimable(f.bob.address)).to.equal(0n);
    });

    it("splits by the stake at the epoch's end, whichever checkpoint holds it", async function () {
      const f = await loadFixture(withOperatorFixture);
      await enterEpoch(f, 1n);
      await f.staking.connect(f.bob).delegate(f.alice.address, parseEther("1000"));
      await enterEpoch(f, 2n);
      await f.staking.connect(f.bob).unbond(parseEther("1500"));
      await enterEpoch(f, 3n);
      // Checkpoints at the ends of epochs 0, 1 and 2: an older one, the one before the newest, the newest.
      const totals = [parseEther("4000"), parseEther("5000"), parseEther("3500")];
      for (const [e, total] of totals.entries()) {
        await f.token.connect(f.minter).mint(await f.staking.getAddress(), REWARD);
        await expect(f.staking.connect(f.minter).notifyRewards(e, REWARD))
          .to.emit(f.staking, "RewardsNotified")
          .withArgs(e, REWARD, total, 0n);
        expect(await f.stakingLens.totalStakeAt(endOf(f, BigInt(e)))).to.equal(total);
      }
    });

    it("returns an epoch whose only checkpoint is a later epoch's to the notifier", async function () {
      const f = await loadFixture(deployStakingFixture);
      await enterEpoch(f, 1n);
      await f.staking.connect(f.alice).registerOperator(0);
      await f.staking.connect(f.alice).stake(parseEther("10"));
      await f.token.connect(f.minter).mint(await f.staking.getAddress(), REWARD);
      const before = await f.token.balanceOf(f.minter.address);
      await expect(f.staking.connect(f.minter).notifyRewards(0n, REWARD))
        .to.emit(f.staking, "RewardsNotified")
        .withArgs(0n, REWARD, 0n, REWARD);
      expect(await f.token.balanceOf(f.minter.address)).to.equal(before + REWARD);
      expect(await f.staking.rewardReserve()).to.equal(0n);
      expect(await f.stakingLens.totalStakeAt(endOf(f, 0n))).to.equal(0n);
      expect(await f.stakingLens.totalStakeAt(endOf(f, 1n))).to.equal(parseEther("10"));
    });

    it("lets the first staker collect no epoch from before its stake counted (no race to stake first)", async function () {
      const f = await loadFixture(deployStakingFixture);
      await enterEpoch(f, 1n);
      const before = await f.token.balanceOf(f.minter.address);
      await notify(f, 0n, REWARD);
      // Nobody staked through epoch 0: its share went back to the notifier, nothing rolls forward.
      expect(await f.token.balanceOf(f.minter.address)).to.equal(before + REWARD);
      expect(await f.staking.rewardReserve()).to.equal(0n);
      await f.staking.connect(f.alice).registerOperator(0);
      await f.staking.connect(f.alice).stake(parseEther("10"));
      await enterEpoch(f, 2n);
      await notify(f, 1n, REWARD);
      expect(await f.stakingLens.claimable(f.alice.address)).to.equal(REWARD);
      expect(await f.staking.rewardReserve()).to.equal(REWARD);
    });

    it("pays a flash staker nothing when it stakes, claims and unbonds in one transaction", async function () {
      const f = await loadFixture(withOperatorFixture);
      const flash = await new StakingFlashStaker__factory(f.carol).deploy(
        await f.staking.getAddress(),
        await f.token.getAddress(),
        await f.stakingLens.getAddress(),
      );
      await f.token.connect(f.carol).approve(await flash.getAddress(), MaxUint256);
      await enterEpoch(f, 1n);
      // Epoch 0 has ended but is not notified yet, then notified: the flash earns nothing either way.
      await expect(flash.connect(f.carol).flash(f.alice.address, parseEther("100000")))
        .to.emit(flash, "FlashResult")
        .withArgs(0n, 0n);
      await notify(f, 0n, REWARD);
      await expect(flash.connect(f.carol).flash(f.alice.address, parseEther("100000")))
        .to.emit(flash, "FlashResult")
        .withArgs(0n, 0n);
      await enterEpoch(f, 2n);
      await notify(f, 1n, REWARD);
      expect(await f.stakingLens.claimable(await flash.getAddress())).to.equal(0n);
    });

    it("reverts with EpochNotNext, EpochNotOver and RewardsNotFunded", async function () {
      const f = await loadFixture(withOperatorFixture);
      await expect(f.staking.connect(f.minter).notifyRewards(0n, 0n))
        .to.be.revertedWithCustomError(f.staking, "EpochNotOver")
        .withArgs(0n, endOf(f, 0n));
      await enterEpoch(f, 2n);
      await expect(f.staking.connect(f.minter).notifyRewards(1n, 0n))
        .to.be.revertedWithCustomError(f.staking, "EpochNotNext")
        .withArgs(1n, 0n);
      await expect(f.staking.connect(f.minter).notifyRewards(0n, 1n))
        .to.be.revertedWithCustomError(f.staking, "RewardsNotFunded")
        .withArgs(1n, 0n);
      await notify(f, 0n, REWARD);
      await expect(f.staking.connect(f.minter).notifyRewards(0n, 0n))
        .to.be.revertedWithCustomError(f.staking, "EpochNotNext")
        .withArgs(0n, 1n);
    });
  });

  describe("unbond, withdraw and rebond", function () {
    it("moves stake out of the active stake at once and pays it after the cooldown", async function () {
      const f = await loadFixture(withOperatorFixture);
      const start = BigInt(await time.latest());
      await expect(f.staking.connect(f.bob).unbond(parseEther("400")))
        .to.emit(f.staking, "Unbonded")
        .withArgs(f.bob.address, f.alice.address, parseEther("400"), parseEther("400"), start + 1n + WEEK);
      expect(await f.staking.stakeOf(f.bob.address, f.alice.address)).to.equal(parseEther("600"));
      expect(await f.stakingLens.totalStakeAt(endOf(f, 0n))).to.equal(parseEther("3600"));
      expect(await f.staking.totalUnbonding()).to.equal(parseEther("400"));
      await time.increase(3n * 86_400n);
      await f.staking.connect(f.bob).unbond(parseEther("100"));

      // Nothing has matured: withdraw pays nothing.
      const before = await f.token.balanceOf(f.bob.address);
      await expect(f.staking.connect(f.bob).withdraw()).to.emit(f.staking, "Withdrawn").withArgs(f.bob.address, 0n, 0n);
      await time.increaseTo(start + 1n + WEEK);
      await expect(f.staking.connect(f.bob).withdraw())
        .to.emit(f.staking, "Withdrawn")
        .withArgs(f.bob.address, parseEther("400"), 1n);
      const [requests, amounts] = await f.stakingLens.unbondRequests(f.bob.address);
      expect(requests.length).to.equal(1);
      expect(amounts[0]).to.equal(parseEther("100"));
      await time.increase(3n * 86_400n);
      await f.staking.connect(f.bob).withdraw();
      expect(await f.token.balanceOf(f.bob.address)).to.equal(before + parseEther("500"));
      expect(await f.staking.totalUnbonding()).to.equal(0n);
    });

    it("earns nothing on stake unbonded before the epoch ended", async function () {
      const f = await loadFixture(withOperatorFixture);
      await f.staking.connect(f.bob).unbond(parseEther("1000"));
      await enterEpoch(f, 1n);
      await notify(f, 0n, REWARD);
      expect(await f.stakingLens.claimable(f.bob.address)).to.equal(0n);
      // Alice holds all 3,000: the whole epoch, less the index's rounding (a few wei, kept by Staking).
      const alice = await f.stakingLens.claimable(f.alice.address);
      expect(alice).to.be.lessThanOrEqual(REWARD);
      expect(REWARD - alice).to.be.lessThan(10n);
    });

    it("rebonds a pending request to its operator", async function () {
      const f = await loadFixture(withOperatorFixture);
      await f.staking.connect(f.bob).unbond(parseEther("400"));
      await expect(f.staking.connect(f.bob).rebond(0))
        .to.emit(f.staking, "Rebonded")
        .withArgs(f.bob.address, f.alice.address, parseEther("400"));
      expect(await f.staking.stakeOf(f.bob.address, f.alice.address)).to.equal(parseEther("1000"));
      const [requests] = await f.stakingLens.unbondRequests(f.bob.address);
      expect(requests.length).to.equal(0);
      await expect(f.staking.connect(f.bob).rebond(0))
        .to.be.revertedWithCustomError(f.staking, "UnbondRequestNotFound")
        .withArgs(0n);
    });

    it("reverts with InsufficientStake beyond the bonded stake", async function () {
      const f = await loadFixture(withOperatorFixture);
      await expect(f.staking.connect(f.bob).unbond(parseEther("1000") + 1n))
        .to.be.revertedWithCustomError(f.staking, "InsufficientStake")
        .withArgs(parseEther("1000") + 1n, parseEther("1000"));
    });

    it("reverts with TooManyUnbondRequests past the limit", async function () {
      const f = await loadFixture(withOperatorFixture);
      const max = await f.staking.MAX_UNBOND_REQUESTS();
      for (let i = 0n; i < max; i++) await f.staking.connect(f.bob).unbond(1n);
      await expect(f.staking.connect(f.bob).unbond(1n))
        .to.be.revertedWithCustomError(f.staking, "TooManyUnbondRequests")
        .withArgs(max);
    });
  });

  describe("redelegate", function () {
    it("unbonds from the old operator, which can still slash it, and points at the new one", async function () {
      const f = await loadFixture(withOperatorFixture);
      await f.staking.connect(f.carol).registerOperator(0);
      await expect(f.staking.connect(f.bob).redelegate(f.carol.address))
        .to.emit(f.staking, "Redelegated")
        .withArgs(f.bob.address, f.alice.address, f.carol.address, parseEther("1000"));
      expect(await f.staking.stakeOf(f.bob.address, f.alice.address)).to.equal(0n);
      const [operator, shares] = await f.staking.positionOf(f.bob.address);
      expect([operator, shares]).to.deep.equal([f.carol.address, 0n]);
      await f.staking.connect(f.bob).delegate(f.carol.address, parseEther("10"));
      expect(await f.staking.stakeOf(f.bob.address, f.carol.address)).to.equal(parseEther("10"));
      // Alice's slash reaches Bob's redelegated stake during its cooldown, Carol's does not.
      await f.staking.connect(f.slasher).slash(f.alice.address, 5_000, id("evidence"));
      const [, amounts] = await f.stakingLens.unbondRequests(f.bob.address);
      expect(amounts[0]).to.equal(parseEther("500"));
      expect(await f.staking.stakeOf(f.bob.address, f.carol.address)).to.equal(parseEther("10"));
    });

    it("reverts with SameOperator and OperatorCannotDelegate", async function () {
      const f = await loadFixture(withOperatorFixture);
      await expect(f.staking.connect(f.bob).redelegate(f.alice.address))
        .to.be.revertedWithCustomError(f.staking, "SameOperator")
        .withArgs(f.alice.address);
      await f.staking.connect(f.carol).registerOperator(0);
      await expect(f.staking.connect(f.alice).redelegate(f.carol.address))
        .to.be.revertedWithCustomError(f.staking, "OperatorCannotDelegate")
        .withArgs(f.alice.address);
    });
  });

  describe("slash", function () {
    it("cuts self-stake, delegations and pending unbonds alike, and burns exactly what it reports", async function () {
      const f = await loadFixture(withOperatorFixture);
      await f.staking.connect(f.bob).unbond(parseEther("400"));
      const stakingAddress = await f.staking.getAddress();
      const balance = await f.token.balanceOf(stakingAddress);
      const supply = await f.token.totalSupply();
      await expect(f.staking.connect(f.slasher).slash(f.alice.address, 2_500, id("evidence")))
        .to.emit(f.staking, "Slashed")
        .withArgs(f.alice.address, 2_500n, id("evidence"), parseEther("900"), parseEther("100"));
      expect(await f.token.balanceOf(stakingAddress)).to.equal(balance - parseEther("1000"));
      expect(await f.token.totalSupply()).to.equal(supply - parseEther("1000"));
      expect(await f.staking.stakeOf(f.alice.address, f.alice.address)).to.equal(parseEther("2250"));
      expect(await f.staking.stakeOf(f.bob.address, f.alice.address)).to.equal(parseEther("450"));
      const [, amounts] = await f.stakingLens.unbondRequests(f.bob.address);
      expect(amounts[0]).to.equal(parseEther("300"));
      expect(await f.stakingLens.operatorStakeAt(f.alice.address, endOf(f, 0n))).to.equal(parseEther("2700"));
    });

    it("pays rewards of later epochs on the slashed stake", async function () {
      const f = await loadFixture(withOperatorFixture);
      await f.staking.connect(f.slasher).slash(f.alice.address, 5_000, id("evidence"));
      await f.staking.connect(f.carol).registerOperator(0);
      await f.staking.connect(f.carol).stake(parseEther("2000"));
      await enterEpoch(f, 1n);
      await notify(f, 0n, REWARD);
      // Alice's pool holds 2,000 of 4,000: Bob's 500 earns 90% of 1/8.
      expect(await f.stakingLens.claimable(f.bob.address)).to.equal(parseEther("4500"));
      expect(await f.stakingLens.claimable(f.carol.address)).to.equal(parseEther("20000"));
      expect(await f.stakingLens.claimable(f.alice.address)).to.equal(parseEther("15500"));
    });

    it("voids every share at 100%, and later delegators do not absorb the loss", async function () {
      const f = await loadFixture(withOperatorFixture);
      await f.staking.connect(f.bob).unbond(parseEther("400"));
      await expect(f.staking.connect(f.slasher).slash(f.alice.address, 10_000, id("fraud")))
        .to.emit(f.staking, "Slashed")
        .withArgs(f.alice.address, 10_000n, id("fraud"), parseEther("3600"), parseEther("400"));
      expect(await f.staking.stakeOf(f.bob.address, f.alice.address)).to.equal(0n);
      expect(await f.staking.stakeOf(f.alice.address, f.alice.address)).to.equal(0n);
      await f.staking.connect(f.carol).delegate(f.alice.address, parseEther("1000"));
      expect(await f.staking.stakeOf(f.carol.address, f.alice.address)).to.equal(parseEther("1000"));
      expect(await f.staking.stakeOf(f.bob.address, f.alice.address)).to.equal(0n);
      await time.increase(WEEK);
      await expect(f.staking.connect(f.bob).withdraw()).to.emit(f.staking, "Withdrawn").withArgs(f.bob.address, 0n, 1n);
      // Bob's void position can bond again, from scratch.
      await f.staking.connect(f.bob).delegate(f.alice.address, parseEther("100"));
      expect(await f.staking.stakeOf(f.bob.address, f.alice.address)).to.equal(parseEther("100"));
      await enterEpoch(f, 9n);
      for (let e = 0n; e < 9n; e++) await notify(f, e, REWARD);
      // Epoch 0 ended with Carol's 1,000 alone in the pool... and Bob's later 100: nothing for the void shares.
      expect(await f.stakingLens.claimable(f.carol.address)).to.be.greaterThan(0n);
      const total =
        (await f.stakingLens.claimable(f.carol.address)) +
        (await f.stakingLens.claimable(f.bob.address)) +
        (await f.stakingLens.claimable(f.alice.address));
      expect(total).to.be.lessThanOrEqual(9n * REWARD);
      expect(9n * REWARD - total).to.be.lessThan(100n);
    });

    it("reverts with InvalidSlashBps for 0 and above 10,000", async function () {
      const f = await loadFixture(withOperatorFixture);
      await expect(f.staking.connect(f.slasher).slash(f.alice.address, 0, ZeroHash))
        .to.be.revertedWithCustomError(f.staking, "InvalidSlashBps")
        .withArgs(0n);
      await expect(f.staking.connect(f.slasher).slash(f.alice.address, 10_001, ZeroHash))
        .to.be.revertedWithCustomError(f.staking, "InvalidSlashBps")
        .withArgs(10_001n);
    });
  });

  describe("accrueCommission", function () {
    it("accrues an operator's commission in bounded steps, for anyone to call", async function () {
      const f = await loadFixture(withOperatorFixture);
      await enterEpoch(f, 1n);
      await f.staking.connect(f.carol).delegate(f.alice.address, parseEther("4000"));
      await enterEpoch(f, 2n);
      await notify(f, 0n, REWARD);
      await notify(f, 1n, REWARD);
      await expect(f.staking.connect(f.stranger).accrueCommission(f.alice.address, 1))
        .to.emit(f.staking, "CommissionAccrued")
        .withArgs(f.alice.address, parseEther("4000"), 1n);
      await expect(f.staking.connect(f.stranger).accrueCommission(f.alice.address, 1))
        .to.emit(f.staking, "CommissionAccrued")
        .withArgs(f.alice.address, parseEther("4000"), 2n);
      // Self-stake: 90% of 3/4 in epoch 0 and of 3/8 in epoch 1, plus both commissions.
      expect(await f.stakingLens.claimable(f.alice.address)).to.equal(
        parseEther("27000") + parseEther("13500") + parseEther("8000"),
      );
    });
  });

  describe("pause", function () {
    shouldBehaveLikePausable(async () => {
      const f = await loadFixture(pausableFixture);
      return {
        target: f.staking,
        pauser: f.guardian,
        unpauser: f.deployer,
        stranger: f.stranger,
        stopped: [
          { name: "registerOperator", send: () => f.staking.connect(f.stranger).registerOperator(0) },
          { name: "setCommission", send: () => f.staking.connect(f.alice).setCommission(1_100) },
          { name: "stake", send: () => f.staking.connect(f.alice).stake(parseEther("1")) },
          { name: "delegate", send: () => f.staking.connect(f.carol).delegate(f.alice.address, parseEther("1")) },
          { name: "unbond", send: () => f.staking.connect(f.bob).unbond(parseEther("1")) },
          { name: "redelegate", send: () => f.staking.connect(f.bob).redelegate(f.erin.address) },
          { name: "rebond", send: () => f.staking.connect(f.dave).rebond(0) },
          { name: "claimRewards", send: () => f.staking.connect(f.bob).claimRewards() },
        ],
        unaffected: [
          { name: "withdraw", send: () => f.staking.connect(f.dave).withdraw() },
          { name: "notifyRewards", send: () => f.staking.connect(f.minter).notifyRewards(0n, REWARD) },
          { name: "slash", send: () => f.staking.connect(f.slasher).slash(f.alice.address, 100, ZeroHash) },
          { name: "accrueCommission", send: () => f.staking.connect(f.stranger).accrueCommission(f.alice.address, 10) },
        ],
      };
    });

    it("stops staking and claims but never withdrawals, slashes or notifications", async function () {
      const f = await loadFixture(withOperatorFixture);
      await f.staking.connect(f.bob).unbond(parseEther("100"));
      await expect(f.staking.connect(f.guardian).pause()).to.emit(f.staking, "Paused").withArgs(f.guardian.address);
      await expect(f.staking.connect(f.carol).delegate(f.alice.address, 1n)).to.be.revertedWithCustomError(
        f.staking,
        "EnforcedPause",
      );
      await expect(f.staking.connect(f.bob).unbond(1n)).to.be.revertedWithCustomError(f.staking, "EnforcedPause");
      await expect(f.staking.connect(f.bob).claimRewards()).to.be.revertedWithCustomError(f.staking, "EnforcedPause");
      await expect(f.staking.connect(f.guardian).pause()).to.be.revertedWithCustomError(f.staking, "EnforcedPause");
      await time.increase(WEEK + EPOCH);
      await expect(f.staking.connect(f.bob).withdraw())
        .to.emit(f.staking, "Withdrawn")
        .withArgs(f.bob.address, parseEther("100"), 1n);
      await notify(f, 0n, REWARD);
      await f.staking.connect(f.slasher).slash(f.alice.address, 100, ZeroHash);
      await expect(f.staking.connect(f.deployer).unpause()).to.emit(f.staking, "Unpaused").withArgs(f.deployer.address);
      await f.staking.connect(f.bob).claimRewards();
      await expect(f.staking.connect(f.deployer).unpause()).to.be.revertedWithCustomError(f.staking, "ExpectedPause");
    });
  });

  describe("setParams", function () {
    it("sets the parameters and emits ParamsUpdated", async function () {
      const f = await loadFixture(deployStakingFixture);
      await expect(f.staking.setParams({ unbondingPeriod: 3n * 86_400n, maxCommissionStepBps: 100n }))
        .to.emit(f.staking, "ParamsUpdated")
        .withArgs(3n * 86_400n, 100n);
      expect((await f.staking.params()).unbondingPeriod).to.equal(3n * 86_400n);
    });

    it("reverts with InvalidParams for a zero cooldown", async function () {
      const f = await loadFixture(deployStakingFixture);
      await expect(f.staking.setParams({ unbondingPeriod: 0n, maxCommissionStepBps: 100n }))
        .to.be.revertedWithCustomError(f.staking, "InvalidParams")
        .withArgs(0n, 100n);
    });
  });

  describe("upgradeToAndCall", function () {
    it("keeps the state across an upgrade by the UPGRADER, and the layout validates", async function () {
      const f = await loadFixture(withOperatorFixture);
      const linked = stakingLinks(f.libraries);
      await upgrades.validateUpgrade(
        stakingFactory(f.libraries, f.deployer),
        new StakingV2Mock__factory(linked, f.deployer),
        {
          kind: "uups",
          unsafeAllowLinkedLibraries: true,
          // The mock adds no state: its reinitializer has no parent to call.
          unsafeAllow: ["missing-initializer", "missing-initializer-call"],
        },
      );
      const v2 = await new StakingV2Mock__factory(linked, f.deployer).deploy();
      await f.staking
        .connect(f.governance)
        .upgradeToAndCall(await v2.getAddress(), v2.interface.encodeFunctionData("initializeV2"));
      const upgraded = StakingV2Mock__factory.connect(await f.staking.getAddress(), f.bob);
      expect(await upgraded.version()).to.equal(2n);
      expect(await upgraded.stakeOf(f.bob.address, f.alice.address)).to.equal(parseEther("1000"));
      // The lens reads the upgraded proxy's storage: the stake checkpoints survived the upgrade.
      expect(await f.stakingLens.operatorStakeAt(f.alice.address, endOf(f, 0n))).to.equal(parseEther("4000"));
      expect(await upgraded.token()).to.not.equal(ZeroAddress);
    });
  });
});
