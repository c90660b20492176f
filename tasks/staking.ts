/**
 * `staking:*`: thin tasks over `scripts/lib/staking`. Each parses its arguments (`scripts/lib/args`),
 * takes its context (`tasks/lib/context`) and makes one library call, printing the result (amounts in
 * tokens, times as dates). `--account` is an address, as in every task: the configured account that
 * signs (default: the first configured account), or for `staking:info` the account it shows.
 */
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { inRange, parseAddress, parseAmount } from "../scripts/lib/args";
import { runCommand } from "../scripts/lib/cli";
import { DEPLOYMENTS } from "./lib/options";
import { taskContext } from "./lib/context";

interface Common {
  account?: string;
  deployments?: string;
}

const ACCOUNT = "The address of the configured account that signs (default: the first configured account)";

/** The signer `--account` names (default: the first configured account) and Staking connected to it. */
function context(hre: HardhatRuntimeEnvironment, name: string, args: Common) {
  return taskContext(hre, name, { ...args, signer: { account: args.account } }, () => import("../scripts/lib/staking"));
}

task("staking:register-operator", "Registers the signer as an operator")
  .addParam("commission", "Commission in basis points (0..10000)", undefined, types.bigint)
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { commission: bigint }, hre) =>
    runCommand("staking:register-operator", async () => {
      const bps = Number(inRange(args.commission, "--commission", 0n, 10_000n));
      const c = await context(hre, "staking:register-operator", args);
      const hash = await c.lib.registerOperator(c.suite.staking, c.signer, bps);
      c.io.result(`registered ${c.signer.address} (commission ${c.format.formatBps(bps)}): ${hash}`);
    }),
  );

task("staking:stake", "An operator stakes tokens on itself")
  .addParam("amount", "Tokens, e.g. 1500, 0.5 or 1,500.25")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { amount: string }, hre) =>
    runCommand("staking:stake", async () => {
      const amount = parseAmount(args.amount, "--amount");
      const c = await context(hre, "staking:stake", args);
      const hash = await c.lib.stake(c.suite.staking, c.signer, amount);
      c.io.result(`staked ${c.format.formatTokens(amount)}: ${hash}`);
    }),
  );

task("staking:delegate", "Delegates tokens to an operator")
  .addParam("operator", "The operator's address")
  .addParam("amount", "Tokens, e.g. 1500, 0.5 or 1,500.25")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { operator: string; amount: string }, hre) =>
    runCommand("staking:delegate", async () => {
      const operator = parseAddress(args.operator, "--operator");
      const amount = parseAmount(args.amount, "--amount");
      const c = await context(hre, "staking:delegate", args);
      const hash = await c.lib.delegate(c.suite.staking, c.signer, operator, amount);
      c.io.result(`delegated ${c.format.formatTokens(amount)} to ${operator}: ${hash}`);
    }),
  );

task("staking:unbond", "Starts unbonding part of the signer's stake")
  .addParam("amount", "Tokens, e.g. 1500, 0.5 or 1,500.25")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { amount: string }, hre) =>
    runCommand("staking:unbond", async () => {
      const amount = parseAmount(args.amount, "--amount");
      const c = await context(hre, "staking:unbond", args);
      const hash = await c.lib.unbond(c.suite.staking, c.signer, amount);
      c.io.result(`unbonding ${c.format.formatTokens(amount)}: ${hash}`);
    }),
  );

task("staking:withdraw", "Withdraws every matured unbond request")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common, hre) =>
    runCommand("staking:withdraw", async () => {
      const c = await context(hre, "staking:withdraw", args);
      c.io.result(`withdrew ${c.format.formatTokens(await c.lib.withdraw(c.suite.staking, c.signer))}`);
    }),
  );

task("staking:claim", "Claims the signer's staking rewards")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common, hre) =>
    runCommand("staking:claim", async () => {
      const c = await context(hre, "staking:claim", args);
      c.io.result(`claimed ${c.format.formatTokens(await c.lib.claim(c.suite.staking, c.signer))}`);
    }),
  );

task("staking:info", "Shows an account's stake, rewards and unbonding")
  .addOptionalParam("account", "The address to show (default: the first configured account)", undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common, hre) =>
    runCommand("staking:info", async () => {
      const c = await taskContext(hre, "staking:info", args, () => import("../scripts/lib/staking"));
      const who = await c.cli.accountOrDefault(hre, args.account);
      c.io.result(c.lib.formatStakingInfo(await c.lib.stakingInfo(c.suite.staking, c.suite.stakingLens, who)));
    }),
  );
