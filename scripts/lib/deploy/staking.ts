import type { ContractRunner, Signer } from "ethers";

import {
  CommissionLib__factory,
  StakePoolLib__factory,
  StakingLens__factory,
  Staking__factory,
  type AccessManager,
  type RewardToken,
  type Staking,
  type StakingLens,
} from "../../../typechain-types";
import type { RoleTable } from "./authority";
import { createOnce, memoryJournal, type Journal } from "./journal";
import { deployUupsProxy } from "./proxy";

/** Staking's governed parameters. */
export interface StakingParams {
  /** Seconds an unbond request waits before `withdraw` pays it. */
  readonly unbondingPeriod: bigint;
  /** The most a commission may move per epoch, in basis points. */
  readonly maxCommissionStepBps: bigint;
}

/** PROTOCOL.md's defaults: a 7-day cooldown; commissions move at most 5 points per epoch. */
export const defaultStakingParams: StakingParams = {
  unbondingPeriod: 7n * 86_400n,
  maxCommissionStepBps: 500n,
};

/** Staking's privileged functions and their roles. */
export const STAKING_ROLES: RoleTable = {
  SUITE_ADMIN: ["setParams((uint64,uint16))", "unpause()"],
  GUARDIAN: ["pause()"],
  SLASHER: ["slash(address,uint256,bytes32)"],
  REWARDS_NOTIFIER: ["notifyRewards(uint256,uint256)"],
  UPGRADER: ["upgradeToAndCall(address,bytes)"],
};

/** The addresses of Staking's two linked libraries. */
export interface StakingLibraries {
  /** `StakePoolLib`: registration, redelegation, rebond, withdrawal, slash, `operatorInfo`. */
  readonly stakePool: string;
  /** `CommissionLib`: `setCommission` and `accrueCommission`. */
  readonly commission: string;
}

/** The link references of Staking's implementation (and of any version that inherits it). */
export function stakingLinks(libraries: StakingLibraries) {
  return {
    "contracts/libraries/StakePoolLib.sol:StakePoolLib": libraries.stakePool,
    "contracts/libraries/CommissionLib.sol:CommissionLib": libraries.commission,
  };
}

/** Deploys Staking's libraries once each (journaled as `StakePoolLib` and `CommissionLib`). */
export async function deployStakingLibraries(
  deployer: Signer,
  journal: Journal = memoryJournal(),
): Promise<StakingLibraries> {
  return {
    stakePool: await createOnce(deployer, journal, "StakePoolLib", new StakePoolLib__factory(deployer)),
    commission: await createOnce(deployer, journal, "CommissionLib", new CommissionLib__factory(deployer)),
  };
}

/** A Staking implementation factory linked to its deployed libraries. */
export function stakingFactory(libraries: StakingLibraries, deployer: Signer): Staking__factory {
  return new Staking__factory(stakingLinks(libraries), deployer);
}

/**
 * Deploys Staking's libraries, the Staking implementation linked to them, a UUPS proxy initialized
 * with `manager`, `token` and `params` in its deploy transaction, and the `StakingLens` that serves
 * Staking's heavy views (`claimable`, `unbondRequests`, `operatorStakeAt`, `totalStakeAt`). The caller
 * wires `STAKING_ROLES`.
 */
export async function deployStaking(
  deployer: Signer,
  manager: AccessManager,
  token: RewardToken,
  params: StakingParams = defaultStakingParams,
  journal: Journal = memoryJournal(),
): Promise<{ staking: Staking; stakingLens: StakingLens; libraries: StakingLibraries; implementation: string }> {
  const libraries = await deployStakingLibraries(deployer, journal);
  const { proxy, implementation } = await deployUupsProxy(
    deployer,
    stakingFactory(libraries, deployer),
    "initialize",
    [
      await manager.getAddress(),
      await token.getAddress(),
      { unbondingPeriod: params.unbondingPeriod, maxCommissionStepBps: params.maxCommissionStepBps },
    ],
    { journal, name: "Staking" },
  );
  const lens = await createOnce(deployer, journal, "StakingLens", new StakingLens__factory(deployer), proxy);
  return {
    staking: connectStaking(proxy, deployer),
    stakingLens: connectStakingLens(lens, deployer),
    libraries,
    implementation,
  };
}

export function connectStaking(address: string, runner: ContractRunner): Staking {
  return Staking__factory.connect(address, runner);
}

export function connectStakingLens(address: string, runner: ContractRunner): StakingLens {
  return StakingLens__factory.connect(address, runner);
}
