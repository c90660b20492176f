/**
 * `wallet:*`: thin tasks over the SDK's wallet metadata. Each parses its arguments, takes the suite
 * of `deployments/<chainId>.json` from its context (`tasks/lib/context`), makes one library call and
 * writes or prints the result. Bad input fails with one line and a non-zero exit.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { TaskInputError, parseAddress } from "../scripts/lib/args";
import { runCommand } from "../scripts/lib/cli";
import { taskContext } from "./lib/context";

/** The context, and the SDK's suite of its record. */
async function sdkContext(hre: HardhatRuntimeEnvironment, name: string) {
  const c = await taskContext(hre, name, {}, () => import("../scripts/lib/sdk"));
  return { ...c, sdkSuite: await c.lib.connectSuite(hre.ethers.provider, undefined, c.record) };
}

task("wallet:token-list", "Writes the token list (Uniswap schema) of the suite on this network")
  .addOptionalParam("out", "The file (default: deployments/<chainId>.tokenlist.json)", undefined, types.string)
  .addOptionalParam("name", "The list's name: letters, digits, spaces; at most 30", "DePIN Suite", types.string)
  .addOptionalParam("logo", "A logo URI for the tokens", undefined, types.string)
  .setAction(async (args: { out?: string; name: string; logo?: string }, hre) =>
    runCommand("wallet:token-list", async () => {
      if (!/^[\w ]{1,30}$/.test(args.name)) throw new TaskInputError(`--name must be 1-30 letters, digits or spaces`);
      const c = await sdkContext(hre, "wallet:token-list");
      const sdk = c.lib;
      const out = args.out ?? path.join(c.deploymentsDir, `${c.sdkSuite.chainId}.tokenlist.json`);
      const tokens = await sdk.suiteTokens(c.sdkSuite, args.logo);
      const previous = existsSync(out)
        ? (JSON.parse(readFileSync(out, "utf8")) as import("../scripts/lib/sdk").TokenList)
        : undefined;
      const version = previous === undefined ? undefined : sdk.nextTokenListVersion(previous, tokens);
      if (previous !== undefined && version === previous.version) {
        c.io.result(`${out} is up to date (version ${version.major}.${version.minor}.${version.patch})`);
        return;
      }
      writeFileSync(out, `${JSON.stringify(sdk.buildTokenList(args.name, tokens, { version }), null, 2)}\n`);
      c.io.result(out);
    }),
  );

task("wallet:device-metadata", "Prints a device's NFT metadata JSON from its on-chain info")
  .addParam("device", "The device's address (its token id)", undefined, types.string)
  .addOptionalParam("image", "An image URI for the metadata", undefined, types.string)
  .setAction(async (args: { device: string; image?: string }, hre) =>
    runCommand("wallet:device-metadata", async () => {
      const device = parseAddress(args.device, "--device");
      const c = await sdkContext(hre, "wallet:device-metadata");
      const metadata = await c.lib.deviceMetadata(c.sdkSuite, c.lib.tokenIdOf(device), { image: args.image });
      c.io.result(JSON.stringify(metadata, null, 2));
    }),
  );
