/**
 * Findings of the outside review on the distributor, each with a test that failed before its fix:
 * Σ claimed enforced on chain, a standing claim recipient, the initializer's checked casts and a split
 * change that waits for the next epoch (the ring's own findings are in RewardsDistributor.ring.test.ts).
 */
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress, parseEther, type Signer } from "ethers";
import { ethers } from "hardhat";

import {
  ERC1967Proxy__factory,
  RewardsDistributor__factory,
  RewardsMockSchedule__factory,
} from "../../typechain-types";
import { signClaimTo } from "../../scripts/lib/rewards/signature";
import { buildRewardsTree, proofFor } from "../fixtures/rewards-tree";
import { deployPreGenesisDistributor, deployRewardsFixture } from "../fixtures/rewards";
import { deploySuiteFixture } from "../fixtures/suite";
import { WINDOW, endEpoch, inputHashOf } from "./helpers";

async function signFor(
  signer: Signer,
  distributor: { getAddress(): Promise<string> },
  message: Parameters<typeof signClaimTo>[3],
): Promise<string> {
  const { chainId } = await ethers.provider.getNetwork();
  return signClaimTo(signer, await distributor.getAddress(), chainId, message);
}

/** Epoch 0's root is claimable; its leaves (alice 100, bob 100) sum to more than its total of 150. */
async function overdrawnRootFixture() {
  const f = await deployRewardsFixture();
  await endEpoch(f.genesis, 0n);
  const tree = buildRewardsTree([
    { account: f.alice.address, cumulativeAmount: parseEther("100") },
    { account: f.bob.address, cumulativeAmount: parseEther("100") },
  ]);
  await (
    await f.distributor.connect(f.oracles[0]).postRoot(0, tree.root, parseEther("150"), inputHashOf(0n), "")
  ).wait();
  await time.increase(WINDOW);
  return { ...f, tree };
}

