import { existsSync, readFileSync } from "node:fs";

import { ZeroAddress, formatEther, getAddress, isAddress, parseEther, parseUnits } from "ethers";

import { writeFileAtomicallySync } from "../atomic";
import { displayPath } from "./journal";
import { totalEmission } from "./params";

import { PARAMS_SCHEMA, type ParamsInput } from "./params-schema";
import type { DeviceClassParams } from "./registry";
import type { SuiteParams } from "./suite";
import type { SuiteParamsJson } from "../deployment-record";
import { UserError } from "../errors";
import { schemaParser } from "../schema";

/**
 * `deploy/params/<network>.json`: the parameters of a suite deployment, as people write them.
 * Token amounts are decimal strings of whole tokens ("250000", "0.5"); credits and times are
 * integers (numbers or decimal strings); the governed feed's first price is a decimal USD string.
 * An address may be written "deployer" or "oracle" (the first and second configured accounts).
 * `registry.suspensionBudget` bounds each oracle key: `perWindow` suspensions (0 through 2^32 - 1; 0 leaves
 * suspending to the guardian) in each of its windows of `windowSeconds` (1 through 2^32 - 1).
 * Every field is required, so nothing is defaulted by accident; `parseSuiteParams` names the
 * first field that is missing or malformed. The fields, their units and bounds are described by
 * `PARAMS_SCHEMA` (params-schema.ts), published as `deploy/params/schema.json`.
 */
export interface SuiteParamsFile {
  readonly chainIds: readonly number[];
  readonly params: SuiteParams;
  /** The execution delay governance gets at `--handover`, in seconds. */
  readonly handoverDelay: number;
}

export class ParamsError extends UserError {
  override readonly name = "ParamsError";
}

/** What the placeholders and "now" resolve to. */
export interface ParamsContext {
  readonly deployer: string;
  readonly oracle?: string;
  /** The latest block's timestamp, for `"genesis": "now"`. */
  readonly now: bigint;
}

type Json = Record<string, unknown>;

const parser = schemaParser(PARAMS_SCHEMA, { error: ParamsError });

/** Parses and validates a params file. Throws `ParamsError` with one line naming the field. */
export function parseSuiteParams(json: string, source: string, context: ParamsContext): SuiteParamsFile {
  return resolveParams(parser.text(json, source), source, context);
}

/**
 * What the schema cannot say, after it: "deployer", "oracle" and "now" resolved against `context`,
 * an address's checksum, a class name's length in bytes, the price against the feed's decimals,
 * and the rules between fields (the cap against the emission schedule, the oracles distinct and at
 * least `quorum` of them, the split adding up to 10,000).
 */
