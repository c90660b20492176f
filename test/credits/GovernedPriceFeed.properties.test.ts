import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import fc from "fast-check";

import { restrictFunctions } from "../../scripts/lib/deploy/authority";
import { GOVERNED_PRICE_FEED_ROLES, deployGovernedPriceFeed } from "../../scripts/lib/deploy/credits";
import { revertDataOf } from "../../scripts/lib/sdk/errors";
import { INITIAL_PRICE, deployCreditsFixture } from "../fixtures/credits";
import { fuzzRuns, fuzzSeed } from "../helpers/fuzz";

/** A small window, a loose per-update bound and no interval, so that short sequences reach the window bound. */
const WINDOW = 3_600n;
const MAX_WINDOW_MOVE = 3_000n;
const MAX_DEVIATION = 2_000n;

/** One oracle step: wait `dt` seconds, then post the latest answer moved by `bps` (0: a refresh). */
interface Step {
  readonly dt: bigint;
  readonly bps: bigint;
}

/** The fixture's actors with a feed of their own: 20 % per update, no interval, 30 % per hour. */
async function windowFeedFixture() {
  const f = await deployCreditsFixture();
  const feed = await deployGovernedPriceFeed(f.deployer, f.manager, {
    decimals: 8,
    description: "DPN / USD",
    initialAnswer: INITIAL_PRICE,
    maxDeviationBps: MAX_DEVIATION,
    minInterval: 0n,
    maxWindowMoveBps: MAX_WINDOW_MOVE,
    moveWindow: WINDOW,
  });
  await restrictFunctions(f.manager, await feed.getAddress(), GOVERNED_PRICE_FEED_ROLES);
  return { ...f, feed };
}

/**
 * Whether rounds `i < j` were both in force at some seconds of one interval of `WINDOW` seconds. Round
 * `i` is in force from its update to the update of round `i + 1` (that second included: a round posted
 * at second `s` follows the one in force when `s` began), so the pair shares an interval exactly when
 * round `j` came less than `WINDOW` seconds after round `i + 1`.
 */
function shareAWindow(times: readonly bigint[], i: number, j: number): boolean {
  return times[j] - times[i + 1] <= WINDOW - 1n;
}

describe("GovernedPriceFeed properties", function () {
  it("no sequence of accepted updates moves the price by more than the bound within any window", async function () {
    const dt = fc.oneof(
      fc.bigInt({ min: 1n, max: 600n }),
      fc.bigInt({ min: 1n, max: WINDOW }),
      fc.bigInt({ min: WINDOW - 5n, max: 2n * WINDOW + 5n }),
    );
    const bps = fc.oneof(
      fc.bigInt({ min: -MAX_DEVIATION, max: MAX_DEVIATION }),
      fc.constantFrom(0n, MAX_DEVIATION, -MAX_DEVIATION),
      // Beyond the per-update bound: refused by it, never recorded.
      fc.constantFrom(MAX_DEVIATION + 1n, -MAX_DEVIATION - 1n),
    );
    const steps = fc.array(fc.record<Step>({ dt, bps }), { minLength: 1, maxLength: 40, size: "max" });
    const totals = { accepted: 0, refusedByWindow: 0 };

    await fc.assert(
      fc.asyncProperty(steps, async (sequence) => {
        const { feed, oracle } = await loadFixture(windowFeedFixture);
        let now = BigInt(await time.latest());
        for (const { dt: wait, bps: move } of sequence) {
          now += wait;
          await time.setNextBlockTimestamp(now);
          const latest = await feed.latestAnswer();
          const next = latest + (latest * move) / 10_000n;
          try {
            await (await feed.connect(oracle).updateAnswer(next)).wait();
            totals.accepted += 1;
          } catch (error) {
            const data = revertDataOf(error);
            const decoded = data === undefined ? null : feed.interface.parseError(data);
            // A refresh, or a move back within what the window recorded, is never refused by the window.
            expect(move, `refused a refresh: ${decoded?.name}`).to.not.equal(0n);
            expect(decoded?.name, String(error)).to.be.oneOf(["WindowMoveTooLarge", "DeviationTooLarge"]);
            if (decoded?.name === "WindowMoveTooLarge") totals.refusedByWindow += 1;
          }
        }

        // The rounds as the chain kept them, read back independently of the contract's buckets.
        const rounds = Number(await feed.latestRound());
        const answers: bigint[] = [];
        const times: bigint[] = [];
        for (let id = 1; id <= rounds; id++) {
          const round = await feed.getRoundData(id);
          answers.push(round.answer);
          times.push(round.updatedAt);
        }
        for (let j = 1; j < rounds; j++) {
          for (let i = 0; i < j; i++) {
            if (!shareAWindow(times, i, j)) continue;
            const high = answers[i] > answers[j] ? answers[i] : answers[j];
            const low = answers[i] > answers[j] ? answers[j] : answers[i];
            expect(
              high * 10_000n <= low * (10_000n + MAX_WINDOW_MOVE),
              `rounds ${i + 1} (${answers[i]} at ${times[i]}) and ${j + 1} (${answers[j]} at ${times[j]})`,
            ).to.equal(true);
          }
        }
      }),
      { numRuns: fuzzRuns(40), seed: fuzzSeed(0x0feed) },
    );
    // The property was not vacuous: the sequences reached the bound, and most updates went through.
    expect(totals.refusedByWindow).to.be.greaterThan(0);
    expect(totals.accepted).to.be.greaterThan(totals.refusedByWindow);
  });
});
