import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";

import { EpochClockHarness__factory } from "../../typechain-types";
import {
  InvalidEpochClockError,
  checkClock,
  endOf,
  endedEpochs,
  hasEnded,
  startOf,
  type EpochClock,
} from "../../scripts/lib/clock";
import { fuzzRuns, fuzzSeed } from "../helpers/fuzz";

const MAX_UINT256 = 2n ** 256n - 1n;
const GENESIS_LIMIT = 2n ** 32n;
const LENGTH_LIMIT = 2n ** 24n;
/** `startOf`/`endOf` are only called with epochs below 2^200 (see EpochClockLib), where nothing overflows. */
const EPOCH_LIMIT = 2n ** 200n;

/** Valid clocks: the widths' edges, real-world values and anything in between. */
const genesisArb = fc.oneof(
  fc.constantFrom(0n, 1n, GENESIS_LIMIT - 1n, 1_767_225_600n),
  fc.bigInt({ min: 0n, max: GENESIS_LIMIT - 1n }),
);
const lengthArb = fc.oneof(
  fc.constantFrom(1n, 2n, 3_600n, 86_400n, 604_800n, LENGTH_LIMIT - 1n),
  fc.bigInt({ min: 1n, max: LENGTH_LIMIT - 1n }),
);

/** A clock with timestamps before genesis, at and around every boundary, far after it, and up to 2^256 - 1. */
const caseArb = fc.tuple(genesisArb, lengthArb).chain(([genesis, epochLength]) => {
  const boundary = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.constantFrom(-1n, 0n, 1n)).map(([k, delta]) => {
    const t = genesis + k * epochLength + delta;
    return t < 0n ? 0n : t;
  });
  const timestamp = fc.oneof(
    fc.bigInt({ min: 0n, max: genesis }),
    boundary,
    fc.bigInt({ min: genesis, max: genesis + 1000n * epochLength }),
    fc.bigInt({ min: 0n, max: 2n ** 64n }),
    fc.bigInt({ min: 0n, max: MAX_UINT256 }),
    fc.constant(MAX_UINT256),
  );
  const epoch = fc.oneof(
    fc.bigInt({ min: 0n, max: 1000n }),
    fc.bigInt({ min: 0n, max: 10n ** 12n }),
    fc.bigInt({ min: 0n, max: EPOCH_LIMIT - 1n }),
  );
  /** For `hasEnded`, which compares instead of computing an end: any epoch at all. */
  const anyEpoch = fc.oneof(epoch, fc.bigInt({ min: EPOCH_LIMIT, max: MAX_UINT256 }), fc.constant(MAX_UINT256));
  return fc.record({
    clock: fc.constant<EpochClock>({ genesis, epochLength }),
    timestamp,
    epoch,
    anyEpoch,
  });
});