describe("RewardsDistributor", function () {
  describe("Σ claimed", function () {
    it("refuses a claim that would carry Σ claimed past the claimable root's total", async function () {
      const { distributor, lens, token, tree, alice, bob } = await loadFixture(overdrawnRootFixture);
      const a = proofFor(tree, alice.address);
      await expect(distributor.claim(alice.address, a.cumulativeAmount, a.proof))
        .to.emit(distributor, "Claimed")
        .withArgs(alice.address, alice.address, parseEther("100"), parseEther("100"));
      expect(await lens.totalClaimed()).to.equal(parseEther("100"));
      const b = proofFor(tree, bob.address);
      const bobBefore = await token.balanceOf(bob.address);
      await expect(distributor.claim(bob.address, b.cumulativeAmount, b.proof))
        .to.be.revertedWithCustomError(distributor, "ClaimsExceedRootTotal")
        .withArgs(parseEther("200"), parseEther("150"));
      expect(await lens.claimed(bob.address)).to.equal(0n);
      expect(await token.balanceOf(bob.address)).to.equal(bobBefore);
      expect(await lens.totalClaimed()).to.equal(parseEther("100"));
    });

    it("checks the batch as a whole, once", async function () {
      const { distributor, lens, tree, alice, bob } = await loadFixture(overdrawnRootFixture);
      const claims = [alice, bob].map((s) => {
        const p = proofFor(tree, s.address);
        return { account: s.address, cumulativeAmount: p.cumulativeAmount, proof: p.proof };
      });
      await expect(distributor.batchClaim(claims))
        .to.be.revertedWithCustomError(distributor, "ClaimsExceedRootTotal")
        .withArgs(parseEther("200"), parseEther("150"));
      await expect(distributor.batchClaim(claims.slice(1))).to.emit(distributor, "Claimed");
      expect(await lens.totalClaimed()).to.equal(parseEther("100"));
    });

    it("writes nothing for a batch that pays nothing", async function () {
      const { distributor, lens, tree, alice } = await loadFixture(overdrawnRootFixture);
      const p = proofFor(tree, alice.address);
      const claims = [{ account: alice.address, cumulativeAmount: p.cumulativeAmount, proof: p.proof }];
      await (await distributor.batchClaim(claims)).wait();
      await expect(distributor.batchClaim(claims)).not.to.emit(distributor, "Claimed");
      expect(await lens.totalClaimed()).to.equal(parseEther("100"));
    });

    it("refuses claimTo past the total as well", async function () {
      const { distributor, tree, alice, bob, carol } = await loadFixture(overdrawnRootFixture);
      const a = proofFor(tree, alice.address);
      await (await distributor.claim(alice.address, a.cumulativeAmount, a.proof)).wait();
      const b = proofFor(tree, bob.address);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const signature = await signFor(bob, distributor, {
        account: bob.address,
        recipient: carol.address,
        cumulativeAmount: b.cumulativeAmount,
        nonce: 0n,
        deadline,
      });
      await expect(
        distributor.claimTo(bob.address, carol.address, b.cumulativeAmount, b.proof, deadline, signature),
      ).to.be.revertedWithCustomError(distributor, "ClaimsExceedRootTotal");
    });
  });

  describe("standing claim recipient", function () {
    async function claimableFixture() {
      const f = await deployRewardsFixture();
      await endEpoch(f.genesis, 0n);
      const tree = buildRewardsTree([
        { account: f.alice.address, cumulativeAmount: parseEther("100") },
        { account: f.bob.address, cumulativeAmount: parseEther("50") },
      ]);
      await (
        await f.distributor.connect(f.oracles[0]).postRoot(0, tree.root, parseEther("150"), inputHashOf(0n), "")
      ).wait();
      await time.increase(WINDOW);
      return { ...f, tree };
    }

    it("pays every claim for the account, by anyone, where the account chose", async function () {
      const { distributor, lens, token, tree, alice, carol, stranger } = await loadFixture(claimableFixture);
      expect(await lens.claimRecipientOf(alice.address)).to.equal(alice.address);
      await expect(distributor.connect(alice).setClaimRecipient(carol.address))
        .to.emit(distributor, "ClaimRecipientSet")
        .withArgs(alice.address, carol.address);
      expect(await lens.claimRecipientOf(alice.address)).to.equal(carol.address);
      const before = [await token.balanceOf(alice.address), await token.balanceOf(carol.address)];
      const a = proofFor(tree, alice.address);
      await expect(distributor.connect(stranger).claim(alice.address, a.cumulativeAmount, a.proof))
        .to.emit(distributor, "Claimed")
        .withArgs(alice.address, carol.address, parseEther("100"), parseEther("100"));
      expect(await token.balanceOf(alice.address)).to.equal(before[0]);
      expect(await token.balanceOf(carol.address)).to.equal(before[1] + parseEther("100"));
    });

    it("pays the chosen recipient in a batch, and the account again after a reset to zero", async function () {
      const { distributor, token, tree, alice, bob, carol } = await loadFixture(claimableFixture);
      await (await distributor.connect(bob).setClaimRecipient(carol.address)).wait();
      await (await distributor.connect(bob).setClaimRecipient(ZeroAddress)).wait();
      await (await distributor.connect(alice).setClaimRecipient(carol.address)).wait();
      const claims = [alice, bob].map((s) => {
        const p = proofFor(tree, s.address);
        return { account: s.address, cumulativeAmount: p.cumulativeAmount, proof: p.proof };
      });
      const before = [await token.balanceOf(bob.address), await token.balanceOf(carol.address)];
      await expect(distributor.batchClaim(claims))
        .to.emit(distributor, "Claimed")
        .withArgs(alice.address, carol.address, parseEther("100"), parseEther("100"))
        .and.to.emit(distributor, "Claimed")
        .withArgs(bob.address, bob.address, parseEther("50"), parseEther("50"));
      expect(await token.balanceOf(bob.address)).to.equal(before[0] + parseEther("50"));
      expect(await token.balanceOf(carol.address)).to.equal(before[1] + parseEther("100"));
    });

    it("leaves nothing for a front-run claim to misdirect once a recipient stands", async function () {
      const { distributor, token, tree, alice, carol, stranger } = await loadFixture(claimableFixture);
      await (await distributor.connect(alice).setClaimRecipient(carol.address)).wait();
      const a = proofFor(tree, alice.address);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const signature = await signFor(alice, distributor, {
        account: alice.address,
        recipient: carol.address,
        cumulativeAmount: a.cumulativeAmount,
        nonce: 0n,
        deadline,
      });
      // A stranger front-runs the signed claimTo with a plain claim: the tokens still reach carol.
      const before = await token.balanceOf(carol.address);
      await (await distributor.connect(stranger).claim(alice.address, a.cumulativeAmount, a.proof)).wait();
      await expect(
        distributor.claimTo(alice.address, carol.address, a.cumulativeAmount, a.proof, deadline, signature),
      ).not.to.emit(distributor, "Claimed");
      expect(await token.balanceOf(carol.address)).to.equal(before + parseEther("100"));
    });
  });

  describe("initialize's casts", function () {
    it("refuses a schedule that does not fit its packed words", async function () {
      const { implementation, manager, staking, treasury, deployer, oracles } = await loadFixture(deployRewardsFixture);
      const schedule = await new RewardsMockSchedule__factory(deployer).deploy();
      const impl = RewardsDistributor__factory.connect(implementation, deployer);
      const proxies = new ERC1967Proxy__factory(deployer);
      const params = {
        authority: await manager.getAddress(),
        token: await schedule.getAddress(),
        staking: await staking.getAddress(),
        treasury: treasury.address,
        quorum: 1n,
        challengeWindow: WINDOW,
        operatorsBps: 7_500n,
        stakersBps: 1_500n,
        treasuryBps: 1_000n,
        oracles: [oracles[0].address],
      };
      const data = impl.interface.encodeFunctionData("initialize", [params]);
      // The clock has EpochClockLib's widths (genesis uint32, epoch length uint24).
      for (const [genesis, epochLength] of [
        [2n ** 32n, 86_400n],
        [0n, 2n ** 24n],
        [0n, 0n],
      ] as const) {
        await (await schedule.set(genesis, epochLength, 365n, 1n)).wait();
        await expect(proxies.deploy(implementation, data))
          .to.be.revertedWithCustomError(impl, "InvalidEpochClock")
          .withArgs(genesis, epochLength);
      }
      const big = 2n ** 64n;
      for (const [values, bits, value] of [
        [[0n, 86_400n, big, 1n], 64n, big],
        [[0n, 86_400n, 365n, 2n ** 128n], 128n, 2n ** 128n],
      ] as const) {
        await (await schedule.set(...values)).wait();
        await expect(proxies.deploy(implementation, data))
          .to.be.revertedWithCustomError(impl, "SafeCastOverflowedUintDowncast")
          .withArgs(bits, value);
      }
      await (await schedule.set(2n ** 32n - 1n, 2n ** 24n - 1n, 2n ** 64n - 1n, 2n ** 128n - 1n)).wait();
      await expect(proxies.deploy(implementation, data)).not.to.be.reverted;
    });
  });

  describe("split changes", function () {
    it("before genesis apply from epoch 0", async function () {
      const { distributor, lens } = await loadFixture(deployPreGenesisDistributor);
      await expect(distributor.setSplit(5_000n, 4_000n, 1_000n))
        .to.emit(distributor, "SplitSet")
        .withArgs(0n, 5_000n, 4_000n, 1_000n);
      expect(await lens.splitOf(0)).to.deep.equal([5_000n, 4_000n, 1_000n]);
    });

    it("leave the epoch in progress with the split it started with (PROTOCOL.md: future epochs only)", async function () {
      const { distributor, lens, staking, genesis } = await loadFixture(deployRewardsFixture);
      // Epoch 0 is in progress.
      await expect(distributor.setSplit(5_000n, 4_000n, 1_000n))
        .to.emit(distributor, "SplitSet")
        .withArgs(1n, 5_000n, 4_000n, 1_000n);
      expect(await lens.splitOf(0)).to.deep.equal([7_500n, 1_500n, 1_000n]);
      await endEpoch(genesis, 1n);
      await (await distributor.distributeEpoch(0)).wait();
      await (await distributor.distributeEpoch(1)).wait();
      const emission = parseEther("250000");
      expect(await staking.notified(0)).to.equal((emission * 1_500n) / 10_000n);
      expect(await staking.notified(1)).to.equal((emission * 4_000n) / 10_000n);
    });
  });

  describe("the stakers' share of an epoch with no stake", function () {
    it("goes to the treasury, whatever Staking sends back", async function () {
      const { distributor, token, staking, treasury, genesis } = await loadFixture(deployRewardsFixture);
      await (await staking.setReturnAll(await token.getAddress())).wait();
      await endEpoch(genesis, 0n);
      const emission = parseEther("250000");
      const operators = (emission * 7_500n) / 10_000n;
      const before = await token.balanceOf(treasury.address);
      await expect(distributor.distributeEpoch(0))
        .to.emit(distributor, "EpochDistributed")
        .withArgs(0n, emission, operators, 0n, emission - operators);
      expect(await token.balanceOf(treasury.address)).to.equal(before + emission - operators);
      expect(await token.balanceOf(await staking.getAddress())).to.equal(0n);
      expect(await token.balanceOf(await distributor.getAddress())).to.equal(operators);
    });

    it("cannot be collected by the first staker of a new network (no race to stake first)", async function () {
      const s = await loadFixture(deploySuiteFixture);
      const [genesis, length] = [await s.token.genesis(), await s.token.epochLength()];
      const endOf = (e: bigint) => time.increaseTo(genesis + (e + 1n) * length);
      const shares = async (e: bigint) => {
        const emission = await s.token.emission(e);
        const operators = (emission * 7_500n) / 10_000n;
        const stakers = (emission * 1_500n) / 10_000n;
        return { emission, operators, stakers, treasury: emission - operators - stakers };
      };
      const treasury = await s.rewardsLens.treasury();
      // Ten epochs pass with nobody staked: each stakers' share goes to the treasury.
      await endOf(9n);
      for (let e = 0n; e < 10n; e++) {
        const x = await shares(e);
        const before = await s.token.balanceOf(treasury);
        await expect(s.distributor.distributeEpoch(e))
          .to.emit(s.distributor, "EpochDistributed")
          .withArgs(e, x.emission, x.operators, 0n, x.treasury + x.stakers);
        expect(await s.token.balanceOf(treasury)).to.equal(before + x.treasury + x.stakers);
      }
      expect(await s.staking.rewardReserve()).to.equal(0n);
      // The first staker stakes in epoch 10 and earns epoch 10's share, and nothing from before.
      const stake = parseEther("5000");
      await (await s.token.connect(s.deployer).transfer(s.alice.address, stake)).wait();
      await (await s.token.connect(s.alice).approve(await s.staking.getAddress(), stake)).wait();
      await (await s.staking.connect(s.alice).registerOperator(0)).wait();
      await (await s.staking.connect(s.alice).stake(stake)).wait();
      await endOf(10n);
      await (await s.distributor.distributeEpoch(10n)).wait();
      expect(await s.stakingLens.claimable(s.alice.address)).to.equal((await shares(10n)).stakers);
    });
  });
});
