import type { ContractRunner } from "ethers";

import {
  AccessManager__factory,
  DataCredits__factory,
  DeviceRegistry__factory,
  IAggregatorV3__factory,
  RewardToken__factory,
  RewardsDistributor__factory,
  RewardsLens__factory,
  StakingLens__factory,
  Staking__factory,
  type AccessManager,
  type DataCredits,
  type DeviceRegistry,
  type IAggregatorV3,
  type RewardToken,
  type RewardsDistributor,
  type RewardsLens,
  type Staking,
  type StakingLens,
} from "../../../typechain-types";
import { DeploymentError, addressOf, type DeploymentRecord } from "../deployment-record";

/** The suite on one chain: typed contracts bound to one runner, and the record they came from. */
export interface SuiteContracts {
  readonly chainId: bigint;
  readonly record: DeploymentRecord;
  readonly runner: ContractRunner;
  readonly manager: AccessManager;
  readonly token: RewardToken;
  readonly priceFeed: IAggregatorV3;
  readonly credits: DataCredits;
  readonly registry: DeviceRegistry;
  readonly staking: Staking;
  /** Staking's heavy views: `claimable`, `unbondRequests`, `operatorStakeAt`, `totalStakeAt`. */
  readonly stakingLens: StakingLens;
  readonly distributor: RewardsDistributor;
  /** The distributor's views (every read but `nonces` and `paused`). */
  readonly rewardsLens: RewardsLens;
}

/**
 * Where `connectSuite` finds the deployment record: a record, a list of records (one per chain), or
 * a string the entry point resolves (a folder or a URL in Node, a URL in the browser).
 */
export type DeploymentSource = DeploymentRecord | readonly DeploymentRecord[] | string;

/** The chain id of `runner`'s provider. Throws when it has none. */
export async function chainIdOf(runner: ContractRunner): Promise<bigint> {
  const provider = runner.provider ?? null;
  if (provider === null) throw new DeploymentError("the runner has no provider to read the chain id from");
  return (await provider.getNetwork()).chainId;
}

/** Picks the record of `chainId` from a record or a list. Throws `DeploymentError` when there is none. */
export function recordFor(source: DeploymentRecord | readonly DeploymentRecord[], chainId: bigint): DeploymentRecord {
  const records: readonly DeploymentRecord[] = Array.isArray(source) ? source : [source as DeploymentRecord];
  const record = records.find((r) => BigInt(r.chainId) === chainId);
  if (record === undefined) throw new DeploymentError(`no deployment of the suite on chain ${chainId}`);
  return record;
}

/** Binds the typed contracts of `record` to `runner` (a Signer to send, a Provider to read). */
export function suiteFromRecord(runner: ContractRunner, record: DeploymentRecord): SuiteContracts {
  return {
    chainId: BigInt(record.chainId),
    record,
    runner,
    manager: AccessManager__factory.connect(addressOf(record, "AccessManager"), runner),
    token: RewardToken__factory.connect(addressOf(record, "RewardToken"), runner),
    priceFeed: IAggregatorV3__factory.connect(addressOf(record, "PriceFeed"), runner),
    credits: DataCredits__factory.connect(addressOf(record, "DataCredits"), runner),
    registry: DeviceRegistry__factory.connect(addressOf(record, "DeviceRegistry"), runner),
    staking: Staking__factory.connect(addressOf(record, "Staking"), runner),
    stakingLens: StakingLens__factory.connect(addressOf(record, "StakingLens"), runner),
    distributor: RewardsDistributor__factory.connect(addressOf(record, "RewardsDistributor"), runner),
    rewardsLens: RewardsLens__factory.connect(addressOf(record, "RewardsLens"), runner),
  };
}

/**
 * The shared half of both entries' `connectSuite`: resolves the chain id (given, or read from the
 * runner), loads the record with `load` when the source is a string, and checks that the runner's
 * chain is the record's before binding anything, so a wallet on the wrong network fails with one
 * line instead of reading another chain's addresses.
 */
export async function connectWith(
  runner: ContractRunner,
  chainId: bigint | number | undefined,
  source: DeploymentSource,
  load: (location: string, chainId: bigint) => Promise<DeploymentRecord>,
): Promise<SuiteContracts> {
  const actual = runner.provider ? await chainIdOf(runner) : undefined;
  const wanted = chainId === undefined ? actual : BigInt(chainId);
  if (wanted === undefined) throw new DeploymentError("give a chain id or a runner with a provider");
  if (actual !== undefined && actual !== wanted) {
    throw new DeploymentError(`the runner is on chain ${actual}, not on chain ${wanted}`);
  }
  const record = typeof source === "string" ? await load(source, wanted) : recordFor(source, wanted);
  if (BigInt(record.chainId) !== wanted) {
    throw new DeploymentError(`the deployment record is of chain ${record.chainId}, not ${wanted}`);
  }
  return suiteFromRecord(runner, record);
}
