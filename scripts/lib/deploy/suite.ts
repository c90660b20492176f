import type { Signer } from "ethers";

import type {
  AccessManager,
  DataCredits,
  DeviceRegistry,
  GovernedPriceFeed,
  RewardToken,
  RewardsDistributor,
  RewardsLens,
  Staking,
  StakingLens,
} from "../../../typechain-types";
import type { ContractName } from "../deployments";
import type { PipelineParams } from "../epochs/types";
import { Roles, type RoleName } from "../roles";
import { grantRoles, restrictFunctions } from "./authority";
import {
  DATA_CREDITS_ROLES,
  GOVERNED_PRICE_FEED_ROLES,
  deployDataCredits,
  deployGovernedPriceFeed,
  type DataCreditsParams,
  type GovernedPriceFeedParams,
} from "./credits";
import { deployCore } from "./core";
import { memoryJournal, settlePending, type Journal } from "./journal";
import type { TokenParams } from "./params";
import { DEVICE_REGISTRY_ROLES, deployDeviceRegistry, type DeviceRegistryParams } from "./registry";
import { REWARDS_DISTRIBUTOR_ROLES, deployRewardsDistributor, type RewardsParams } from "./rewards";
import { STAKING_ROLES, deployStaking, type StakingParams } from "./staking";

/** The price source of DataCredits: the suite's own governed feed, or an external Chainlink-style feed. */
export type PriceFeedParams =
  | { readonly kind: "governed"; readonly feed: GovernedPriceFeedParams }
  | { readonly kind: "external"; readonly address: string };

/** Everything one deployment of the suite needs. Addresses are checksummed hex. */
export interface SuiteParams {
  readonly token: TokenParams;
  readonly priceFeed: PriceFeedParams;
  readonly credits: Omit<DataCreditsParams, "priceFeed">;
  readonly registry: DeviceRegistryParams;
  readonly staking: StakingParams;
  /** The distributor's parameters; its treasury is the token's. */
  readonly rewards: Omit<RewardsParams, "treasury">;
  /** Holds GUARDIAN (pause, veto, suspend), with no delay. */
  readonly guardian: string;
  readonly pipeline: PipelineParams;
}

export interface Suite {
  readonly manager: AccessManager;
  readonly token: RewardToken;
  /** The governed feed, when the suite deployed its own. */
  readonly governedFeed?: GovernedPriceFeed;
  readonly credits: DataCredits;
  readonly registry: DeviceRegistry;
  readonly staking: Staking;
  /** Staking's heavy views (`claimable`, `unbondRequests`, `operatorStakeAt`, `totalStakeAt`). */
  readonly stakingLens: StakingLens;
  readonly distributor: RewardsDistributor;
  /** The distributor's views (`IRewardsLens`): every read of the distributor's state but `nonces` and `paused`. */
  readonly rewardsLens: RewardsLens;
  /** Contract name → address, as `deployments/<chainId>.json` records them. */
  readonly addresses: Readonly<Record<ContractName, string>>;
}

/**
 * The governance roles: held by the deployer (without delay) until `handOverSuite`, then by governance
 * behind its execution delay (`handOver(manager, deployer, governance, delay, GOVERNANCE_ROLES)`).
 */
export const GOVERNANCE_ROLES: readonly RoleName[] = [
  "ADMIN",
  "SUITE_ADMIN",
  "MAKER_ADMIN",
  "ROUTER_ADMIN",
  "SLASHER",
  "UPGRADER",
];

/**
 * Deploys and wires the whole suite: the authority, the token, the price feed, DataCredits,
 * DeviceRegistry, Staking and RewardsDistributor with its RewardsLens. Every proxy is initialized in its own deploy
 * transaction; every contract creation goes through `journal`, and every call reads the chain first,
 * so running it again with the same journal sends nothing, and a run killed at any point resumes.
 *
 * Roles after it: the deployer holds the governance roles without delay (until `handOverSuite`), the
 * guardian GUARDIAN, each oracle ORACLE, and the contracts MINTER and REWARDS_NOTIFIER (distributor)
 * and FEE_BURNER (registry).
 */
export async function deploySuite(
  deployer: Signer,
  params: SuiteParams,
  journal: Journal = memoryJournal(),
): Promise<Suite> {
  await settlePending(deployer);
  const self = await deployer.getAddress();
  const { manager, token } = await deployCore(deployer, { token: params.token, journal });
  const tokenAddress = await token.getAddress();

  let governedFeed: GovernedPriceFeed | undefined;
  let priceFeed: string;
  if (params.priceFeed.kind === "governed") {
    governedFeed = await deployGovernedPriceFeed(deployer, manager, params.priceFeed.feed, journal);
    priceFeed = await governedFeed.getAddress();
    await restrictFunctions(manager, priceFeed, GOVERNED_PRICE_FEED_ROLES);
  } else {
    priceFeed = params.priceFeed.address;
  }

  const credits = await deployDataCredits(deployer, manager, tokenAddress, { ...params.credits, priceFeed }, journal);
  const creditsAddress = await credits.getAddress();
  await restrictFunctions(manager, creditsAddress, DATA_CREDITS_ROLES);

  const registry = await deployDeviceRegistry(deployer, manager, creditsAddress, params.registry, journal);
  await restrictFunctions(manager, await registry.getAddress(), DEVICE_REGISTRY_ROLES);

  const { staking, stakingLens } = await deployStaking(deployer, manager, token, params.staking, journal);
  await restrictFunctions(manager, await staking.getAddress(), STAKING_ROLES);

  const { distributor, lens: rewardsLens } = await deployRewardsDistributor(
    deployer,
    manager,
    token,
    await staking.getAddress(),
    { ...params.rewards, treasury: params.token.treasury },
    journal,
  );
  await restrictFunctions(manager, await distributor.getAddress(), REWARDS_DISTRIBUTOR_ROLES);

  // After a handover the deployer is no longer ADMIN and keeps no role: a re-run grants it nothing.
  const [deployerIsAdmin] = await manager.hasRole(Roles.ADMIN, self);
  await grantRoles(manager, [
    ...(deployerIsAdmin
      ? GOVERNANCE_ROLES.filter((role) => role !== "ADMIN").map((role) => ({ role, account: self }))
      : []),
    { role: "GUARDIAN", account: params.guardian },
  ]);

  const addresses: Record<ContractName, string> = {
    AccessManager: await manager.getAddress(),
    RewardToken: tokenAddress,
    PriceFeed: priceFeed,
    DataCredits: creditsAddress,
    DeviceRegistry: await registry.getAddress(),
    Staking: await staking.getAddress(),
    StakingLens: await stakingLens.getAddress(),
    RewardsDistributor: await distributor.getAddress(),
    RewardsLens: await rewardsLens.getAddress(),
  };
  return { manager, token, governedFeed, credits, registry, staking, stakingLens, distributor, rewardsLens, addresses };
}
