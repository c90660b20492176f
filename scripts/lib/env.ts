import { UserError } from "./errors";
import { schemaParser } from "./schema";

/**
 * The suite's configuration from the environment, parsed and validated in one place.
 *
 * This module is pure: `parseEnv` receives the variables (hardhat.config.ts passes `process.env`
 * after loading `.env`) and never reads the environment itself. A public network's variables are
 * only required when that network is used, so `npm test` never depends on them.
 */

/** The networks the suite knows, with the chain id each must report. */
export const PUBLIC_NETWORKS = {
  sepolia: { chainId: 11155111, urlVar: "SEPOLIA_RPC_URL" },
  baseSepolia: { chainId: 84532, urlVar: "BASE_SEPOLIA_RPC_URL" },
  arbitrumSepolia: { chainId: 421614, urlVar: "ARBITRUM_SEPOLIA_RPC_URL" },
  custom: { chainId: undefined, urlVar: "RPC_URL" },
} as const;

export type PublicNetworkName = keyof typeof PUBLIC_NETWORKS;

export interface SuiteEnv {
  /** RPC URL per public network, where set. */
  readonly rpcUrls: Partial<Record<PublicNetworkName, string>>;
  /** 0x-prefixed 32-byte hex keys, where set. */
  readonly deployerPrivateKey?: string;
  readonly oraclePrivateKey?: string;
  readonly etherscanApiKey?: string;
  /** The `localhost` network's URL (`LOCALHOST_RPC_URL`, default http://127.0.0.1:8545). */
  readonly localhostUrl: string;
  /** `REPORT_GAS=true` turns on hardhat-gas-reporter during tests. */
  readonly reportGas: boolean;
}

/** A configuration problem, phrased as one line that names the variable. */
export class EnvError extends UserError {
  override readonly name = "EnvError";
}

/** The variables the suite reads, each optional; blank counts as unset. */
type EnvInput = { readonly [name: string]: string | undefined };

const URL_VARS = [...Object.values(PUBLIC_NETWORKS).map((n) => n.urlVar), "LOCALHOST_RPC_URL"];
const KEY_VARS = ["DEPLOYER_PRIVATE_KEY", "ORACLE_PRIVATE_KEY"];
const ALL_VARS = [...URL_VARS, ...KEY_VARS, "ETHERSCAN_API_KEY", "REPORT_GAS"];

const URL_SCHEMA = {
  type: "string",
  allOf: [
    { type: "string", format: "url", messages: { format: "is not a valid URL" } },
    { type: "string", format: "web-url", messages: { format: "must be an http(s) or ws(s) URL" } },
  ],
};
const KEY_SCHEMA = {
  type: "string",
  pattern: "^(0x)?[0-9a-fA-F]{64}$",
  messages: { pattern: "must be a 32-byte hex private key (64 hex digits, optionally 0x-prefixed)" },
};

const parser = schemaParser<EnvInput>(
  {
    type: "object",
    properties: Object.fromEntries([
      ...URL_VARS.map((name) => [name, URL_SCHEMA]),
      ...KEY_VARS.map((name) => [name, KEY_SCHEMA]),
    ]),
  },
  { error: EnvError, root: "the environment", withSource: false },
);

/** Parses and validates the variables. Throws `EnvError` for a malformed value. */
export function parseEnv(vars: Readonly<Record<string, string | undefined>>): SuiteEnv {
  const set: Record<string, string> = {};
  for (const name of ALL_VARS) {
    const value = vars[name]?.trim();
    if (value !== undefined && value !== "") set[name] = value;
  }
  const env = parser.value(set, "the environment");
  const key = (value: string | undefined) => (value === undefined || value.startsWith("0x") ? value : `0x${value}`);
  const rpcUrls: Partial<Record<PublicNetworkName, string>> = {};
  for (const [name, { urlVar }] of Object.entries(PUBLIC_NETWORKS) as [PublicNetworkName, { urlVar: string }][]) {
    if (env[urlVar] !== undefined) rpcUrls[name] = env[urlVar];
  }
  return {
    rpcUrls,
    deployerPrivateKey: key(env.DEPLOYER_PRIVATE_KEY),
    oraclePrivateKey: key(env.ORACLE_PRIVATE_KEY),
    etherscanApiKey: env.ETHERSCAN_API_KEY,
    localhostUrl: env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545",
    reportGas: env.REPORT_GAS === "true",
  };
}

export function isPublicNetwork(name: string): name is PublicNetworkName {
  return Object.prototype.hasOwnProperty.call(PUBLIC_NETWORKS, name);
}

/**
 * The variables a network needs before anything is sent on it, in the order they are reported.
 * `hardhat` and `localhost` need none: they fall back to the node's own unlocked accounts.
 */
export function missingForNetwork(env: SuiteEnv, network: string): string[] {
  if (!isPublicNetwork(network)) return [];
  const missing: string[] = [];
  if (env.rpcUrls[network] === undefined) missing.push(PUBLIC_NETWORKS[network].urlVar);
  if (env.deployerPrivateKey === undefined) missing.push("DEPLOYER_PRIVATE_KEY");
  return missing;
}

/** Throws a one-line `EnvError` naming what the network lacks. */
export function assertNetworkEnv(env: SuiteEnv, network: string): void {
  const missing = missingForNetwork(env, network);
  if (missing.length > 0) {
    throw new EnvError(
      `network "${network}" needs ${missing.join(", ")}: set it in the environment or in .env (see .env.example)`,
    );
  }
}

/** The signer keys for a network's `accounts`: the deployer first, then the oracle. */
export function accountsFor(env: SuiteEnv): string[] {
  return [env.deployerPrivateKey, env.oraclePrivateKey].filter((k): k is string => k !== undefined);
}
