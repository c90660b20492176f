import { isAddress } from "ethers";
import { UserError } from "./errors";

/*
 * The pure half of the deployment records: their shape, their parser and `addressOf`. It imports
 * nothing from Node, so that a browser bundle (the operator dApp, through the SDK's browser entry)
 * can parse a record it fetched. `deployments.ts` re-exports it and adds the file system.
 */

/**
 * The deployment record of one chain, `deployments/<chainId>.json`. dApps and tasks read contract
 * addresses from here and from nowhere else.
 */
export interface DeploymentRecord {
  readonly chainId: number;
  /** The block of the first deployment transaction. */
  readonly block: number;
  /** Contract name → address. */
  readonly contracts: Readonly<Record<string, string>>;
  /** The parameters used, as JSON (bigints as decimal strings), and where they came from. */
  readonly params?: RecordedParams;
}

/**
 * What `suite:deploy` records of a deployment's parameters: the suite params as JSON, the params
 * file (its name and SHA-256), the deployer and, after a handover, governance and its delay. Every
 * member is optional: a record written by hand or by a test may carry only some (the epoch pipeline
 * reads `pipeline` alone).
 */
export interface RecordedParams extends Partial<SuiteParamsJson> {
  readonly file?: string;
  readonly sha256?: string;
  readonly deployer?: string;
  readonly governance?: string;
  readonly handoverDelay?: number;
}

/** An integer or token amount (wei) of the recorded params: a decimal string. */
type Decimal = string;

/**
 * `SuiteParams` (`scripts/lib/deploy/suite.ts`) as the deployment record holds it: every bigint as a
 * decimal string, addresses checksummed. Declared here, apart from the deploy library, so that this
 * module stays free of Node and of the contracts' bindings.
 */
export interface SuiteParamsJson {
  readonly token: {
    readonly name: string;
    readonly symbol: string;
    readonly cap: Decimal;
    readonly genesis: Decimal;
    readonly epochLength: Decimal;
    readonly initialEpochEmission: Decimal;
    readonly halvingInterval: Decimal;
    readonly genesisAllocation: Decimal;
    readonly treasury: string;
  };
  readonly priceFeed:
    | {
        readonly kind: "governed";
        readonly feed: {
          readonly decimals: number;
          readonly description: string;
          readonly initialAnswer: Decimal;
          readonly maxDeviationBps: Decimal;
          readonly minInterval: Decimal;
          readonly maxWindowMoveBps: Decimal;
          readonly moveWindow: Decimal;
        };
      }
    | { readonly kind: "external"; readonly address: string };
  readonly credits: {
    readonly maxStaleness: Decimal;
    readonly sequencerUptimeFeed: string;
    readonly sequencerGracePeriod: Decimal;
    readonly maxMintPerWindow: Decimal;
    readonly mintWindow: Decimal;
    readonly undelegateNotice: Decimal;
  };
  readonly registry: {
    readonly name: string;
    readonly symbol: string;
    readonly baseURI: string;
    readonly classes: readonly {
      readonly name: string;
      readonly multiplierBps: Decimal;
      readonly onboardingFee: Decimal;
      readonly locationFee: Decimal;
    }[];
    readonly suspensionBudget: { readonly perWindow: Decimal; readonly windowSeconds: Decimal };
  };
  readonly staking: { readonly unbondingPeriod: Decimal; readonly maxCommissionStepBps: Decimal };
  readonly rewards: {
    readonly quorum: Decimal;
    readonly challengeWindow: Decimal;
    readonly split: { readonly operatorsBps: Decimal; readonly stakersBps: Decimal; readonly treasuryBps: Decimal };
    readonly oracles: readonly string[];
  };
  readonly guardian: string;
  readonly pipeline: { readonly minStakePerDevice: Decimal; readonly maxProofs: Decimal };
}

/** The names under which the suite records its contracts. */
export const CONTRACT_NAMES = [
  "AccessManager",
  "RewardToken",
  "DeviceRegistry",
  "DataCredits",
  "PriceFeed",
  "Staking",
  "StakingLens",
  "RewardsDistributor",
  "RewardsLens",
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export class DeploymentError extends UserError {
  override readonly name = "DeploymentError";
}

/**
 * Parses and validates a record. Throws `DeploymentError` with a one-line reason. Written by hand,
 * not through the schema layer (`schema.ts`) that reads the other configuration files: this parser
 * runs in the operator dApp, where ajv would add 122 kB (36 kB gzipped) to a 794 kB bundle for
 * three checks, and compiles its validators with `new Function`, which a page served with a
 * Content-Security-Policy without 'unsafe-eval' refuses.
 */
export function parseDeployment(json: string, source: string): DeploymentRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new DeploymentError(`${source} is not valid JSON`);
  }
  if (typeof raw !== "object" || raw === null) throw new DeploymentError(`${source} is not a deployment record`);
  const record = raw as Record<string, unknown>;
  if (!Number.isSafeInteger(record.chainId)) throw new DeploymentError(`${source}: chainId must be an integer`);
  if (!Number.isSafeInteger(record.block)) throw new DeploymentError(`${source}: block must be an integer`);
  if (typeof record.contracts !== "object" || record.contracts === null) {
    throw new DeploymentError(`${source}: contracts must be an object of name → address`);
  }
  for (const [name, address] of Object.entries(record.contracts)) {
    if (typeof address !== "string" || !isAddress(address)) {
      throw new DeploymentError(`${source}: contracts.${name} is not an address`);
    }
  }
  return record as unknown as DeploymentRecord;
}

/** The address of `name` in the record. Throws `DeploymentError` when it is not recorded. */
export function addressOf(record: DeploymentRecord, name: ContractName): string {
  const address = record.contracts[name];
  if (address === undefined) throw new DeploymentError(`the deployment of chain ${record.chainId} has no ${name}`);
  return address;
}
