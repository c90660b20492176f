/**
 * Thin tasks over `scripts/lib/credits`: each parses and validates its arguments, reads addresses
 * from `deployments/<chainId>.json`, makes one library call and prints the result. Bad input fails
 * with one line and a non-zero exit. Signers: index 0 buys and delegates, index 1 is the oracle.
 */
import path from "node:path";

import { isAddress, parseEther } from "ethers";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { runCommand } from "../scripts/lib/cli";

class TaskInputError extends Error {}

function address(value: string, what: string): string {
  if (!isAddress(value)) throw new TaskInputError(`${what} is not an address: "${value}"`);
  return value;
}

function wholeNumber(value: string, what: string): bigint {
  if (!/^\d+$/.test(value)) throw new TaskInputError(`${what} must be a whole number, got "${value}"`);
  return BigInt(value);
}

function tokenAmount(value: string): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(value)) throw new TaskInputError(`tokens must be a decimal amount, got "${value}"`);
  const wei = parseEther(value);
  if (wei === 0n) throw new TaskInputError("tokens must be positive");
  return wei;
}

async function contracts(hre: HardhatRuntimeEnvironment) {
  const { readDeployment, addressOf } = await import("../scripts/lib/deployments");
  const { connectDataCredits, connectGovernedPriceFeed } = await import("../scripts/lib/deploy/credits");
  const { connectRewardToken } = await import("../scripts/lib/deploy/token");
  const { chainId } = await hre.ethers.provider.getNetwork();
  const record = readDeployment(path.join(hre.config.paths.root, "deployments"), chainId);
  const runner = hre.ethers.provider;
  return {
    credits: () => connectDataCredits(addressOf(record, "DataCredits"), runner),
    token: () => connectRewardToken(addressOf(record, "RewardToken"), runner),
    feed: () => connectGovernedPriceFeed(addressOf(record, "PriceFeed"), runner),
  };
}

async function signer(hre: HardhatRuntimeEnvironment, index: number, role: string) {
  const signers = await hre.ethers.getSigners();
  const chosen = signers[index];
  if (chosen === undefined) throw new TaskInputError(`no ${role} account (signer ${index}) is configured`);
  return chosen;
}

task("credits:mint", "Burns tokens into data credits (permit and mint in one transaction)")
  .addParam("tokens", "Tokens to burn, e.g. 100 or 0.5", undefined, types.string)
  .addOptionalParam("to", "Receives the credits (default: the buyer)", undefined, types.string)
  .addOptionalParam("minCredits", "The fewest credits accepted (default: the current quote)", undefined, types.string)
  .addOptionalParam("validFor", "Seconds the permit stays valid", "1200", types.string)
  .setAction(async (args: { tokens: string; to?: string; minCredits?: string; validFor: string }, hre) =>
    runCommand("credits:mint", async () => {
      const tokens = tokenAmount(args.tokens);
      const minCredits = args.minCredits === undefined ? undefined : wholeNumber(args.minCredits, "min-credits");
      const validFor = wholeNumber(args.validFor, "valid-for");
      const buyer = await signer(hre, 0, "buyer");
      const to = args.to === undefined ? buyer.address : address(args.to, "to");
      const c = await contracts(hre);
      const { mintWithPermit } = await import("../scripts/lib/credits");
      const latest = await hre.ethers.provider.getBlock("latest");
      const deadline = BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000)) + validFor;
      const result = await mintWithPermit(c.credits(), c.token(), buyer, { to, tokens, minCredits, deadline });
      process.stdout.write(`minted ${result.credits} DC to ${to} for ${args.tokens} tokens (tx ${result.hash})\n`);
    }),
  );

task("credits:delegate", "Moves credits into escrow for a router")
  .addParam("router", "The registered router", undefined, types.string)
  .addParam("amount", "Credits to delegate", undefined, types.string)
  .setAction(async (args: { router: string; amount: string }, hre) =>
    runCommand("credits:delegate", async () => {
      const router = address(args.router, "router");
      const amount = wholeNumber(args.amount, "amount");
      const payer = await signer(hre, 0, "payer");
      const c = await contracts(hre);
      const { delegateCredits } = await import("../scripts/lib/credits");
      const result = await delegateCredits(c.credits(), payer, router, amount);
      process.stdout.write(`escrow of ${payer.address} with ${router}: ${result.escrow} DC (tx ${result.hash})\n`);
    }),
  );

task("credits:balance", "Prints an account's credits, tokens and escrow")
  .addOptionalParam("account", "The account (default: signer 0)", undefined, types.string)
  .addOptionalParam("routers", "Comma-separated routers whose escrow to show", "", types.string)
  .setAction(async (args: { account?: string; routers: string }, hre) =>
    runCommand("credits:balance", async () => {
      const account =
        args.account === undefined ? (await signer(hre, 0, "default")).address : address(args.account, "account");
      const routers = args.routers === "" ? [] : args.routers.split(",").map((r) => address(r.trim(), "router"));
      const c = await contracts(hre);
      const { readBalances } = await import("../scripts/lib/credits");
      const balance = await readBalances(c.credits(), c.token(), account, routers);
      process.stdout.write(`${account}: ${balance.credits} DC, ${balance.tokens} token wei\n`);
      for (const [router, escrow] of Object.entries(balance.escrow)) {
        process.stdout.write(`  escrow with ${router}: ${escrow} DC\n`);
      }
    }),
  );

task("oracle:set-price", "Posts a USD price to the governed price feed (as the oracle, signer 1)")
  .addParam("price", "USD per token, e.g. 0.5", undefined, types.string)
  .setAction(async (args: { price: string }, hre) =>
    runCommand("oracle:set-price", async () => {
      const oracle = await signer(hre, 1, "oracle");
      const c = await contracts(hre);
      const feed = c.feed();
      const { parseUsdPrice, setGovernedPrice } = await import("../scripts/lib/credits");
      const answer = parseUsdPrice(args.price, Number(await feed.decimals()));
      const latest = await hre.ethers.provider.getBlock("latest");
      const now = BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000));
      const result = await setGovernedPrice(feed, oracle, answer, now);
      process.stdout.write(
        `price set to $${args.price} (answer ${answer}) in round ${result.roundId} (tx ${result.hash})\n`,
      );
    }),
  );
