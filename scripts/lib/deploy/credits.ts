import { ZeroAddress, type ContractRunner, type Signer } from "ethers";

import {
  DataCredits__factory,
  GovernedPriceFeed__factory,
  type AccessManager,
  type DataCredits,
  type GovernedPriceFeed,
} from "../../../typechain-types";
import { restrictFunctions, type RoleTable } from "./authority";
import { createOnce, memoryJournal, type Journal } from "./journal";
import { deployUupsProxy } from "./proxy";

/** DataCredits' privileged functions and their roles. */
export const DATA_CREDITS_ROLES: RoleTable = {
  SUITE_ADMIN: [
    "setPriceFeed(address)",
    "setMaxStaleness(uint32)",
    "setSequencerUptimeFeed(address,uint32)",
    "setCircuitBreaker(uint48,uint32)",
    "setUndelegateNotice(uint32)",
    "unpause()",
  ],
  GUARDIAN: ["pause()"],
  ROUTER_ADMIN: ["registerRouter(address)", "removeRouter(address)"],
  FEE_BURNER: ["burnFee(address,uint256,bytes32)"],
  UPGRADER: ["upgradeToAndCall(address,bytes)"],
};

/** GovernedPriceFeed's privileged functions and their roles. */
export const GOVERNED_PRICE_FEED_ROLES: RoleTable = {
  ORACLE: ["updateAnswer(int256)"],
  SUITE_ADMIN: ["setMaxDeviationBps(uint16)", "setMinInterval(uint32)", "setMaxWindowMove(uint32,uint32)"],
};

/** DataCredits' parameters. Times are seconds; `maxMintPerWindow` is in credits (1 DC = $0.00001). */
export interface DataCreditsParams {
  readonly priceFeed: string;
  readonly maxStaleness: bigint;
  /** The L2 sequencer-uptime feed, or the zero address on a chain without one. */
  readonly sequencerUptimeFeed: string;
  readonly sequencerGracePeriod: bigint;
  readonly maxMintPerWindow: bigint;
  readonly mintWindow: bigint;
  readonly undelegateNotice: bigint;
}

/** The governed feed's parameters. `initialAnswer` is USD per token with `decimals` decimals. */
export interface GovernedPriceFeedParams {
  readonly decimals: number;
  readonly description: string;
  readonly initialAnswer: bigint;
  readonly maxDeviationBps: bigint;
  readonly minInterval: bigint;
  /** The most the prices in force within any `moveWindow` seconds may differ, in bps of the lowest. */
  readonly maxWindowMoveBps: bigint;
  readonly moveWindow: bigint;
}

/**
 * The defaults: a price at most 1 h old (PROTOCOL.md), a 1 h sequencer grace period (Chainlink's
 * suggestion), at most 100,000,000,000 DC ($1,000,000) minted in any 24 h, and a 24 h undelegation notice.
 */
export function defaultDataCreditsParams(priceFeed: string, sequencerUptimeFeed: string): DataCreditsParams {
  return {
    priceFeed,
    maxStaleness: 3_600n,
    sequencerUptimeFeed,
    sequencerGracePeriod: 3_600n,
    maxMintPerWindow: 100_000_000_000n,
    mintWindow: 86_400n,
    undelegateNotice: 86_400n,
  };
}

/**
 * The governed feed's defaults: 8 decimals like Chainlink's USD feeds, at most 5 % per update and at
 * least 15 min between updates (so the oracle refreshes well inside the 1 h staleness bound, and a
 * compromised oracle moves the price by at most about 21 % an hour), and at most 50 % between the prices
 * of any 24 h (without it, 5 % every 15 min compounds to about ×100 a day).
 */
export function defaultGovernedPriceFeedParams(
  initialAnswer: bigint,
  description = "DPN / USD",
): GovernedPriceFeedParams {
  return {
    decimals: 8,
    description,
    initialAnswer,
    maxDeviationBps: 500n,
    minInterval: 900n,
    maxWindowMoveBps: 5_000n,
    moveWindow: 86_400n,
  };
}

/**
 * Deploys DataCredits behind a UUPS proxy (initialized in the proxy's deploy transaction) under
 * `manager`, burning `token`. The caller wires `DATA_CREDITS_ROLES`.
 */
export async function deployDataCredits(
  deployer: Signer,
  manager: AccessManager,
  token: string,
  params: DataCreditsParams,
  journal: Journal = memoryJournal(),
): Promise<DataCredits> {
  const { proxy } = await deployUupsProxy(
    deployer,
    new DataCredits__factory(deployer),
    "initialize",
    [
      await manager.getAddress(),
      token,
      {
        priceFeed: params.priceFeed,
        maxStaleness: params.maxStaleness,
        sequencerUptimeFeed: params.sequencerUptimeFeed,
        sequencerGracePeriod: params.sequencerGracePeriod,
        maxMintPerWindow: params.maxMintPerWindow,
        mintWindow: params.mintWindow,
        undelegateNotice: params.undelegateNotice,
      },
    ],
    { journal, name: "DataCredits" },
  );
  return DataCredits__factory.connect(proxy, deployer);
}

/** Deploys the governed price feed under `manager`. The caller wires `GOVERNED_PRICE_FEED_ROLES`. */
export async function deployGovernedPriceFeed(
  deployer: Signer,
  manager: AccessManager,
  params: GovernedPriceFeedParams,
  journal: Journal = memoryJournal(),
): Promise<GovernedPriceFeed> {
  const address = await createOnce(
    deployer,
    journal,
    "PriceFeed",
    new GovernedPriceFeed__factory(deployer),
    await manager.getAddress(),
    params.decimals,
    params.description,
    params.initialAnswer,
    params.maxDeviationBps,
    params.minInterval,
    params.maxWindowMoveBps,
    params.moveWindow,
  );
  return GovernedPriceFeed__factory.connect(address, deployer);
}

export function connectDataCredits(address: string, runner: ContractRunner): DataCredits {
  return DataCredits__factory.connect(address, runner);
}

export function connectGovernedPriceFeed(address: string, runner: ContractRunner): GovernedPriceFeed {
  return GovernedPriceFeed__factory.connect(address, runner);
}

/**
 * The governed feed at `initialAnswer` (default feed params) and DataCredits reading it (default
 * params, no sequencer feed), both deployed under `manager` with their role tables wired: what the
 * tests and the bench need before they add their own roles. `suite:deploy` takes its params file instead.
 */
export async function deployGovernedCredits(
  deployer: Signer,
  manager: AccessManager,
  token: string,
  initialAnswer: bigint,
): Promise<{ feed: GovernedPriceFeed; credits: DataCredits }> {
  const feed = await deployGovernedPriceFeed(deployer, manager, defaultGovernedPriceFeedParams(initialAnswer));
  const credits = await deployDataCredits(
    deployer,
    manager,
    token,
    defaultDataCreditsParams(await feed.getAddress(), ZeroAddress),
  );
  await restrictFunctions(manager, await feed.getAddress(), GOVERNED_PRICE_FEED_ROLES);
  await restrictFunctions(manager, await credits.getAddress(), DATA_CREDITS_ROLES);
  return { feed, credits };
}
