/**
 * Rewards tasks (`rewards:proof` lives with the epoch pipeline, in `tasks/epochs.ts`; `rewards:claim`
 * in `tasks/epochs-chain.ts`). Thin: they parse and check their arguments, make one call into
 * `scripts/lib/rewards` and print one JSON line on stdout (amounts in wei), with a line for people on
 * stderr (amounts in tokens). Bad input fails with one line on stderr and a non-zero exit code.
 */
import path from "node:path";

import { task, types } from "hardhat/config";

import { runCommand } from "../scripts/lib/cli";

task("epoch:distribute", "Distributes an ended epoch: mints its emission and sends the three shares (idempotent)")
  .addParam("epoch", "The epoch to distribute (a decimal number)")
  .addOptionalParam(
    "account",
    "The address that sends it (default: the first configured account)",
    undefined,
    types.string,
  )
  .addOptionalParam("deployments", "The folder of deployment records", "deployments", types.string)
  .setAction(async (args: { epoch: string; account?: string; deployments: string }, hre) =>
    runCommand("epoch:distribute", async () => {
      if (!/^(0|[1-9][0-9]*)$/.test(args.epoch)) throw new Error(`epoch must be a decimal number, got "${args.epoch}"`);
      // Everything is loaded before the first request (see tasks/epochs-chain.ts).
      const [
        { addressOf, readDeployment },
        { connectRewardsDistributor, connectRewardsLens },
        { distributeEpoch },
        cli,
        format,
      ] = await Promise.all([
        import("../scripts/lib/deployments"),
        import("../scripts/lib/deploy/rewards"),
        import("../scripts/lib/rewards/distribute"),
        import("../scripts/lib/cli"),
        import("../scripts/lib/format"),
      ]);
      const { chainId } = await hre.ethers.provider.getNetwork();
      const record = readDeployment(path.resolve(hre.config.paths.root, args.deployments), chainId);
      const signer = await cli.signerFor(hre, args.account);
      const distributor = connectRewardsDistributor(addressOf(record, "RewardsDistributor"), signer);
      const lens = connectRewardsLens(addressOf(record, "RewardsLens"), signer);
      const result = await distributeEpoch(distributor, lens, BigInt(args.epoch));
      const { formatTokens } = format;
      const shares = `${formatTokens(result.emission)}: ${formatTokens(result.operators)} to the operators, ${formatTokens(result.stakers)} to the stakers, ${formatTokens(result.treasury)} to the treasury`;
      process.stderr.write(
        result.outcome === "distributed"
          ? `epoch:distribute: distributed epoch ${result.epoch}, ${shares} (tx ${result.transaction})\n`
          : `epoch:distribute: epoch ${result.epoch} was distributed already (${shares}, tx ${result.transaction}): nothing sent\n`,
      );
      process.stdout.write(format.jsonLine(result) + "\n");
    }),
  );
