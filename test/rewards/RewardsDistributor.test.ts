import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { AbiCoder, ZeroAddress, ZeroHash, concat, keccak256, parseEther } from "ethers";
import { ethers, network, upgrades } from "hardhat";

import {
  ERC1967Proxy__factory,
  RewardsDistributor__factory,
  RewardsMockDistributorV2__factory,
  RewardsMockERC1271Wallet__factory,
} from "../../typechain-types";
import { REWARDS_DISTRIBUTOR_ROLES } from "../../scripts/lib/deploy/rewards";
import { Roles } from "../../scripts/lib/roles";
import { signClaimTo } from "../../scripts/lib/rewards/signature";
import { foldProof, hashPair } from "../fixtures/rewards-synthetic";
import { buildRewardsTree, proofFor, rewardLeafHash } from "../fixtures/rewards-tree";
import { shouldBehaveLikePausable } from "../behaviors/pausable.behavior";
import { shouldBehaveLikeRestricted } from "../behaviors/restricted.behavior";
import { deployPreGenesisDistributor, deployRewardsFixture } from "../fixtures/rewards";
import { WINDOW, endEpoch, inputHashOf, postTree } from "./helpers";

const EMISSION = parseEther("250000");
const OPERATORS = (EMISSION * 7_500n) / 10_000n;
const STAKERS = (EMISSION * 1_500n) / 10_000n;
const TREASURY = EMISSION - OPERATORS - STAKERS;

/** The fixture with epoch 0 ended and a first root (alice 100, bob 50) standing and claimable. */
async function claimableFixture() {
  const f = await deployRewardsFixture();
  await endEpoch(f.genesis, 0n);
  const allocations = [
    { account: f.alice.address, cumulativeAmount: parseEther("100") },
    { account: f.bob.address, cumulativeAmount: parseEther("50") },
    { account: f.carol.address, cumulativeAmount: parseEther("25") },
  ];
  const { tree, total } = await postTree(f.distributor, f.oracles[0], 0n, allocations);
  await time.increase(WINDOW);
  return { ...f, tree, total, allocations };
}

/**
 * The claimable fixture (root 0 claimable) with epochs 1 and 2 ended and the root of epoch 1 pending:
 * every call the pause stops can succeed once, and `veto(1)` has a root to discard.
 */
async function pausableFixture() {
  const f = await claimableFixture();
  await endEpoch(f.genesis, 2n);
  const { tree: pending } = await postTree(f.distributor, f.oracles[0], 1n, f.allocations);
  return { ...f, pending };
}

/** Valid `initialize` parameters for the fixture's contracts: quorum 1, the default split, no oracles. */
async function initializeParams(f: {
  readonly manager: { getAddress(): Promise<string> };
  readonly token: { getAddress(): Promise<string> };
  readonly staking: { getAddress(): Promise<string> };
  readonly treasury: { readonly address: string };
}) {
  return {
    authority: await f.manager.getAddress(),
    token: await f.token.getAddress(),
    staking: await f.staking.getAddress(),
    treasury: f.treasury.address,
    quorum: 1n,
    challengeWindow: WINDOW,
    operatorsBps: 7_500n,
    stakersBps: 1_500n,
    treasuryBps: 1_000n,
    oracles: [] as string[],
  };
}

