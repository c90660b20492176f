/**
 * Sizes the fast-check properties. `npm test` runs each with its default; a nightly `npm run fuzz`
 * raises the runs with `FUZZ_RUNS`, and `FUZZ_SEED` replays a failing seed. These two variables are
 * the only environment the tests read. Under `npm run coverage` (see `underCoverage`) the slowest
 * properties run a smaller sample: coverage measures which lines and branches run, not how often.
 */
import hre from "hardhat";

function positiveInteger(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** The number of runs: `FUZZ_RUNS` when set, else `defaultRuns`. */
export function fuzzRuns(defaultRuns: number): number {
  return positiveInteger("FUZZ_RUNS", process.env.FUZZ_RUNS) ?? defaultRuns;
}

/** The seed: `FUZZ_SEED` when set, else `defaultSeed`. */
export function fuzzSeed(defaultSeed: number): number {
  return positiveInteger("FUZZ_SEED", process.env.FUZZ_SEED) ?? defaultSeed;
}

/** True while `npm run coverage` runs the tests: solidity-coverage sets this flag on the environment. */
export function underCoverage(): boolean {
  return (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;
}