function resolveParams(raw: ParamsInput, source: string, context: ParamsContext): SuiteParamsFile {
  const fail = (field: string, what: string): never => {
    throw new ParamsError(`${source}: ${field} ${what}`);
  };
  const address = (value: string | null, field: string): string => {
    if (value === null) return ZeroAddress;
    if (value === "deployer") return context.deployer;
    if (value === "oracle") return context.oracle ?? fail(field, 'is "oracle" but no oracle account is configured');
    if (!isAddress(value)) fail(field, 'must be an address, "deployer" or "oracle"');
    return getAddress(value);
  };

  const t = raw.token;
  const token = {
    name: t.name,
    symbol: t.symbol,
    cap: parseEther(t.cap),
    genesis: t.genesis === "now" ? context.now : BigInt(t.genesis),
    epochLength: BigInt(t.epochLength),
    initialEpochEmission: parseEther(t.initialEpochEmission),
    halvingInterval: BigInt(t.halvingInterval),
    genesisAllocation: parseEther(t.genesisAllocation),
    treasury: address(t.treasury, "token.treasury"),
  };
  const { cap, genesisAllocation } = token;
  if (token.initialEpochEmission > cap) fail("token.initialEpochEmission", "must not exceed token.cap");
  if (genesisAllocation > cap) fail("token.genesisAllocation", "must not exceed token.cap");
  // RewardToken's constructor refuses the same: a schedule past the cap would one day stop every mint.
  const schedule = totalEmission(token.initialEpochEmission, token.halvingInterval);
  if (genesisAllocation + schedule > cap) {
    fail(
      "token.cap",
      `is ${formatEther(cap)} tokens, below token.genesisAllocation (${formatEther(genesisAllocation)}) plus the ` +
        `whole emission schedule (${formatEther(schedule)}) = ${formatEther(genesisAllocation + schedule)}`,
    );
  }

  const f = raw.priceFeed;
  let priceFeed: SuiteParams["priceFeed"];
  if (f.kind === "governed") {
    const decimals = Number(f.decimals);
    let initialAnswer = 0n;
    try {
      initialAnswer = parseUnits(f.initialPrice, decimals);
    } catch {
      fail("priceFeed.initialPrice", `has more than ${decimals} decimals`);
    }
    if (initialAnswer === 0n) fail("priceFeed.initialPrice", "must be positive");
    priceFeed = {
      kind: "governed",
      feed: {
        decimals,
        description: f.description,
        initialAnswer,
        maxDeviationBps: BigInt(f.maxDeviationBps),
        minInterval: BigInt(f.minInterval),
        maxWindowMoveBps: BigInt(f.maxWindowMoveBps),
        moveWindow: BigInt(f.moveWindow),
      },
    };
  } else {
    priceFeed = { kind: "external", address: address(f.address, "priceFeed.address") };
  }

  const c = raw.credits;
  const credits = {
    maxStaleness: BigInt(c.maxStaleness),
    sequencerUptimeFeed: address(c.sequencerUptimeFeed, "credits.sequencerUptimeFeed"),
    sequencerGracePeriod: BigInt(c.sequencerGracePeriod),
    maxMintPerWindow: BigInt(c.maxMintPerWindow),
    mintWindow: BigInt(c.mintWindow),
    undelegateNotice: BigInt(c.undelegateNotice),
  };

  const g = raw.registry;
  const classes: DeviceClassParams[] = g.classes.map((k, i) => {
    if (new TextEncoder().encode(k.name).length > 31) fail(`registry.classes[${i}].name`, "must be at most 31 bytes");
    return {
      name: k.name,
      multiplierBps: BigInt(k.multiplierBps),
      onboardingFee: BigInt(k.onboardingFee),
      locationFee: BigInt(k.locationFee),
    };
  });
  const registry = {
    name: g.name,
    symbol: g.symbol,
    baseURI: g.baseURI,
    classes,
    // What one oracle key may suspend per window; 0 per window closes the oracle path (only the guardian suspends).
    suspensionBudget: {
      perWindow: BigInt(g.suspensionBudget.perWindow),
      windowSeconds: BigInt(g.suspensionBudget.windowSeconds),
    },
  };

  const w = raw.rewards;
  const oracles = w.oracles.map((o, i) => address(o, `rewards.oracles[${i}]`));
  if (new Set(oracles.map((o) => o.toLowerCase())).size !== oracles.length) fail("rewards.oracles", "must be distinct");
  const quorum = BigInt(w.quorum);
  if (quorum > BigInt(oracles.length)) {
    fail("rewards.quorum", `is ${quorum}, larger than the ${oracles.length} oracle(s) of rewards.oracles`);
  }
  const split = {
    operatorsBps: BigInt(w.split.operatorsBps),
    stakersBps: BigInt(w.split.stakersBps),
    treasuryBps: BigInt(w.split.treasuryBps),
  };
  if (split.operatorsBps + split.stakersBps + split.treasuryBps !== 10_000n) {
    fail("rewards.split", "must add up to 10000 basis points");
  }
  const rewards = { quorum, challengeWindow: BigInt(w.challengeWindow), split, oracles };

  const pipeline = {
    minStakePerDevice: parseEther(raw.pipeline.minStakePerDevice),
    maxProofs: BigInt(raw.pipeline.maxProofs),
  };

  return {
    chainIds: raw.chainIds,
    handoverDelay: Number(raw.handoverDelay),
    params: {
      token,
      priceFeed,
      credits,
      registry,
      staking: {
        unbondingPeriod: BigInt(raw.staking.unbondingPeriod),
        maxCommissionStepBps: BigInt(raw.staking.maxCommissionStepBps),
      },
      rewards,
      guardian: address(raw.guardian, "guardian"),
      pipeline,
    },
  };
}

