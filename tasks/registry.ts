/**
 * DeviceRegistry tasks: thin wrappers over `scripts/lib/registry`. The registry's address comes from
 * `deployments/<chainId>.json`. Keys are read from files given by path, never from the command line.
 * `--account` is an address, as in every task: the configured account that sends (default: the first
 * configured account). Each action loads its code before its first request to the node.
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
  const [lib, cli, deployments, deployRegistry] = await Promise.all([
    import("../scripts/lib/registry"),
    import("../scripts/lib/cli"),
    import("../scripts/lib/deployments"),
    import("../scripts/lib/deploy/registry"),
  ]);
  return { lib, cli, deployments, deployRegistry };
}

async function connect(hre: HardhatRuntimeEnvironment, args: Common) {
  const { cli, deployments, deployRegistry } = await load();
  const sender = await cli.signerFor(hre, args.account);
  const { chainId } = await hre.ethers.provider.getNetwork();
  const dir = path.resolve(hre.config.paths.root, args.deployments ?? "deployments");
  const address = deployments.addressOf(deployments.readDeployment(dir, chainId), "DeviceRegistry");
  return { registry: deployRegistry.connectDeviceRegistry(address, sender), sender };
}

const ACCOUNT = "The address of the configured account that sends it (default: the first configured account)";
const DEPLOYMENTS = "The deployments folder (default deployments/)";

task("registry:add-maker", "Adds a device maker (the sender needs MAKER_ADMIN)")
  .addParam("name", "The maker's name (at most 31 bytes)")
  .addParam("signer", "The address of the maker's attestation key (an EOA or an ERC-1271 contract)")
  .addOptionalParam(
    "sponsor",
    "Pays its devices' onboarding fees from its credits (default: the sender of each onboarding pays)",
  )
  .addParam("classes", "Comma-separated class ids the maker may build, e.g. 0,2")
  .addOptionalParam("quota", "The most devices it may onboard; 0 for no quota", "0", types.string)
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(
    async (args: Common & { name: string; signer: string; sponsor?: string; classes: string; quota: string }, hre) =>
      runCommand("registry:add-maker", async () => {
        const { lib } = await load();
        const { ZeroAddress } = await import("ethers");
        const params = {
          name: args.name,
          signer: lib.parseAddress(args.signer, "--signer"),
          sponsor: args.sponsor === undefined ? ZeroAddress : lib.parseAddress(args.sponsor, "--sponsor"),
          classes: args.classes.split(",").map((c) => lib.parseUint(c, "--classes", 63n)),
          quota: lib.parseUint(args.quota, "--quota", 2n ** 32n - 1n),
        };
        const { registry } = await connect(hre, args);
        const { hash, makerId } = await lib.addMaker(registry, params);
        console.log(`tx ${hash}\nmaker id ${makerId}`);
      }),
  );

task(
  "registry:onboard",
  "Onboards a device with its maker's attestation and its own signature (the sender pays the fee unless the maker has a sponsor)",
)
  .addParam("makerKeyFile", "File holding the maker's attestation private key")
  .addParam("deviceKeyFile", "File holding the device's private key")
  .addParam("makerId", "The maker's id")
  .addParam("deviceClass", "The class id (0 hotspot, 1 dashcam, 2 sensor by default)")
  .addOptionalParam("owner", "Who receives the device token (default: the sender)")
  .addOptionalParam("ttl", "Seconds the device's signature stays valid", "3600", types.string)
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(
    async (
      args: Common & {
        makerKeyFile: string;
        deviceKeyFile: string;
        makerId: string;
        deviceClass: string;
        owner?: string;
        ttl: string;
      },
      hre,
    ) =>
      runCommand("registry:onboard", async () => {
        const { lib } = await load();
        const maker = lib.readKeyFile(args.makerKeyFile, "maker");
        const device = lib.readKeyFile(args.deviceKeyFile, "device");
        const makerId = lib.parseUint(args.makerId, "--maker-id", 2n ** 32n - 1n);
        const deviceClass = lib.parseUint(args.deviceClass, "--device-class", 63n);
        const ttl = lib.parseUint(args.ttl, "--ttl", 365n * 86_400n);
        const { registry, sender } = await connect(hre, args);
        const owner = args.owner === undefined ? sender.address : lib.parseAddress(args.owner, "--owner");
        const latest = await hre.ethers.provider.getBlock("latest");
        if (latest === null) throw new Error("no latest block");
        const { hash, tokenId } = await lib.onboardDevice(registry, {
          maker,
          makerId,
          device,
          deviceClass,
          owner,
          deadline: BigInt(latest.timestamp) + ttl,
        });
        console.log(`tx ${hash}\ntoken id ${tokenId} (device ${device.address})`);
      }),
  );

task(
  "registry:assert-location",
  "Asserts a device's H3 cell (the sender is its owner or an approved operator, and pays the fee)",
)
  .addParam("tokenId", "The device's token id")
  .addParam("cell", "The H3 cell index in hex, e.g. 8a2a1072b59ffff")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { tokenId: string; cell: string }, hre) =>
    runCommand("registry:assert-location", async () => {
      const { lib } = await load();
      const tokenId = lib.parseUint(args.tokenId, "--token-id");
      const cell = lib.parseH3Cell(args.cell);
      const { registry } = await connect(hre, args);
      const { hash } = await lib.assertLocation(registry, tokenId, cell);
      console.log(`tx ${hash}\ntoken id ${tokenId}`);
    }),
  );

task(
  "registry:suspend",
  "Suspends a device with a reason code (the sender needs ORACLE, or GUARDIAN with --as guardian)",
)
  .addParam("tokenId", "The device's token id")
  .addParam("reason", "The reason code (e.g. 1 for location spoofing)")
  .addOptionalParam("as", "oracle or guardian", "oracle", types.string)
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { tokenId: string; reason: string; as: string }, hre) =>
    runCommand("registry:suspend", async () => {
      const { lib } = await load();
      if (args.as !== "oracle" && args.as !== "guardian") throw new Error('--as must be "oracle" or "guardian"');
      const tokenId = lib.parseUint(args.tokenId, "--token-id");
      const reason = lib.parseUint(args.reason, "--reason", 65_535n);
      const { registry } = await connect(hre, args);
      const { hash } = await lib.suspendDevice(registry, tokenId, reason, args.as);
      console.log(`tx ${hash}\ntoken id ${tokenId}`);
    }),
  );

task("registry:info", "Prints a device's registry record")
  .addOptionalParam("tokenId", "The device's token id")
  .addOptionalParam("device", "The device's address (instead of --token-id)")
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { tokenId?: string; device?: string }, hre) =>
    runCommand("registry:info", async () => {
      const { lib } = await load();
      if ((args.tokenId === undefined) === (args.device === undefined)) {
        throw new Error("give exactly one of --token-id and --device");
      }
      const tokenId =
        args.tokenId !== undefined
          ? lib.parseUint(args.tokenId, "--token-id")
          : lib.tokenIdOf(lib.parseAddress(args.device as string, "--device"));
      const { registry } = await connect(hre, args);
      console.log(JSON.stringify(await lib.describeDevice(registry, tokenId), null, 2));
    }),
  );
