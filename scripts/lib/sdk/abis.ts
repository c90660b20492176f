import {
  AccessManager__factory,
  DataCredits__factory,
  DeviceRegistry__factory,
  GovernedPriceFeed__factory,
  IAggregatorV3__factory,
  RewardToken__factory,
  RewardsDistributor__factory,
  RewardsLens__factory,
  StakingLens__factory,
  Staking__factory,
} from "../../../typechain-types";

/**
 * The ABI of each contract a dApp talks to, as plain JSON (the compiler's artifact ABI, whole: every
 * function, event and error, with the errors that bubble up from the token, the AccessManager and
 * the linked libraries that each contract declares), typed `as const` so that viem and abitype infer
 * arguments and results. The same arrays ship as files, `depin-suite/abi/<Name>.json`.
 *
 * `StakingLens` serves Staking's heavy views (`claimable`, `unbondRequests`, `operatorStakeAt`,
 * `totalStakeAt`), which read Staking's storage through its `extsload`.
 *
 * The record's `PriceFeed` is a `GovernedPriceFeed` (its ABI answers the Chainlink reads too) or an
 * external Chainlink feed, which `IAggregatorV3` reads. The distributor's views are on its
 * `RewardsLens`.
 */
export const SUITE_ABIS = {
  AccessManager: AccessManager__factory.abi,
  RewardToken: RewardToken__factory.abi,
  DataCredits: DataCredits__factory.abi,
  GovernedPriceFeed: GovernedPriceFeed__factory.abi,
  IAggregatorV3: IAggregatorV3__factory.abi,
  DeviceRegistry: DeviceRegistry__factory.abi,
  Staking: Staking__factory.abi,
  StakingLens: StakingLens__factory.abi,
  RewardsDistributor: RewardsDistributor__factory.abi,
  RewardsLens: RewardsLens__factory.abi,
} as const;

export type SuiteAbiName = keyof typeof SUITE_ABIS;
