import type { ContractRunner, Signer } from "ethers";

import { RewardToken__factory, type AccessManager, type RewardToken } from "../../../typechain-types";
import type { RoleTable } from "./authority";
import { createOnce, memoryJournal, type Journal } from "./journal";
import type { TokenParams } from "./params";

/** The token's privileged functions and their roles. */
export const REWARD_TOKEN_ROLES: RoleTable = {
  MINTER: ["mint(address,uint256)"],
};

/** Deploys the RewardToken under `manager`. The caller wires `REWARD_TOKEN_ROLES`. */
export async function deployRewardToken(
  deployer: Signer,
  manager: AccessManager,
  params: TokenParams,
  journal: Journal = memoryJournal(),
): Promise<RewardToken> {
  const address = await createOnce(
    deployer,
    journal,
    "RewardToken",
    new RewardToken__factory(deployer),
    {
      name: params.name,
      symbol: params.symbol,
      cap: params.cap,
      genesis: params.genesis,
      epochLength: params.epochLength,
      initialEpochEmission: params.initialEpochEmission,
      halvingInterval: params.halvingInterval,
      genesisAllocation: params.genesisAllocation,
      treasury: params.treasury,
    },
    await manager.getAddress(),
  );
  return RewardToken__factory.connect(address, deployer);
}

export function connectRewardToken(address: string, runner: ContractRunner): RewardToken {
  return RewardToken__factory.connect(address, runner);
}
