import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { ethers } from "hardhat";

import {
  decodeName,
  heldDevices,
  rebuildRegistry,
  recipientOf,
  type RegistrySnapshot,
} from "../../scripts/lib/registry";
import { CELL, DASHCAM, deviceKey, requestFor, withDevicesFixture } from "../fixtures/registry";

type Context = Awaited<ReturnType<typeof withDevicesFixture>>;

/** Compares every fact of the snapshot with the registry's views at `blockTag`. */
async function expectMatchesViews(ctx: Context, snapshot: RegistrySnapshot, blockTag: number | "latest") {
  const { registry } = ctx;
  const at = { blockTag };
  expect(snapshot.credits).to.equal(await registry.credits(at));
  expect(snapshot.paused).to.equal(await registry.paused(at));
  const budget = await registry.suspensionBudget(at);
  expect(snapshot.suspensionBudget).to.deep.equal({ perWindow: budget.perWindow, windowSeconds: budget.windowSeconds });
  expect(BigInt(snapshot.makers.size)).to.equal(await registry.makerCount(at));
  for (const [makerId, maker] of snapshot.makers) {
    const view = await registry.maker(makerId, at);
    expect(maker, `maker ${makerId}`).to.deep.equal({
      name: decodeName(view.name),
      signer: view.signer,
      sponsor: view.sponsor,
      allowedClasses: view.allowedClasses,
      quota: view.quota,
      minted: view.minted,
      enabled: view.enabled,
    });
  }
  expect(BigInt(snapshot.classes.size)).to.equal(await registry.deviceClassCount(at));
  for (const [classId, deviceClass] of snapshot.classes) {
    const view = await registry.deviceClass(classId, at);
    expect(deviceClass, `class ${classId}`).to.deep.equal({
      name: decodeName(view.name),
      multiplierBps: view.multiplierBps,
      onboardingFee: view.onboardingFee,
      locationFee: view.locationFee,
      enabled: view.enabled,
    });
  }
  for (const [tokenId, device] of snapshot.devices) {
    const view = await registry.deviceInfo(tokenId, at);
    expect(
      {
        owner: device.owner,
        rewardsRecipient: device.owner === ZeroAddress ? ZeroAddress : recipientOf(device),
        makerId: device.makerId,
        deviceClass: device.deviceClass,
        status: BigInt(device.status),
        onboardedAt: device.onboardedAt,
        location: device.location,
        assertionCount: device.assertionCount,
        suspensionReason: device.suspensionReason,
        suspendedBy: device.suspendedBy,
      },
      `device ${device.device}`,
    ).to.deep.equal({
      owner: view.owner,
      rewardsRecipient: view.rewardsRecipient,
      makerId: view.makerId,
      deviceClass: view.deviceClass,
      status: view.status,
      onboardedAt: view.onboardedAt,
      location: view.location,
      assertionCount: view.assertionCount,
      suspensionReason: view.suspensionReason,
      suspendedBy: view.suspendedBy,
    });
    expect(snapshot.nonces.get(device.device)).to.equal(await registry.onboardingNonce(device.device, at));
  }
  const held = heldDevices(snapshot);
  for (const who of [ctx.alice, ctx.bob, ctx.carol, ctx.stranger]) {
    expect(held.get(who.address) ?? 0n, who.address).to.equal(await registry.devicesOf(who.address, at));
  }
}

describe("DeviceRegistry", function () {
  describe("event log", function () {
    it("rebuilds the whole registry from logs alone, now and at a past block", async function () {
      const ctx = await loadFixture(withDevicesFixture);
      const { registry, alice, bob, carol, oracle, guardian, makerAdmin, makerId, tokenIds } = ctx;
      const address = await registry.getAddress();
      await registry.connect(alice).setRewardsRecipient(tokenIds[0], carol.address);
      await registry.connect(bob).setRewardsRecipient(tokenIds[2], carol.address);
      await registry.connect(alice).transferFrom(alice.address, bob.address, tokenIds[0]);
      await registry.connect(oracle).suspend(tokenIds[1], 4n);
      const past = await ethers.provider.getBlockNumber();

      await registry.reinstate(tokenIds[1]);
      await registry.setSuspensionBudget(3n, 600n);
      await registry.connect(oracle).suspend(tokenIds[0], 5n);
      await registry.connect(guardian).liftSuspensions(oracle.address, [tokenIds[0]]);
      await registry.connect(guardian).guardianSuspend(tokenIds[2], 9n);
      await registry.connect(bob).decommission(tokenIds[2]);
      await registry.connect(alice).assertLocation(tokenIds[1], CELL);
      await registry.connect(makerAdmin).setDeviceClassEnabled(DASHCAM, false);
      await registry.connect(makerAdmin).setMakerEnabled(makerId, false);
      await registry.connect(makerAdmin).setMakerEnabled(makerId, true);
      await registry.connect(carol).onboard(await requestFor(ctx, deviceKey(5), carol.address));
      await registry.connect(guardian).pause();

      const now = await rebuildRegistry(ethers.provider, address, 0);
      expect(now.devices.size).to.equal(4);
      expect(now.paused).to.equal(true);
      await expectMatchesViews(ctx, now, "latest");

      const then = await rebuildRegistry(ethers.provider, address, 0, past);
      expect(then.devices.size).to.equal(3);
      await expectMatchesViews(ctx, then, past);
    });
  });
});
