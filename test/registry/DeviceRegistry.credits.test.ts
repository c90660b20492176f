import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { id } from "ethers";

import { RegistryMockRestrictedDataCredits__factory } from "../../typechain-types";
import { restrictFunctions } from "../../scripts/lib/deploy";
import { Roles } from "../../scripts/lib/roles";
import { CELL, ONBOARD_FEES, STARTING_CREDITS, deviceKey, requestFor, withDevicesFixture } from "../fixtures/registry";

/** The fixture with its credits swapped for a DataCredits stand-in whose `burnFee` is restricted to FEE_BURNER. */
async function withRestrictedCreditsFixture() {
  const ctx = await withDevicesFixture();
  const credits = await new RegistryMockRestrictedDataCredits__factory(ctx.deployer).deploy(
    await ctx.manager.getAddress(),
  );
  await restrictFunctions(ctx.manager, await credits.getAddress(), {
    FEE_BURNER: ["burnFee(address,uint256,bytes32)"],
  });
  for (const who of [ctx.alice, ctx.bob]) await credits.credit(who.address, STARTING_CREDITS);
  await ctx.registry.setCredits(await credits.getAddress());
  return { ...ctx, credits };
}

describe("DeviceRegistry", function () {
  describe("fees through a restricted DataCredits", function () {
    it("burns through the FEE_BURNER role the deploy library granted, which nobody else holds", async function () {
      const ctx = await loadFixture(withRestrictedCreditsFixture);
      const { registry, credits, alice, stranger, tokenIds } = ctx;
      await expect(registry.connect(alice).onboard(await requestFor(ctx, deviceKey(9), alice.address)))
        .to.emit(credits, "FeeBurned")
        .withArgs(alice.address, ONBOARD_FEES[0], id("ONBOARD"));
      await expect(registry.connect(alice).assertLocation(tokenIds[0], CELL)).to.emit(credits, "FeeBurned");
      await expect(credits.connect(stranger).burnFee(alice.address, 1n, id("ONBOARD")))
        .to.be.revertedWithCustomError(credits, "AccessManagedUnauthorized")
        .withArgs(stranger.address);
    });

    it("stops onboarding and assertions when the registry loses FEE_BURNER", async function () {
      const ctx = await loadFixture(withRestrictedCreditsFixture);
      const address = await ctx.registry.getAddress();
      await ctx.manager.revokeRole(Roles.FEE_BURNER, address);
      await expect(ctx.registry.connect(ctx.alice).onboard(await requestFor(ctx, deviceKey(9), ctx.alice.address)))
        .to.be.revertedWithCustomError(ctx.credits, "AccessManagedUnauthorized")
        .withArgs(address);
      await expect(ctx.registry.connect(ctx.alice).assertLocation(ctx.tokenIds[0], CELL))
        .to.be.revertedWithCustomError(ctx.credits, "AccessManagedUnauthorized")
        .withArgs(address);
    });
  });
});
