import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";

import { grantRoles } from "../../scripts/lib/deploy";
import { DeviceStatus, tokenIdOf } from "../../scripts/lib/registry";
import { fuzzRuns, fuzzSeed } from "../helpers/fuzz";
import { deviceKey, requestFor, withMakerFixture } from "../fixtures/registry";

const BUDGET = 3n;
const WINDOW = 1_000n;
const FLEET = 8;

/**
 * Eight devices of alice's, a second oracle (`oracle2`) next to the fixture's, and a budget of 3 suspensions per
 * oracle per 1,000 s set by governance.
 */
async function withFleetFixture() {
  const ctx = await withMakerFixture();
  const keys = Array.from({ length: FLEET }, (_, i) => deviceKey(20 + i));
  const requests = [];
  for (const key of keys) requests.push(await requestFor(ctx, key, ctx.alice.address));
  await ctx.registry.connect(ctx.alice).batchOnboard(requests);
  const oracle2 = (await ethers.getSigners())[13];
  await grantRoles(ctx.manager, [{ role: "ORACLE", account: oracle2.address }]);
  await ctx.registry.setSuspensionBudget(BUDGET, WINDOW);
  return { ...ctx, oracle2, tokenIds: keys.map((key) => tokenIdOf(key.address)) };
}

type Fleet = Awaited<ReturnType<typeof withFleetFixture>>;

/** The next block's timestamp, set explicitly: `at` seconds after the latest block. */
async function nextBlockIn(at: bigint): Promise<bigint> {
  const next = BigInt(await time.latest()) + at;
  await time.setNextBlockTimestamp(next);
  return next;
}

async function statusOf(ctx: Fleet, tokenId: bigint): Promise<bigint> {
  return (await ctx.registry.deviceInfo(tokenId)).status;
}

