import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { parseEther } from "ethers";

import {
  StakingInputError,
  claim,
  delegate,
  formatStakingInfo,
  parseAddress,
  parseCommissionBps,
  parseTokenAmount,
  registerOperator,
  stake,
  stakingInfo,
  unbond,
  withdraw,
} from "../../scripts/lib/staking";
import { formatDate } from "../../scripts/lib/format";
import { deployStakingFixture } from "../fixtures/staking";

describe("scripts/lib/staking", function () {
  describe("parsers", function () {
    it("parses token amounts, commissions and addresses, and refuses bad input", function () {
      expect(parseTokenAmount("1500")).to.equal(parseEther("1500"));
      expect(parseTokenAmount("0.5")).to.equal(parseEther("0.5"));
      expect(() => parseTokenAmount("abc")).to.throw(StakingInputError, "is not a token amount");
      expect(() => parseTokenAmount("0")).to.throw(StakingInputError, "must be positive");
      expect(parseCommissionBps("1000")).to.equal(1000);
      expect(() => parseCommissionBps("10001")).to.throw(StakingInputError);
      expect(() => parseCommissionBps("1.5")).to.throw(StakingInputError);
      expect(() => parseAddress("0x12", "operator")).to.throw(StakingInputError, "is not an address");
    });
  });

  describe("staking flow", function () {
    it("registers, stakes, delegates, claims, unbonds and withdraws through the library", async function () {
      const f = await loadFixture(deployStakingFixture);
      await registerOperator(f.staking, f.alice, 1_000);
      await stake(f.staking, f.alice, parseEther("3000"));
      await delegate(f.staking, f.bob, f.alice.address, parseEther("1000"));
      await time.increase(86_400);
      await f.token.connect(f.minter).mint(await f.staking.getAddress(), parseEther("40000"));
      await f.staking.connect(f.minter).notifyRewards(0n, parseEther("40000"));

      const info = await stakingInfo(f.staking, f.stakingLens, f.bob.address);
      expect(info.operator).to.equal(f.alice.address);
      expect(info.isOperator).to.equal(false);
      expect(info.stake).to.equal(parseEther("1000"));
      expect(info.claimable).to.equal(parseEther("9000"));
      const operator = await stakingInfo(f.staking, f.stakingLens, f.alice.address);
      expect(operator.operatorPool?.bonded).to.equal(parseEther("4000"));
      // For people: amounts in tokens with separators, basis points, maturities as dates.
      const shown = formatStakingInfo(operator).split("\n");
      expect(shown).to.include("stake              3,000 tokens");
      expect(shown).to.include("commission         1,000 bps");
      expect(shown).to.include("pool bonded        4,000 tokens");
      expect(shown).to.include("pool unbonding     0 tokens");

      expect(await claim(f.staking, f.bob)).to.equal(parseEther("9000"));
      await unbond(f.staking, f.bob, parseEther("1000"));
      const unbonding = await stakingInfo(f.staking, f.stakingLens, f.bob.address);
      expect(formatStakingInfo(unbonding).split("\n")).to.include(
        `unbonding          1,000 tokens (matures at ${formatDate(unbonding.unbonding[0].maturity)})`,
      );
      expect(formatDate(unbonding.unbonding[0].maturity)).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(await withdraw(f.staking, f.bob)).to.equal(0n);
      await time.increase(7 * 86_400);
      expect(await withdraw(f.staking, f.bob)).to.equal(parseEther("1000"));
    });

    it("refuses to stake more than the signer holds", async function () {
      const f = await loadFixture(deployStakingFixture);
      await registerOperator(f.staking, f.stranger, 0);
      try {
        await stake(f.staking, f.stranger, parseEther("1"));
        expect.fail("stake should have thrown");
      } catch (error) {
        expect(error).to.be.instanceOf(StakingInputError);
        expect((error as Error).message).to.equal(`${f.stranger.address} holds 0 tokens, less than 1 token`);
      }
    });
  });
});
