import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { Signature, TypedDataEncoder, ZeroAddress, parseEther, recoverAddress, type Signer } from "ethers";
import { ethers } from "hardhat";

import { PermitDepositor__factory, RewardToken__factory, type RewardToken } from "../../typechain-types";
import { PERMIT_TYPES } from "../../scripts/lib/credits";
import { REWARD_TOKEN_ROLES, defaultTokenParams, deployRewardToken, totalEmission } from "../../scripts/lib/deploy";
import { shouldBehaveLikeRestricted } from "../behaviors/restricted.behavior";
import { GENESIS_ALLOCATION, deployCoreFixture } from "../fixtures/core";

const EPOCH = 86_400;
const EMISSION = parseEther("250000");

async function permitDomain(token: RewardToken) {
  const { chainId } = await ethers.provider.getNetwork();
  return { name: await token.name(), version: "1", chainId, verifyingContract: await token.getAddress() };
}

/** The address the token recovers from `sig` over a permit with the given fields. */
async function recoverPermitSigner(
  token: RewardToken,
  sig: Signature,
  fields: { owner: string; spender: string; value: bigint; nonce: bigint; deadline: bigint },
) {
  return recoverAddress(TypedDataEncoder.hash(await permitDomain(token), PERMIT_TYPES, fields), sig);
}

/** Signs a permit; `owner` defaults to the signer, and a different one makes a forged permit. */
async function signPermit(
  token: RewardToken,
  signer: Signer,
  spender: string,
  value: bigint,
  deadline: bigint,
  owner?: string,
) {
  const ownerAddress = owner ?? (await signer.getAddress());
  const signature = await signer.signTypedData(await permitDomain(token), PERMIT_TYPES, {
    owner: ownerAddress,
    spender,
    value,
    nonce: await token.nonces(ownerAddress),
    deadline,
  });
  return Signature.from(signature);
}

async function signDelegation(token: RewardToken, signer: Signer, delegatee: string, nonce: bigint, expiry: bigint) {
  const { chainId } = await ethers.provider.getNetwork();
  const signature = await signer.signTypedData(
    { name: await token.name(), version: "1", chainId, verifyingContract: await token.getAddress() },
    {
      Delegation: [
        { name: "delegatee", type: "address" },
        { name: "nonce", type: "uint256" },
        { name: "expiry", type: "uint256" },
      ],
    },
    { delegatee, nonce, expiry },
  );
  return Signature.from(signature);
}

