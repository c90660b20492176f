import type { Provider } from "ethers";

import {
  DataCredits__factory,
  DeviceRegistry__factory,
  RewardToken__factory,
  RewardsDistributor__factory,
  RewardsLens__factory,
  StakingLens__factory,
  Staking__factory,
} from "../../../typechain-types";
import { addressOf, type DeploymentRecord } from "../deployments";

/** `suite:status`: one read of the deployed suite, as JSON values (amounts as decimal strings). */
export interface SuiteStatus {
  readonly chainId: number;
  readonly block: number;
  readonly contracts: Readonly<Record<string, string>>;
  readonly epoch: { readonly current: string | null; readonly ended: string; readonly nextToPost: string };
  readonly token: { readonly totalSupply: string; readonly emissionMinted: string; readonly mintable: string };
  readonly rewards: {
    readonly latestClaimable: {
      readonly epoch: string;
      readonly root: string;
      readonly totalCumulative: string;
    } | null;
    readonly quorum: string;
    readonly oracles: string;
    readonly challengeWindow: string;
  };
  readonly staking: { readonly totalStake: string; readonly totalUnbonding: string; readonly rewardReserve: string };
  readonly credits: {
    readonly totalSupply: string;
    readonly creditsMinted: string;
    readonly creditsBurned: string;
    readonly tokensBurned: string;
  };
  readonly registry: { readonly devices: string };
  readonly paused: {
    readonly credits: boolean;
    readonly registry: boolean;
    readonly staking: boolean;
    /** The distributor: claims, root posts and distribution pause together. */
    readonly rewards: boolean;
  };
}

export async function readSuiteStatus(provider: Provider, record: DeploymentRecord): Promise<SuiteStatus> {
  const token = RewardToken__factory.connect(addressOf(record, "RewardToken"), provider);
  const credits = DataCredits__factory.connect(addressOf(record, "DataCredits"), provider);
  const registry = DeviceRegistry__factory.connect(addressOf(record, "DeviceRegistry"), provider);
  const staking = Staking__factory.connect(addressOf(record, "Staking"), provider);
  const stakingLens = StakingLens__factory.connect(addressOf(record, "StakingLens"), provider);
  const distributor = RewardsDistributor__factory.connect(addressOf(record, "RewardsDistributor"), provider);
  const lens = RewardsLens__factory.connect(addressOf(record, "RewardsLens"), provider);

  const latest = await provider.getBlock("latest");
  if (latest === null) throw new Error("the node returned no latest block");
  const genesis = await token.genesis();
  const current = BigInt(latest.timestamp) >= genesis ? (await token.currentEpoch()).toString() : null;
  const [exists, epoch, root, totalCumulative] = await lens.latestClaimable();
  const minted = await registry.queryFilter(registry.filters.DeviceOnboarded(), record.block);
  const decommissioned = await registry.queryFilter(registry.filters.DeviceDecommissioned(), record.block);
  return {
    chainId: record.chainId,
    block: latest.number,
    contracts: record.contracts,
    epoch: {
      current,
      ended: (await token.endedEpochs()).toString(),
      nextToPost: (await lens.nextEpoch()).toString(),
    },
    token: {
      totalSupply: (await token.totalSupply()).toString(),
      emissionMinted: (await token.emissionMinted()).toString(),
      mintable: (await token.mintable()).toString(),
    },
    rewards: {
      latestClaimable: exists ? { epoch: epoch.toString(), root, totalCumulative: totalCumulative.toString() } : null,
      quorum: (await lens.quorum()).toString(),
      oracles: (await lens.oracleCount()).toString(),
      challengeWindow: (await lens.challengeWindow()).toString(),
    },
    staking: {
      totalStake: (await stakingLens.totalStakeAt(latest.timestamp)).toString(),
      totalUnbonding: (await staking.totalUnbonding()).toString(),
      rewardReserve: (await staking.rewardReserve()).toString(),
    },
    credits: {
      totalSupply: (await credits.totalSupply()).toString(),
      creditsMinted: (await credits.creditsMinted()).toString(),
      creditsBurned: (await credits.creditsBurned()).toString(),
      tokensBurned: (await credits.tokensBurned()).toString(),
    },
    registry: { devices: (minted.length - decommissioned.length).toString() },
    paused: {
      credits: await credits.paused(),
      registry: await registry.paused(),
      staking: await staking.paused(),
      rewards: await distributor.paused(),
    },
  };
}
