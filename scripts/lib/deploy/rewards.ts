import type { ContractRunner, Signer } from "ethers";

import {
  RewardsDistributor__factory,
  RewardsLens__factory,
  type AccessManager,
  type IStaking,
  type RewardToken,
  type RewardsDistributor,
  type RewardsLens,
} from "../../../typechain-types";
import { grantRoles, restrictFunctions, type RoleTable } from "./authority";
import { createOnce, memoryJournal, type Journal } from "./journal";
import { deployUupsProxy } from "./proxy";

/**
 * The distributor's privileged functions and their roles. `claim*` and `distributeEpoch` are public.
 * One pause switch (OpenZeppelin's Pausable): GUARDIAN pauses claims, root posts and distribution
 * together, SUITE_ADMIN resumes them.
 */
export const REWARDS_DISTRIBUTOR_ROLES: RoleTable = {
  SUITE_ADMIN: [
    "setQuorum(uint256)",
    "addOracle(address)",
    "removeOracle(address)",
    "setChallengeWindow(uint256)",
    "setSplit(uint256,uint256,uint256)",
    "setTreasury(address)",
    "sweep(uint256)",
    "unpause()",
  ],
  GUARDIAN: ["veto(uint256)", "pause()"],
  ORACLE: ["postRoot(uint256,bytes32,uint256,bytes32,string)"],
  UPGRADER: ["upgradeToAndCall(address,bytes)"],
};

/** The basis-point split of each epoch's emission. */
export interface Split {
  readonly operatorsBps: bigint;
  readonly stakersBps: bigint;
  readonly treasuryBps: bigint;
}

export interface RewardsParams {
  /** Receives the treasury's share of each epoch and swept tokens. */
  readonly treasury: string;
  /** Distinct oracles that must post the identical tuple (1 on a local chain, 2 of 3 on public networks). */
  readonly quorum: bigint;
  /** Seconds from a root standing to it being claimable. */
  readonly challengeWindow: bigint;
  readonly split: Split;
  /** The first oracle registry; each gets the ORACLE role before the distributor is deployed. */
  readonly oracles: readonly string[];
}

export const DEFAULT_CHALLENGE_WINDOW = 6n * 3600n;
export const DEFAULT_SPLIT: Split = { operatorsBps: 7_500n, stakersBps: 1_500n, treasuryBps: 1_000n };

/** PROTOCOL.md's defaults: quorum 1, a 6 h challenge window and the 75/15/10 split. */
export function defaultRewardsParams(treasury: string, oracles: readonly string[]): RewardsParams {
  return { treasury, quorum: 1n, challengeWindow: DEFAULT_CHALLENGE_WINDOW, split: DEFAULT_SPLIT, oracles };
}

export interface RewardsDeployment {
  readonly distributor: RewardsDistributor;
  /** The distributor's views (`IRewardsLens`), decoded from its storage through `extsload`. */
  readonly lens: RewardsLens;
  readonly implementation: string;
}

/**
 * Deploys the RewardsDistributor behind a UUPS proxy under `manager`, then wires it: its functions
 * to their roles, the MINTER role (the token's `mint`) and REWARDS_NOTIFIER (Staking's
 * `notifyRewards`) to the distributor, and ORACLE to each of `params.oracles` (granted first, since
 * the initializer registers only oracles that hold it). Then deploys the stateless `RewardsLens` that
 * serves the distributor's views. Re-running it sends nothing new. The caller must be ADMIN of `manager`.
 */
export async function deployRewardsDistributor(
  deployer: Signer,
  manager: AccessManager,
  token: RewardToken,
  staking: IStaking | string,
  params: RewardsParams,
  journal: Journal = memoryJournal(),
): Promise<RewardsDeployment> {
  await grantRoles(
    manager,
    params.oracles.map((account) => ({ role: "ORACLE", account })),
  );
  const { proxy, implementation } = await deployUupsProxy(
    deployer,
    new RewardsDistributor__factory(),
    "initialize",
    [
      {
        authority: await manager.getAddress(),
        token: await token.getAddress(),
        staking: typeof staking === "string" ? staking : await staking.getAddress(),
        treasury: params.treasury,
        quorum: params.quorum,
        challengeWindow: params.challengeWindow,
        operatorsBps: params.split.operatorsBps,
        stakersBps: params.split.stakersBps,
        treasuryBps: params.split.treasuryBps,
        oracles: [...params.oracles],
      },
    ],
    { journal, name: "RewardsDistributor" },
  );
  await restrictFunctions(manager, proxy, REWARDS_DISTRIBUTOR_ROLES);
  await grantRoles(manager, [
    { role: "MINTER", account: proxy },
    { role: "REWARDS_NOTIFIER", account: proxy },
  ]);
  const lens = await createOnce(deployer, journal, "RewardsLens", new RewardsLens__factory(), proxy);
  return {
    distributor: RewardsDistributor__factory.connect(proxy, deployer),
    lens: RewardsLens__factory.connect(lens, deployer),
    implementation,
  };
}

export function connectRewardsDistributor(address: string, runner: ContractRunner): RewardsDistributor {
  return RewardsDistributor__factory.connect(address, runner);
}

/** The views of a distributor, through its `RewardsLens` at `address`. */
export function connectRewardsLens(address: string, runner: ContractRunner): RewardsLens {
  return RewardsLens__factory.connect(address, runner);
}