describe("RewardToken", function () {
  describe("deployment", function () {
    it("holds the immutable configuration and mints the genesis allocation to the treasury", async function () {
      const { token, treasury, genesis } = await loadFixture(deployCoreFixture);
      expect(await token.name()).to.equal("DePIN Network Token");
      expect(await token.symbol()).to.equal("DPN");
      expect(await token.decimals()).to.equal(18n);
      expect(await token.cap()).to.equal(parseEther("1000000000"));
      expect(await token.genesis()).to.equal(genesis);
      expect(await token.epochLength()).to.equal(BigInt(EPOCH));
      expect(await token.initialEpochEmission()).to.equal(EMISSION);
      expect(await token.halvingInterval()).to.equal(730n);
      expect(await token.genesisAllocation()).to.equal(GENESIS_ALLOCATION);
      expect(await token.balanceOf(treasury.address)).to.equal(GENESIS_ALLOCATION);
      expect(await token.totalSupply()).to.equal(GENESIS_ALLOCATION);
      expect(await token.emissionMinted()).to.equal(0n);
    });

    it("implements ERC-5267 eip712Domain", async function () {
      const { token } = await loadFixture(deployCoreFixture);
      const domain = await token.eip712Domain();
      const { chainId } = await ethers.provider.getNetwork();
      expect(domain.fields).to.equal("0x0f");
      expect(domain.name).to.equal("DePIN Network Token");
      expect(domain.version).to.equal("1");
      expect(domain.chainId).to.equal(chainId);
      expect(domain.verifyingContract).to.equal(await token.getAddress());
    });

    describe("reverts on a bad configuration", function () {
      async function deployWith(overrides: Partial<ReturnType<typeof defaultTokenParams>>) {
        const { manager, deployer, treasury } = await loadFixture(deployCoreFixture);
        const params = { ...defaultTokenParams(BigInt(await time.latest()), treasury.address), ...overrides };
        return {
          factory: new RewardToken__factory(deployer),
          deploy: () => deployRewardToken(deployer, manager, params),
        };
      }

      it("reverts with InvalidCap for a zero cap or one beyond 128 bits", async function () {
        const zero = await deployWith({ cap: 0n });
        await expect(zero.deploy()).to.be.revertedWithCustomError(zero.factory, "InvalidCap").withArgs(0n);
        const huge = await deployWith({ cap: 2n ** 128n });
        await expect(huge.deploy())
          .to.be.revertedWithCustomError(huge.factory, "InvalidCap")
          .withArgs(2n ** 128n);
      });

      it("reverts with InvalidEpochClock for a zero epoch length", async function () {
        const genesis = BigInt(await time.latest());
        const { factory, deploy } = await deployWith({ genesis, epochLength: 0n });
        await expect(deploy()).to.be.revertedWithCustomError(factory, "InvalidEpochClock").withArgs(genesis, 0n);
      });

      it("reverts with InvalidEpochClock for a genesis of 2^32 or later and a length of 2^24 or more", async function () {
        const wide = await deployWith({ genesis: 2n ** 32n, epochLength: BigInt(EPOCH) });
        await expect(wide.deploy())
          .to.be.revertedWithCustomError(wide.factory, "InvalidEpochClock")
          .withArgs(2n ** 32n, BigInt(EPOCH));
        const genesis = BigInt(await time.latest());
        const long = await deployWith({ genesis, epochLength: 2n ** 24n });
        await expect(long.deploy())
          .to.be.revertedWithCustomError(long.factory, "InvalidEpochClock")
          .withArgs(genesis, 2n ** 24n);
      });

      it("accepts the widest clock: genesis 2^32 - 1 and a length of 2^24 - 1, read back as uint256", async function () {
        const { deploy } = await deployWith({ genesis: 2n ** 32n - 1n, epochLength: 2n ** 24n - 1n });
        const token = await deploy();
        expect(await token.genesis()).to.equal(2n ** 32n - 1n);
        expect(await token.epochLength()).to.equal(2n ** 24n - 1n);
        expect(await token.endedEpochs()).to.equal(0n);
        await expect(token.currentEpoch())
          .to.be.revertedWithCustomError(token, "GenesisNotReached")
          .withArgs(2n ** 32n - 1n, BigInt(await time.latest()));
      });

      it("reverts with InvalidHalvingInterval for a zero halving interval", async function () {
        const { factory, deploy } = await deployWith({ halvingInterval: 0n });
        await expect(deploy()).to.be.revertedWithCustomError(factory, "InvalidHalvingInterval").withArgs(0n);
      });

      it("reverts with InvalidInitialEmission for a zero emission or one above the cap", async function () {
        const zero = await deployWith({ initialEpochEmission: 0n });
        await expect(zero.deploy())
          .to.be.revertedWithCustomError(zero.factory, "InvalidInitialEmission")
          .withArgs(0n, parseEther("1000000000"));
        const above = await deployWith({ cap: 10n, initialEpochEmission: 11n });
        await expect(above.deploy())
          .to.be.revertedWithCustomError(above.factory, "InvalidInitialEmission")
          .withArgs(11n, 10n);
      });

      it("reverts with ERC20ExceededCap when the genesis allocation exceeds the cap", async function () {
        const { factory, deploy } = await deployWith({ cap: 100n, initialEpochEmission: 1n, genesisAllocation: 101n });
        await expect(deploy()).to.be.revertedWithCustomError(factory, "ERC20ExceededCap").withArgs(101n, 100n);
      });

      it("reverts with EmissionScheduleExceedsCap when the allocation plus the whole schedule exceed the cap", async function () {
        // The default schedule mints 730 × (2 × 250,000 tokens − 30 wei) ≈ 365,000,000 tokens in all.
        const total = totalEmission(EMISSION, 730n);
        expect(total).to.equal(730n * (2n * EMISSION - 30n));
        const overByOne = await deployWith({
          cap: GENESIS_ALLOCATION + total - 1n,
          genesisAllocation: GENESIS_ALLOCATION,
        });
        await expect(overByOne.deploy())
          .to.be.revertedWithCustomError(overByOne.factory, "EmissionScheduleExceedsCap")
          .withArgs(GENESIS_ALLOCATION, total, GENESIS_ALLOCATION + total - 1n);
        // A cap the first epoch already passes: the first distribution (250,000 tokens) would have reverted.
        const small = await deployWith({ cap: parseEther("300000"), genesisAllocation: parseEther("100000") });
        await expect(small.deploy())
          .to.be.revertedWithCustomError(small.factory, "EmissionScheduleExceedsCap")
          .withArgs(parseEther("100000"), total, parseEther("300000"));
      });

      it("reverts with ERC20InvalidReceiver when a genesis allocation has no treasury", async function () {
        const { factory, deploy } = await deployWith({ genesisAllocation: 1n, treasury: ZeroAddress });
        await expect(deploy()).to.be.revertedWithCustomError(factory, "ERC20InvalidReceiver").withArgs(ZeroAddress);
      });
    });
  });

  describe("epochs", function () {
    it("counts the current and the ended epochs from genesis", async function () {
      const { token, genesis } = await loadFixture(deployCoreFixture);
      expect(await token.currentEpoch()).to.equal(0n);
      expect(await token.endedEpochs()).to.equal(0n);
      await time.increaseTo(genesis + BigInt(EPOCH) - 1n);
      expect(await token.currentEpoch()).to.equal(0n);
      await time.increaseTo(genesis + BigInt(EPOCH));
      expect(await token.currentEpoch()).to.equal(1n);
      expect(await token.endedEpochs()).to.equal(1n);
      await time.increaseTo(genesis + 10n * BigInt(EPOCH) + 5n);
      expect(await token.currentEpoch()).to.equal(10n);
      expect(await token.endedEpochs()).to.equal(10n);
    });

    it("reverts with GenesisNotReached before genesis, where no epoch has ended", async function () {
      const [deployer, treasury] = await ethers.getSigners();
      const { manager } = await loadFixture(deployCoreFixture);
      const genesis = BigInt(await time.latest()) + 1000n;
      const token = await deployRewardToken(deployer, manager, defaultTokenParams(genesis, treasury.address));
      const now = BigInt(await time.latest());
      await expect(token.currentEpoch())
        .to.be.revertedWithCustomError(token, "GenesisNotReached")
        .withArgs(genesis, now);
      expect(await token.endedEpochs()).to.equal(0n);
      expect(await token.emissionBudget()).to.equal(0n);
    });

    it("exposes emission(e) and cumulativeEmission(e) with the halving schedule", async function () {
      const { token } = await loadFixture(deployCoreFixture);
      expect(await token.emission(0)).to.equal(EMISSION);
      expect(await token.emission(729)).to.equal(EMISSION);
      expect(await token.emission(730)).to.equal(EMISSION / 2n);
      expect(await token.emission(1460)).to.equal(EMISSION / 4n);
      expect(await token.cumulativeEmission(0)).to.equal(EMISSION);
      expect(await token.cumulativeEmission(729)).to.equal(730n * EMISSION);
      expect(await token.cumulativeEmission(730)).to.equal(730n * EMISSION + EMISSION / 2n);
    });
  });

  describe("mint", function () {
    it("reverts with EmissionBudgetExceeded while no epoch has ended", async function () {
      const { token, minter, alice } = await loadFixture(deployCoreFixture);
      await expect(token.connect(minter).mint(alice.address, 1n))
        .to.be.revertedWithCustomError(token, "EmissionBudgetExceeded")
        .withArgs(1n, 0n);
    });

    it("mints exactly the emission of the ended epochs, and not one wei more", async function () {
      const { token, minter, alice, genesis } = await loadFixture(deployCoreFixture);
      await time.increaseTo(genesis + 2n * BigInt(EPOCH));
      expect(await token.emissionBudget()).to.equal(2n * EMISSION);
      expect(await token.mintable()).to.equal(2n * EMISSION);

      await expect(token.connect(minter).mint(alice.address, 2n * EMISSION))
        .to.emit(token, "EmissionMinted")
        .withArgs(alice.address, 2n * EMISSION, 2n * EMISSION)
        .and.to.emit(token, "Transfer")
        .withArgs(ZeroAddress, alice.address, 2n * EMISSION);
      expect(await token.balanceOf(alice.address)).to.equal(2n * EMISSION);
      expect(await token.emissionMinted()).to.equal(2n * EMISSION);
      expect(await token.mintable()).to.equal(0n);

      await expect(token.connect(minter).mint(alice.address, 1n))
        .to.be.revertedWithCustomError(token, "EmissionBudgetExceeded")
        .withArgs(1n, 0n);
    });

    it("lets a late minter catch up on several ended epochs in one call", async function () {
      const { token, minter, alice, genesis } = await loadFixture(deployCoreFixture);
      await time.increaseTo(genesis + 731n * BigInt(EPOCH));
      const budget = 730n * EMISSION + EMISSION / 2n;
      expect(await token.emissionBudget()).to.equal(budget);
      await expect(token.connect(minter).mint(alice.address, budget + 1n))
        .to.be.revertedWithCustomError(token, "EmissionBudgetExceeded")
        .withArgs(budget + 1n, budget);
      await token.connect(minter).mint(alice.address, budget);
      expect(await token.emissionMinted()).to.equal(budget);
    });

    it("never lets burns make room for extra emission", async function () {
      const { token, minter, alice, genesis } = await loadFixture(deployCoreFixture);
      await time.increaseTo(genesis + BigInt(EPOCH));
      await token.connect(minter).mint(alice.address, EMISSION);
      await token.connect(alice).burn(EMISSION);
      expect(await token.balanceOf(alice.address)).to.equal(0n);
      expect(await token.mintable()).to.equal(0n);
      await expect(token.connect(minter).mint(alice.address, 1n))
        .to.be.revertedWithCustomError(token, "EmissionBudgetExceeded")
        .withArgs(1n, 0n);
    });

    it("deploys with a cap the allocation plus the whole schedule fill exactly, and mints the schedule up to it", async function () {
      const [deployer, treasury, minter, alice] = await ethers.getSigners();
      const { manager } = await loadFixture(deployCoreFixture);
      const genesis = BigInt(await time.latest());
      const total = totalEmission(EMISSION, 730n);
      const token = await deployRewardToken(deployer, manager, {
        ...defaultTokenParams(genesis, treasury.address),
        cap: GENESIS_ALLOCATION + total,
        genesisAllocation: GENESIS_ALLOCATION,
      });
      expect(await token.cap()).to.equal(GENESIS_ALLOCATION + total);
      // The fixture's minter holds MINTER for every target restricted to it.
      await manager.setTargetFunctionRole(await token.getAddress(), [token.interface.getFunction("mint").selector], 3n);
      // 250,000 tokens < 2**78 wei: from 78 halvings on every epoch emits 0, and the budget is the whole schedule.
      const lastEpoch = 78n * 730n;
      expect(await token.emission(lastEpoch - 1n)).to.be.greaterThan(0n);
      expect(await token.emission(lastEpoch)).to.equal(0n);
      expect(await token.cumulativeEmission(lastEpoch)).to.equal(total);
      await time.increaseTo(genesis + (lastEpoch + 1n) * BigInt(EPOCH));
      expect(await token.mintable()).to.equal(total);
      await expect(token.connect(minter).mint(alice.address, total))
        .to.emit(token, "EmissionMinted")
        .withArgs(alice.address, total, total);
      expect(await token.totalSupply()).to.equal(await token.cap());
      expect(await token.mintable()).to.equal(0n);
      await time.increase(1000n * BigInt(EPOCH));
      await expect(token.connect(minter).mint(alice.address, 1n))
        .to.be.revertedWithCustomError(token, "EmissionBudgetExceeded")
        .withArgs(1n, 0n);
    });

    it("passes on the AccessManager's scheduling errors for a MINTER behind a delay, in the token's own ABI", async function () {
      const { token, manager, deployer, alice, genesis } = await loadFixture(deployCoreFixture);
      await manager.connect(deployer).grantRole(3n, alice.address, 600);
      await time.increaseTo(genesis + BigInt(EPOCH));
      const target = await token.getAddress();
      const data = token.interface.encodeFunctionData("mint", [alice.address, 1n]);
      const operationId = await manager.hashOperation(alice.address, target, data);
      const call = () => token.connect(alice).mint(alice.address, 1n);
      await expect(call()).to.be.revertedWithCustomError(token, "AccessManagerNotScheduled").withArgs(operationId);
      await manager.connect(alice).schedule(target, data, 0);
      await expect(call()).to.be.revertedWithCustomError(token, "AccessManagerNotReady").withArgs(operationId);
      await time.increase(600n + (await manager.expiration()));
      await expect(call()).to.be.revertedWithCustomError(token, "AccessManagerExpired").withArgs(operationId);
      expect(await token.emissionMinted()).to.equal(0n);
    });

    it("reverts with AccessManagedUnauthorized for a caller without MINTER, even the admin", async function () {
      const { token, deployer, stranger, genesis } = await loadFixture(deployCoreFixture);
      await time.increaseTo(genesis + BigInt(EPOCH));
      for (const caller of [deployer, stranger]) {
        await expect(token.connect(caller).mint(caller.address, 1n))
          .to.be.revertedWithCustomError(token, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
    });
  });

  describe("burn", function () {
    it("burns the holder's tokens and, with an allowance, another holder's", async function () {
      const { token, treasury, alice } = await loadFixture(deployCoreFixture);
      await token.connect(treasury).burn(parseEther("1"));
      expect(await token.balanceOf(treasury.address)).to.equal(GENESIS_ALLOCATION - parseEther("1"));
      expect(await token.totalSupply()).to.equal(GENESIS_ALLOCATION - parseEther("1"));

      await expect(token.connect(alice).burnFrom(treasury.address, 5n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(alice.address, 0n, 5n);
      await token.connect(treasury).approve(alice.address, 5n);
      await expect(token.connect(alice).burnFrom(treasury.address, 5n))
        .to.emit(token, "Transfer")
        .withArgs(treasury.address, ZeroAddress, 5n);
      expect(await token.allowance(treasury.address, alice.address)).to.equal(0n);
    });
  });

  describe("permit", function () {
    it("sets the allowance from a signature and bumps the nonce", async function () {
      const { token, treasury, alice } = await loadFixture(deployCoreFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signPermit(token, treasury, alice.address, 123n, deadline);
      await expect(token.connect(alice).permit(treasury.address, alice.address, 123n, deadline, sig.v, sig.r, sig.s))
        .to.emit(token, "Approval")
        .withArgs(treasury.address, alice.address, 123n);
      expect(await token.allowance(treasury.address, alice.address)).to.equal(123n);
      expect(await token.nonces(treasury.address)).to.equal(1n);
    });

    it("reverts with ERC2612ExpiredSignature after the deadline", async function () {
      const { token, treasury, alice } = await loadFixture(deployCoreFixture);
      const deadline = BigInt(await time.latest()) - 1n;
      const sig = await signPermit(token, treasury, alice.address, 1n, deadline);
      await expect(token.permit(treasury.address, alice.address, 1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612ExpiredSignature")
        .withArgs(deadline);
    });

    it("reverts with ERC2612InvalidSigner for a signature by another key", async function () {
      const { token, treasury, alice, bob } = await loadFixture(deployCoreFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signPermit(token, bob, alice.address, 1n, deadline, treasury.address);
      await expect(token.permit(treasury.address, alice.address, 1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
        .withArgs(bob.address, treasury.address);
    });

    it("reverts with ERC2612InvalidSigner when a used permit is replayed", async function () {
      const { token, treasury, alice } = await loadFixture(deployCoreFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signPermit(token, treasury, alice.address, 7n, deadline);
      await token.permit(treasury.address, alice.address, 7n, deadline, sig.v, sig.r, sig.s);
      // The digest now embeds nonce 1, so the signature over nonce 0 recovers some other address.
      const fields = { owner: treasury.address, spender: alice.address, value: 7n, nonce: 1n, deadline };
      const recovered = await recoverPermitSigner(token, sig, fields);
      expect(recovered).to.not.equal(treasury.address);
      await expect(token.permit(treasury.address, alice.address, 7n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
        .withArgs(recovered, treasury.address);
      expect(await token.nonces(treasury.address)).to.equal(1n);
    });

    it("survives a front-run permit through the try/catch permit-then-action pattern", async function () {
      const { token, treasury, deployer, stranger } = await loadFixture(deployCoreFixture);
      const depositor = await new PermitDepositor__factory(deployer).deploy(await token.getAddress());
      const spender = await depositor.getAddress();
      const amount = parseEther("10");
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signPermit(token, treasury, spender, amount, deadline);

      // A front-runner copies the permit from the mempool and submits it first.
      await token.connect(stranger).permit(treasury.address, spender, amount, deadline, sig.v, sig.r, sig.s);
      // The direct permit can no longer be used ...
      const fields = { owner: treasury.address, spender, value: amount, nonce: 1n, deadline };
      await expect(token.permit(treasury.address, spender, amount, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
        .withArgs(await recoverPermitSigner(token, sig, fields), treasury.address);
      // ... but the deposit that carries it still goes through.
      const balanceBefore = await token.balanceOf(treasury.address);
      await expect(depositor.connect(treasury).depositWithPermit(amount, deadline, sig.v, sig.r, sig.s))
        .to.emit(depositor, "PermitSkipped")
        .withArgs(treasury.address);
      expect(await token.balanceOf(treasury.address)).to.equal(balanceBefore - amount);
      expect(await token.balanceOf(spender)).to.equal(amount);
      expect(await depositor.deposits(treasury.address)).to.equal(amount);
    });
  });

  describe("votes", function () {
    it("declares a timestamp clock (EIP-6372)", async function () {
      const { token } = await loadFixture(deployCoreFixture);
      expect(await token.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await token.clock()).to.equal(BigInt(await time.latest()));
      await time.increase(100);
      expect(await token.clock()).to.equal(BigInt(await time.latest()));
    });

    it("counts votes only once delegated, and moves them with transfers", async function () {
      const { token, treasury, alice, bob } = await loadFixture(deployCoreFixture);
      expect(await token.getVotes(treasury.address)).to.equal(0n);
      await expect(token.connect(treasury).delegate(treasury.address))
        .to.emit(token, "DelegateChanged")
        .withArgs(treasury.address, ZeroAddress, treasury.address)
        .and.to.emit(token, "DelegateVotesChanged")
        .withArgs(treasury.address, 0n, GENESIS_ALLOCATION);
      expect(await token.getVotes(treasury.address)).to.equal(GENESIS_ALLOCATION);
      expect(await token.delegates(treasury.address)).to.equal(treasury.address);

      await token.connect(alice).delegate(bob.address);
      await token.connect(treasury).transfer(alice.address, parseEther("10"));
      expect(await token.getVotes(treasury.address)).to.equal(GENESIS_ALLOCATION - parseEther("10"));
      expect(await token.getVotes(bob.address)).to.equal(parseEther("10"));
      expect(await token.getVotes(alice.address)).to.equal(0n);
    });

    it("writes checkpoints that getPastVotes and getPastTotalSupply read by timestamp", async function () {
      const { token, treasury, alice } = await loadFixture(deployCoreFixture);
      await token.connect(treasury).delegate(treasury.address);
      const t1 = BigInt(await time.latest());
      await time.increase(10);
      await token.connect(treasury).transfer(alice.address, parseEther("5"));
      const t2 = BigInt(await time.latest());
      await token.connect(treasury).burn(parseEther("1"));
      const t3 = BigInt(await time.latest());
      await mine(1);

      expect(await token.numCheckpoints(treasury.address)).to.equal(3n);
      const first = await token.checkpoints(treasury.address, 0);
      expect(first._key).to.equal(t1);
      expect(first._value).to.equal(GENESIS_ALLOCATION);
      expect(await token.getPastVotes(treasury.address, t1)).to.equal(GENESIS_ALLOCATION);
      expect(await token.getPastVotes(treasury.address, t1 + 5n)).to.equal(GENESIS_ALLOCATION);
      expect(await token.getPastVotes(treasury.address, t2)).to.equal(GENESIS_ALLOCATION - parseEther("5"));
      expect(await token.getPastVotes(treasury.address, t3)).to.equal(GENESIS_ALLOCATION - parseEther("6"));
      expect(await token.getPastTotalSupply(t2)).to.equal(GENESIS_ALLOCATION);
      expect(await token.getPastTotalSupply(t3)).to.equal(GENESIS_ALLOCATION - parseEther("1"));

      const now = BigInt(await time.latest());
      await expect(token.getPastVotes(treasury.address, now))
        .to.be.revertedWithCustomError(token, "ERC5805FutureLookup")
        .withArgs(now, now);
    });

    it("accepts delegateBySig, sharing the account's nonce with permit", async function () {
      const { token, treasury, alice, bob } = await loadFixture(deployCoreFixture);
      const expiry = BigInt(await time.latest()) + 3600n;

      const permit = await signPermit(token, treasury, alice.address, 1n, expiry);
      await token.permit(treasury.address, alice.address, 1n, expiry, permit.v, permit.r, permit.s);

      // Signed with nonce 0, which the permit already used.
      const stale = await signDelegation(token, treasury, bob.address, 0n, expiry);
      await expect(token.delegateBySig(bob.address, 0n, expiry, stale.v, stale.r, stale.s))
        .to.be.revertedWithCustomError(token, "InvalidAccountNonce")
        .withArgs(treasury.address, 1n);

      const fresh = await signDelegation(token, treasury, bob.address, 1n, expiry);
      await expect(token.connect(alice).delegateBySig(bob.address, 1n, expiry, fresh.v, fresh.r, fresh.s))
        .to.emit(token, "DelegateChanged")
        .withArgs(treasury.address, ZeroAddress, bob.address);
      expect(await token.getVotes(bob.address)).to.equal(GENESIS_ALLOCATION);
      expect(await token.nonces(treasury.address)).to.equal(2n);

      const late = BigInt(await time.latest()) - 1n;
      const expired = await signDelegation(token, treasury, alice.address, 2n, late);
      await expect(token.delegateBySig(alice.address, 2n, late, expired.v, expired.r, expired.s))
        .to.be.revertedWithCustomError(token, "VotesExpiredSignature")
        .withArgs(late);
    });
  });

  shouldBehaveLikeRestricted(async () => {
    const { manager, token, stranger } = await loadFixture(deployCoreFixture);
    return {
      manager,
      target: token,
      table: REWARD_TOKEN_ROLES,
      calls: [{ signature: "mint(address,uint256)", args: [stranger.address, 1n] }],
      publicFunctions: [
        "approve(address,uint256)",
        "transfer(address,uint256)",
        "transferFrom(address,address,uint256)",
        "burn(uint256)",
        "burnFrom(address,uint256)",
        "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
        "delegate(address)",
        "delegateBySig(address,uint256,uint256,uint8,bytes32,bytes32)",
      ],
      stranger,
    };
  });
});
