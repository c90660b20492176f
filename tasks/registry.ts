/**
 * `registry:*`: thin tasks over `scripts/lib/registry`. Each parses its arguments
 * (`scripts/lib/args`), takes its context (`tasks/lib/context`) and makes one library call. Keys are
 * read from files given by path, never from the command line. `--account` is an address, as in
 * every task: the configured account that sends (default: the first configured account).
 */
import { ZeroAddress } from "ethers";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { TaskInputError, asInput, inRange, parseAddress, parseChoice, parseIntegerList } from "../scripts/lib/args";
import { runCommand } from "../scripts/lib/cli";
import { ACCOUNT, DEPLOYMENTS } from "./lib/options";
import { taskContext } from "./lib/context";

interface Common {
  account?: string;
  deployments?: string;
}

const UINT32 = 2n ** 32n - 1n;

const registryLib = () => import("../scripts/lib/registry");

/** The context of a task that sends: the registry connected to the sender. */
function context(hre: HardhatRuntimeEnvironment, name: string, args: Common) {
  return taskContext(hre, name, { ...args, signer: { account: args.account } }, registryLib);
}

task("registry:add-maker", "Adds a device maker (the sender needs MAKER_ADMIN)")
  .addParam("name", "The maker's name (at most 31 bytes)")
  .addParam("signer", "The address of the maker's attestation key (an EOA or an ERC-1271 contract)")
  .addOptionalParam(
    "sponsor",
    "Pays its devices' onboarding fees from its credits (default: the sender of each onboarding pays)",
  )
  .addParam("classes", "Comma-separated class ids the maker may build, e.g. 0,2")
  .addOptionalParam("quota", "The most devices it may onboard; 0 for no quota", 0n, types.bigint)
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(
    async (args: Common & { name: string; signer: string; sponsor?: string; classes: string; quota: bigint }, hre) =>
      runCommand("registry:add-maker", async () => {
        const params = {
          name: args.name,
          signer: parseAddress(args.signer, "--signer"),
          sponsor: args.sponsor === undefined ? ZeroAddress : parseAddress(args.sponsor, "--sponsor"),
          classes: parseIntegerList(args.classes, "--classes", 63n),
          quota: inRange(args.quota, "--quota", 0n, UINT32),
        };
        const c = await context(hre, "registry:add-maker", args);
        const { hash, makerId } = await c.lib.addMaker(c.suite.registry, params);
        c.io.result(`tx ${hash}\nmaker id ${makerId}`);
      }),
  );

task(
  "registry:onboard",
  "Onboards a device with its maker's attestation and its own signature (the sender pays the fee unless the maker has a sponsor)",
)
  .addParam("makerKeyFile", "File holding the maker's attestation private key")
  .addParam("deviceKeyFile", "File holding the device's private key")
  .addParam("makerId", "The maker's id", undefined, types.bigint)
  .addParam("deviceClass", "The class id (0 hotspot, 1 dashcam, 2 sensor by default)", undefined, types.bigint)
  .addOptionalParam("owner", "Who receives the device token (default: the sender)")
  .addOptionalParam("ttl", "Seconds the device's signature stays valid", 3600n, types.bigint)
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(
    async (
      args: Common & {
        makerKeyFile: string;
        deviceKeyFile: string;
        makerId: bigint;
        deviceClass: bigint;
        owner?: string;
        ttl: bigint;
      },
      hre,
    ) =>
      runCommand("registry:onboard", async () => {
        const { readKeyFile } = await import("../scripts/lib/registry");
        const maker = asInput(() => readKeyFile(args.makerKeyFile, "maker"));
        const device = asInput(() => readKeyFile(args.deviceKeyFile, "device"));
        const makerId = inRange(args.makerId, "--maker-id", 0n, UINT32);
        const deviceClass = inRange(args.deviceClass, "--device-class", 0n, 63n);
        const ttl = inRange(args.ttl, "--ttl", 0n, 365n * 86_400n);
        const c = await context(hre, "registry:onboard", args);
        const owner = args.owner === undefined ? c.signer.address : parseAddress(args.owner, "--owner");
        const latest = await hre.ethers.provider.getBlock("latest");
        if (latest === null) throw new Error("no latest block");
        const { hash, tokenId } = await c.lib.onboardDevice(c.suite.registry, {
          maker,
          makerId,
          device,
          deviceClass,
          owner,
          deadline: BigInt(latest.timestamp) + ttl,
        });
        c.io.result(`tx ${hash}\ntoken id ${tokenId} (device ${device.address})`);
      }),
  );

task(
  "registry:assert-location",
  "Asserts a device's H3 cell (the sender is its owner or an approved operator, and pays the fee)",
)
  .addParam("tokenId", "The device's token id", undefined, types.bigint)
  .addParam("cell", "The H3 cell index in hex, e.g. 8a2a1072b59ffff")
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { tokenId: bigint; cell: string }, hre) =>
    runCommand("registry:assert-location", async () => {
      const { parseH3Cell } = await import("../scripts/lib/registry");
      const cell = asInput(() => parseH3Cell(args.cell));
      const c = await context(hre, "registry:assert-location", args);
      const { hash } = await c.lib.assertLocation(c.suite.registry, args.tokenId, cell);
      c.io.result(`tx ${hash}\ntoken id ${args.tokenId}`);
    }),
  );

task(
  "registry:suspend",
  "Suspends a device with a reason code (the sender needs ORACLE, or GUARDIAN with --as guardian)",
)
  .addParam("tokenId", "The device's token id", undefined, types.bigint)
  .addParam("reason", "The reason code (e.g. 1 for location spoofing)", undefined, types.bigint)
  .addOptionalParam("as", "oracle or guardian", "oracle", types.string)
  .addOptionalParam("account", ACCOUNT, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { tokenId: bigint; reason: bigint; as: string }, hre) =>
    runCommand("registry:suspend", async () => {
      const as = parseChoice(args.as, "--as", ["oracle", "guardian"] as const);
      const reason = inRange(args.reason, "--reason", 0n, 65_535n);
      const c = await context(hre, "registry:suspend", args);
      const { hash } = await c.lib.suspendDevice(c.suite.registry, args.tokenId, reason, as);
      c.io.result(`tx ${hash}\ntoken id ${args.tokenId}`);
    }),
  );

task("registry:info", "Prints a device's registry record")
  .addOptionalParam("tokenId", "The device's token id", undefined, types.bigint)
  .addOptionalParam("device", "The device's address (instead of --token-id)")
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: Common & { tokenId?: bigint; device?: string }, hre) =>
    runCommand("registry:info", async () => {
      if ((args.tokenId === undefined) === (args.device === undefined)) {
        throw new TaskInputError("give exactly one of --token-id and --device");
      }
      const c = await taskContext(hre, "registry:info", args, registryLib);
      const tokenId = args.tokenId ?? c.lib.tokenIdOf(parseAddress(args.device ?? "", "--device"));
      c.io.result(JSON.stringify(await c.lib.describeDevice(c.suite.registry, tokenId), null, 2));
    }),
  );
