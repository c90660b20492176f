import { existsSync, readFileSync } from "node:fs";

import { ZeroAddress, formatEther, getAddress, isAddress, parseEther, parseUnits } from "ethers";

import { writeFileAtomicallySync } from "../atomic";
import { displayPath } from "./journal";
import { totalEmission } from "./params";

import type { DeviceClassParams } from "./registry";
import type { SuiteParams } from "./suite";
import type { SuiteParamsJson } from "../deployment-record";
import { UserError } from "../errors";

/**
 * `deploy/params/<network>.json`: the parameters of a suite deployment, as people write them.
 * Token amounts are decimal strings of whole tokens ("250000", "0.5"); credits and times are
 * integers (numbers or decimal strings); the governed feed's first price is a decimal USD string.
 * An address may be written "deployer" or "oracle" (the first and second configured accounts).
 * `registry.suspensionBudget` bounds each oracle key: `perWindow` suspensions (0 through 2^32 - 1; 0 leaves
 * suspending to the guardian) in each of its windows of `windowSeconds` (1 through 2^32 - 1).
 * Every field is required, so nothing is defaulted by accident; `parseSuiteParams` names the
 * first field that is missing or malformed.
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

class Reader {
  constructor(
    private readonly source: string,
    private readonly context: ParamsContext,
  ) {}

  fail(path: string, what: string): never {
    throw new ParamsError(`${this.source}: ${path} ${what}`);
  }

  object(value: unknown, path: string): Json {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(path, "must be an object");
    return value as Json;
  }

  field(obj: Json, key: string, path: string): unknown {
    if (!(key in obj)) this.fail(`${path}${key}`, "is missing");
    return obj[key];
  }

  string(obj: Json, key: string, path: string): string {
    const value = this.field(obj, key, path);
    if (typeof value !== "string" || value === "") this.fail(`${path}${key}`, "must be a non-empty string");
    return value;
  }

  integer(obj: Json, key: string, path: string, min = 0n, max?: bigint): bigint {
    const value = this.field(obj, key, path);
    let parsed: bigint;
    if (typeof value === "number" && Number.isSafeInteger(value)) parsed = BigInt(value);
    else if (typeof value === "string" && /^\d+$/.test(value)) parsed = BigInt(value);
    else this.fail(`${path}${key}`, "must be a whole number");
    if (parsed < min) this.fail(`${path}${key}`, `must be at least ${min}`);
    if (max !== undefined && parsed > max) this.fail(`${path}${key}`, `must be at most ${max}`);
    return parsed;
  }

  array(obj: Json, key: string, path: string): unknown[] {
    const value = this.field(obj, key, path);
    if (!Array.isArray(value) || value.length === 0) this.fail(`${path}${key}`, "must be a non-empty array");
    return value as unknown[];
  }

  tokens(obj: Json, key: string, path: string, allowZero = true): bigint {
    const value = this.field(obj, key, path);
    if (typeof value !== "string" || !/^\d+(\.\d{1,18})?$/.test(value)) {
      this.fail(`${path}${key}`, 'must be a decimal string of tokens, e.g. "250000"');
    }
    const wei = parseEther(value);
    if (!allowZero && wei === 0n) this.fail(`${path}${key}`, "must be positive");
    return wei;
  }

  address(value: unknown, path: string, allowZero = false): string {
    if (value === "deployer") return this.context.deployer;
    if (value === "oracle") {
      if (this.context.oracle === undefined) this.fail(path, 'is "oracle" but no oracle account is configured');
      return this.context.oracle;
    }
    if (value === null && allowZero) return ZeroAddress;
    if (typeof value !== "string" || !isAddress(value)) this.fail(path, 'must be an address, "deployer" or "oracle"');
    const address = getAddress(value);
    if (address === ZeroAddress && !allowZero) this.fail(path, "must not be the zero address");
    return address;
  }
}

const UINT32 = 2n ** 32n - 1n;

/** Parses and validates a params file. Throws `ParamsError` with one line naming the field. */
export function parseSuiteParams(json: string, source: string, context: ParamsContext): SuiteParamsFile {
  const r = new Reader(source, context);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ParamsError(`${source}: not valid JSON`);
  }
  const root = r.object(raw, "the file");

  const chainIds = r.array(root, "chainIds", "").map((id, i): number => {
    if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) {
      r.fail(`chainIds[${i}]`, "must be a positive integer");
    }
    return id as number;
  });

  const t = r.object(r.field(root, "token", ""), "token");
  const genesisRaw = r.field(t, "genesis", "token.");
  // Staking keeps genesis in 32 bits (until 2106) and the epoch length in 24 (about 194 days).
  const genesis = genesisRaw === "now" ? context.now : r.integer(t, "genesis", "token.", 0n, 2n ** 32n - 1n);
  const cap = r.tokens(t, "cap", "token.", false);
  const initialEpochEmission = r.tokens(t, "initialEpochEmission", "token.", false);
  if (initialEpochEmission > cap) r.fail("token.initialEpochEmission", "must not exceed token.cap");
  const genesisAllocation = r.tokens(t, "genesisAllocation", "token.");
  if (genesisAllocation > cap) r.fail("token.genesisAllocation", "must not exceed token.cap");
  const token = {
    name: r.string(t, "name", "token."),
    symbol: r.string(t, "symbol", "token."),
    cap,
    genesis,
    epochLength: r.integer(t, "epochLength", "token.", 1n, 2n ** 24n - 1n),
    initialEpochEmission,
    halvingInterval: r.integer(t, "halvingInterval", "token.", 1n, 2n ** 64n - 1n),
    genesisAllocation,
    treasury: r.address(r.field(t, "treasury", "token."), "token.treasury"),
  };
  // RewardToken's constructor refuses the same: a schedule past the cap would one day stop every mint.
  const schedule = totalEmission(token.initialEpochEmission, token.halvingInterval);
  if (genesisAllocation + schedule > cap) {
    r.fail(
      "token.cap",
      `is ${formatEther(cap)} tokens, below token.genesisAllocation (${formatEther(genesisAllocation)}) plus the ` +
        `whole emission schedule (${formatEther(schedule)}) = ${formatEther(genesisAllocation + schedule)}`,
    );
  }

  const f = r.object(r.field(root, "priceFeed", ""), "priceFeed");
  const kind = r.string(f, "kind", "priceFeed.");
  let priceFeed: SuiteParams["priceFeed"];
  if (kind === "governed") {
    const decimals = Number(r.integer(f, "decimals", "priceFeed.", 0n, 18n));
    const answer = r.string(f, "initialPrice", "priceFeed.");
    if (!/^\d+(\.\d+)?$/.test(answer)) r.fail("priceFeed.initialPrice", 'must be a decimal USD price, e.g. "0.5"');
    let initialAnswer = 0n;
    try {
      initialAnswer = parseUnits(answer, decimals);
    } catch {
      r.fail("priceFeed.initialPrice", `has more than ${decimals} decimals`);
    }
    if (initialAnswer === 0n) r.fail("priceFeed.initialPrice", "must be positive");
    priceFeed = {
      kind,
      feed: {
        decimals,
        description: r.string(f, "description", "priceFeed."),
        initialAnswer,
        maxDeviationBps: r.integer(f, "maxDeviationBps", "priceFeed.", 1n, 10_000n),
        minInterval: r.integer(f, "minInterval", "priceFeed.", 0n, UINT32),
        maxWindowMoveBps: r.integer(f, "maxWindowMoveBps", "priceFeed.", 1n, UINT32),
        moveWindow: r.integer(f, "moveWindow", "priceFeed.", 1n, UINT32),
      },
    };
  } else if (kind === "external") {
    priceFeed = { kind, address: r.address(r.field(f, "address", "priceFeed."), "priceFeed.address") };
  } else {
    throw new ParamsError(`${source}: priceFeed.kind must be "governed" or "external"`);
  }

  const c = r.object(r.field(root, "credits", ""), "credits");
  const credits = {
    maxStaleness: r.integer(c, "maxStaleness", "credits.", 1n, UINT32),
    sequencerUptimeFeed: r.address(r.field(c, "sequencerUptimeFeed", "credits."), "credits.sequencerUptimeFeed", true),
    sequencerGracePeriod: r.integer(c, "sequencerGracePeriod", "credits.", 0n, UINT32),
    maxMintPerWindow: r.integer(c, "maxMintPerWindow", "credits.", 1n, 2n ** 48n - 1n),
    mintWindow: r.integer(c, "mintWindow", "credits.", 1n, UINT32),
    undelegateNotice: r.integer(c, "undelegateNotice", "credits.", 0n, UINT32),
  };

  const g = r.object(r.field(root, "registry", ""), "registry");
  const classes: DeviceClassParams[] = r.array(g, "classes", "registry.").map((entry, i) => {
    const path = `registry.classes[${i}].`;
    const k = r.object(entry, `registry.classes[${i}]`);
    const name = r.string(k, "name", path);
    if (Buffer.byteLength(name, "utf8") > 31) r.fail(`${path}name`, "must be at most 31 bytes");
    return {
      name,
      multiplierBps: r.integer(k, "multiplierBps", path, 1n, 100_000n),
      onboardingFee: r.integer(k, "onboardingFee", path),
      locationFee: r.integer(k, "locationFee", path),
    };
  });
  // What one oracle key may suspend per window; 0 per window closes the oracle path (only the guardian suspends).
  const b = r.object(r.field(g, "suspensionBudget", "registry."), "registry.suspensionBudget");
  const suspensionBudget = {
    perWindow: r.integer(b, "perWindow", "registry.suspensionBudget.", 0n, UINT32),
    windowSeconds: r.integer(b, "windowSeconds", "registry.suspensionBudget.", 1n, UINT32),
  };
  const registry = {
    name: r.string(g, "name", "registry."),
    symbol: r.string(g, "symbol", "registry."),
    baseURI: r.string(g, "baseURI", "registry."),
    classes,
    suspensionBudget,
  };

  const s = r.object(r.field(root, "staking", ""), "staking");
  const staking = {
    unbondingPeriod: r.integer(s, "unbondingPeriod", "staking.", 1n, 2n ** 64n - 1n),
    maxCommissionStepBps: r.integer(s, "maxCommissionStepBps", "staking.", 0n, 10_000n),
  };

  const w = r.object(r.field(root, "rewards", ""), "rewards");
  const oracles = r.array(w, "oracles", "rewards.").map((o, i) => r.address(o, `rewards.oracles[${i}]`));
  if (new Set(oracles.map((o) => o.toLowerCase())).size !== oracles.length)
    r.fail("rewards.oracles", "must be distinct");
  const quorum = r.integer(w, "quorum", "rewards.", 1n);
  if (quorum > BigInt(oracles.length)) {
    r.fail("rewards.quorum", `is ${quorum}, larger than the ${oracles.length} oracle(s) of rewards.oracles`);
  }
  const split = r.object(r.field(w, "split", "rewards."), "rewards.split");
  const operatorsBps = r.integer(split, "operatorsBps", "rewards.split.", 0n, 10_000n);
  const stakersBps = r.integer(split, "stakersBps", "rewards.split.", 0n, 10_000n);
  const treasuryBps = r.integer(split, "treasuryBps", "rewards.split.", 0n, 10_000n);
  if (operatorsBps + stakersBps + treasuryBps !== 10_000n) r.fail("rewards.split", "must add up to 10000 basis points");
  const rewards = {
    quorum,
    challengeWindow: r.integer(w, "challengeWindow", "rewards.", 0n, UINT32),
    split: { operatorsBps, stakersBps, treasuryBps },
    oracles,
  };

  const p = r.object(r.field(root, "pipeline", ""), "pipeline");
  const pipeline = {
    minStakePerDevice: r.tokens(p, "minStakePerDevice", "pipeline."),
    maxProofs: r.integer(p, "maxProofs", "pipeline.", 1n),
  };

  const guardian = r.address(r.field(root, "guardian", ""), "guardian");
  const handoverDelay = Number(r.integer(root, "handoverDelay", "", 0n, UINT32));

  return {
    chainIds,
    handoverDelay,
    params: { token, priceFeed, credits, registry, staking, rewards, guardian, pipeline },
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
