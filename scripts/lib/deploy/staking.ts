import type { ContractRunner, Signer } from "ethers";

import {
  StakingLib__factory,
  Staking__factory,
  type AccessManager,
  type RewardToken,
  type Staking,
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

/** The fully qualified name under which Staking links its library. */
export const STAKING_LIB_LINK = "contracts/libraries/StakingLib.sol:StakingLib";

/** A Staking implementation factory linked to a deployed `StakingLib`. */
export function stakingFactory(libraryAddress: string, deployer: Signer): Staking__factory {
  return new Staking__factory({ [STAKING_LIB_LINK]: libraryAddress }, deployer);
}

/**
 * Deploys `StakingLib`, the Staking implementation linked to it, and a UUPS proxy initialized with
 * `manager`, `token` and `params` in its deploy transaction. The caller wires `STAKING_ROLES`.
 */
export async function deployStaking(
  deployer: Signer,
  manager: AccessManager,
  token: RewardToken,
  params: StakingParams = defaultStakingParams,
  journal: Journal = memoryJournal(),
): Promise<{ staking: Staking; library: string; implementation: string }> {
  const library = await createOnce(deployer, journal, "StakingLib", new StakingLib__factory(deployer));
  const { proxy, implementation } = await deployUupsProxy(
    deployer,
    stakingFactory(library, deployer),
    "initialize",
    [
      await manager.getAddress(),
      await token.getAddress(),
      { unbondingPeriod: params.unbondingPeriod, maxCommissionStepBps: params.maxCommissionStepBps },
    ],
    { journal, name: "Staking" },
  );
  return { staking: connectStaking(proxy, deployer), library, implementation };
}

export function connectStaking(address: string, runner: ContractRunner): Staking {
  return Staking__factory.connect(address, runner);
}
