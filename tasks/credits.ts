/**
 * `credits:*`: thin tasks over `scripts/lib/credits`. Each parses its arguments (`scripts/lib/args`),
 * takes its context (`tasks/lib/context`: the record of the connected chain, the suite, the signer)
 * and makes one library call, printing the result for people (tokens with their decimals, credits).
 * `--account` is an address: the configured account that mints or delegates (default: the first
 * configured account), or the account `credits:balance` reads.
 */
import { task, types } from "hardhat/config";

import { inRange, parseAddress, parseAddressList, parseAmount } from "../scripts/lib/args";
import { runCommand } from "../scripts/lib/cli";
import { ACCOUNT, DEPLOYMENTS } from "./lib/options";
import { taskContext } from "./lib/context";

const credits = () => import("../scripts/lib/credits");

task("credits:mint", "Burns tokens into data credits (permit and mint in one transaction)")
  .addParam("tokens", "Tokens to burn, e.g. 100, 0.5 or 1,000.5", undefined, types.string)
  .addOptionalParam("to", "Receives the credits (default: the buyer)", undefined, types.string)
  .addOptionalParam("minCredits", "The fewest credits accepted (default: the current quote)", undefined, types.bigint)
  .addOptionalParam("validFor", "Seconds the permit stays valid", 1200n, types.bigint)
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(
    async (
      args: {
        tokens: string;
        to?: string;
        minCredits?: bigint;
        validFor: bigint;
        account?: string;
        deployments?: string;
      },
      hre,
    ) =>
      runCommand("credits:mint", async () => {
        const tokens = parseAmount(args.tokens, "--tokens");
        const to = args.to === undefined ? undefined : parseAddress(args.to, "--to");
        const c = await taskContext(hre, "credits:mint", { ...args, signer: { account: args.account } }, credits);
        const latest = await hre.ethers.provider.getBlock("latest");
        const deadline = BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000)) + args.validFor;
        const receiver = to ?? c.signer.address;
        const result = await c.lib.mintWithPermit(c.suite.credits, c.suite.token, c.signer, {
          to: receiver,
          tokens,
          minCredits: args.minCredits,
          deadline,
        });
        const { formatCredits, formatTokens } = c.format;
        c.io.result(
          `minted ${formatCredits(result.credits)} to ${receiver} for ${formatTokens(tokens)} (tx ${result.hash})`,
        );
      }),
  );

task("credits:delegate", "Moves credits into escrow for a router")
  .addParam("router", "The registered router", undefined, types.string)
  .addParam("amount", "Credits to delegate", undefined, types.bigint)
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: { router: string; amount: bigint; account?: string; deployments?: string }, hre) =>
    runCommand("credits:delegate", async () => {
      const router = parseAddress(args.router, "--router");
      const amount = inRange(args.amount, "--amount", 1n);
      const c = await taskContext(hre, "credits:delegate", { ...args, signer: { account: args.account } }, credits);
      const result = await c.lib.delegateCredits(c.suite.credits, c.signer, router, amount);
      c.io.result(
        `escrow of ${c.signer.address} with ${router}: ${c.format.formatCredits(result.escrow)} (tx ${result.hash})`,
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
      const routers = parseAddressList(args.routers, "--routers");
      const c = await taskContext(hre, "credits:balance", args, credits);
      const account = await c.cli.accountOrDefault(hre, args.account);
      const balance = await c.lib.readBalances(c.suite.credits, c.suite.token, account, routers);
      const { formatCredits, formatTokens } = c.format;
      const tokens = args.wei ? `${balance.tokens} token wei` : formatTokens(balance.tokens);
      c.io.result(`${account}: ${formatCredits(balance.credits)}, ${tokens}`);
      for (const [router, escrow] of Object.entries(balance.escrow)) {
        c.io.result(`  escrow with ${router}: ${formatCredits(escrow)}`);
      }
    }),
  );
