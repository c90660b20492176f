import type { ContractRunner, Signer } from "ethers";

import { RewardToken__factory, type AccessManager, type RewardToken } from "../../../typechain-types";
import type { RoleTable } from "./authority";
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
): Promise<RewardToken> {
  const token = await new RewardToken__factory(deployer).deploy(
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
  await token.waitForDeployment();
  return token;
}

export function connectRewardToken(address: string, runner: ContractRunner): RewardToken {
  return RewardToken__factory.connect(address, runner);
}
