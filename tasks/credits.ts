/**
 * Thin tasks over `scripts/lib/credits`: each parses and validates its arguments, reads addresses
 * from `deployments/<chainId>.json`, makes one library call and prints the result for people (tokens
 * with their decimals, credits and dates). Bad input fails with one line and a non-zero exit.
 * `--account` is an address: the configured account that buys, delegates or posts (by default the
 * first configured account; for `oracle:set-price` the second, ORACLE_PRIVATE_KEY's), or the account
 * `credits:balance` reads. Each action loads its code before its first request to the node.
 */
import path from "node:path";

import { isAddress, parseEther } from "ethers";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { TaskInputError, runCommand } from "../scripts/lib/cli";

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

/**
 * Everything the actions use, loaded before their first request: loading takes seconds of blocked
 * event loop, and a connection the node closed meanwhile would otherwise be reused ("other side
 * closed", see tasks/epochs-chain.ts).
 */
async function load() {
  const [cli, deployments, deployCredits, deployToken, credits, format] = await Promise.all([
    import("../scripts/lib/cli"),
    import("../scripts/lib/deployments"),
    import("../scripts/lib/deploy/credits"),
    import("../scripts/lib/deploy/token"),
    import("../scripts/lib/credits"),
    import("../scripts/lib/format"),
  ]);
  return { cli, deployments, deployCredits, deployToken, credits, format };
}
type Lib = Awaited<ReturnType<typeof load>>;

async function contracts(lib: Lib, hre: HardhatRuntimeEnvironment, dir: string | undefined) {
  const { readDeployment, addressOf } = lib.deployments;
  const { chainId } = await hre.ethers.provider.getNetwork();
  const record = readDeployment(path.resolve(hre.config.paths.root, dir ?? "deployments"), chainId);
  const runner = hre.ethers.provider;
  return {
    credits: () => lib.deployCredits.connectDataCredits(addressOf(record, "DataCredits"), runner),
    token: () => lib.deployToken.connectRewardToken(addressOf(record, "RewardToken"), runner),
    feed: () => lib.deployCredits.connectGovernedPriceFeed(addressOf(record, "PriceFeed"), runner),
  };
}

const ACCOUNT = "The address of the configured account that sends it (default: the first configured account)";
const DEPLOYMENTS = "The deployments folder (default deployments/)";

task("credits:mint", "Burns tokens into data credits (permit and mint in one transaction)")
  .addParam("tokens", "Tokens to burn, e.g. 100 or 0.5", undefined, types.string)
  .addOptionalParam("to", "Receives the credits (default: the buyer)", undefined, types.string)
  .addOptionalParam("minCredits", "The fewest credits accepted (default: the current quote)", undefined, types.string)
  .addOptionalParam("validFor", "Seconds the permit stays valid", "1200", types.string)
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(
    async (
      args: {
        tokens: string;
        to?: string;
        minCredits?: string;
        validFor: string;
        account?: string;
        deployments?: string;
      },
      hre,
    ) =>
      runCommand("credits:mint", async () => {
        const tokens = tokenAmount(args.tokens);
        const minCredits = args.minCredits === undefined ? undefined : wholeNumber(args.minCredits, "min-credits");
        const validFor = wholeNumber(args.validFor, "valid-for");
        const to = args.to === undefined ? undefined : address(args.to, "to");
        const lib = await load();
        const buyer = await lib.cli.signerFor(hre, args.account);
        const c = await contracts(lib, hre, args.deployments);
        const latest = await hre.ethers.provider.getBlock("latest");
        const deadline = BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000)) + validFor;
        const receiver = to ?? buyer.address;
        const result = await lib.credits.mintWithPermit(c.credits(), c.token(), buyer, {
          to: receiver,
          tokens,
          minCredits,
          deadline,
        });
        const { formatCredits, formatTokens } = lib.format;
        process.stdout.write(
          `minted ${formatCredits(result.credits)} to ${receiver} for ${formatTokens(tokens)} (tx ${result.hash})\n`,
        );
      }),
  );

task("credits:delegate", "Moves credits into escrow for a router")
  .addParam("router", "The registered router", undefined, types.string)
  .addParam("amount", "Credits to delegate", undefined, types.string)
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: { router: string; amount: string; account?: string; deployments?: string }, hre) =>
    runCommand("credits:delegate", async () => {
      const router = address(args.router, "router");
      const amount = wholeNumber(args.amount, "amount");
      const lib = await load();
      const payer = await lib.cli.signerFor(hre, args.account);
      const c = await contracts(lib, hre, args.deployments);
      const result = await lib.credits.delegateCredits(c.credits(), payer, router, amount);
      process.stdout.write(
        `escrow of ${payer.address} with ${router}: ${lib.format.formatCredits(result.escrow)} (tx ${result.hash})\n`,
      );
    }),
  );

task("credits:balance", "Prints an account's credits, tokens and escrow")
  .addOptionalParam("account", "The address to read (default: the first configured account)", undefined, types.string)
  .addOptionalParam("routers", "Comma-separated routers whose escrow to show", "", types.string)
  .addFlag("wei", "Show the tokens in wei")
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: { account?: string; routers: string; wei: boolean; deployments?: string }, hre) =>
    runCommand("credits:balance", async () => {
      const routers = args.routers === "" ? [] : args.routers.split(",").map((r) => address(r.trim(), "router"));
      const lib = await load();
      const account = await lib.cli.accountOrDefault(hre, args.account);
      const c = await contracts(lib, hre, args.deployments);
      const balance = await lib.credits.readBalances(c.credits(), c.token(), account, routers);
      const { formatCredits, formatTokens } = lib.format;
      const tokens = args.wei ? `${balance.tokens} token wei` : formatTokens(balance.tokens);
      process.stdout.write(`${account}: ${formatCredits(balance.credits)}, ${tokens}\n`);
      for (const [router, escrow] of Object.entries(balance.escrow)) {
        process.stdout.write(`  escrow with ${router}: ${formatCredits(escrow)}\n`);
      }
    }),
  );

task("oracle:set-price", "Posts a USD price to the governed price feed, as the oracle")
  .addParam("price", "USD per token, e.g. 0.5", undefined, types.string)
  .addOptionalParam(
    "account",
    "The oracle's address (default: the second configured account, ORACLE_PRIVATE_KEY's)",
    undefined,
    types.string,
  )
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: { price: string; account?: string; deployments?: string }, hre) =>
    runCommand("oracle:set-price", async () => {
      const lib = await load();
      const oracle = await lib.cli.signerFor(hre, args.account, 1);
      const c = await contracts(lib, hre, args.deployments);
      const feed = c.feed();
      const decimals = Number(await feed.decimals());
      const answer = lib.credits.parseUsdPrice(args.price, decimals);
      const latest = await hre.ethers.provider.getBlock("latest");
      const now = BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000));
      const result = await lib.credits.setGovernedPrice(feed, oracle, answer, now);
      process.stdout.write(
        `price set to ${lib.format.formatUsd(answer, decimals)} (answer ${answer}) in round ${result.roundId} (tx ${result.hash})\n`,
      );
    }),
  );
