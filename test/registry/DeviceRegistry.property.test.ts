import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import fc from "fast-check";

import { isValidH3Cell, tokenIdOf } from "../../scripts/lib/registry";
import { deployRegistryFixture, deviceKey, requestFor, withMakerFixture } from "../fixtures/registry";

const DEVICES = 4;
const OWNERS = 3;

type Op =
  | { readonly kind: "onboard"; readonly device: number; readonly owner: number }
  | { readonly kind: "transfer"; readonly device: number; readonly to: number }
  | { readonly kind: "decommission"; readonly device: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("onboard" as const),
    device: fc.nat(DEVICES - 1),
    owner: fc.nat(OWNERS - 1),
  }),
  fc.record({ kind: fc.constant("transfer" as const), device: fc.nat(DEVICES - 1), to: fc.nat(OWNERS - 1) }),
  fc.record({ kind: fc.constant("decommission" as const), device: fc.nat(DEVICES - 1) }),
);

describe("DeviceRegistry", function () {
  describe("invariants", function () {
    it("keeps a token for each onboarded, non-decommissioned device and nothing else", async function () {
      await fc.assert(
        fc.asyncProperty(fc.array(opArbitrary, { minLength: 1, maxLength: 10 }), async (ops) => {
          const ctx = await loadFixture(withMakerFixture);
          const { registry } = ctx;
          const owners = [ctx.alice, ctx.bob, ctx.carol];
          const keys = Array.from({ length: DEVICES }, (_, i) => deviceKey(i));
          // The model: owner index of a live device, "gone" once decommissioned, absent if never onboarded.
          const model = new Map<number, number | "gone">();
          for (const op of ops) {
            const state = model.get(op.device);
            const tokenId = tokenIdOf(keys[op.device].address);
            if (op.kind === "onboard") {
              const owner = owners[op.owner];
              const tx = registry.connect(owner).onboard(await requestFor(ctx, keys[op.device], owner.address));
              if (state === undefined) {
                await expect(tx).to.emit(registry, "DeviceOnboarded");
                model.set(op.device, op.owner);
              } else {
                await expect(tx).to.be.revertedWithCustomError(registry, "DeviceAlreadyOnboarded");
              }
            } else if (op.kind === "transfer") {
              if (typeof state === "number") {
                await registry
                  .connect(owners[state])
                  .transferFrom(owners[state].address, owners[op.to].address, tokenId);
                model.set(op.device, op.to);
              } else {
                await expect(
                  registry.connect(owners[op.to]).transferFrom(owners[op.to].address, owners[0].address, tokenId),
                ).to.be.revertedWithCustomError(registry, "ERC721NonexistentToken");
              }
            } else if (typeof state === "number") {
              await registry.connect(owners[state]).decommission(tokenId);
              model.set(op.device, "gone");
            } else {
              await expect(registry.connect(owners[0]).decommission(tokenId)).to.be.revertedWithCustomError(
                registry,
                "ERC721NonexistentToken",
              );
            }
          }
          for (let i = 0; i < DEVICES; i++) {
            const state = model.get(i);
            const tokenId = tokenIdOf(keys[i].address);
            if (typeof state === "number") {
              expect(await registry.ownerOf(tokenId)).to.equal(owners[state].address);
            } else {
              await expect(registry.ownerOf(tokenId)).to.be.revertedWithCustomError(registry, "ERC721NonexistentToken");
            }
            expect(await registry.onboardingNonce(keys[i].address)).to.equal(state === undefined ? 0n : 1n);
          }
          for (const [index, owner] of owners.entries()) {
            const held = [...model.values()].filter((s) => s === index).length;
            expect(await registry.devicesOf(owner.address)).to.equal(BigInt(held));
          }
        }),
        { seed: 20261121, numRuns: 40 },
      );
    });

    it("agrees with the TypeScript H3 check on well-formed and corrupted cells", async function () {
      const { registry } = await loadFixture(deployRegistryFixture);
      const cellArbitrary = fc
        .record({
          resolution: fc.bigInt(0n, 15n),
          baseCell: fc.bigInt(0n, 127n),
          digits: fc.array(fc.bigInt(0n, 6n), { minLength: 15, maxLength: 15 }),
          flip: fc.option(fc.bigInt(0n, 63n), { nil: undefined }),
        })
        .map(({ resolution, baseCell, digits, flip }) => {
          let cell = (1n << 59n) | (resolution << 52n) | (baseCell << 45n);
          for (let i = 1n; i <= 15n; i++) {
            const digit = i <= resolution ? digits[Number(i) - 1] : 7n;
            cell |= digit << ((15n - i) * 3n);
          }
          return flip === undefined ? cell : cell ^ (1n << flip);
        });
      await fc.assert(
        fc.asyncProperty(cellArbitrary, async (cell) => {
          expect(await registry.isValidH3Cell(cell), cell.toString(16)).to.equal(isValidH3Cell(cell));
        }),
        { seed: 4906, numRuns: 150 },
      );
    });
  });
});
