/**
 * `rewards:*`: an account's claim from an epoch file. `rewards:proof` reads the file only;
 * `rewards:claim` submits the claim (anyone may). Thin: each parses its arguments, takes its context
 * (`tasks/lib/context`) and makes one library call; results go to stdout as one JSON line, and what
 * people read (amounts in tokens) to stderr. Bad input fails with one line and a non-zero exit.
 */
import { task, types } from "hardhat/config";

import { parseAddress } from "../scripts/lib/args";
import { runCommand } from "../scripts/lib/cli";
import { DEPLOYMENTS } from "./lib/options";
import { taskContext } from "./lib/context";

task("rewards:proof", "Prints an account's cumulative amount and merkle proof from an epoch file, as JSON")
  .addParam("file", "The epoch file", undefined, types.string)
  .addParam("account", "The account address", undefined, types.string)
  .setAction(async (args: { file: string; account: string }) => {
    const { rewardsProofCommand } = await import("../scripts/lib/epochs/commands");
    process.exitCode = await rewardsProofCommand(args, {
      out: (line: string): void => void process.stdout.write(`${line}\n`),
      err: (line: string): void => void process.stderr.write(`${line}\n`),
    });
  });

task("rewards:claim", "Claims an account's rewards with its proof from an epoch file (anyone may submit)")
  .addParam("file", "The epoch file of the latest claimable root", undefined, types.string)
  .addParam("account", "The address to claim for", undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: { file: string; account: string; deployments?: string }, hre) =>
    runCommand("rewards:claim", async () => {
      const account = parseAddress(args.account, "--account");
      const c = await taskContext(hre, "rewards:claim", { deployments: args.deployments, signer: {} }, async () => ({
        epochFile: await import("../scripts/lib/epochs/epochFile"),
        claim: await import("../scripts/lib/rewards/claim"),
      }));
      const file = await c.lib.epochFile.readEpochFile(args.file, { devices: "skip" });
      const result = await c.lib.claim.claimWithFile(c.suite.distributor, c.suite.rewardsLens, file, account);
      const { formatTokens } = c.format;
      c.io.say(
        result.outcome === "nothing-due"
          ? `nothing due to ${result.account}: ${formatTokens(result.claimedBefore)} claimed of ${formatTokens(result.cumulativeAmount)}; nothing sent`
          : `paid ${formatTokens(result.paid)} for ${result.account} to ${result.recipient} (tx ${result.txHash})`,
      );
      c.io.json(result);
    }),
  );
