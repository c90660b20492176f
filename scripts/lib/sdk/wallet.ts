import { getAddress } from "ethers";

import { formatH3Cell } from "../registry/h3";
import { decodeName } from "../registry/names";
import type { SuiteContracts } from "./contracts";
import { DEVICE_STATUS_NAMES } from "./flows";

/** One token of a token list (https://tokenlists.org, the Uniswap schema). */
export interface TokenInfo {
  readonly chainId: number;
  readonly address: string;
  readonly name: string;
  readonly symbol: string;
  readonly decimals: number;
  readonly logoURI?: string;
  readonly tags?: readonly string[];
}

export interface TokenList {
  readonly name: string;
  readonly timestamp: string;
  readonly version: { readonly major: number; readonly minor: number; readonly patch: number };
  readonly tokens: readonly TokenInfo[];
  readonly tags?: Readonly<Record<string, { readonly name: string; readonly description: string }>>;
  readonly logoURI?: string;
  readonly keywords?: readonly string[];
}

/**
 * The suite's wallet-facing tokens on one chain, read from the contracts: the reward token and the
 * data credits (0 decimals, tagged `soulbound` so a wallet shows a balance and offers no send).
 */
export async function suiteTokens(suite: SuiteContracts, logoURI?: string): Promise<TokenInfo[]> {
  const chainId = Number(suite.chainId);
  const read = async (contract: SuiteContracts["token"] | SuiteContracts["credits"], tags: string[]) => {
    const [name, symbol, decimals] = await Promise.all([contract.name(), contract.symbol(), contract.decimals()]);
    const info: TokenInfo = {
      chainId,
      address: getAddress(await contract.getAddress()),
      name,
      symbol,
      decimals: Number(decimals),
      tags,
    };
    return logoURI === undefined ? info : { ...info, logoURI };
  };
  return [await read(suite.token, ["reward"]), await read(suite.credits, ["credits", "soulbound"])];
}

/**
 * A token list of `tokens` (one chain or several). Token lists are versioned: the caller bumps
 * `version` when the tokens change. The name must match the schema's `^[\w ]+$`, at most 30 characters;
 * tag ids are at most 10 word characters and descriptions allow only `[ \w.,:]`.
 */
export function buildTokenList(
  name: string,
  tokens: readonly TokenInfo[],
  options: { readonly version?: TokenList["version"]; readonly timestamp?: Date } = {},
): TokenList {
  return {
    name,
    timestamp: (options.timestamp ?? new Date()).toISOString(),
    version: options.version ?? { major: 1, minor: 0, patch: 0 },
    keywords: ["depin"],
    tags: {
      reward: { name: "Reward", description: "The network reward token" },
      credits: { name: "Credits", description: "Data credits, burned to pay for the network service" },
      soulbound: { name: "Non transferable", description: "Balances cannot be sent to another account" },
    },
    tokens: [...tokens].sort((a, b) => a.chainId - b.chainId || a.address.localeCompare(b.address)),
  };
}

/**
 * The version a token list takes when its tokens go from `previous` to `next`, by the token-list
 * rules: a token removed bumps the major version, a token added the minor, a token's details changed
 * the patch; the same tokens keep the version.
 */
export function nextTokenListVersion(previous: TokenList, next: readonly TokenInfo[]): TokenList["version"] {
  const key = (t: TokenInfo) => `${t.chainId}:${t.address.toLowerCase()}`;
  const before = new Map(previous.tokens.map((t) => [key(t), JSON.stringify(t)]));
  const after = new Map(next.map((t) => [key(t), JSON.stringify(t)]));
  const { major, minor, patch } = previous.version;
  if ([...before.keys()].some((k) => !after.has(k))) return { major: major + 1, minor: 0, patch: 0 };
  if ([...after.keys()].some((k) => !before.has(k))) return { major, minor: minor + 1, patch: 0 };
  if ([...after].some(([k, v]) => before.get(k) !== v)) return { major, minor, patch: patch + 1 };
  return previous.version;
}

/** The EIP-747 `wallet_watchAsset` request that asks a wallet to track `token`. */
export function watchAssetRequest(token: TokenInfo): {
  method: "wallet_watchAsset";
  params: { type: "ERC20"; options: { address: string; symbol: string; decimals: number; image?: string } };
} {
  const options = { address: token.address, symbol: token.symbol, decimals: token.decimals };
  return {
    method: "wallet_watchAsset",
    params: { type: "ERC20", options: token.logoURI === undefined ? options : { ...options, image: token.logoURI } },
  };
}

/** ERC-721 metadata in the usual form (name, description, image, external_url, attributes). */
export interface DeviceMetadata {
  readonly name: string;
  readonly description: string;
  readonly image?: string;
  readonly external_url?: string;
  readonly attributes: readonly { readonly trait_type: string; readonly value: string | number }[];
}

/**
 * The metadata JSON of a device token, from its on-chain info: its class, status and H3 cell, its
 * maker and its number of location assertions. A metadata server answers `tokenURI` with it.
 */
export async function deviceMetadata(
  suite: SuiteContracts,
  tokenId: bigint,
  options: { readonly image?: string; readonly externalUrl?: string } = {},
): Promise<DeviceMetadata> {
  const info = await suite.registry.deviceInfo(tokenId);
  const deviceClass = await suite.registry.deviceClass(info.deviceClass);
  const className = decodeName(deviceClass.name);
  const address = getAddress(`0x${tokenId.toString(16).padStart(40, "0")}`);
  const cell = info.location === 0n ? "none" : formatH3Cell(info.location);
  const metadata: DeviceMetadata = {
    name: `${className} ${address.slice(0, 6)}…${address.slice(-4)}`,
    description: `A ${className} device of the network, onboarded by maker ${info.makerId}; its device key is ${address}.`,
    attributes: [
      { trait_type: "class", value: className },
      { trait_type: "status", value: DEVICE_STATUS_NAMES[Number(info.status)] ?? "none" },
      { trait_type: "H3 cell", value: cell },
      { trait_type: "maker", value: Number(info.makerId) },
      { trait_type: "location assertions", value: Number(info.assertionCount) },
    ],
  };
  return {
    ...metadata,
    ...(options.image === undefined ? {} : { image: options.image }),
    ...(options.externalUrl === undefined ? {} : { external_url: options.externalUrl }),
  };
}
