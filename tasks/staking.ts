/**
 * `staking:*` tasks: thin wrappers around `scripts/lib/staking`. Each parses and validates its
 * arguments, makes one library call and prints the result; bad input fails with one line and a
 * non-zero exit. The Staking address comes from `deployments/<chainId>.json`.
 */
import path from "node:path";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { runCommand } from "../scripts/lib/cli";

interface Common {
  account: number;
}

/** The library, imported inside actions so that the config loads before the first compile. */
async function library() {
  return import("../scripts/lib/staking");
}

async function connect(hre: HardhatRuntimeEnvironment, account: number) {
  const { readDeployment, addressOf } = await import("../scripts/lib/deployments");
  const { connectStaking } = await import("../scripts/lib/deploy/staking");
  const lib = await library();
  const signers = await hre.ethers.getSigners();
  if (!Number.isSafeInteger(account) || account < 0 || account >= signers.length) {
    throw new lib.StakingInputError(`--account must be 0..${signers.length - 1}`);
  }
  const { chainId } = await hre.ethers.provider.getNetwork();
  const record = readDeployment(path.join(hre.config.paths.root, "deployments"), chainId);
  const signer = signers[account];
  return { signer, staking: connectStaking(addressOf(record, "Staking"), signer) };
}

task("staking:register-operator", "Registers the signer as an operator")
  .addParam("commission", "Commission in basis points (0..10000)")
  .addOptionalParam("account", "Index of the signer", 0, types.int)
  .setAction(async (args: Common & { commission: string }, hre) =>
    runCommand("staking:register-operator", async () => {
      const lib = await library();
      const bps = lib.parseCommissionBps(args.commission);
      const { signer, staking } = await connect(hre, args.account);
      process.stdout.write(
        `registered ${await signer.getAddress()}: ${await lib.registerOperator(staking, signer, bps)}\n`,
      );
    }),
  );

task("staking:stake", "An operator stakes tokens on itself")
  .addParam("amount", "Tokens, e.g. 1500 or 0.5")
  .addOptionalParam("account", "Index of the signer", 0, types.int)
  .setAction(async (args: Common & { amount: string }, hre) =>
    runCommand("staking:stake", async () => {
      const lib = await library();
      const amount = lib.parseTokenAmount(args.amount);
      const { signer, staking } = await connect(hre, args.account);
      process.stdout.write(`staked: ${await lib.stake(staking, signer, amount)}\n`);
    }),
  );

task("staking:delegate", "Delegates tokens to an operator")
  .addParam("operator", "The operator's address")
  .addParam("amount", "Tokens, e.g. 1500 or 0.5")
  .addOptionalParam("account", "Index of the signer", 0, types.int)
  .setAction(async (args: Common & { operator: string; amount: string }, hre) =>
    runCommand("staking:delegate", async () => {
      const lib = await library();
      const operator = lib.parseAddress(args.operator, "operator");
      const amount = lib.parseTokenAmount(args.amount);
      const { signer, staking } = await connect(hre, args.account);
      process.stdout.write(`delegated: ${await lib.delegate(staking, signer, operator, amount)}\n`);
    }),
  );

task("staking:unbond", "Starts unbonding part of the signer's stake")
  .addParam("amount", "Tokens, e.g. 1500 or 0.5")
  .addOptionalParam("account", "Index of the signer", 0, types.int)
  .setAction(async (args: Common & { amount: string }, hre) =>
    runCommand("staking:unbond", async () => {
      const lib = await library();
      const amount = lib.parseTokenAmount(args.amount);
      const { signer, staking } = await connect(hre, args.account);
      process.stdout.write(`unbonding: ${await lib.unbond(staking, signer, amount)}\n`);
    }),
  );

task("staking:withdraw", "Withdraws every matured unbond request")
  .addOptionalParam("account", "Index of the signer", 0, types.int)
  .setAction(async (args: Common, hre) =>
    runCommand("staking:withdraw", async () => {
      const lib = await library();
      const { signer, staking } = await connect(hre, args.account);
      const { formatEther } = await import("ethers");
      process.stdout.write(`withdrew ${formatEther(await lib.withdraw(staking, signer))} tokens\n`);
    }),
  );

task("staking:claim", "Claims the signer's staking rewards")
  .addOptionalParam("account", "Index of the signer", 0, types.int)
  .setAction(async (args: Common, hre) =>
    runCommand("staking:claim", async () => {
      const lib = await library();
      const { signer, staking } = await connect(hre, args.account);
      const { formatEther } = await import("ethers");
      process.stdout.write(`claimed ${formatEther(await lib.claim(staking, signer))} tokens\n`);
    }),
  );

task("staking:info", "Shows an account's stake, rewards and unbonding")
  .addOptionalParam("address", "The account (default: the signer)")
  .addOptionalParam("account", "Index of the signer", 0, types.int)
  .setAction(async (args: Common & { address?: string }, hre) =>
    runCommand("staking:info", async () => {
      const lib = await library();
      const address = args.address === undefined ? undefined : lib.parseAddress(args.address, "address");
      const { signer, staking } = await connect(hre, args.account);
      const who = address ?? (await signer.getAddress());
      process.stdout.write(lib.formatStakingInfo(await lib.stakingInfo(staking, who)) + "\n");
    }),
  );
