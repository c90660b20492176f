import type { Signer } from "ethers";

import { addressOf, type DeploymentRecord } from "../deployments";
import { UPGRADEABLE, implementationOf } from "./upgrade";

/** One contract for hardhat-verify: its address and the constructor arguments it was created with. */
export interface VerificationTarget {
  readonly name: string;
  readonly address: string;
  readonly constructorArguments: readonly unknown[];
}

interface RecordedParams {
  readonly deployer?: string;
  readonly token?: Record<string, string>;
  readonly priceFeed?: { readonly kind: string; readonly feed?: Record<string, string | number> };
}

/**
 * What `suite:verify` submits: the implementation behind each UUPS proxy (explorers link an ERC-1967
 * proxy to its verified implementation by themselves), and the contracts deployed without a proxy,
 * with the constructor arguments the deployment record kept: the AccessManager (its first admin, the
 * deployer), the RewardToken (its configuration and authority) and the governed price feed.
 */
export async function verificationTargets(signer: Signer, record: DeploymentRecord): Promise<VerificationTarget[]> {
  const params = (record.params ?? {}) as RecordedParams;
  const authority = addressOf(record, "AccessManager");
  const targets: VerificationTarget[] = [];
  for (const name of UPGRADEABLE) {
    targets.push({
      name: `${name} (implementation)`,
      address: await implementationOf(signer, addressOf(record, name)),
      constructorArguments: [],
    });
  }
  if (params.deployer !== undefined) {
    targets.push({ name: "AccessManager", address: authority, constructorArguments: [params.deployer] });
  }
  if (params.token !== undefined) {
    const t = params.token;
    const config = [
      t.name,
      t.symbol,
      t.cap,
      t.genesis,
      t.epochLength,
      t.initialEpochEmission,
      t.halvingInterval,
      t.genesisAllocation,
      t.treasury,
    ];
    targets.push({
      name: "RewardToken",
      address: addressOf(record, "RewardToken"),
      constructorArguments: [config, authority],
    });
  }
  const feed = params.priceFeed?.kind === "governed" ? params.priceFeed.feed : undefined;
  if (feed !== undefined) {
    targets.push({
      name: "GovernedPriceFeed",
      address: addressOf(record, "PriceFeed"),
      constructorArguments: [
        authority,
        feed.decimals,
        feed.description,
        feed.initialAnswer,
        feed.maxDeviationBps,
        feed.minInterval,
        feed.maxWindowMoveBps,
        feed.moveWindow,
      ],
    });
  }
  return targets;
}
