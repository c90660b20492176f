/**
 * `staking:*` tasks: thin wrappers around `scripts/lib/staking`. Each parses and validates its
 * arguments, makes one library call and prints the result (amounts in tokens, times as dates); bad
 * input fails with one line and a non-zero exit. The Staking address comes from
 * `deployments/<chainId>.json`. `--account` is an address, as in every task: the configured account
 * that signs (default: the first configured account), or for `staking:info` the account it shows.
 * Each action loads its code before its first request to the node.
 */
import path from "node:path";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { runCommand } from "../scripts/lib/cli";

interface Common {
  account?: string;
  deployments?: string;
}

/** Everything the actions use, loaded before their first request (see tasks/epochs-chain.ts). */
async function load() {
  const [cli, staking, deployments, deployStaking, format] = await Promise.all([
    import("../scripts/lib/cli"),
    import("../scripts/lib/staking"),
    import("../scripts/lib/deployments"),
    import("../scripts/lib/deploy/staking"),
    import("../scripts/lib/format"),
  ]);
  return { cli, staking, deployments, deployStaking, format };
}
type Lib = Awaited<ReturnType<typeof load>>;

async function stakingAt(lib: Lib, hre: HardhatRuntimeEnvironment, dir: string | undefined) {
  const { chainId } = await hre.ethers.provider.getNetwork();
  const record = lib.deployments.readDeployment(path.resolve(hre.config.paths.root, dir ?? "deployments"), chainId);
  return {
    staking: lib.deployStaking.connectStaking(lib.deployments.addressOf(record, "Staking"), hre.ethers.provider),
    lens: lib.deployStaking.connectStakingLens(lib.deployments.addressOf(record, "StakingLens"), hre.ethers.provider),
  };
}

/** The signer `--account` names (default: the first configured account) and Staking connected to it. */
async function connect(lib: Lib, hre: HardhatRuntimeEnvironment, args: Common) {
  const signer = await lib.cli.signerFor(hre, args.account);
  const { staking } = await stakingAt(lib, hre, args.deployments);
  return { signer, staking: staking.connect(signer) };
}

const ACCOUNT = "The address of the configured account that signs (default: the first configured account)";
const DEPLOYMENTS = "The deployments folder (default deployments/)";

task("staking:register-operator", "Registers the signer as an operator")
  .addParam("commission", "Commission in basis points (0..10000)")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { commission: string }, hre) =>
    runCommand("staking:register-operator", async () => {
      const lib = await load();
      const bps = lib.staking.parseCommissionBps(args.commission);
      const { signer, staking } = await connect(lib, hre, args);
      const hash = await lib.staking.registerOperator(staking, signer, bps);
      process.stdout.write(`registered ${signer.address} (commission ${lib.format.formatBps(bps)}): ${hash}\n`);
    }),
  );

task("staking:stake", "An operator stakes tokens on itself")
  .addParam("amount", "Tokens, e.g. 1500 or 0.5")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { amount: string }, hre) =>
    runCommand("staking:stake", async () => {
      const lib = await load();
      const amount = lib.staking.parseTokenAmount(args.amount);
      const { signer, staking } = await connect(lib, hre, args);
      const hash = await lib.staking.stake(staking, signer, amount);
      process.stdout.write(`staked ${lib.format.formatTokens(amount)}: ${hash}\n`);
    }),
  );

task("staking:delegate", "Delegates tokens to an operator")
  .addParam("operator", "The operator's address")
  .addParam("amount", "Tokens, e.g. 1500 or 0.5")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { operator: string; amount: string }, hre) =>
    runCommand("staking:delegate", async () => {
      const lib = await load();
      const operator = lib.staking.parseAddress(args.operator, "operator");
      const amount = lib.staking.parseTokenAmount(args.amount);
      const { signer, staking } = await connect(lib, hre, args);
      const hash = await lib.staking.delegate(staking, signer, operator, amount);
      process.stdout.write(`delegated ${lib.format.formatTokens(amount)} to ${operator}: ${hash}\n`);
    }),
  );

task("staking:unbond", "Starts unbonding part of the signer's stake")
  .addParam("amount", "Tokens, e.g. 1500 or 0.5")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { amount: string }, hre) =>
    runCommand("staking:unbond", async () => {
      const lib = await load();
      const amount = lib.staking.parseTokenAmount(args.amount);
      const { signer, staking } = await connect(lib, hre, args);
      const hash = await lib.staking.unbond(staking, signer, amount);
      process.stdout.write(`unbonding ${lib.format.formatTokens(amount)}: ${hash}\n`);
    }),
  );

task("staking:withdraw", "Withdraws every matured unbond request")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common, hre) =>
    runCommand("staking:withdraw", async () => {
      const lib = await load();
      const { signer, staking } = await connect(lib, hre, args);
      process.stdout.write(`withdrew ${lib.format.formatTokens(await lib.staking.withdraw(staking, signer))}\n`);
    }),
  );

task("staking:claim", "Claims the signer's staking rewards")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common, hre) =>
    runCommand("staking:claim", async () => {
      const lib = await load();
      const { signer, staking } = await connect(lib, hre, args);
      process.stdout.write(`claimed ${lib.format.formatTokens(await lib.staking.claim(staking, signer))}\n`);
    }),
  );

task("staking:info", "Shows an account's stake, rewards and unbonding")
  .addOptionalParam("account", "The address to show (default: the first configured account)", undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common, hre) =>
    runCommand("staking:info", async () => {
      const lib = await load();
      const who = await lib.cli.accountOrDefault(hre, args.account);
      const { staking, lens } = await stakingAt(lib, hre, args.deployments);
      process.stdout.write(lib.staking.formatStakingInfo(await lib.staking.stakingInfo(staking, lens, who)) + "\n");
    }),
  );
