/**
 * Thin tasks over the SDK's wallet metadata: each parses its arguments, reads the suite from
 * `deployments/<chainId>.json`, makes one library call and writes or prints the result. Bad input
 * fails with one line and a non-zero exit.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { isAddress } from "ethers";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { runCommand } from "../scripts/lib/cli";

async function sdkFor(hre: HardhatRuntimeEnvironment) {
  const sdk = await import("../scripts/lib/sdk");
  const suite = await sdk.connectSuite(hre.ethers.provider, undefined, path.join(hre.config.paths.root, "deployments"));
  return { sdk, suite };
}

task("wallet:token-list", "Writes the token list (Uniswap schema) of the suite on this network")
  .addOptionalParam("out", "The file (default: deployments/<chainId>.tokenlist.json)", undefined, types.string)
  .addOptionalParam("name", "The list's name: letters, digits, spaces; at most 30", "DePIN Suite", types.string)
  .addOptionalParam("logo", "A logo URI for the tokens", undefined, types.string)
  .setAction(async (args: { out?: string; name: string; logo?: string }, hre) => {
    const { describeError } = await import("../scripts/lib/sdk/errors");
    await runCommand(
      "wallet:token-list",
      async () => {
        if (!/^[\w ]{1,30}$/.test(args.name)) throw new Error(`--name must be 1-30 letters, digits or spaces`);
        const { sdk, suite } = await sdkFor(hre);
        const out = args.out ?? path.join(hre.config.paths.root, "deployments", `${suite.chainId}.tokenlist.json`);
        const tokens = await sdk.suiteTokens(suite, args.logo);
        const previous = existsSync(out)
          ? (JSON.parse(readFileSync(out, "utf8")) as import("../scripts/lib/sdk").TokenList)
          : undefined;
        const version = previous === undefined ? undefined : sdk.nextTokenListVersion(previous, tokens);
        if (previous !== undefined && version === previous.version) {
          console.log(`${out} is up to date (version ${version.major}.${version.minor}.${version.patch})`);
          return;
        }
        writeFileSync(out, `${JSON.stringify(sdk.buildTokenList(args.name, tokens, { version }), null, 2)}\n`);
        console.log(out);
      },
      describeError,
    );
  });

task("wallet:device-metadata", "Prints a device's NFT metadata JSON from its on-chain info")
  .addParam("device", "The device's address (its token id)", undefined, types.string)
  .addOptionalParam("image", "An image URI for the metadata", undefined, types.string)
  .setAction(async (args: { device: string; image?: string }, hre) => {
    const { describeError } = await import("../scripts/lib/sdk/errors");
    await runCommand(
      "wallet:device-metadata",
      async () => {
        if (!isAddress(args.device)) throw new Error(`--device is not an address: "${args.device}"`);
        const { sdk, suite } = await sdkFor(hre);
        const metadata = await sdk.deviceMetadata(suite, sdk.tokenIdOf(args.device), { image: args.image });
        console.log(JSON.stringify(metadata, null, 2));
      },
      describeError,
    );
  });