describe("RewardsDistributor", function () {
  describe("initialize", function () {
    it("holds the deployment parameters and the token's schedule", async function () {
      const { distributor, lens, token, staking, treasury, oracles } = await loadFixture(deployRewardsFixture);
      expect(await lens.token()).to.equal(await token.getAddress());
      expect(await lens.staking()).to.equal(await staking.getAddress());
      expect(await lens.treasury()).to.equal(treasury.address);
      expect(await lens.quorum()).to.equal(1n);
      expect(await lens.oracleCount()).to.equal(3n);
      for (const oracle of oracles) expect(await lens.isOracle(oracle.address)).to.equal(true);
      expect(await lens.challengeWindow()).to.equal(WINDOW);
      expect(await lens.splitOf(0)).to.deep.equal([7_500n, 1_500n, 1_000n]);
      expect(await lens.operatorsShareOf(0)).to.equal(OPERATORS);
      expect(await lens.nextEpoch()).to.equal(0n);
      expect(await distributor.paused()).to.equal(false);
      const domain = await distributor.eip712Domain();
      expect(domain.name).to.equal("RewardsDistributor");
      expect(domain.version).to.equal("1");
      expect(domain.verifyingContract).to.equal(await distributor.getAddress());
    });

    it("reverts with InvalidInitialization on the implementation and on a second call", async function () {
      const { distributor, implementation, manager, token, staking, treasury, deployer } =
        await loadFixture(deployRewardsFixture);
      const params = await initializeParams({ manager, token, staking, treasury });
      const impl = RewardsDistributor__factory.connect(implementation, deployer);
      await expect(impl.initialize(params)).to.be.revertedWithCustomError(impl, "InvalidInitialization");
      await expect(distributor.initialize(params)).to.be.revertedWithCustomError(distributor, "InvalidInitialization");
    });

    it("reverts with InvalidAddress for a zero authority, token or staking", async function () {
      const { implementation, manager, token, staking, treasury, deployer } = await loadFixture(deployRewardsFixture);
      const params = await initializeParams({ manager, token, staking, treasury });
      const impl = RewardsDistributor__factory.connect(implementation, deployer);
      const proxies = new ERC1967Proxy__factory(deployer);
      for (const field of ["authority", "token", "staking"] as const) {
        const data = impl.interface.encodeFunctionData("initialize", [{ ...params, [field]: ZeroAddress }]);
        await expect(proxies.deploy(implementation, data))
          .to.be.revertedWithCustomError(impl, "InvalidAddress")
          .withArgs(ZeroAddress);
      }
    });
  });

  describe("distributeEpoch", function () {
    it("reverts with EpochNotEnded for the epoch in progress", async function () {
      const { distributor } = await loadFixture(deployRewardsFixture);
      await expect(distributor.distributeEpoch(0))
        .to.be.revertedWithCustomError(distributor, "EpochNotEnded")
        .withArgs(0n, 0n);
    });

    it("mints the operators' share to itself, the stakers' to Staking with a notify, the rest to the treasury", async function () {
      const { distributor, lens, token, staking, treasury, genesis, stranger } =
        await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 0n);
      const before = await token.balanceOf(treasury.address);
      await expect(distributor.connect(stranger).distributeEpoch(0))
        .to.emit(distributor, "EpochDistributed")
        .withArgs(0n, EMISSION, OPERATORS, STAKERS, TREASURY)
        .and.to.emit(staking, "RewardsNotified")
        .withArgs(0n, STAKERS);
      expect(await token.balanceOf(await distributor.getAddress())).to.equal(OPERATORS);
      expect(await token.balanceOf(await staking.getAddress())).to.equal(STAKERS);
      expect(await token.balanceOf(treasury.address)).to.equal(before + TREASURY);
      expect(await staking.notified(0)).to.equal(STAKERS);
      expect(await token.emissionMinted()).to.equal(EMISSION);
      expect(await lens.isDistributed(0)).to.equal(true);
    });

    it("reverts with EpochNotEnded(0, 0) before the token's genesis", async function () {
      const { distributor, lens } = await loadFixture(deployPreGenesisDistributor);
      await expect(distributor.distributeEpoch(0))
        .to.be.revertedWithCustomError(distributor, "EpochNotEnded")
        .withArgs(0n, 0n);
      expect(await lens.isDistributed(0)).to.equal(false);
    });

    it("sends the treasury nothing under a split that gives it nothing", async function () {
      const { distributor, token, staking, treasury, genesis } = await loadFixture(deployRewardsFixture);
      await distributor.setSplit(8_500n, 1_500n, 0n);
      await endEpoch(genesis, 1n);
      await distributor.distributeEpoch(0);
      const before = await token.balanceOf(treasury.address);
      const stakingBefore = await token.balanceOf(await staking.getAddress());
      const operators = (EMISSION * 8_500n) / 10_000n;
      await expect(distributor.distributeEpoch(1))
        .to.emit(distributor, "EpochDistributed")
        .withArgs(1n, EMISSION, operators, EMISSION - operators, 0n);
      expect(await token.balanceOf(treasury.address)).to.equal(before);
      expect(await token.balanceOf(await staking.getAddress())).to.equal(stakingBefore + EMISSION - operators);
    });

    it("reverts with EpochAlreadyDistributed the second time", async function () {
      const { distributor, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 0n);
      await distributor.distributeEpoch(0);
      await expect(distributor.distributeEpoch(0))
        .to.be.revertedWithCustomError(distributor, "EpochAlreadyDistributed")
        .withArgs(0n);
    });

    it("distributes epochs in order only, each with the split in force for it", async function () {
      const { distributor, lens, staking, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 0n);
      // Epoch 0 has ended and epoch 1 is in progress: the new split applies from epoch 2 on (PROTOCOL.md:
      // future epochs only), and the epoch in progress keeps the split it started with.
      await expect(distributor.setSplit(5_000n, 3_000n, 2_000n))
        .to.emit(distributor, "SplitSet")
        .withArgs(2n, 5_000n, 3_000n, 2_000n);
      // A second change within the same epoch replaces the first.
      await distributor.setSplit(6_000n, 3_000n, 1_000n);
      await endEpoch(genesis, 2n);
      // Staking takes each epoch's share in order, so the distributor does too.
      await expect(distributor.distributeEpoch(2))
        .to.be.revertedWithCustomError(distributor, "PreviousEpochNotDistributed")
        .withArgs(2n);
      await expect(distributor.distributeEpoch(1))
        .to.be.revertedWithCustomError(distributor, "PreviousEpochNotDistributed")
        .withArgs(1n);
      await distributor.distributeEpoch(0);
      await distributor.distributeEpoch(1);
      await distributor.distributeEpoch(2);
      expect(await staking.notified(2)).to.equal((EMISSION * 3_000n) / 10_000n);
      expect(await staking.notified(1)).to.equal(STAKERS);
      expect(await lens.splitOf(1)).to.deep.equal([7_500n, 1_500n, 1_000n]);
      expect(await lens.splitOf(2)).to.deep.equal([6_000n, 3_000n, 1_000n]);
      // A change now (epoch 3 in progress) applies from epoch 4: epochs 2 and 3 keep their split.
      await expect(distributor.setSplit(7_500n, 1_500n, 1_000n))
        .to.emit(distributor, "SplitSet")
        .withArgs(4n, 7_500n, 1_500n, 1_000n);
      expect(await lens.splitOf(3)).to.deep.equal([6_000n, 3_000n, 1_000n]);
      expect(await lens.splitOf(4)).to.deep.equal([7_500n, 1_500n, 1_000n]);
      expect(await lens.splitOf(2)).to.deep.equal([6_000n, 3_000n, 1_000n]);
      expect(await lens.splitOf(0)).to.deep.equal([7_500n, 1_500n, 1_000n]);
    });

    it("never exceeds the token's budget when many epochs are distributed late in one block", async function () {
      const { distributor, lens, token, genesis, minter } = await loadFixture(deployRewardsFixture);
      const late = 40n;
      await endEpoch(genesis, late - 1n);
      await network.provider.send("evm_setAutomine", [false]);
      try {
        const order = Array.from({ length: Number(late) }, (_, i) => BigInt(i));
        for (const epoch of order) await distributor.distributeEpoch(epoch, { gasLimit: 400_000 });
        await mine();
      } finally {
        await network.provider.send("evm_setAutomine", [true]);
      }
      const block = await ethers.provider.getBlock("latest");
      expect(block!.transactions.length).to.equal(Number(late));
      const cumulative = await token.cumulativeEmission(late - 1n);
      expect(await token.emissionMinted()).to.equal(cumulative);
      expect(await token.emissionMinted()).to.equal(await token.emissionBudget());
      for (let e = 0n; e < late; e++) expect(await lens.isDistributed(e)).to.equal(true);
      // Nothing is left in the budget: the next epoch's emission cannot be minted early by anyone.
      await expect(token.connect(minter).mint(minter.address, 1n))
        .to.be.revertedWithCustomError(token, "EmissionBudgetExceeded")
        .withArgs(1n, 0n);
      await expect(distributor.distributeEpoch(late))
        .to.be.revertedWithCustomError(distributor, "EpochNotEnded")
        .withArgs(late, late);
    });

    it("reverts with EnforcedPause while paused", async function () {
      const { distributor, guardian, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 0n);
      await distributor.connect(guardian).pause();
      await expect(distributor.distributeEpoch(0)).to.be.revertedWithCustomError(distributor, "EnforcedPause");
      await distributor.unpause();
      await expect(distributor.distributeEpoch(0)).to.emit(distributor, "EpochDistributed");
    });
  });

  describe("postRoot", function () {
    it("reverts with EpochNotEnded before the epoch has ended", async function () {
      const { distributor, oracles } = await loadFixture(deployRewardsFixture);
      await expect(distributor.connect(oracles[0]).postRoot(0, ZeroHash, 0, ZeroHash, ""))
        .to.be.revertedWithCustomError(distributor, "EpochNotEnded")
        .withArgs(0n, 0n);
    });

    it("distributes an undistributed epoch and makes the root stand with quorum 1", async function () {
      const { distributor, lens, token, oracles, genesis, alice } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 0n);
      const tree = buildRewardsTree([{ account: alice.address, cumulativeAmount: parseEther("10") }]);
      const tx = distributor
        .connect(oracles[0])
        .postRoot(0, tree.root, parseEther("10"), inputHashOf(0n), "ipfs://epoch-0");
      await expect(tx)
        .to.emit(distributor, "RootPosted")
        .withArgs(0n, oracles[0].address, tree.root, parseEther("10"), inputHashOf(0n), "ipfs://epoch-0", 1n);
      const claimableAt = BigInt(await time.latest()) + WINDOW;
      await expect(tx).to.emit(distributor, "RootAccepted").withArgs(0n, tree.root, claimableAt);
      await expect(tx).to.emit(distributor, "EpochDistributed").withArgs(0n, EMISSION, OPERATORS, STAKERS, TREASURY);
      expect(await token.balanceOf(await distributor.getAddress())).to.equal(OPERATORS);
      expect(await lens.rootOf(0)).to.deep.equal([tree.root, parseEther("10"), claimableAt]);
      expect(await lens.nextEpoch()).to.equal(1n);
      expect(await lens.isDistributed(0)).to.equal(true);
    });

    it("does not distribute again an epoch distributed before", async function () {
      const { distributor, token, oracles, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 0n);
      await distributor.distributeEpoch(0);
      await expect(distributor.connect(oracles[0]).postRoot(0, ZeroHash, 0, ZeroHash, "")).not.to.emit(
        distributor,
        "EpochDistributed",
      );
      expect(await token.emissionMinted()).to.equal(EMISSION);
    });

    it("reverts with EpochNotNext for a gap and for going back", async function () {
      const { distributor, oracles, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 2n);
      await expect(distributor.connect(oracles[0]).postRoot(1, ZeroHash, 0, ZeroHash, ""))
        .to.be.revertedWithCustomError(distributor, "EpochNotNext")
        .withArgs(1n, 0n);
      await distributor.connect(oracles[0]).postRoot(0, ZeroHash, 0, ZeroHash, "");
      await expect(distributor.connect(oracles[0]).postRoot(0, ZeroHash, 0, ZeroHash, ""))
        .to.be.revertedWithCustomError(distributor, "EpochNotNext")
        .withArgs(0n, 1n);
    });

    it("reverts with TotalCumulativeDecreased when the total goes down", async function () {
      const { distributor, oracles, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 1n);
      await distributor.connect(oracles[0]).postRoot(0, ZeroHash, parseEther("5"), ZeroHash, "");
      await expect(distributor.connect(oracles[0]).postRoot(1, ZeroHash, parseEther("4"), ZeroHash, ""))
        .to.be.revertedWithCustomError(distributor, "TotalCumulativeDecreased")
        .withArgs(parseEther("4"), parseEther("5"));
    });

    it("reverts with TotalCumulativeExceedsEmission past the operators' emission through the epoch", async function () {
      const { distributor, oracles, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 1n);
      await expect(distributor.connect(oracles[0]).postRoot(0, ZeroHash, OPERATORS + 1n, ZeroHash, ""))
        .to.be.revertedWithCustomError(distributor, "TotalCumulativeExceedsEmission")
        .withArgs(OPERATORS + 1n, OPERATORS);
      await distributor.connect(oracles[0]).postRoot(0, ZeroHash, OPERATORS, ZeroHash, "");
      await expect(distributor.connect(oracles[0]).postRoot(1, ZeroHash, 2n * OPERATORS + 1n, ZeroHash, ""))
        .to.be.revertedWithCustomError(distributor, "TotalCumulativeExceedsEmission")
        .withArgs(2n * OPERATORS + 1n, 2n * OPERATORS);
    });

    it("reverts with OracleNotRegistered for an ORACLE holder outside the registry", async function () {
      const { distributor, manager, stranger, genesis } = await loadFixture(deployRewardsFixture);
      await manager.grantRole(Roles.ORACLE, stranger.address, 0);
      await endEpoch(genesis, 0n);
      await expect(distributor.connect(stranger).postRoot(0, ZeroHash, 0, ZeroHash, ""))
        .to.be.revertedWithCustomError(distributor, "OracleNotRegistered")
        .withArgs(stranger.address);
    });

    it("reverts with EnforcedPause while paused", async function () {
      const { distributor, oracles, guardian, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 0n);
      await distributor.connect(guardian).pause();
      await expect(
        distributor.connect(oracles[0]).postRoot(0, ZeroHash, 0, ZeroHash, ""),
      ).to.be.revertedWithCustomError(distributor, "EnforcedPause");
    });

    describe("with a quorum of 2", function () {
      async function quorumFixture() {
        const f = await deployRewardsFixture();
        await f.distributor.setQuorum(2);
        await endEpoch(f.genesis, 0n);
        return f;
      }
      const rootA = keccak256("0xaa");
      const rootB = keccak256("0xbb");

      it("records a first vote, distributes the epoch, and does not stand", async function () {
        const { distributor, lens, oracles } = await loadFixture(quorumFixture);
        await expect(distributor.connect(oracles[0]).postRoot(0, rootA, 1n, ZeroHash, "a"))
          .to.emit(distributor, "RootPosted")
          .withArgs(0n, oracles[0].address, rootA, 1n, ZeroHash, "a", 1n)
          .and.to.emit(distributor, "EpochDistributed")
          .and.not.to.emit(distributor, "RootAccepted");
        expect(await lens.votesFor(0, rootA, 1n, ZeroHash)).to.equal(1n);
        expect(await lens.nextEpoch()).to.equal(0n);
      });

      it("records a differing post without letting it stand, then stands on two identical posts", async function () {
        const { distributor, lens, oracles } = await loadFixture(quorumFixture);
        await distributor.connect(oracles[0]).postRoot(0, rootA, 1n, ZeroHash, "a");
        await expect(distributor.connect(oracles[1]).postRoot(0, rootB, 1n, ZeroHash, "b"))
          .to.emit(distributor, "RootPosted")
          .withArgs(0n, oracles[1].address, rootB, 1n, ZeroHash, "b", 1n)
          .and.not.to.emit(distributor, "RootAccepted");
        expect(await lens.votesFor(0, rootA, 1n, ZeroHash)).to.equal(1n);
        expect(await lens.votesFor(0, rootB, 1n, ZeroHash)).to.equal(1n);
        // The same root with another total is another tuple.
        await expect(distributor.connect(oracles[2]).postRoot(0, rootA, 2n, ZeroHash, "a")).not.to.emit(
          distributor,
          "RootAccepted",
        );
        await expect(distributor.connect(oracles[1]).postRoot(0, rootA, 1n, ZeroHash, "a"))
          .to.emit(distributor, "RootAccepted")
          .withArgs(0n, rootA, BigInt(await time.latest()) + 1n + WINDOW);
        expect((await lens.rootOf(0))[0]).to.equal(rootA);
        // Once a root stands, the epoch's tallies are closed: votesFor reads 0 for every tuple.
        expect(await lens.votesFor(0, rootA, 1n, ZeroHash)).to.equal(0n);
        expect(await lens.votesFor(0, rootB, 1n, ZeroHash)).to.equal(0n);
      });

      it("lets an oracle change its vote, which its earlier tuple loses", async function () {
        const { distributor, lens, oracles } = await loadFixture(quorumFixture);
        await distributor.connect(oracles[0]).postRoot(0, rootA, 1n, ZeroHash, "");
        await distributor.connect(oracles[0]).postRoot(0, rootB, 1n, ZeroHash, "");
        expect(await lens.votesFor(0, rootA, 1n, ZeroHash)).to.equal(0n);
        expect(await lens.votesFor(0, rootB, 1n, ZeroHash)).to.equal(1n);
        // Oracle 1 votes for A: A has 1 vote only, since oracle 0 moved away.
        await expect(distributor.connect(oracles[1]).postRoot(0, rootA, 1n, ZeroHash, "")).not.to.emit(
          distributor,
          "RootAccepted",
        );
        await expect(distributor.connect(oracles[0]).postRoot(0, rootA, 1n, ZeroHash, "")).to.emit(
          distributor,
          "RootAccepted",
        );
      });

      it("lets a tuple that a lowered quorum reaches stand on its voter's post", async function () {
        const { distributor, oracles } = await loadFixture(quorumFixture);
        await distributor.setQuorum(3);
        await distributor.connect(oracles[0]).postRoot(0, rootA, 1n, ZeroHash, "");
        await distributor.connect(oracles[1]).postRoot(0, rootA, 1n, ZeroHash, "");
        await distributor.setQuorum(2);
        await expect(distributor.connect(oracles[0]).postRoot(0, rootA, 1n, ZeroHash, "")).to.emit(
          distributor,
          "RootAccepted",
        );
      });

      it("stops counting the vote of an oracle that is removed", async function () {
        const { distributor, lens, oracles } = await loadFixture(quorumFixture);
        await distributor.connect(oracles[0]).postRoot(0, rootA, 1n, ZeroHash, "");
        await expect(distributor.removeOracle(oracles[0].address)).to.emit(distributor, "OracleRemoved");
        expect(await lens.votesFor(0, rootA, 1n, ZeroHash)).to.equal(0n);
        await expect(distributor.connect(oracles[1]).postRoot(0, rootA, 1n, ZeroHash, "")).not.to.emit(
          distributor,
          "RootAccepted",
        );
        await expect(distributor.connect(oracles[2]).postRoot(0, rootA, 1n, ZeroHash, "")).to.emit(
          distributor,
          "RootAccepted",
        );
      });

      it("reverts with OracleAlreadyVoted when an oracle posts the same tuple twice", async function () {
        const { distributor, oracles } = await loadFixture(quorumFixture);
        await distributor.connect(oracles[0]).postRoot(0, rootA, 1n, ZeroHash, "");
        await expect(distributor.connect(oracles[0]).postRoot(0, rootA, 1n, ZeroHash, ""))
          .to.be.revertedWithCustomError(distributor, "OracleAlreadyVoted")
          .withArgs(oracles[0].address, 0n);
      });
    });

    it("reverts with TooManyPendingRoots when the root it would drop is not yet superseded", async function () {
      const { distributor, lens, oracles, guardian, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 70n);
      for (let epoch = 0n; epoch < 64n; epoch++) {
        await distributor.connect(oracles[0]).postRoot(epoch, ZeroHash, 0, ZeroHash, "");
      }
      const [, , retryAt] = await lens.rootOf(1);
      await expect(distributor.connect(oracles[0]).postRoot(64, ZeroHash, 0, ZeroHash, ""))
        .to.be.revertedWithCustomError(distributor, "TooManyPendingRoots")
        .withArgs(64n, retryAt);
      await time.increaseTo(retryAt);
      await expect(distributor.connect(oracles[0]).postRoot(64, ZeroHash, 0, ZeroHash, "")).to.emit(
        distributor,
        "RootAccepted",
      );
      // Epoch 0's slot now holds epoch 64: its root is no longer kept.
      expect(await lens.rootOf(0)).to.deep.equal([ZeroHash, 0n, 0n]);
      // Past the ring, epoch 0 is no longer pending: it cannot be vetoed.
      await expect(distributor.connect(guardian).veto(0))
        .to.be.revertedWithCustomError(distributor, "RootNotPending")
        .withArgs(0n);
      // With 65 roots and the newest pending, the latest claimable root is found among the ring's 64.
      const now = BigInt(await time.latest());
      let latest = 0n;
      for (let epoch = 1n; epoch <= 64n; epoch++) if ((await lens.rootOf(epoch))[2] <= now) latest = epoch;
      expect(latest).to.be.greaterThan(0n);
      expect(latest).to.be.lessThan(64n);
      expect(await lens.latestClaimable()).to.deep.equal([true, latest, ZeroHash, 0n]);
    });
  });

  describe("veto", function () {
    it("discards a pending root; the oracles post that epoch again", async function () {
      const { distributor, lens, oracles, guardian, genesis, alice } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 0n);
      const { tree } = await postTree(distributor, oracles[0], 0n, [
        { account: alice.address, cumulativeAmount: parseEther("10") },
      ]);
      await expect(distributor.connect(guardian).veto(0)).to.emit(distributor, "RootVetoed").withArgs(0n, tree.root);
      expect(await lens.nextEpoch()).to.equal(0n);
      expect(await lens.rootOf(0)).to.deep.equal([ZeroHash, 0n, 0n]);
      const proof = proofFor(tree, alice.address);
      await time.increase(WINDOW);
      await expect(distributor.claim(alice.address, proof.cumulativeAmount, proof.proof)).to.be.revertedWithCustomError(
        distributor,
        "NoClaimableRoot",
      );
      // Posted again (no second distribution), with another root.
      const again = buildRewardsTree([{ account: alice.address, cumulativeAmount: parseEther("9") }]);
      await expect(distributor.connect(oracles[0]).postRoot(0, again.root, parseEther("9"), ZeroHash, ""))
        .to.emit(distributor, "RootAccepted")
        .and.not.to.emit(distributor, "EpochDistributed");
    });

    it("discards every later pending root with the vetoed one", async function () {
      const { distributor, lens, oracles, guardian, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 2n);
      await distributor.connect(oracles[0]).postRoot(0, keccak256("0x00"), 1n, ZeroHash, "");
      await time.increase(WINDOW);
      await distributor.connect(oracles[0]).postRoot(1, keccak256("0x01"), 2n, ZeroHash, "");
      await distributor.connect(oracles[0]).postRoot(2, keccak256("0x02"), 3n, ZeroHash, "");
      await expect(distributor.connect(guardian).veto(1))
        .to.emit(distributor, "RootVetoed")
        .withArgs(1n, keccak256("0x01"))
        .and.to.emit(distributor, "RootVetoed")
        .withArgs(2n, keccak256("0x02"));
      expect(await lens.nextEpoch()).to.equal(1n);
      // The total goes back to epoch 0's.
      await expect(distributor.connect(oracles[0]).postRoot(1, ZeroHash, 1n, ZeroHash, "")).to.emit(
        distributor,
        "RootAccepted",
      );
    });

    it("voids the votes cast before the veto", async function () {
      const { distributor, lens, oracles, guardian, genesis } = await loadFixture(deployRewardsFixture);
      await distributor.setQuorum(2);
      await endEpoch(genesis, 1n);
      await distributor.connect(oracles[0]).postRoot(0, keccak256("0x00"), 1n, ZeroHash, "");
      await distributor.connect(oracles[1]).postRoot(0, keccak256("0x00"), 1n, ZeroHash, "");
      await distributor.connect(oracles[0]).postRoot(1, keccak256("0x01"), 1n, ZeroHash, "");
      await distributor.connect(guardian).veto(0);
      expect(await lens.votesFor(0, keccak256("0x00"), 1n, ZeroHash)).to.equal(0n);
      await expect(distributor.connect(oracles[0]).postRoot(0, keccak256("0x00"), 1n, ZeroHash, ""))
        .to.emit(distributor, "RootPosted")
        .withArgs(0n, oracles[0].address, keccak256("0x00"), 1n, ZeroHash, "", 1n)
        .and.not.to.emit(distributor, "RootAccepted");
      await distributor.connect(oracles[1]).postRoot(0, keccak256("0x00"), 1n, ZeroHash, "");
      expect(await lens.votesFor(1, keccak256("0x01"), 1n, ZeroHash)).to.equal(0n);
    });

    it("reverts with RootNotPending once the root is claimable, or when none stands", async function () {
      const { distributor, guardian } = await loadFixture(claimableFixture);
      await expect(distributor.connect(guardian).veto(0))
        .to.be.revertedWithCustomError(distributor, "RootNotPending")
        .withArgs(0n);
      await expect(distributor.connect(guardian).veto(1))
        .to.be.revertedWithCustomError(distributor, "RootNotPending")
        .withArgs(1n);
    });
  });

  describe("claim", function () {
    it("pays a leaf of a StandardMerkleTree built with @openzeppelin/merkle-tree", async function () {
      const { distributor, lens, token, tree, alice, stranger } = await loadFixture(claimableFixture);
      const { cumulativeAmount, proof } = proofFor(tree, alice.address);
      // The contract's leaf is the library's leaf.
      expect(tree.leafHash([alice.address, cumulativeAmount.toString()])).to.equal(
        rewardLeafHash(alice.address, cumulativeAmount),
      );
      expect(await distributor.connect(stranger).claim.staticCall(alice.address, cumulativeAmount, proof)).to.equal(
        cumulativeAmount,
      );
      const tx = distributor.connect(stranger).claim(alice.address, cumulativeAmount, proof);
      await expect(tx)
        .to.emit(distributor, "Claimed")
        .withArgs(alice.address, alice.address, cumulativeAmount, cumulativeAmount);
      await expect(tx).to.changeTokenBalances(
        token,
        [distributor, alice, stranger],
        [-cumulativeAmount, cumulativeAmount, 0n],
      );
      expect(await lens.claimed(alice.address)).to.equal(cumulativeAmount);
    });

    it("pays 0 without reverting when nothing new is due", async function () {
      const { distributor, token, tree, alice } = await loadFixture(claimableFixture);
      const { cumulativeAmount, proof } = proofFor(tree, alice.address);
      await distributor.claim(alice.address, cumulativeAmount, proof);
      expect(await distributor.claim.staticCall(alice.address, cumulativeAmount, proof)).to.equal(0n);
      const tx = distributor.claim(alice.address, cumulativeAmount, proof);
      await expect(tx).not.to.emit(distributor, "Claimed");
      await expect(tx).to.changeTokenBalance(token, alice, 0n);
    });

    it("pays only the growth of the cumulative amount against a newer root", async function () {
      const { distributor, token, tree, oracles, alice, bob, carol, genesis } = await loadFixture(claimableFixture);
      const first = proofFor(tree, alice.address);
      await distributor.claim(alice.address, first.cumulativeAmount, first.proof);
      await endEpoch(genesis, 1n);
      const { tree: next } = await postTree(distributor, oracles[0], 1n, [
        { account: alice.address, cumulativeAmount: parseEther("130") },
        { account: bob.address, cumulativeAmount: parseEther("50") },
        { account: carol.address, cumulativeAmount: parseEther("25") },
      ]);
      await time.increase(WINDOW);
      const second = proofFor(next, alice.address);
      await expect(distributor.claim(alice.address, second.cumulativeAmount, second.proof)).to.changeTokenBalance(
        token,
        alice,
        parseEther("30"),
      );
      // The old root no longer verifies.
      await expect(distributor.claim(alice.address, first.cumulativeAmount, first.proof))
        .to.be.revertedWithCustomError(distributor, "InvalidProof")
        .withArgs(alice.address, first.cumulativeAmount);
    });

    it("pays a one-leaf tree's account with an empty proof (the root is the leaf)", async function () {
      const { distributor, token, oracles, alice, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 0n);
      const { tree } = await postTree(distributor, oracles[0], 0n, [
        { account: alice.address, cumulativeAmount: parseEther("40") },
      ]);
      await time.increase(WINDOW);
      const { cumulativeAmount, proof } = proofFor(tree, alice.address);
      expect(proof).to.deep.equal([]);
      await expect(distributor.claim(alice.address, cumulativeAmount, proof)).to.changeTokenBalance(
        token,
        alice,
        parseEther("40"),
      );
    });

    it("verifies every proof of a wider tree, whichever side each sibling hashes on", async function () {
      const { distributor, token, oracles, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 0n);
      const allocations = Array.from({ length: 13 }, (_, i) => ({
        account: ethers.Wallet.createRandom().address,
        cumulativeAmount: parseEther("1") + BigInt(i),
      }));
      const { tree } = await postTree(distributor, oracles[0], 0n, allocations);
      await time.increase(WINDOW);
      for (const { account, cumulativeAmount } of allocations) {
        const { proof } = proofFor(tree, account);
        await expect(distributor.claim(account, cumulativeAmount, proof))
          .to.emit(distributor, "Claimed")
          .withArgs(account, account, cumulativeAmount, cumulativeAmount);
        expect(await token.balanceOf(account)).to.equal(cumulativeAmount);
        // The same proof for one wei more is refused.
        await expect(distributor.claim(account, cumulativeAmount + 1n, proof))
          .to.be.revertedWithCustomError(distributor, "InvalidProof")
          .withArgs(account, cumulativeAmount + 1n);
      }
    });

    it("reverts with InvalidProof for a truncated proof", async function () {
      const { distributor, tree, allocations } = await loadFixture(claimableFixture);
      const longest = allocations
        .map(({ account }) => proofFor(tree, account))
        .reduce((a, b) => (b.proof.length > a.proof.length ? b : a));
      const { account, cumulativeAmount, proof } = longest;
      expect(proof.length).to.equal(2);
      await expect(distributor.claim(account, cumulativeAmount, proof.slice(0, -1)))
        .to.be.revertedWithCustomError(distributor, "InvalidProof")
        .withArgs(account, cumulativeAmount);
      await expect(distributor.claim(account, cumulativeAmount, []))
        .to.be.revertedWithCustomError(distributor, "InvalidProof")
        .withArgs(account, cumulativeAmount);
    });

    it("reverts with InvalidProof for another amount than the leaf's", async function () {
      const { distributor, tree, alice } = await loadFixture(claimableFixture);
      const { cumulativeAmount, proof } = proofFor(tree, alice.address);
      await expect(distributor.claim(alice.address, cumulativeAmount + 1n, proof))
        .to.be.revertedWithCustomError(distributor, "InvalidProof")
        .withArgs(alice.address, cumulativeAmount + 1n);
    });

    it("refuses a 64-byte internal node presented as a leaf (second preimage)", async function () {
      const { distributor, tree, alice } = await loadFixture(claimableFixture);
      // The tree as an array: node i has children 2i+1 and 2i+2. Find a node over two leaves.
      const nodes = tree.dump().tree;
      const firstLeaf = nodes.length - tree.length;
      const parent = nodes.findIndex((_, i) => 2 * i + 1 >= firstLeaf && 2 * i + 2 < nodes.length);
      const [left, right] = [nodes[2 * parent + 1], nodes[2 * parent + 2]];
      const [low, high] = BigInt(left) < BigInt(right) ? [left, right] : [right, left];
      const above: string[] = [];
      for (let i = parent; i > 0; i = (i - 1) >> 1) above.push(nodes[i % 2 === 1 ? i + 1 : i - 1]);
      // The internal node really is in the tree: a single-hash leaf scheme would accept it.
      expect(keccak256(concat([low, high]))).to.equal(nodes[parent]);
      expect(foldProof(hashPair(left, right), above)).to.equal(tree.root);
      // Present its 64-byte preimage as (account, cumulativeAmount), the first word as the address.
      const coder = AbiCoder.defaultAbiCoder();
      const raw = concat([
        distributor.interface.getFunction("claim").selector,
        low,
        high,
        coder.encode(["uint256", "uint256"], [96n, above.length]),
        ...above,
      ]);
      await expect(alice.sendTransaction({ to: await distributor.getAddress(), data: raw })).to.be.reverted;
      // The address-clean version of the same words fails the proof: leaves are hashed twice.
      const account = ethers.getAddress("0x" + low.slice(-40));
      await expect(distributor.claim(account, BigInt(high), above))
        .to.be.revertedWithCustomError(distributor, "InvalidProof")
        .withArgs(account, BigInt(high));
    });

    it("verifies against the latest claimable root, never a pending one", async function () {
      const { distributor, lens, oracles, alice, bob, tree, genesis } = await loadFixture(claimableFixture);
      await endEpoch(genesis, 2n);
      const { tree: one } = await postTree(distributor, oracles[0], 1n, [
        { account: alice.address, cumulativeAmount: parseEther("200") },
        { account: bob.address, cumulativeAmount: parseEther("60") },
      ]);
      await time.increase(WINDOW / 2n);
      const { tree: two } = await postTree(distributor, oracles[0], 2n, [
        { account: alice.address, cumulativeAmount: parseEther("300") },
        { account: bob.address, cumulativeAmount: parseEther("70") },
      ]);
      const pending = proofFor(one, alice.address);
      await expect(distributor.claim(alice.address, pending.cumulativeAmount, pending.proof))
        .to.be.revertedWithCustomError(distributor, "InvalidProof")
        .withArgs(alice.address, pending.cumulativeAmount);
      expect((await lens.latestClaimable()).slice(0, 3)).to.deep.equal([true, 0n, tree.root]);
      // Epoch 1's window ends while epoch 2's is still open: claims use epoch 1's root.
      await time.increase(WINDOW / 2n);
      expect((await lens.latestClaimable()).slice(0, 3)).to.deep.equal([true, 1n, one.root]);
      await expect(distributor.claim(alice.address, pending.cumulativeAmount, pending.proof)).to.emit(
        distributor,
        "Claimed",
      );
      const newer = proofFor(two, alice.address);
      await expect(distributor.claim(alice.address, newer.cumulativeAmount, newer.proof))
        .to.be.revertedWithCustomError(distributor, "InvalidProof")
        .withArgs(alice.address, newer.cumulativeAmount);
      await time.increase(WINDOW / 2n);
      await expect(distributor.claim(alice.address, newer.cumulativeAmount, newer.proof)).to.emit(
        distributor,
        "Claimed",
      );
    });

    it("finds the latest claimable root among several pending ones", async function () {
      const { distributor, lens, oracles, alice, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 5n);
      const trees = [];
      for (let epoch = 0n; epoch < 6n; epoch++) {
        const { tree } = await postTree(distributor, oracles[0], epoch, [
          { account: alice.address, cumulativeAmount: parseEther("1") * (epoch + 1n) },
        ]);
        trees.push(tree);
        await time.increase(3600);
      }
      // Roots stood an hour apart; now roots 0..2 are claimable and 3..5 pending.
      const [, , claimableAt2] = await lens.rootOf(2);
      await time.increaseTo(claimableAt2);
      expect((await lens.latestClaimable()).slice(0, 3)).to.deep.equal([true, 2n, trees[2].root]);
      const three = proofFor(trees[3], alice.address);
      await expect(distributor.claim(alice.address, three.cumulativeAmount, three.proof))
        .to.be.revertedWithCustomError(distributor, "InvalidProof")
        .withArgs(alice.address, three.cumulativeAmount);
      const two = proofFor(trees[2], alice.address);
      await expect(distributor.claim(alice.address, two.cumulativeAmount, two.proof))
        .to.emit(distributor, "Claimed")
        .withArgs(alice.address, alice.address, parseEther("3"), parseEther("3"));
    });

    it("reverts with NoClaimableRoot before the first window ends", async function () {
      const { distributor, oracles, genesis, alice } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 0n);
      const { tree } = await postTree(distributor, oracles[0], 0n, [{ account: alice.address, cumulativeAmount: 1n }]);
      const { cumulativeAmount, proof } = proofFor(tree, alice.address);
      await expect(distributor.claim(alice.address, cumulativeAmount, proof)).to.be.revertedWithCustomError(
        distributor,
        "NoClaimableRoot",
      );
    });

    it("reverts with EnforcedPause while paused, and settles correctly after", async function () {
      const { distributor, token, tree, alice, guardian, deployer } = await loadFixture(claimableFixture);
      const { cumulativeAmount, proof } = proofFor(tree, alice.address);
      await expect(distributor.connect(guardian).pause()).to.emit(distributor, "Paused").withArgs(guardian.address);
      expect(await distributor.paused()).to.equal(true);
      await expect(distributor.claim(alice.address, cumulativeAmount, proof)).to.be.revertedWithCustomError(
        distributor,
        "EnforcedPause",
      );
      await expect(distributor.unpause()).to.emit(distributor, "Unpaused").withArgs(deployer.address);
      await expect(distributor.claim(alice.address, cumulativeAmount, proof)).to.changeTokenBalance(
        token,
        alice,
        cumulativeAmount,
      );
    });
  });

  describe("claimTo", function () {
    async function signed(f: Awaited<ReturnType<typeof claimableFixture>>, recipient: string, deadline?: bigint) {
      const { distributor, tree, alice } = f;
      const { chainId } = await ethers.provider.getNetwork();
      const { cumulativeAmount, proof } = proofFor(tree, alice.address);
      const message = {
        account: alice.address,
        recipient,
        cumulativeAmount,
        nonce: await distributor.nonces(alice.address),
        deadline: deadline ?? BigInt(await time.latest()) + 3600n,
      };
      const signature = await signClaimTo(alice, await distributor.getAddress(), chainId, message);
      return { message, proof, signature };
    }

    it("pays the recipient on the account's signature, and uses its nonce", async function () {
      const f = await loadFixture(claimableFixture);
      const { distributor, lens, token, alice, bob, stranger } = f;
      const { message, proof, signature } = await signed(f, bob.address);
      const tx = distributor
        .connect(stranger)
        .claimTo(alice.address, bob.address, message.cumulativeAmount, proof, message.deadline, signature);
      await expect(tx)
        .to.emit(distributor, "Claimed")
        .withArgs(alice.address, bob.address, message.cumulativeAmount, message.cumulativeAmount);
      await expect(tx).to.changeTokenBalances(token, [alice, bob], [0n, message.cumulativeAmount]);
      expect(await distributor.nonces(alice.address)).to.equal(1n);
      expect(await lens.claimed(alice.address)).to.equal(message.cumulativeAmount);
      // A replay carries a used nonce.
      await expect(
        distributor.claimTo(alice.address, bob.address, message.cumulativeAmount, proof, message.deadline, signature),
      )
        .to.be.revertedWithCustomError(distributor, "InvalidClaimSignature")
        .withArgs(alice.address);
    });

    it("pays nothing and emits no Claimed when nothing new is due, but uses the nonce", async function () {
      const f = await loadFixture(claimableFixture);
      const { distributor, lens, token, alice, bob } = f;
      const first = proofFor(f.tree, alice.address);
      await distributor.claim(alice.address, first.cumulativeAmount, first.proof);
      const { message, proof, signature } = await signed(f, bob.address);
      const tx = distributor.claimTo(
        alice.address,
        bob.address,
        message.cumulativeAmount,
        proof,
        message.deadline,
        signature,
      );
      await expect(tx).not.to.emit(distributor, "Claimed");
      await expect(tx).to.changeTokenBalances(token, [alice, bob], [0n, 0n]);
      expect(await distributor.nonces(alice.address)).to.equal(1n);
      expect(await lens.claimed(alice.address)).to.equal(message.cumulativeAmount);
    });

    it("reverts with InvalidClaimSignature for another recipient or a signer that is not the account", async function () {
      const f = await loadFixture(claimableFixture);
      const { distributor, alice, bob, carol } = f;
      const { message, proof, signature } = await signed(f, bob.address);
      await expect(
        distributor.claimTo(alice.address, carol.address, message.cumulativeAmount, proof, message.deadline, signature),
      )
        .to.be.revertedWithCustomError(distributor, "InvalidClaimSignature")
        .withArgs(alice.address);
      const { chainId } = await ethers.provider.getNetwork();
      const forged = await signClaimTo(bob, await distributor.getAddress(), chainId, message);
      await expect(
        distributor.claimTo(alice.address, bob.address, message.cumulativeAmount, proof, message.deadline, forged),
      )
        .to.be.revertedWithCustomError(distributor, "InvalidClaimSignature")
        .withArgs(alice.address);
    });

    it("reverts with InvalidClaimSignature for a signature bound to another chain or contract", async function () {
      const f = await loadFixture(claimableFixture);
      const { distributor, alice, bob, staking } = f;
      const { message, proof } = await signed(f, bob.address);
      const { chainId } = await ethers.provider.getNetwork();
      for (const [domainChain, contract] of [
        [chainId + 1n, await distributor.getAddress()],
        [chainId, await staking.getAddress()],
      ] as const) {
        const signature = await signClaimTo(alice, contract, domainChain, message);
        await expect(
          distributor.claimTo(alice.address, bob.address, message.cumulativeAmount, proof, message.deadline, signature),
        )
          .to.be.revertedWithCustomError(distributor, "InvalidClaimSignature")
          .withArgs(alice.address);
      }
    });

    it("reverts with ClaimSignatureExpired after the deadline", async function () {
      const f = await loadFixture(claimableFixture);
      const { distributor, alice, bob } = f;
      const deadline = BigInt(await time.latest()) + 10n;
      const { message, proof, signature } = await signed(f, bob.address, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(
        distributor.claimTo(alice.address, bob.address, message.cumulativeAmount, proof, deadline, signature),
      )
        .to.be.revertedWithCustomError(distributor, "ClaimSignatureExpired")
        .withArgs(deadline, deadline + 1n);
    });

    it("reverts with InvalidRecipient for the zero address", async function () {
      const f = await loadFixture(claimableFixture);
      const { distributor, alice } = f;
      const { message, proof, signature } = await signed(f, ZeroAddress);
      await expect(
        distributor.claimTo(alice.address, ZeroAddress, message.cumulativeAmount, proof, message.deadline, signature),
      )
        .to.be.revertedWithCustomError(distributor, "InvalidRecipient")
        .withArgs(ZeroAddress);
    });

    it("accepts an ERC-1271 wallet's signature", async function () {
      const f = await loadFixture(deployRewardsFixture);
      const { distributor, token, oracles, genesis, alice, bob } = f;
      const wallet = await new RewardsMockERC1271Wallet__factory(alice).deploy(alice.address);
      const account = await wallet.getAddress();
      await endEpoch(genesis, 0n);
      const { tree } = await postTree(distributor, oracles[0], 0n, [
        { account, cumulativeAmount: parseEther("7") },
        { account: bob.address, cumulativeAmount: parseEther("1") },
      ]);
      await time.increase(WINDOW);
      const { chainId } = await ethers.provider.getNetwork();
      const { cumulativeAmount, proof } = proofFor(tree, account);
      const deadline = BigInt(await time.latest()) + 3600n;
      const signature = await signClaimTo(alice, await distributor.getAddress(), chainId, {
        account,
        recipient: bob.address,
        cumulativeAmount,
        nonce: 0n,
        deadline,
      });
      await expect(
        distributor.claimTo(account, bob.address, cumulativeAmount, proof, deadline, signature),
      ).to.changeTokenBalance(token, bob, cumulativeAmount);
    });
  });

  describe("batchClaim", function () {
    it("settles many accounts, paying 0 to one already settled", async function () {
      const { distributor, token, tree, alice, bob, carol } = await loadFixture(claimableFixture);
      const claims = [alice, bob, carol].map((who) => {
        const { cumulativeAmount, proof } = proofFor(tree, who.address);
        return { account: who.address, cumulativeAmount, proof };
      });
      await distributor.claim(claims[1].account, claims[1].cumulativeAmount, claims[1].proof);
      expect(await distributor.batchClaim.staticCall(claims)).to.equal(parseEther("125"));
      await expect(distributor.batchClaim(claims)).to.changeTokenBalances(
        token,
        [alice, bob, carol],
        [parseEther("100"), 0n, parseEther("25")],
      );
    });

    it("reverts with InvalidProof when one proof is bad", async function () {
      const { distributor, lens, tree, alice, bob } = await loadFixture(claimableFixture);
      const good = proofFor(tree, alice.address);
      const bad = proofFor(tree, bob.address);
      await expect(
        distributor.batchClaim([
          { account: alice.address, cumulativeAmount: good.cumulativeAmount, proof: good.proof },
          { account: bob.address, cumulativeAmount: bad.cumulativeAmount + 1n, proof: bad.proof },
        ]),
      )
        .to.be.revertedWithCustomError(distributor, "InvalidProof")
        .withArgs(bob.address, bad.cumulativeAmount + 1n);
      expect(await lens.claimed(alice.address)).to.equal(0n);
    });
  });

  describe("parameters", function () {
    it("sets the quorum within the oracle registry", async function () {
      const { distributor, lens } = await loadFixture(deployRewardsFixture);
      await expect(distributor.setQuorum(3)).to.emit(distributor, "QuorumSet").withArgs(3n);
      expect(await lens.quorum()).to.equal(3n);
      await expect(distributor.setQuorum(4))
        .to.be.revertedWithCustomError(distributor, "InvalidQuorum")
        .withArgs(4n, 3n);
      await expect(distributor.setQuorum(0))
        .to.be.revertedWithCustomError(distributor, "InvalidQuorum")
        .withArgs(0n, 3n);
    });

    it("adds only ORACLE holders and removes none below the quorum", async function () {
      const { distributor, lens, manager, oracles, stranger } = await loadFixture(deployRewardsFixture);
      await expect(distributor.addOracle(stranger.address))
        .to.be.revertedWithCustomError(distributor, "OracleLacksRole")
        .withArgs(stranger.address);
      await manager.grantRole(Roles.ORACLE, stranger.address, 0);
      await expect(distributor.addOracle(stranger.address))
        .to.emit(distributor, "OracleAdded")
        .withArgs(stranger.address, 4n);
      await expect(distributor.addOracle(stranger.address))
        .to.be.revertedWithCustomError(distributor, "OracleAlreadyRegistered")
        .withArgs(stranger.address);
      await expect(distributor.addOracle(ZeroAddress))
        .to.be.revertedWithCustomError(distributor, "InvalidAddress")
        .withArgs(ZeroAddress);
      await distributor.setQuorum(3);
      await expect(distributor.removeOracle(stranger.address))
        .to.emit(distributor, "OracleRemoved")
        .withArgs(stranger.address, 3n);
      expect(await lens.isOracle(stranger.address)).to.equal(false);
      await expect(distributor.removeOracle(oracles[0].address))
        .to.be.revertedWithCustomError(distributor, "InvalidQuorum")
        .withArgs(3n, 2n);
      await expect(distributor.removeOracle(stranger.address))
        .to.be.revertedWithCustomError(distributor, "OracleNotRegistered")
        .withArgs(stranger.address);
    });

    it("sets the challenge window, at most 30 days, for roots that stand from then on", async function () {
      const { distributor, lens, oracles, genesis } = await loadFixture(deployRewardsFixture);
      await expect(distributor.setChallengeWindow(3600)).to.emit(distributor, "ChallengeWindowSet").withArgs(3600n);
      const max = 30n * 86_400n;
      await expect(distributor.setChallengeWindow(max + 1n))
        .to.be.revertedWithCustomError(distributor, "InvalidChallengeWindow")
        .withArgs(max + 1n, max);
      await endEpoch(genesis, 0n);
      await distributor.connect(oracles[0]).postRoot(0, ZeroHash, 0, ZeroHash, "");
      expect((await lens.rootOf(0))[2]).to.equal(BigInt(await time.latest()) + 3600n);
    });

    it("never makes a root claimable before the one it follows", async function () {
      const { distributor, lens, oracles, genesis } = await loadFixture(deployRewardsFixture);
      await endEpoch(genesis, 1n);
      await distributor.connect(oracles[0]).postRoot(0, ZeroHash, 0, ZeroHash, "");
      await distributor.setChallengeWindow(0);
      await distributor.connect(oracles[0]).postRoot(1, ZeroHash, 0, ZeroHash, "");
      expect((await lens.rootOf(1))[2]).to.equal((await lens.rootOf(0))[2]);
    });

    it("validates the split", async function () {
      const { distributor } = await loadFixture(deployRewardsFixture);
      await expect(distributor.setSplit(7_000n, 2_000n, 999n))
        .to.be.revertedWithCustomError(distributor, "EmissionInvalidSplit")
        .withArgs(7_000n, 2_000n, 999n);
    });

    it("sets the treasury, never zero", async function () {
      const { distributor, lens, carol } = await loadFixture(deployRewardsFixture);
      await expect(distributor.setTreasury(carol.address)).to.emit(distributor, "TreasurySet").withArgs(carol.address);
      expect(await lens.treasury()).to.equal(carol.address);
      await expect(distributor.setTreasury(ZeroAddress))
        .to.be.revertedWithCustomError(distributor, "InvalidAddress")
        .withArgs(ZeroAddress);
    });
  });

  describe("sweep", function () {
    it("sends the unallocated operators' share to the treasury, never what roots owe", async function () {
      const { distributor, lens, token, treasury, total, tree, alice } = await loadFixture(claimableFixture);
      const { cumulativeAmount, proof } = proofFor(tree, alice.address);
      await distributor.claim(alice.address, cumulativeAmount, proof);
      const available = OPERATORS - total;
      expect(await lens.sweepable()).to.equal(available);
      await expect(distributor.sweep(available + 1n))
        .to.be.revertedWithCustomError(distributor, "SweepExceedsUnallocated")
        .withArgs(available + 1n, available);
      const tx = distributor.sweep(available);
      await expect(tx).to.emit(distributor, "Swept").withArgs(treasury.address, available, available);
      await expect(tx).to.changeTokenBalances(token, [distributor, treasury], [-available, available]);
      // What the claimable root still owes stays.
      expect(await token.balanceOf(await distributor.getAddress())).to.equal(total - cumulativeAmount);
      expect(await lens.sweepable()).to.equal(0n);
      expect(await lens.totalSwept()).to.equal(available);
    });

    it("bounds later roots by the emission less what was swept", async function () {
      const { distributor, oracles, total, genesis } = await loadFixture(claimableFixture);
      await distributor.sweep(OPERATORS - total);
      await endEpoch(genesis, 1n);
      await expect(distributor.connect(oracles[0]).postRoot(1, ZeroHash, total + OPERATORS + 1n, ZeroHash, ""))
        .to.be.revertedWithCustomError(distributor, "TotalCumulativeExceedsEmission")
        .withArgs(total + OPERATORS + 1n, total + OPERATORS);
    });

    it("reverts with SweepBlockedByPendingRoot while the newest root is pending", async function () {
      const { distributor, lens, oracles, genesis } = await loadFixture(claimableFixture);
      await endEpoch(genesis, 1n);
      await distributor.connect(oracles[0]).postRoot(1, ZeroHash, parseEther("175"), ZeroHash, "");
      const [, , claimableAt] = await lens.rootOf(1);
      expect(await lens.sweepable()).to.equal(0n);
      await expect(distributor.sweep(1n))
        .to.be.revertedWithCustomError(distributor, "SweepBlockedByPendingRoot")
        .withArgs(1n, claimableAt);
    });
  });

  describe("extsload and the lens", function () {
    // keccak256(abi.encode(uint256(keccak256("depin.storage.RewardsDistributor")) - 1)) & ~bytes32(uint256(0xff))
    const LOCATION = 0xa89330234924110f29070554b256264cc46e9cf51270cda19cf955c96cda2900n;

    it("reads a range of slots as the single reads do, and the lens names its distributor", async function () {
      const { distributor, lens, token } = await loadFixture(claimableFixture);
      const start = ethers.toBeHex(LOCATION, 32);
      const words = await distributor["extsload(bytes32,uint256)"](start, 16n);
      expect(words.length).to.equal(16);
      for (let i = 0; i < words.length; i++) {
        expect(words[i], `slot ${i}`).to.equal(
          await distributor["extsload(bytes32)"](ethers.toBeHex(LOCATION + BigInt(i), 32)),
        );
      }
      // The head: the token in the low 160 bits, then nextEpoch.
      expect(ethers.getAddress(ethers.dataSlice(words[0], 12))).to.equal(await token.getAddress());
      expect(await distributor["extsload(bytes32,uint256)"](start, 0n)).to.deep.equal([]);
      expect(await lens.distributor()).to.equal(await distributor.getAddress());
    });
  });

  describe("upgradeToAndCall", function () {
    it("keeps the state through an upgrade by the UPGRADER", async function () {
      const { distributor, lens, manager, tree, alice, governance, treasury } = await loadFixture(claimableFixture);
      const { cumulativeAmount, proof } = proofFor(tree, alice.address);
      await distributor.claim(alice.address, cumulativeAmount, proof);
      await upgrades.validateUpgrade(
        await ethers.getContractFactory("RewardsDistributor"),
        await ethers.getContractFactory("RewardsMockDistributorV2"),
        { kind: "uups" },
      );
      await manager.grantRole(Roles.UPGRADER, governance.address, 0);
      const v2 = await new RewardsMockDistributorV2__factory(governance).deploy();
      await distributor.connect(governance).upgradeToAndCall(await v2.getAddress(), "0x");
      const upgraded = RewardsMockDistributorV2__factory.connect(await distributor.getAddress(), governance);
      expect(await upgraded.version()).to.equal(2n);
      // The lens reads the proxy's storage, now under V2's code.
      expect(await lens.nextEpoch()).to.equal(1n);
      expect(await lens.claimed(alice.address)).to.equal(cumulativeAmount);
      expect(await lens.treasury()).to.equal(treasury.address);
    });
  });

  shouldBehaveLikePausable(async () => {
    const f = await loadFixture(pausableFixture);
    const { distributor, tree, alice, bob, carol, oracles, guardian, deployer, stranger } = f;
    const { chainId } = await ethers.provider.getNetwork();
    const claimOf = (account: string) => proofFor(tree, account);
    return {
      target: distributor,
      pauser: guardian,
      unpauser: deployer,
      stranger,
      stopped: [
        {
          name: "claim",
          send: () =>
            distributor.claim(alice.address, claimOf(alice.address).cumulativeAmount, claimOf(alice.address).proof),
        },
        {
          name: "claimTo",
          send: async () => {
            const { cumulativeAmount, proof } = claimOf(bob.address);
            const message = {
              account: bob.address,
              recipient: carol.address,
              cumulativeAmount,
              nonce: await distributor.nonces(bob.address),
              deadline: BigInt(await time.latest()) + 3600n,
            };
            const signature = await signClaimTo(bob, await distributor.getAddress(), chainId, message);
            return distributor.claimTo(
              bob.address,
              carol.address,
              cumulativeAmount,
              proof,
              message.deadline,
              signature,
            );
          },
        },
        {
          name: "batchClaim",
          send: () => {
            const { cumulativeAmount, proof } = claimOf(carol.address);
            return distributor.batchClaim([{ account: carol.address, cumulativeAmount, proof }]);
          },
        },
        { name: "distributeEpoch", send: () => distributor.distributeEpoch(2n) },
        {
          name: "postRoot",
          send: () => distributor.connect(oracles[0]).postRoot(2n, f.pending.root, f.total, inputHashOf(2n), ""),
        },
      ],
      unaffected: [
        { name: "veto", send: () => distributor.connect(guardian).veto(1n) },
        { name: "setClaimRecipient", send: () => distributor.connect(alice).setClaimRecipient(bob.address) },
        { name: "setChallengeWindow", send: () => distributor.setChallengeWindow(WINDOW) },
        { name: "setQuorum", send: () => distributor.setQuorum(1n) },
      ],
    };
  });

  shouldBehaveLikeRestricted(async () => {
    const { manager, distributor, stranger, oracles } = await loadFixture(deployRewardsFixture);
    return {
      manager,
      target: distributor,
      table: REWARDS_DISTRIBUTOR_ROLES,
      calls: [
        { signature: "setQuorum(uint256)", args: [1n] },
        { signature: "addOracle(address)", args: [stranger.address] },
        { signature: "removeOracle(address)", args: [oracles[2].address] },
        { signature: "setChallengeWindow(uint256)", args: [0n] },
        { signature: "setSplit(uint256,uint256,uint256)", args: [7_500n, 1_500n, 1_000n] },
        { signature: "setTreasury(address)", args: [stranger.address] },
        { signature: "sweep(uint256)", args: [0n] },
        { signature: "unpause()", args: [] },
        { signature: "veto(uint256)", args: [0n] },
        { signature: "pause()", args: [] },
        { signature: "postRoot(uint256,bytes32,uint256,bytes32,string)", args: [0n, ZeroHash, 0n, ZeroHash, ""] },
        { signature: "upgradeToAndCall(address,bytes)", args: [stranger.address, "0x"] },
      ],
      publicFunctions: [
        "initialize((address,address,address,address,uint256,uint256,uint256,uint256,uint256,address[]))",
        "distributeEpoch(uint256)",
        "claim(address,uint256,bytes32[])",
        "claimTo(address,address,uint256,bytes32[],uint256,bytes)",
        "setClaimRecipient(address)",
        "batchClaim((address,uint256,bytes32[])[])",
      ],
      stranger,
    };
  });
});
