import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import type { Result } from "ethers";
import { ethers, upgrades } from "hardhat";

import { RegistryMockDeviceRegistryV2__factory } from "../../typechain-types";
import {
  deployDeviceRegistryLibraries,
  deviceRegistryFactory,
  deviceRegistryLinks,
} from "../../scripts/lib/deploy/registry";
import { deviceKey, requestFor, withDevicesFixture } from "../fixtures/registry";

async function deployV2(ctx: Awaited<ReturnType<typeof withDevicesFixture>>) {
  const libraries = await deployDeviceRegistryLibraries(ctx.deployer);
  const v2 = await new RegistryMockDeviceRegistryV2__factory(deviceRegistryLinks(libraries), ctx.deployer).deploy();
  return { libraries, v2 };
}

/** Everything the views say, for the fixture's makers, classes, devices and owners. */
async function readState(ctx: Awaited<ReturnType<typeof withDevicesFixture>>) {
  const { registry } = ctx;
  const plain = (value: object) => ({ ...(value as Result).toObject() });
  return {
    name: await registry.name(),
    symbol: await registry.symbol(),
    credits: await registry.credits(),
    paused: await registry.paused(),
    authority: await registry.authority(),
    tokenURI: await registry.tokenURI(ctx.tokenIds[0]),
    maker: plain(await registry.maker(ctx.makerId)),
    classes: await Promise.all([0n, 1n, 2n].map(async (c) => plain(await registry.deviceClass(c)))),
    devices: await Promise.all(ctx.tokenIds.map(async (t) => plain(await registry.deviceInfo(t)))),
    nonces: await Promise.all(ctx.keys.map((k) => registry.onboardingNonce(k.address))),
    held: await Promise.all([ctx.alice, ctx.bob].map((w) => registry.devicesOf(w.address))),
    approvedForAll: await registry.isApprovedForAll(ctx.alice.address, ctx.carol.address),
  };
}

describe("DeviceRegistry", function () {
  describe("upgradeToAndCall", function () {
    it("keeps every state across an upgrade by the UPGRADER, and the new version works", async function () {
      const ctx = await loadFixture(withDevicesFixture);
      const { registry, upgrader, alice, carol, oracle } = ctx;
      await registry.connect(alice).setApprovalForAll(carol.address, true);
      await registry.connect(alice).setRewardsRecipient(ctx.tokenIds[1], carol.address);
      await registry.connect(oracle).suspend(ctx.tokenIds[2], 3n);
      const before = await readState(ctx);

      const { v2 } = await deployV2(ctx);
      await expect(registry.connect(upgrader).upgradeToAndCall(await v2.getAddress(), "0x"))
        .to.emit(registry, "Upgraded")
        .withArgs(await v2.getAddress());

      expect(await readState(ctx)).to.deep.equal(before);
      const upgraded = RegistryMockDeviceRegistryV2__factory.connect(await registry.getAddress(), alice);
      expect(await upgraded.version()).to.equal(2n);
      await expect(registry.connect(alice).onboard(await requestFor(ctx, deviceKey(9), alice.address))).to.emit(
        registry,
        "DeviceOnboarded",
      );
      expect(await registry.devicesOf(alice.address)).to.equal(3n);
    });

    it("reverts with AccessManagedUnauthorized for governance without the UPGRADER role", async function () {
      const ctx = await loadFixture(withDevicesFixture);
      const { v2 } = await deployV2(ctx);
      await expect(ctx.registry.upgradeToAndCall(await v2.getAddress(), "0x"))
        .to.be.revertedWithCustomError(ctx.registry, "AccessManagedUnauthorized")
        .withArgs(ctx.deployer.address);
    });

    it("passes the upgrades plugin's implementation and storage-layout validation", async function () {
      const ctx = await loadFixture(withDevicesFixture);
      const { libraries } = await deployV2(ctx);
      const v1Factory = deviceRegistryFactory(libraries, ctx.deployer);
      const v2Factory = new RegistryMockDeviceRegistryV2__factory(deviceRegistryLinks(libraries), ctx.deployer);
      // The onboarding and suspension libraries are stateless and immutable (no selfdestruct): linking them is safe.
      const opts = { kind: "uups" as const, unsafeAllowLinkedLibraries: true };
      await upgrades.validateImplementation(v1Factory, opts);
      await upgrades.validateUpgrade(v1Factory, v2Factory, opts);
      await upgrades.validateUpgrade(await ctx.registry.getAddress(), v2Factory, opts).catch((error: Error) => {
        // A proxy deployed without the plugin is not in its manifest: only the factory comparison applies.
        expect(error.message).to.match(/not registered|manifest|forceImport/i);
      });
      expect(await ethers.provider.getCode(await ctx.registry.getAddress())).to.not.equal("0x");
    });
  });
});
