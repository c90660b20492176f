import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { dataSlice, getAddress, id, parseEther } from "ethers";

import { hashPair } from "../fixtures/rewards-synthetic";
import { buildRewardsTree, proofFor, rewardLeafHash } from "../fixtures/rewards-tree";
import { Roles } from "../../scripts/lib/roles";
import { StakingFlashStaker__factory } from "../../typechain-types";
import { DELEGATION, OPERATOR_STAKE, deployAdversarialFixture } from "../fixtures/adversarial";
import { endEpoch, inputHashOf } from "../rewards/helpers";
import { postClaimableRoot, stateOf, type AdversarialSuite } from "./helpers";

/** Three registered oracles (the deployer and two more) and a quorum of two. */
async function withThreeOracles(s: AdversarialSuite) {
  const [, , oracle2, oracle3] = s.signers.slice(10);
  for (const oracle of [oracle2, oracle3]) {
    await (await s.manager.grantRole(Roles.ORACLE, oracle.address, 0)).wait();
    await (await s.distributor.addOracle(oracle.address)).wait();
  }
  await (await s.distributor.setQuorum(2)).wait();
  return { oracle1: s.deployer, oracle2, oracle3 };
}

describe("Adversarial", function () {
  describe("reward roots and claims", function () {
    it("root replacement race: a rival root cannot displace one that stands, before or after the window", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const { oracle1, oracle2, oracle3 } = await withThreeOracles(s);
      await endEpoch(await s.token.genesis(), 0n);
      const honest = buildRewardsTree([{ account: s.bob.address, cumulativeAmount: parseEther("100") }]);
      const rival = buildRewardsTree([{ account: s.carol.address, cumulativeAmount: parseEther("100") }]);
      const total = parseEther("100");
      const post = (oracle: typeof oracle1, root: string) =>
        s.distributor.connect(oracle).postRoot(0n, root, total, inputHashOf(0n), "");

      await post(oracle1, honest.root);
      await post(oracle2, rival.root);
      expect(await s.rewardsLens.nextEpoch(), "no tuple has the quorum").to.equal(0n);
      await expect(post(oracle3, honest.root)).to.emit(s.distributor, "RootAccepted");
      const standing = await s.rewardsLens.rootOf(0n);
      const before = await stateOf(s, [s.bob.address, s.carol.address]);

      // The rival oracle re-posts, and the other oracles follow it: the epoch is closed to every tuple.
      for (const oracle of [oracle2, oracle1, oracle3]) {
        await expect(post(oracle, rival.root))
          .to.be.revertedWithCustomError(s.distributor, "EpochNotNext")
          .withArgs(0n, 1n);
      }
      // Only the guardian could discard it, within the window; an oracle cannot veto.
      await expect(s.distributor.connect(oracle2).veto(0n))
        .to.be.revertedWithCustomError(s.distributor, "AccessManagedUnauthorized")
        .withArgs(oracle2.address);
      await time.increase((await s.rewardsLens.challengeWindow()) + 1n);
      await expect(s.distributor.veto(0n)).to.be.revertedWithCustomError(s.distributor, "RootNotPending").withArgs(0n);
      await expect(post(oracle2, rival.root))
        .to.be.revertedWithCustomError(s.distributor, "EpochNotNext")
        .withArgs(0n, 1n);

      expect(await s.rewardsLens.rootOf(0n)).to.deep.equal(standing);
      const after = (await stateOf(s, [s.bob.address, s.carol.address])) as { read: unknown; perAccount: unknown };
      expect(after.perAccount).to.deep.equal((before as { perAccount: unknown }).perAccount);
      const { proof } = proofFor(rival, s.carol.address);
      await expect(s.distributor.claim(s.carol.address, total, proof))
        .to.be.revertedWithCustomError(s.distributor, "InvalidProof")
        .withArgs(s.carol.address, total);
    });

    it("a root larger than its emission is refused, at the first epoch and cumulatively after", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      await endEpoch(await s.token.genesis(), 1n);
      const share = await s.rewardsLens.operatorsShareOf(0n);
      const tree = buildRewardsTree([{ account: s.carol.address, cumulativeAmount: share + 1n }]);
      const before = await stateOf(s, [s.carol.address]);

      await expect(s.distributor.postRoot(0n, tree.root, share + 1n, inputHashOf(0n), ""))
        .to.be.revertedWithCustomError(s.distributor, "TotalCumulativeExceedsEmission")
        .withArgs(share + 1n, share);
      expect(await stateOf(s, [s.carol.address]), "nothing changed, nothing minted").to.deep.equal(before);
      expect(await s.rewardsLens.isDistributed(0n)).to.equal(false);

      // Epoch 0 allocates nothing; epoch 1 may then carry both shares, and not one wei more.
      await postClaimableRoot(s, 0n, [{ account: s.carol.address, cumulativeAmount: 0n }]);
      const limit = share + (await s.rewardsLens.operatorsShareOf(1n));
      const greedy = buildRewardsTree([{ account: s.carol.address, cumulativeAmount: limit + 1n }]);
      await expect(s.distributor.postRoot(1n, greedy.root, limit + 1n, inputHashOf(1n), ""))
        .to.be.revertedWithCustomError(s.distributor, "TotalCumulativeExceedsEmission")
        .withArgs(limit + 1n, limit);
      expect(await s.rewardsLens.nextEpoch()).to.equal(1n);
    });

    it("a second-preimage proof: an inner node passed off as a leaf proves nothing", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const accounts = [s.alice, s.bob, s.carol, s.deployer].map((a) => a.address);
      const { tree } = await postClaimableRoot(
        s,
        0n,
        accounts.map((account, i) => ({ account, cumulativeAmount: parseEther(String(i + 1)) })),
      );
      const { proof, cumulativeAmount } = proofFor(tree, s.alice.address);
      const leaf = rewardLeafHash(s.alice.address, cumulativeAmount);
      // The inner node over alice's leaf and its sibling, whose own proof is the rest of alice's proof.
      const [left, right] = BigInt(leaf) < BigInt(proof[0]) ? [leaf, proof[0]] : [proof[0], leaf];
      const inner = hashPair(left, right);
      expect(tree.root).to.equal(proof.slice(1).reduce((node, sibling) => hashPair(node, sibling), inner));
      const before = await stateOf(s, accounts);

      // The 64 bytes under the inner node, read as (account, amount), and the inner node itself as an amount.
      const forgedAccount = getAddress(dataSlice(left, 12));
      for (const [account, amount] of [
        [forgedAccount, BigInt(right)],
        [s.carol.address, BigInt(inner)],
      ] as const) {
        await expect(s.distributor.claim(account, amount, proof.slice(1)))
          .to.be.revertedWithCustomError(s.distributor, "InvalidProof")
          .withArgs(account, amount);
      }
      // A leaf hashed once (the inner hash of the double-hashed leaf) is no leaf either.
      await expect(s.distributor.claim(s.alice.address, cumulativeAmount, [leaf, ...proof]))
        .to.be.revertedWithCustomError(s.distributor, "InvalidProof")
        .withArgs(s.alice.address, cumulativeAmount);
      expect(await stateOf(s, accounts)).to.deep.equal(before);
    });

    it("flash stake around distributeEpoch: stake that arrives after the epoch ended earns none of it", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const flash = await new StakingFlashStaker__factory(s.carol).deploy(
        await s.staking.getAddress(),
        await s.token.getAddress(),
        await s.stakingLens.getAddress(),
      );
      await s.token.connect(s.carol).approve(await flash.getAddress(), parseEther("50000"));
      await endEpoch(await s.token.genesis(), 0n);
      // The attacker stakes a large amount after epoch 0 ended and before its rewards arrive.
      await s.staking.connect(s.carol).delegate(s.alice.address, parseEther("40000"));
      await expect(s.distributor.distributeEpoch(0n)).to.emit(s.distributor, "EpochDistributed");

      const stakers = ((await s.token.emission(0n)) * 1_500n) / 10_000n;
      expect(await s.stakingLens.claimable(s.carol.address), "the late stake earned nothing").to.equal(0n);
      const honest = (await s.stakingLens.claimable(s.alice.address)) + (await s.stakingLens.claimable(s.bob.address));
      expect(honest, "the stake in place at the epoch's end takes the whole share").to.be.gte(stakers - 2n);
      expect(honest).to.be.lte(stakers);
      // Bob's 500 of 1,500 tokens, less alice's 10% commission.
      expect(await s.stakingLens.claimable(s.bob.address)).to.be.closeTo(
        (stakers * DELEGATION * 9n) / (OPERATOR_STAKE + DELEGATION) / 10n,
        2n,
      );

      const before = await s.token.balanceOf(s.carol.address);
      await expect(s.staking.connect(s.carol).claimRewards())
        .to.emit(s.staking, "RewardsClaimed")
        .withArgs(s.carol.address, 0n);
      expect(await s.token.balanceOf(s.carol.address)).to.equal(before);
      // The same in one transaction: delegate, claim, unbond.
      await expect(flash.connect(s.carol).flash(s.alice.address, parseEther("5000")))
        .to.emit(flash, "FlashResult")
        .withArgs(0n, 0n);
      expect(await s.stakingLens.claimable(s.bob.address)).to.be.closeTo(
        (stakers * DELEGATION * 9n) / (OPERATOR_STAKE + DELEGATION) / 10n,
        2n,
      );
    });

    it("unbonding to escape a slash: the pending unbond loses the same share as the bonded stake", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      // Bob sees the evidence coming and unbonds everything; the slash lands inside his cooldown.
      await s.staking.connect(s.bob).unbond(DELEGATION);
      const supply = await s.token.totalSupply();
      await expect(s.staking.slash(s.alice.address, 5_000, id("double signing")))
        .to.emit(s.staking, "Slashed")
        .withArgs(s.alice.address, 5_000n, id("double signing"), OPERATOR_STAKE / 2n, DELEGATION / 2n);
      expect(await s.token.totalSupply(), "the cut is burned").to.equal(supply - (OPERATOR_STAKE + DELEGATION) / 2n);
      const [, amounts] = await s.stakingLens.unbondRequests(s.bob.address);
      expect(amounts).to.deep.equal([DELEGATION / 2n]);

      // Withdrawing early pays nothing; after the period, half.
      const balance = await s.token.balanceOf(s.bob.address);
      await s.staking.connect(s.bob).withdraw();
      expect(await s.token.balanceOf(s.bob.address)).to.equal(balance);
      await time.increase((await s.staking.params()).unbondingPeriod);
      await s.staking.connect(s.bob).withdraw();
      expect(await s.token.balanceOf(s.bob.address)).to.equal(balance + DELEGATION / 2n);
      const [requests] = await s.stakingLens.unbondRequests(s.bob.address);
      expect(requests).to.deep.equal([]);
    });

    it("a split with no stakers' share for one epoch does not stall the distribution of later epochs", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const genesis = await s.token.genesis();
      // Governance gives epoch 1 no stakers' share, then restores one from epoch 2 on (both allowed splits;
      // a change applies from the next epoch).
      await s.distributor.setSplit(9_000, 0, 1_000);
      await endEpoch(genesis, 0n);
      await s.distributor.setSplit(7_500, 1_500, 1_000);
      await endEpoch(genesis, 2n);

      await expect(s.distributor.distributeEpoch(0n)).to.emit(s.distributor, "EpochDistributed");
      await expect(s.distributor.distributeEpoch(1n))
        .to.emit(s.staking, "RewardsNotified")
        .withArgs(1n, 0n, OPERATOR_STAKE + DELEGATION, 0n);
      const stakers = ((await s.token.emission(2n)) * 1_500n) / 10_000n;
      // Epoch 2 must distribute, stakers' share to Staking, like every epoch after it.
      await expect(s.distributor.distributeEpoch(2n))
        .to.emit(s.staking, "RewardsNotified")
        .withArgs(2n, stakers, OPERATOR_STAKE + DELEGATION, 0n);
      expect(await s.rewardsLens.isDistributed(2n)).to.equal(true);
    });

    it("refuses to distribute an epoch before the one before it, and changes nothing", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      await endEpoch(await s.token.genesis(), 1n);
      const supply = await s.token.totalSupply();
      await expect(s.distributor.distributeEpoch(1n))
        .to.be.revertedWithCustomError(s.distributor, "PreviousEpochNotDistributed")
        .withArgs(1n);
      expect(await s.token.totalSupply()).to.equal(supply);
      expect(await s.rewardsLens.isDistributed(1n)).to.equal(false);
      expect(await s.staking.nextRewardEpoch()).to.equal(0n);
      // In order, both go through, and Staking takes both shares.
      await expect(s.distributor.distributeEpoch(0n)).to.emit(s.distributor, "EpochDistributed");
      await expect(s.distributor.distributeEpoch(1n)).to.emit(s.distributor, "EpochDistributed");
      expect(await s.staking.nextRewardEpoch()).to.equal(2n);
    });
  });
});