/** Reads and parses a params file. Throws `ParamsError` with one line when it is missing or malformed. */
export function loadSuiteParams(file: string, context: ParamsContext): SuiteParamsFile {
  if (!existsSync(file)) throw new ParamsError(`${file}: no such params file`);
  return parseSuiteParams(readFileSync(file, "utf8"), file, context);
}

/** The params as JSON values (bigints as decimal strings), for the deployment record. */
export function paramsToJson(value: SuiteParams): SuiteParamsJson;
export function paramsToJson(value: unknown): unknown;
export function paramsToJson(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(paramsToJson);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, paramsToJson(v)]));
  }
  return value;
}

/**
 * A params file's text with its `chainIds` set to `[chainId]` and nothing else changed: the
 * `"chainIds": [...]` text is replaced where it is, so the file keeps its layout (rewritten as
 * indented JSON only when that text cannot be found once). Throws `ParamsError` when `text` is not
 * a JSON object with a `chainIds` array.
 */
export function withChainId(text: string, source: string, chainId: number): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ParamsError(`${source} is not valid JSON`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json) || !Array.isArray((json as Json).chainIds)) {
    throw new ParamsError(`${source} is not a params file: it has no chainIds array`);
  }
  const pattern = /"chainIds"\s*:\s*\[[^\]]*\]/g;
  if ((text.match(pattern) ?? []).length === 1) {
    const replaced = text.replace(pattern, `"chainIds": [${chainId}]`);
    const check = JSON.parse(replaced) as Json;
    if (JSON.stringify({ ...check, chainIds: null }) === JSON.stringify({ ...(json as Json), chainIds: null })) {
      return replaced;
    }
  }
  return JSON.stringify({ ...(json as Json), chainIds: [chainId] }, null, 2) + "\n";
}

/** What `suite:init-params` asks for. */
export interface InitParamsRequest {
  /** The params file to start from. */
  readonly template: string;
  /** The file to write: the network's `deploy/params/<network>.json`. */
  readonly out: string;
  readonly chainId: number;
  /** Rewrite `out` when it exists. */
  readonly force: boolean;
  /** What the written file is validated against: the configured accounts and the latest block's time. */
  readonly context: ParamsContext;
}

export type InitParamsOutcome =
  | { readonly outcome: "exists"; readonly file: string }
  /** `problem` is the validation's line when the written file still needs filling in (a template's placeholders). */
  | { readonly outcome: "written"; readonly file: string; readonly problem?: string };

/**
 * `suite:init-params`: writes `out` as `template` for `chainId` alone. An existing `out` that lists
 * the chain already is left alone (`exists`); one for other chains is refused unless `force`. The
 * file is written whole or not at all, then validated as `suite:deploy` will; a template's
 * placeholders (testnet.json's oracles and guardian) come back as `problem`, for the user to fill in.
 */
export function initSuiteParams(request: InitParamsRequest): InitParamsOutcome {
  const { template, out, chainId } = request;
  if (!existsSync(template)) throw new ParamsError(`${displayPath(template)}: no such params file`);
  const text = withChainId(readFileSync(template, "utf8"), displayPath(template), chainId);
  if (existsSync(out) && !request.force) {
    let listed: unknown;
    try {
      listed = (JSON.parse(readFileSync(out, "utf8")) as Json).chainIds;
    } catch {
      listed = undefined;
    }
    if (Array.isArray(listed) && listed.includes(chainId)) return { outcome: "exists", file: out };
    const chains = Array.isArray(listed) ? `chain ${listed.join(", ")}` : "no chain";
    throw new ParamsError(
      `${displayPath(out)} exists and is for ${chains}, not ${chainId}: add ${chainId} to its chainIds, or pass --force to rewrite it from ${displayPath(template)}`,
    );
  }
  writeFileAtomicallySync(out, text);
  try {
    parseSuiteParams(text, displayPath(out), request.context);
    return { outcome: "written", file: out };
  } catch (error) {
    if (!(error instanceof ParamsError)) throw error;
    return { outcome: "written", file: out, problem: error.message };
  }
}
