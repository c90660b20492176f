import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";

import { EmissionLibHarness__factory } from "../../typechain-types";
import { totalEmission } from "../../scripts/lib/deploy/params";
import { Roles } from "../../scripts/lib/roles";

/** Naive references, written from PROTOCOL.md and independent of the contract's closed form. */
function naiveEmission(initial: bigint, interval: bigint, e: bigint): bigint {
  const halvings = e / interval;
  return halvings >= 256n ? 0n : initial >> halvings;
}

/** Sums period by period: every full halving period, then the part of the period of `e`. */
function naiveCumulative(initial: bigint, interval: bigint, e: bigint): bigint {
  const periods = e / interval;
  let total = 0n;
  for (let i = 0n; i < periods; i++) {
    const perEpoch = initial >> i;
    if (perEpoch === 0n) break;
    total += interval * perEpoch;
  }
  return total + ((e % interval) + 1n) * naiveEmission(initial, interval, e);
}

/** For small cases, the plainest reference of all: add every epoch up. */
function epochByEpoch(initial: bigint, interval: bigint, e: bigint): bigint {
  let total = 0n;
  for (let i = 0n; i <= e; i++) total += naiveEmission(initial, interval, i);
  return total;
}

const RUNS = 300;

describe("EmissionLib", function () {
  async function harnessFixture() {
    const [deployer] = await ethers.getSigners();
    return new EmissionLibHarness__factory(deployer).deploy();
  }

  // Initial emissions up to the 128-bit bound, intervals up to the 64-bit bound, and epochs that
  // reach halving boundaries, epoch 0, past 64 and 256 halvings, and beyond 10^6.
  const initial = fc.oneof(
    fc.bigInt({ min: 1n, max: 2n ** 128n - 1n }),
    fc.constantFrom(250_000n * 10n ** 18n, 1n, 3n),
  );
  const interval = fc.oneof(
    fc.bigInt({ min: 1n, max: 64n }),
    fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
    fc.constant(730n),
  );
  const epochFor = (h: bigint) =>
    fc.oneof(
      fc.constant(0n),
      fc.bigInt({ min: 0n, max: 10n ** 7n }),
      fc.bigInt({ min: 1n, max: 300n }).map((k) => k * h - 1n),
      fc.bigInt({ min: 1n, max: 300n }).map((k) => k * h),
      fc.bigInt({ min: 0n, max: 2n ** 70n }),
    );

  describe("emission", function () {
    it("matches the naive reference over random epochs, intervals and initial emissions", async function () {
      const harness = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(
          initial,
          interval.chain((h) => fc.tuple(fc.constant(h), epochFor(h))),
          async (i, [h, e]) => {
            expect(await harness.emission(i, h, e)).to.equal(naiveEmission(i, h, e));
          },
        ),
        { numRuns: RUNS, seed: 0x5eed },
      );
    });

    it("halves exactly at each halving boundary", async function () {
      const harness = await loadFixture(harnessFixture);
      const e0 = 250_000n * 10n ** 18n;
      expect(await harness.emission(e0, 730, 729)).to.equal(e0);
      expect(await harness.emission(e0, 730, 730)).to.equal(e0 / 2n);
      expect(await harness.emission(e0, 730, 730n * 64n)).to.equal(e0 >> 64n);
      expect(await harness.emission(e0, 730, 730n * 256n)).to.equal(0n);
    });
  });

  describe("cumulativeEmission", function () {
    it("matches the period-by-period reference over random epochs, including past 64 and 256 halvings", async function () {
      const harness = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(
          initial,
          interval.chain((h) => fc.tuple(fc.constant(h), epochFor(h))),
          async (i, [h, e]) => {
            expect(await harness.cumulativeEmission(i, h, e)).to.equal(naiveCumulative(i, h, e));
          },
        ),
        { numRuns: RUNS, seed: 0xc0ffee },
      );
    });

    it("matches an epoch-by-epoch sum for small schedules", async function () {
      const harness = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 1n, max: 10n ** 24n }),
          fc.bigInt({ min: 1n, max: 20n }),
          fc.bigInt({ min: 0n, max: 400n }),
          async (i, h, e) => {
            expect(await harness.cumulativeEmission(i, h, e)).to.equal(epochByEpoch(i, h, e));
          },
        ),
        { numRuns: 100, seed: 42 },
      );
    });

    it("grows by exactly emission(e) from one epoch to the next", async function () {
      const harness = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(
          initial,
          interval.chain((h) =>
            fc.tuple(
              fc.constant(h),
              epochFor(h).map((e) => e + 1n),
            ),
          ),
          async (i, [h, e]) => {
            const step = (await harness.cumulativeEmission(i, h, e)) - (await harness.cumulativeEmission(i, h, e - 1n));
            expect(step).to.equal(await harness.emission(i, h, e));
          },
        ),
        { numRuns: 100, seed: 7 },
      );
    });

    it("stays below twice the initial emission per halving interval, whatever the epoch", async function () {
      const harness = await loadFixture(harnessFixture);
      const i = 250_000n * 10n ** 18n;
      const total = await harness.cumulativeEmission(i, 730, 2n ** 255n);
      expect(total).to.equal(naiveCumulative(i, 730n, 730n * 300n));
      expect(total < 2n * 730n * i).to.equal(true);
    });
  });

  describe("totalEmission", function () {
    it("is the cumulative emission once the emission is 0 for good, and bounds every cumulative emission", async function () {
      const harness = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(
          initial,
          interval.chain((h) => fc.tuple(fc.constant(h), epochFor(h))),
          async (i, [h, e]) => {
            const total = await harness.totalEmission(i, h);
            // The last epoch with a non-zero emission ends the halving period bitlength(i) - 1.
            const lastNonZero = BigInt(i.toString(2).length) * h - 1n;
            expect(naiveEmission(i, h, lastNonZero)).to.be.greaterThan(0n);
            expect(total).to.equal(naiveCumulative(i, h, lastNonZero));
            expect(total).to.equal(await harness.cumulativeEmission(i, h, lastNonZero + 1n));
            expect(total).to.equal(await harness.cumulativeEmission(i, h, 2n ** 256n - 1n));
            expect(await harness.cumulativeEmission(i, h, e)).to.be.lte(total);
            // The deploy library's twin, which validates the params files.
            expect(totalEmission(i, h)).to.equal(total);
          },
        ),
        { numRuns: 100, seed: 0x707a1 },
      );
    });

    it("adds a small schedule up epoch by epoch, and stays exact at the 128-bit and 64-bit bounds", async function () {
      const harness = await loadFixture(harnessFixture);
      expect(await harness.totalEmission(1000n, 2n)).to.equal(epochByEpoch(1000n, 2n, 2n * 10n));
      expect(await harness.totalEmission(2n ** 128n - 1n, 2n ** 64n - 1n)).to.equal(
        (2n ** 64n - 1n) * (2n * (2n ** 128n - 1n) - 128n),
      );
    });
  });

  describe("popcount", function () {
    it("counts the set bits of any 256-bit word", async function () {
      const harness = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), async (x) => {
          expect(await harness.popcount(x)).to.equal(BigInt(x.toString(2).replace(/0/g, "").length));
        }),
        { numRuns: 200, seed: 1 },
      );
      expect(await harness.popcount(2n ** 256n - 1n)).to.equal(256n);
      expect(await harness.popcount(0n)).to.equal(0n);
    });
  });

  describe("split", function () {
    it("gives operators and stakers their floor and the treasury the rest, adding up to the amount", async function () {
      const harness = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 0n, max: 2n ** 128n }),
          fc
            .integer({ min: 0, max: 10_000 })
            .chain((o) => fc.tuple(fc.constant(o), fc.integer({ min: 0, max: 10_000 - o }))),
          async (amount, [o, s]) => {
            const [operators, stakers, treasury] = await harness.split(amount, o, s);
            expect(operators).to.equal((amount * BigInt(o)) / 10_000n);
            expect(stakers).to.equal((amount * BigInt(s)) / 10_000n);
            expect(operators + stakers + treasury).to.equal(amount);
          },
        ),
        { numRuns: 100, seed: 3 },
      );
    });

    it("reverts with EmissionInvalidSplit unless the shares add up to 10,000", async function () {
      const harness = await loadFixture(harnessFixture);
      await harness.validateSplit(7500, 1500, 1000);
      await expect(harness.validateSplit(7500, 1500, 1001))
        .to.be.revertedWithCustomError(harness, "EmissionInvalidSplit")
        .withArgs(7500n, 1500n, 1001n);
    });
  });

  describe("RolesLib", function () {
    it("numbers the roles exactly as scripts/lib/roles.ts does", async function () {
      const harness = await loadFixture(harnessFixture);
      const names = [
        "ADMIN",
        "GUARDIAN",
        "ORACLE",
        "MINTER",
        "MAKER_ADMIN",
        "SLASHER",
        "ROUTER_ADMIN",
        "UPGRADER",
        "FEE_BURNER",
        "REWARDS_NOTIFIER",
        "SUITE_ADMIN",
        "PUBLIC",
      ] as const;
      expect(await harness.roles()).to.deep.equal(names.map((name) => Roles[name]));
      expect(Object.keys(Roles)).to.deep.equal([...names]);
    });
  });
});
