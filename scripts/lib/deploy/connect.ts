import type { ContractRunner } from "ethers";

import {
  AccessManager__factory,
  DataCredits__factory,
  DeviceRegistry__factory,
  GovernedPriceFeed__factory,
  RewardToken__factory,
  RewardsDistributor__factory,
  StakingLens__factory,
  Staking__factory,
} from "../../../typechain-types";
import { CONTRACT_NAMES, addressOf, type ContractName, type DeploymentRecord } from "../deployments";
import type { Suite } from "./suite";

/** The deployed suite of a deployment record, as typed contracts connected to `runner`. */
export function connectDeployedSuite(record: DeploymentRecord, runner: ContractRunner): Suite {
  const addresses = Object.fromEntries(CONTRACT_NAMES.map((name) => [name, addressOf(record, name)])) as Record<
    ContractName,
    string
  >;
  const feedKind = (record.params as { priceFeed?: { kind?: string } } | undefined)?.priceFeed?.kind;
  return {
    manager: AccessManager__factory.connect(addresses.AccessManager, runner),
    token: RewardToken__factory.connect(addresses.RewardToken, runner),
    governedFeed: feedKind === "governed" ? GovernedPriceFeed__factory.connect(addresses.PriceFeed, runner) : undefined,
    credits: DataCredits__factory.connect(addresses.DataCredits, runner),
    registry: DeviceRegistry__factory.connect(addresses.DeviceRegistry, runner),
    staking: Staking__factory.connect(addresses.Staking, runner),
    stakingLens: StakingLens__factory.connect(addresses.StakingLens, runner),
    distributor: RewardsDistributor__factory.connect(addresses.RewardsDistributor, runner),
    addresses,
  };
}
