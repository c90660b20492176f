/**
 * Rewards tasks (`rewards:proof` lives with the epoch pipeline, in `tasks/epochs.ts`). Thin: they parse
 * and check their arguments, make one call into `scripts/lib/rewards` and print JSON. Bad input fails with one line on stderr and a non-zero exit code.
 */
import path from "node:path";

import { task, types } from "hardhat/config";

import { runCommand } from "../scripts/lib/cli";

task("epoch:distribute", "Distributes an ended epoch: mints its emission and sends the three shares")
  .addParam("epoch", "The epoch to distribute (a decimal number)")
  .addOptionalParam("deployments", "The folder of deployment records", "deployments", types.string)
  .setAction(async (args: { epoch: string; deployments: string }, hre) =>
    runCommand("epoch:distribute", async () => {
      const { addressOf, readDeployment } = await import("../scripts/lib/deployments");
      const { connectRewardsDistributor } = await import("../scripts/lib/deploy/rewards");
      const { distributeEpoch } = await import("../scripts/lib/rewards/distribute");
      if (!/^(0|[1-9][0-9]*)$/.test(args.epoch)) throw new Error(`epoch must be a decimal number, got "${args.epoch}"`);
      const { chainId } = await hre.ethers.provider.getNetwork();
      const record = readDeployment(path.resolve(hre.config.paths.root, args.deployments), chainId);
      const [signer] = await hre.ethers.getSigners();
      const distributor = connectRewardsDistributor(addressOf(record, "RewardsDistributor"), signer);
      const result = await distributeEpoch(distributor, BigInt(args.epoch));
      process.stdout.write(
        JSON.stringify(result, (_, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2) + "\n",
      );
    }),
  );
