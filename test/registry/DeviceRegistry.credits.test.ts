import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { MaxUint256, id } from "ethers";

import { deployGovernedCredits } from "../../scripts/lib/deploy/credits";
import { Roles } from "../../scripts/lib/roles";
import {
  CELL,
  LOCATION_FEES,
  ONBOARD_FEES,
  STARTING_CREDITS,
  deviceKey,
  requestFor,
  withDevicesFixture,
} from "../fixtures/registry";

/**
 * The registry fixture with its fees routed to the real DataCredits, deployed and wired by the deploy
 * library (`burnFee` restricted to FEE_BURNER, which the registry's deploy granted to the registry).
 * The treasury buys alice's and bob's credits with tokens.
 */
async function withRealCreditsFixture() {
  const ctx = await withDevicesFixture();
  const { deployer, manager, token, treasury } = ctx;
  const { credits } = await deployGovernedCredits(deployer, manager, await token.getAddress(), 50_000_000n);
  await token.connect(treasury).approve(await credits.getAddress(), MaxUint256);
  for (const who of [ctx.alice, ctx.bob]) {
    await credits.connect(treasury).mintExactCredits(who.address, STARTING_CREDITS, MaxUint256);
  }
  await ctx.registry.setCredits(await credits.getAddress());
  return { ...ctx, realCredits: credits };
}

describe("DeviceRegistry", function () {
  describe("fees through the real DataCredits", function () {
    it("burns onboarding and location fees through the FEE_BURNER role that only the registry holds", async function () {
      const ctx = await loadFixture(withRealCreditsFixture);
      const { registry, realCredits: credits, alice, stranger, tokenIds } = ctx;
      await expect(registry.connect(alice).onboard(await requestFor(ctx, deviceKey(9), alice.address)))
        .to.emit(credits, "FeeBurned")
        .withArgs(alice.address, ONBOARD_FEES[0], id("ONBOARD"));
      await expect(registry.connect(alice).assertLocation(tokenIds[0], CELL))
        .to.emit(credits, "FeeBurned")
        .withArgs(alice.address, LOCATION_FEES[0], id("ASSERT_LOCATION"));
      expect(await credits.balanceOf(alice.address)).to.equal(STARTING_CREDITS - ONBOARD_FEES[0] - LOCATION_FEES[0]);
      expect(await credits.creditsBurned()).to.equal(ONBOARD_FEES[0] + LOCATION_FEES[0]);
      await expect(credits.connect(stranger).burnFee(alice.address, 1n, id("ONBOARD")))
        .to.be.revertedWithCustomError(credits, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
    });

    it("reverts with InsufficientCredits when the payer cannot cover the fee", async function () {
      const ctx = await loadFixture(withRealCreditsFixture);
      const { registry, realCredits: credits, carol } = ctx;
      await expect(registry.connect(carol).onboard(await requestFor(ctx, deviceKey(9), carol.address)))
        .to.be.revertedWithCustomError(credits, "InsufficientCredits")
        .withArgs(carol.address, 0n, ONBOARD_FEES[0]);
    });

    it("charges an approved operator's assertion to the operator: InsufficientCredits names it when it has none", async function () {
      const ctx = await loadFixture(withRealCreditsFixture);
      const { registry, realCredits: credits, bob, carol, tokenIds } = ctx;
      const owned = await credits.balanceOf(bob.address);
      await registry.connect(bob).approve(carol.address, tokenIds[2]);
      await expect(registry.connect(carol).assertLocation(tokenIds[2], CELL))
        .to.be.revertedWithCustomError(credits, "InsufficientCredits")
        .withArgs(carol.address, 0n, LOCATION_FEES[2]);
      // Funded, the operator pays each assertion itself; the owner's credits never move.
      await credits.connect(ctx.treasury).mintExactCredits(carol.address, 2n * LOCATION_FEES[2], MaxUint256);
      for (let i = 0; i < 2; i++) {
        await expect(registry.connect(carol).assertLocation(tokenIds[2], CELL))
          .to.emit(credits, "FeeBurned")
          .withArgs(carol.address, LOCATION_FEES[2], id("ASSERT_LOCATION"));
      }
      expect(await credits.balanceOf(carol.address)).to.equal(0n);
      expect(await credits.balanceOf(bob.address)).to.equal(owned);
    });

    it("stops onboarding and assertions when the registry loses FEE_BURNER", async function () {
      const ctx = await loadFixture(withRealCreditsFixture);
      const address = await ctx.registry.getAddress();
      await ctx.manager.revokeRole(Roles.FEE_BURNER, address);
      await expect(ctx.registry.connect(ctx.alice).onboard(await requestFor(ctx, deviceKey(9), ctx.alice.address)))
        .to.be.revertedWithCustomError(ctx.realCredits, "AccessManagedUnauthorized")
        .withArgs(address);
      await expect(ctx.registry.connect(ctx.alice).assertLocation(ctx.tokenIds[0], CELL))
        .to.be.revertedWithCustomError(ctx.realCredits, "AccessManagedUnauthorized")
        .withArgs(address);
    });
  });
});
