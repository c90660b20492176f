import { UserError } from "./errors";

/**
 * The suite's epoch clock for the tooling: the TypeScript mirror of `contracts/libraries/EpochClockLib.sol`
 * (a property test, `test/libraries/EpochClockLib.test.ts`, keeps the two equal). Epoch `e` covers
 * `[genesis + e·epochLength, genesis + (e+1)·epochLength)`; before genesis no epoch has started and
 * none has ended. `genesis` is Unix seconds below 2^32 and `epochLength` seconds in (0, 2^24).
 */
export interface EpochClock {
  readonly genesis: bigint;
  readonly epochLength: bigint;
}

/** The clock's widths are wrong (the contracts refuse such a clock with `InvalidEpochClock`). */
export class InvalidEpochClockError extends UserError {
  override readonly name = "InvalidEpochClockError";
}

/** Throws unless `genesis < 2^32` and `0 < epochLength < 2^24`, as `EpochClockLib.check`. */
export function checkClock(clock: EpochClock): void {
  if (clock.genesis < 0n || clock.genesis >= 1n << 32n || clock.epochLength <= 0n || clock.epochLength >= 1n << 24n) {
    throw new InvalidEpochClockError(
      `invalid epoch clock: genesis ${clock.genesis} must be below 2^32 and epochLength ${clock.epochLength} in (0, 2^24)`,
    );
  }
}

/** How many epochs have ended at `timestamp` (0 before genesis): also the epoch in progress. */
export function endedEpochs(clock: EpochClock, timestamp: bigint): bigint {
  if (timestamp < clock.genesis) return 0n;
  return (timestamp - clock.genesis) / clock.epochLength;
}

/** Whether `epoch` has ended at `timestamp`. */
export function hasEnded(clock: EpochClock, epoch: bigint, timestamp: bigint): boolean {
  return epoch < endedEpochs(clock, timestamp);
}

/** The first second of `epoch`. */
export function startOf(clock: EpochClock, epoch: bigint): bigint {
  return clock.genesis + epoch * clock.epochLength;
}

/** The first second after `epoch` (its end, exclusive). */
export function endOf(clock: EpochClock, epoch: bigint): bigint {
  return clock.genesis + (epoch + 1n) * clock.epochLength;
}
