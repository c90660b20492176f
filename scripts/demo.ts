/**
 * `npm run demo`: runs the whole life of the network on the in-process Hardhat chain, with no
 * configuration, and prints a readable summary. Exits non-zero if an invariant does not hold.
 */
import { time } from "@nomicfoundation/hardhat-network-helpers";
import hre from "hardhat";
import path from "node:path";

import { runDemo } from "./lib/demo/run";

async function main(): Promise<void> {
  if (hre.network.name !== "hardhat") throw new Error("the demo runs on the in-process chain: drop --network");
  const [deployer, alice, bob, carol, delegator] = await hre.ethers.getSigners();
  const { chainId } = await hre.ethers.provider.getNetwork();
  const started = Date.now();
  const { checks } = await runDemo({
    actors: { deployer, owners: [alice, bob, carol], delegator },
    chainId: Number(chainId),
    paramsFile: path.join(hre.config.paths.root, "deploy", "params", "hardhat.json"),
    advanceTo: async (timestamp) => {
      if (BigInt(await time.latest()) < timestamp) await time.increaseTo(timestamp);
    },
    print: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (checks.some((check) => !check.holds)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
