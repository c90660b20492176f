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