describe("EpochClockLib", function () {
  async function harnessFixture() {
    const [deployer] = await ethers.getSigners();
    return new EpochClockHarness__factory(deployer).deploy();
  }

  describe("matches scripts/lib/clock.ts", function () {
    it("endedEpochs, hasEnded, startOf and endOf agree, and hasEnded(e, t) == (t >= endOf(e))", async function () {
      const harness = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(caseArb, async ({ clock, timestamp, epoch, anyEpoch }) => {
          const { genesis, epochLength } = clock;
          const ended = endedEpochs(clock, timestamp);
          expect(await harness.endedEpochs(genesis, epochLength, timestamp), "endedEpochs").to.equal(ended);
          if (timestamp < genesis) expect(ended, "no epoch ends before genesis").to.equal(0n);

          // Around the epoch in progress (where hasEnded flips), the drawn epoch and one of any size.
          const around = [ended - 1n, ended, ended + 1n].filter((e) => e >= 0n);
          for (const e of [...around, epoch, anyEpoch]) {
            const expected = hasEnded(clock, e, timestamp);
            expect(await harness.hasEnded(genesis, epochLength, e, timestamp), `hasEnded(${e})`).to.equal(expected);
            if (e < EPOCH_LIMIT) expect(expected, `hasEnded(${e}) vs endOf`).to.equal(timestamp >= endOf(clock, e));
          }
          for (const e of [...around, epoch].filter((x) => x < EPOCH_LIMIT)) {
            expect(await harness.startOf(genesis, epochLength, e), `startOf(${e})`).to.equal(startOf(clock, e));
            expect(await harness.endOf(genesis, epochLength, e), `endOf(${e})`).to.equal(endOf(clock, e));
          }
        }),
        { numRuns: fuzzRuns(150), seed: fuzzSeed(0xc10c) },
      );
    });

    it("agrees at the exact boundaries: epoch e ends at endOf(e), not a second before", async function () {
      const harness = await loadFixture(harnessFixture);
      const clock: EpochClock = { genesis: 1_000n, epochLength: 100n };
      const cases: [bigint, bigint, boolean][] = [
        [0n, 999n, false],
        [0n, 1_000n, false],
        [0n, 1_099n, false],
        [0n, 1_100n, true],
        [1n, 1_199n, false],
        [1n, 1_200n, true],
        [MAX_UINT256, MAX_UINT256, false],
      ];
      for (const [epoch, timestamp, ended] of cases) {
        expect(hasEnded(clock, epoch, timestamp), `hasEnded(${epoch}, ${timestamp})`).to.equal(ended);
        expect(await harness.hasEnded(clock.genesis, clock.epochLength, epoch, timestamp)).to.equal(ended);
      }
      expect(await harness.endedEpochs(clock.genesis, clock.epochLength, 999n)).to.equal(0n);
      expect(await harness.endedEpochs(clock.genesis, clock.epochLength, 1_100n)).to.equal(1n);
      expect(endedEpochs(clock, 1_100n)).to.equal(1n);
      expect(await harness.startOf(clock.genesis, clock.epochLength, 3n)).to.equal(1_300n);
      expect(await harness.endOf(clock.genesis, clock.epochLength, 3n)).to.equal(1_400n);
    });
  });

  describe("check", function () {
    const valueArb = (limit: bigint) =>
      fc.oneof(
        fc.constantFrom(0n, 1n, limit - 1n, limit, limit + 1n, MAX_UINT256),
        fc.bigInt({ min: 0n, max: limit - 1n }),
        fc.bigInt({ min: limit, max: MAX_UINT256 }),
      );

    it("refuses exactly the clocks the TypeScript check refuses, with InvalidEpochClock(genesis, epochLength)", async function () {
      const harness = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(valueArb(GENESIS_LIMIT), valueArb(LENGTH_LIMIT), async (genesis, epochLength) => {
          const valid = genesis < GENESIS_LIMIT && epochLength > 0n && epochLength < LENGTH_LIMIT;
          if (valid) {
            expect(() => checkClock({ genesis, epochLength })).not.to.throw();
            await harness.check(genesis, epochLength);
          } else {
            expect(() => checkClock({ genesis, epochLength })).to.throw(InvalidEpochClockError);
            await expect(harness.check(genesis, epochLength))
              .to.be.revertedWithCustomError(harness, "InvalidEpochClock")
              .withArgs(genesis, epochLength);
          }
        }),
        { numRuns: fuzzRuns(150), seed: fuzzSeed(0xc4ec) },
      );
    });

    it("refuses a zero length, a genesis of 2^32 and a length of 2^24, and accepts the widest clock", async function () {
      const harness = await loadFixture(harnessFixture);
      for (const [genesis, epochLength] of [
        [0n, 0n],
        [GENESIS_LIMIT, 1n],
        [0n, LENGTH_LIMIT],
      ] as const) {
        expect(() => checkClock({ genesis, epochLength })).to.throw(InvalidEpochClockError);
        await expect(harness.check(genesis, epochLength))
          .to.be.revertedWithCustomError(harness, "InvalidEpochClock")
          .withArgs(genesis, epochLength);
      }
      expect(() => checkClock({ genesis: GENESIS_LIMIT - 1n, epochLength: LENGTH_LIMIT - 1n })).not.to.throw();
      await harness.check(GENESIS_LIMIT - 1n, LENGTH_LIMIT - 1n);
    });
  });
});
