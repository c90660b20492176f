import type { ContractRunner } from "ethers";

import {
  AccessManager__factory,
  DataCredits__factory,
  DeviceRegistry__factory,
  GovernedPriceFeed__factory,
  RewardToken__factory,
  RewardsDistributor__factory,
  RewardsLens__factory,
  StakingLens__factory,
  Staking__factory,
} from "../../../typechain-types";
import { CONTRACT_NAMES, addressOf, type ContractName, type DeploymentRecord } from "../deployments";
import type { Suite } from "./suite";

/**
 * The deployed suite of a deployment record, as typed contracts connected to `runner`. Each member
 * is connected when first read, so a record that lists only some contracts (a task's test, a
 * partial deployment) serves the members it has; reading one it lacks throws `DeploymentError`
 * naming the contract. `governedFeed` is the recorded `PriceFeed` unless the record's params say the
 * feed is external.
 */
export function connectDeployedSuite(record: DeploymentRecord, runner: ContractRunner): Suite {
  const at = (name: ContractName): string => addressOf(record, name);
  const external = record.params?.priceFeed?.kind === "external";
  return lazily<Suite>({
    manager: () => AccessManager__factory.connect(at("AccessManager"), runner),
    token: () => RewardToken__factory.connect(at("RewardToken"), runner),
    governedFeed: () => (external ? undefined : GovernedPriceFeed__factory.connect(at("PriceFeed"), runner)),
    credits: () => DataCredits__factory.connect(at("DataCredits"), runner),
    registry: () => DeviceRegistry__factory.connect(at("DeviceRegistry"), runner),
    staking: () => Staking__factory.connect(at("Staking"), runner),
    stakingLens: () => StakingLens__factory.connect(at("StakingLens"), runner),
    distributor: () => RewardsDistributor__factory.connect(at("RewardsDistributor"), runner),
    rewardsLens: () => RewardsLens__factory.connect(at("RewardsLens"), runner),
    addresses: () => Object.fromEntries(CONTRACT_NAMES.map((name) => [name, at(name)])) as Record<ContractName, string>,
  });
}

/** An object whose every member is made by its function on first read, and kept. */
function lazily<T extends object>(make: { readonly [K in keyof T]-?: () => T[K] }): T {
  const made = {} as T;
  for (const key of Object.keys(make) as (keyof T)[]) {
    let value: T[typeof key] | undefined;
    let done = false;
    Object.defineProperty(made, key, {
      enumerable: true,
      get: () => {
        if (!done) [value, done] = [make[key](), true];
        return value;
      },
    });
  }
  return made;
}