describe("DeviceRegistry", function () {
  describe("suspension budget", function () {
    it("is set by governance with SuspensionBudgetSet, and refuses a zero window", async function () {
      const { registry, oracle } = await loadFixture(withFleetFixture);
      await expect(registry.setSuspensionBudget(5n, 3_600n))
        .to.emit(registry, "SuspensionBudgetSet")
        .withArgs(5n, 3_600n);
      const budget = await registry.suspensionBudget();
      expect([budget.perWindow, budget.windowSeconds]).to.deep.equal([5n, 3_600n]);
      await expect(registry.setSuspensionBudget(5n, 0n))
        .to.be.revertedWithCustomError(registry, "InvalidSuspensionWindow")
        .withArgs(0n);
      await expect(registry.connect(oracle).setSuspensionBudget(1_000n, 1n))
        .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
        .withArgs(oracle.address);
    });

    it("refuses one oracle over its budget, while another oracle and the guardian still suspend", async function () {
      const ctx = await loadFixture(withFleetFixture);
      const { registry, oracle, oracle2, guardian, tokenIds } = ctx;
      const start = await nextBlockIn(10n);
      for (const tokenId of tokenIds.slice(0, 3)) {
        await expect(registry.connect(oracle).suspend(tokenId, 1n))
          .to.emit(registry, "DeviceSuspended")
          .withArgs(tokenId, 1n, oracle.address);
      }
      await expect(registry.connect(oracle).suspend(tokenIds[3], 1n))
        .to.be.revertedWithCustomError(registry, "SuspensionBudgetExceeded")
        .withArgs(oracle.address, BUDGET, WINDOW, start + WINDOW);
      expect(await statusOf(ctx, tokenIds[3])).to.equal(BigInt(DeviceStatus.Active));
      const used = await registry.oracleSuspensions(oracle.address);
      expect([used.windowStart, used.count]).to.deep.equal([start, BUDGET]);

      // The budget is each oracle's own; the guardian has none.
      await expect(registry.connect(oracle2).suspend(tokenIds[3], 2n))
        .to.emit(registry, "DeviceSuspended")
        .withArgs(tokenIds[3], 2n, oracle2.address);
      for (const tokenId of tokenIds.slice(4)) await registry.connect(guardian).guardianSuspend(tokenId, 9n);
      for (const tokenId of tokenIds) expect(await statusOf(ctx, tokenId)).to.equal(BigInt(DeviceStatus.Suspended));
      expect((await registry.oracleSuspensions(guardian.address)).count).to.equal(0n);
    });

    it("gives an oracle its whole budget back once its window is over, not a second before", async function () {
      const ctx = await loadFixture(withFleetFixture);
      const { registry, oracle, tokenIds } = ctx;
      const start = await nextBlockIn(10n);
      for (const tokenId of tokenIds.slice(0, 3)) await registry.connect(oracle).suspend(tokenId, 1n);

      await time.setNextBlockTimestamp(start + WINDOW - 1n);
      await expect(registry.connect(oracle).suspend(tokenIds[3], 1n))
        .to.be.revertedWithCustomError(registry, "SuspensionBudgetExceeded")
        .withArgs(oracle.address, BUDGET, WINDOW, start + WINDOW);

      await time.setNextBlockTimestamp(start + WINDOW);
      for (const tokenId of tokenIds.slice(3, 6)) {
        await expect(registry.connect(oracle).suspend(tokenId, 1n)).to.emit(registry, "DeviceSuspended");
      }
      const used = await registry.oracleSuspensions(oracle.address);
      expect([used.windowStart, used.count]).to.deep.equal([start + WINDOW, BUDGET]);
      await expect(registry.connect(oracle).suspend(tokenIds[6], 1n))
        .to.be.revertedWithCustomError(registry, "SuspensionBudgetExceeded")
        .withArgs(oracle.address, BUDGET, WINDOW, start + 2n * WINDOW);
    });

    it("counts suspensions made, so a failed one uses nothing and a reinstatement gives nothing back", async function () {
      const ctx = await loadFixture(withFleetFixture);
      const { registry, oracle, tokenIds } = ctx;
      await registry.connect(oracle).suspend(tokenIds[0], 1n);
      await expect(registry.connect(oracle).suspend(tokenIds[0], 1n))
        .to.be.revertedWithCustomError(registry, "InvalidDeviceStatus")
        .withArgs(tokenIds[0], DeviceStatus.Suspended);
      await expect(registry.connect(oracle).suspend(5n, 1n))
        .to.be.revertedWithCustomError(registry, "UnknownDevice")
        .withArgs(5n);
      // An id past 160 bits names no device key, even one whose low 160 bits do.
      const aliased = tokenIds[1] + 2n ** 160n;
      await expect(registry.connect(oracle).suspend(aliased, 1n))
        .to.be.revertedWithCustomError(registry, "UnknownDevice")
        .withArgs(aliased);
      await expect(registry.reinstate(aliased))
        .to.be.revertedWithCustomError(registry, "UnknownDevice")
        .withArgs(aliased);
      await expect(registry.deviceInfo(aliased))
        .to.be.revertedWithCustomError(registry, "UnknownDevice")
        .withArgs(aliased);
      expect((await registry.oracleSuspensions(oracle.address)).count).to.equal(1n);

      await registry.reinstate(tokenIds[0]);
      await registry.connect(oracle).suspend(tokenIds[0], 1n);
      await registry.connect(oracle).suspend(tokenIds[1], 1n);
      expect((await registry.oracleSuspensions(oracle.address)).count).to.equal(3n);
      await expect(registry.connect(oracle).suspend(tokenIds[2], 1n)).to.be.revertedWithCustomError(
        registry,
        "SuspensionBudgetExceeded",
      );
    });

    it("closes the oracle path with a budget of 0 and leaves the guardian's open", async function () {
      const ctx = await loadFixture(withFleetFixture);
      const { registry, oracle, guardian, tokenIds } = ctx;
      await registry.setSuspensionBudget(0n, WINDOW);
      const now = await nextBlockIn(10n);
      await expect(registry.connect(oracle).suspend(tokenIds[0], 1n))
        .to.be.revertedWithCustomError(registry, "SuspensionBudgetExceeded")
        .withArgs(oracle.address, 0n, WINDOW, now + WINDOW);
      await expect(registry.connect(guardian).guardianSuspend(tokenIds[0], 1n))
        .to.emit(registry, "DeviceSuspended")
        .withArgs(tokenIds[0], 1n, guardian.address);
    });

    it("never lets the oracle path exceed the budget within an oracle's window (property)", async function () {
      const step = fc.record({
        actor: fc.constantFrom("oracle", "oracle2", "guardian") as fc.Arbitrary<"oracle" | "oracle2" | "guardian">,
        wait: fc.integer({ min: 1, max: 120 }),
      });
      const scenario = fc.record({
        budget: fc.integer({ min: 1, max: 4 }),
        window: fc.integer({ min: 2, max: 200 }),
        steps: fc.array(step, { minLength: 1, maxLength: 16 }),
      });
      let refusals = 0;
      await fc.assert(
        fc.asyncProperty(scenario, async ({ budget, window, steps }) => {
          const ctx = await loadFixture(withFleetFixture);
          const { registry } = ctx;
          const [perWindow, windowSeconds] = [BigInt(budget), BigInt(window)];
          await registry.setSuspensionBudget(perWindow, windowSeconds);
          // The model: each oracle's window start and count, and the times of its suspensions that went through.
          const model = new Map<string, { start: bigint; count: bigint; made: bigint[] }>();
          for (const [i, { actor, wait }] of steps.entries()) {
            const signer = ctx[actor];
            const tokenId = ctx.tokenIds[i % FLEET];
            const at = await nextBlockIn(BigInt(wait));
            if (actor === "guardian") {
              await expect(registry.connect(signer).guardianSuspend(tokenId, 1n)).to.emit(registry, "DeviceSuspended");
            } else {
              const m = model.get(signer.address) ?? { start: 0n, count: 0n, made: [] };
              if (at >= m.start + windowSeconds) Object.assign(m, { start: at, count: 0n });
              model.set(signer.address, m);
              if (m.count >= perWindow) {
                await expect(registry.connect(signer).suspend(tokenId, 1n))
                  .to.be.revertedWithCustomError(registry, "SuspensionBudgetExceeded")
                  .withArgs(signer.address, perWindow, windowSeconds, m.start + windowSeconds);
                refusals += 1;
                continue;
              }
              await expect(registry.connect(signer).suspend(tokenId, 1n)).to.emit(registry, "DeviceSuspended");
              m.count += 1n;
              m.made.push(at);
            }
            // Governance puts the device back, which gives no budget back.
            await registry.reinstate(tokenId);
          }
          for (const [oracle, m] of model) {
            const used = await registry.oracleSuspensions(oracle);
            expect([used.windowStart, used.count]).to.deep.equal([m.start, m.count]);
            // From the suspension times alone: a window opens at the first suspension after the last one closed,
            // and none holds more than the budget; so no span of `window` seconds holds more than twice of it.
            let opened = -windowSeconds;
            let inWindow = 0n;
            for (const t of m.made) {
              if (t >= opened + windowSeconds) [opened, inWindow] = [t, 0n];
              inWindow += 1n;
              expect(inWindow, `${oracle} at ${t}`).to.be.at.most(perWindow);
              const span = m.made.filter((u) => u > t - windowSeconds && u <= t).length;
              expect(BigInt(span)).to.be.at.most(2n * perWindow);
            }
          }
        }),
        // The same 50 under coverage: a smaller sample never reaches the budget (measured with 10).
        { seed: fuzzSeed(20261121), numRuns: fuzzRuns(50) },
      );
      expect(refusals, "the sample reaches the budget").to.be.greaterThan(0);
    });
  });

  describe("liftSuspensions", function () {
    it("lifts an oracle's suspensions in one call, skips what it did not suspend, and gives it no budget back", async function () {
      const ctx = await loadFixture(withFleetFixture);
      const { registry, oracle, oracle2, guardian, tokenIds } = ctx;
      const [a, b, c, byGuardian, byOracle2, active] = tokenIds;
      for (const tokenId of [a, b, c]) await registry.connect(oracle).suspend(tokenId, 1n);
      // Governance reinstated c and another oracle suspended it again: that suspension is not the first oracle's.
      await registry.reinstate(c);
      await registry.connect(oracle2).suspend(c, 2n);
      await registry.connect(guardian).guardianSuspend(byGuardian, 3n);
      await registry.connect(oracle2).suspend(byOracle2, 2n);

      const list = [a, b, c, byGuardian, byOracle2, active, 5n, a + 2n ** 160n];
      expect(await registry.connect(guardian).liftSuspensions.staticCall(oracle.address, list)).to.equal(2n);
      const tx = registry.connect(guardian).liftSuspensions(oracle.address, list);
      await expect(tx).to.emit(registry, "SuspensionsLifted").withArgs(oracle.address, 2n);
      for (const tokenId of [a, b]) {
        await expect(tx).to.emit(registry, "DeviceReinstated").withArgs(tokenId);
        await expect(tx).to.emit(registry, "MetadataUpdate").withArgs(tokenId);
      }
      const receipt = await (await tx).wait();
      const reinstated = receipt!.logs
        .map((log) => registry.interface.parseLog(log))
        .filter((parsed) => parsed?.name === "DeviceReinstated")
        .map((parsed) => parsed!.args.tokenId as bigint);
      expect(reinstated).to.deep.equal([a, b]);

      const view = async (tokenId: bigint) => {
        const info = await registry.deviceInfo(tokenId);
        return [info.status, info.suspendedBy];
      };
      expect(await view(a)).to.deep.equal([BigInt(DeviceStatus.Active), oracle.address]);
      expect(await view(b)).to.deep.equal([BigInt(DeviceStatus.Active), oracle.address]);
      expect(await view(c)).to.deep.equal([BigInt(DeviceStatus.Suspended), oracle2.address]);
      expect(await view(byGuardian)).to.deep.equal([BigInt(DeviceStatus.Suspended), guardian.address]);
      expect(await view(byOracle2)).to.deep.equal([BigInt(DeviceStatus.Suspended), oracle2.address]);
      expect(await statusOf(ctx, active)).to.equal(BigInt(DeviceStatus.Active));

      // The lifted oracle's budget stays spent; the same list again lifts nothing.
      await expect(registry.connect(oracle).suspend(active, 1n)).to.be.revertedWithCustomError(
        registry,
        "SuspensionBudgetExceeded",
      );
      await expect(registry.connect(guardian).liftSuspensions(oracle.address, list))
        .to.emit(registry, "SuspensionsLifted")
        .withArgs(oracle.address, 0n)
        .and.not.to.emit(registry, "DeviceReinstated");
    });

    it("lifts the guardian's own suspensions when it names itself", async function () {
      const ctx = await loadFixture(withFleetFixture);
      const { registry, guardian, tokenIds } = ctx;
      await registry.connect(guardian).guardianSuspend(tokenIds[0], 3n);
      await expect(registry.connect(guardian).liftSuspensions(guardian.address, [tokenIds[0]]))
        .to.emit(registry, "DeviceReinstated")
        .withArgs(tokenIds[0]);
      expect(await statusOf(ctx, tokenIds[0])).to.equal(BigInt(DeviceStatus.Active));
    });

    it("reverts with EmptyBatch for no device, and AccessManagedUnauthorized for anyone but the guardian", async function () {
      const { registry, oracle, guardian, deployer, tokenIds } = await loadFixture(withFleetFixture);
      await registry.connect(oracle).suspend(tokenIds[0], 1n);
      await expect(registry.connect(guardian).liftSuspensions(oracle.address, [])).to.be.revertedWithCustomError(
        registry,
        "EmptyBatch",
      );
      for (const caller of [oracle, deployer]) {
        await expect(registry.connect(caller).liftSuspensions(oracle.address, [tokenIds[0]]))
          .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
    });
  });
});
