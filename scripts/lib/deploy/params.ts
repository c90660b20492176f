import { parseEther } from "ethers";

/**
 * The parameters of a suite deployment. Amounts are bigint wei; times are seconds.
 * `defaultTokenParams` holds PROTOCOL.md's defaults.
 */
export interface TokenParams {
  readonly name: string;
  readonly symbol: string;
  readonly cap: bigint;
  /** Unix time at which epoch 0 starts. */
  readonly genesis: bigint;
  readonly epochLength: bigint;
  readonly initialEpochEmission: bigint;
  readonly halvingInterval: bigint;
  readonly genesisAllocation: bigint;
  /** Receives the genesis allocation (and later the treasury's share of each epoch). */
  readonly treasury: string;
}

export const DEFAULT_EPOCH_LENGTH = 86_400n;

/** PROTOCOL.md's token defaults, for a given genesis and treasury. */
export function defaultTokenParams(genesis: bigint, treasury: string): TokenParams {
  return {
    name: "DePIN Network Token",
    symbol: "DPN",
    cap: parseEther("1000000000"),
    genesis,
    epochLength: DEFAULT_EPOCH_LENGTH,
    initialEpochEmission: parseEther("250000"),
    halvingInterval: 730n,
    genesisAllocation: 0n,
    treasury,
  };
}

/**
 * The emission of every epoch there will ever be, as `EmissionLib.totalEmission` computes it (the
 * contract's twin; a test keeps them equal): `halvingInterval * (2 * initial - popcount(initial))`,
 * the sum of `initial >> k` over every halving period `k` until it reaches 0.
 */
export function totalEmission(initialEpochEmission: bigint, halvingInterval: bigint): bigint {
  const popcount = initialEpochEmission.toString(2).replace(/0/g, "").length;
  return halvingInterval * (2n * initialEpochEmission - BigInt(popcount));
}
