/**
 * `oracle:*`: what the price oracle sends. Thin: it parses its arguments, takes its context
 * (`tasks/lib/context`) and makes one call into `scripts/lib/credits`.
 */
import { task, types } from "hardhat/config";

import { runCommand } from "../scripts/lib/cli";
import { DEPLOYMENTS } from "./lib/options";
import { taskContext } from "./lib/context";

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
      const c = await taskContext(
        hre,
        "oracle:set-price",
        { ...args, signer: { account: args.account, defaultIndex: 1 } },
        () => import("../scripts/lib/credits"),
      );
      const feed = c.suite.governedFeed;
      if (feed === undefined) throw new c.cli.TaskInputError("the suite's price feed is external: nothing to post to");
      const decimals = Number(await feed.decimals());
      const answer = c.lib.parseUsdPrice(args.price, decimals);
      const latest = await hre.ethers.provider.getBlock("latest");
      const now = BigInt(latest?.timestamp ?? Math.floor(Date.now() / 1000));
      const result = await c.lib.setGovernedPrice(feed, c.signer, answer, now);
      c.io.result(
        `price set to ${c.format.formatUsd(answer, decimals)} (answer ${answer}) in round ${result.roundId} (tx ${result.hash})`,
      );
    }),
  );
