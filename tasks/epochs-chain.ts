/**
 * The epoch tasks that talk to the chain: `epoch:snapshot`, `epoch:publish`, `epoch:run`,
 * `epoch:catch-up` and `rewards:claim`. Thin: they parse and check their arguments and make one
 * library call (`scripts/lib/epochs/chain.ts`). Addresses come from `deployments/<chainId>.json`.
 * The oracle is `--account` or else the first configured account that the distributor has
 * registered (on public networks, the account of ORACLE_PRIVATE_KEY). Each action loads its code
 * before its first request to the node (see `load`). Long steps report progress on stderr; results go
 * to stdout as one JSON line, and what people read (amounts in tokens, times as dates) to stderr.
 */
import path from "node:path";

import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { runCommand } from "../scripts/lib/cli";

const UINT = /^(0|[1-9][0-9]*)$/;

function epochArg(value: string, option = "--epoch"): bigint {
  if (!UINT.test(value)) throw new Error(`${option} must be a non-negative integer, not "${value}"`);
  return BigInt(value);
}

const progress =
  (name: string) =>
  (line: string): void =>
    void process.stderr.write(`${name}: ${line}\n`);
const say = (name: string, line: string): void => void process.stderr.write(`${name}: ${line}\n`);

/**
 * Everything the actions use, loaded before their first request: loading it takes seconds of
 * blocked event loop (ts-node compiles the library and the typechain bindings), and a connection
 * that a node closed meanwhile (a `hardhat node` closes idle ones after 5 s) would otherwise be
 * reused and fail with "other side closed".
 */
async function load() {
  const [cli, deployments, chain, epochFile, snapshot, format, typechain, claim] = await Promise.all([
    import("../scripts/lib/cli"),
    import("../scripts/lib/deployments"),
    import("../scripts/lib/epochs/chain"),
    import("../scripts/lib/epochs/epochFile"),
    import("../scripts/lib/epochs/snapshot"),
    import("../scripts/lib/format"),
    import("../typechain-types"),
    import("../scripts/lib/rewards/claim"),
  ]);
  return { cli, deployments, chain, epochFile, snapshot, format, typechain, claim };
}
type Lib = Awaited<ReturnType<typeof load>>;

async function deployment(lib: Lib, hre: HardhatRuntimeEnvironment, dir: string | undefined) {
  const { chainId } = await hre.ethers.provider.getNetwork();
  return lib.deployments.readDeployment(path.resolve(hre.config.paths.root, dir ?? "deployments"), chainId);
}

/** `--account` when given (it must be configured and registered), else the first configured registered oracle. */
async function oracleSigner(lib: Lib, hre: HardhatRuntimeEnvironment, lens: string, account?: string) {
  const contract = lib.typechain.RewardsLens__factory.connect(lens, hre.ethers.provider);
  if (account !== undefined) {
    const signer = await lib.cli.signerFor(hre, account);
    if (!(await contract.isOracle(signer.address)))
      throw new Error(`--account ${signer.address} is not a registered oracle of the distributor`);
    return signer;
  }
  for (const address of await lib.cli.configuredAccounts(hre)) {
    if (await contract.isOracle(address)) return hre.ethers.getSigner(address);
  }
  throw new Error("no configured account is a registered oracle (set ORACLE_PRIVATE_KEY, or give --account)");
}

task("epoch:snapshot", "Reads the chain at one block and writes the epoch's snapshot file")
  .addParam("epoch", "The epoch", undefined, types.string)
  .addOptionalParam(
    "block",
    "The block to read at (default: the last block before the epoch's end)",
    undefined,
    types.string,
  )
  .addParam("out", "The folder to write snapshot-<E>.ndjson into (created when missing)", undefined, types.string)
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(async (args: { epoch: string; block?: string; out: string; deployments?: string }, hre) =>
    runCommand("epoch:snapshot", async () => {
      const epoch = epochArg(args.epoch);
      if (args.block !== undefined && !UINT.test(args.block))
        throw new Error(`--block must be a block number, not "${args.block}"`);
      const lib = await load();
      const record = await deployment(lib, hre, args.deployments);
      const snapshot = await lib.chain.readChainSnapshot({
        provider: hre.ethers.provider,
        record,
        epoch,
        block: args.block === undefined ? undefined : Number(args.block),
        onProgress: progress("epoch:snapshot"),
      });
      const file = path.resolve(args.out, `snapshot-${epoch}.ndjson`);
      await lib.snapshot.writeSnapshot(file, snapshot);
      process.stdout.write(
        lib.format.jsonLine({ file, block: snapshot.header.block, devices: snapshot.devices.length }) + "\n",
      );
    }),
  );

task("epoch:publish", "Posts an epoch file's root as the oracle (idempotent)")
  .addParam("file", "The epoch file", undefined, types.string)
  .addOptionalParam("uri", "Where the file is published, logged in the event", "", types.string)
  .addFlag("dryRun", "Print what would be sent, and send nothing")
  .addOptionalParam("account", "The oracle's address (default: the first configured oracle)", undefined, types.string)
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(
    async (args: { file: string; uri: string; dryRun: boolean; account?: string; deployments?: string }, hre) =>
      runCommand("epoch:publish", async () => {
        const lib = await load();
        const record = await deployment(lib, hre, args.deployments);
        const file = await lib.epochFile.readEpochFile(args.file, { devices: "skip" });
        const distributor = lib.deployments.addressOf(record, "RewardsDistributor");
        const lens = lib.deployments.addressOf(record, "RewardsLens");
        const oracle = await oracleSigner(lib, hre, lens, args.account);
        const result = await lib.chain.publishEpoch(distributor, lens, oracle, file, {
          uri: args.uri,
          dryRun: args.dryRun,
        });
        const { formatDate, formatTokens } = lib.format;
        const root = `epoch ${file.epoch}, root ${file.root.slice(0, 10)}… (${formatTokens(file.totalCumulative)} in all)`;
        const human: Record<typeof result.outcome, string> = {
          posted:
            result.stands === true
              ? `posted ${root}: it stands, claimable from ${formatDate(result.claimableAt ?? 0n)}`
              : `voted for ${root}: it stands once a quorum of oracles post the same root`,
          "already-posted": `this oracle voted for ${root} already: nothing sent`,
          "already-stands": `${root} stands already: nothing sent`,
          "dry-run": `dry run: postRoot for ${root} would succeed; nothing sent`,
          waiting: `the distributor takes ${root} from ${formatDate(result.retryAt ?? 0n)} (the ring of 64 roots is full until then): nothing sent; publish again then`,
        };
        say("epoch:publish", human[result.outcome]);
        process.stdout.write(lib.format.jsonLine(result) + "\n");
      }),
  );

task("epoch:run", "Snapshot → compute → publish for one epoch, keeping each step's output")
  .addParam("epoch", "The epoch", undefined, types.string)
  .addParam("activity", "The activity CSV of the epoch", undefined, types.string)
  .addOptionalParam(
    "previous",
    "The epoch file of epoch − 1 (default: <out>/epoch-<E−1>.json)",
    undefined,
    types.string,
  )
  .addParam(
    "out",
    "The folder for snapshot-<E>.ndjson and epoch-<E>.json (created when missing)",
    undefined,
    types.string,
  )
  .addOptionalParam("uri", "Where the file is published, logged in the event", "", types.string)
  .addOptionalParam("account", "The oracle's address (default: the first configured oracle)", undefined, types.string)
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(
    async (
      args: {
        epoch: string;
        activity: string;
        previous?: string;
        out: string;
        uri: string;
        account?: string;
        deployments?: string;
      },
      hre,
    ) =>
      runCommand("epoch:run", async () => {
        const epoch = epochArg(args.epoch);
        const lib = await load();
        const record = await deployment(lib, hre, args.deployments);
        const oracle = await oracleSigner(lib, hre, lib.deployments.addressOf(record, "RewardsLens"), args.account);
        const step = await lib.chain.runEpochStep({
          record,
          oracle,
          epoch,
          activityFile: path.resolve(args.activity),
          previousFile: args.previous === undefined ? undefined : path.resolve(args.previous),
          outDir: path.resolve(args.out),
          uri: args.uri,
          onProgress: progress("epoch:run"),
        });
        say("epoch:run", `epoch ${epoch}: ${lib.chain.describeStep(step)}`);
        process.stdout.write(lib.format.jsonLine(step) + "\n");
      }),
  );

task(
  "epoch:catch-up",
  "Snapshot → compute → publish for every epoch the distributor is missing, in order, in one process",
)
  .addOptionalParam(
    "through",
    "The last epoch to run (default: the last epoch that has ended)",
    undefined,
    types.string,
  )
  .addParam("activity", "The folder holding activity-<E>.csv for each epoch to run", undefined, types.string)
  .addOptionalParam(
    "previous",
    "The epoch file of the epoch before the first to run (default: <out>/epoch-<E−1>.json)",
    undefined,
    types.string,
  )
  .addParam(
    "out",
    "The folder for snapshot-<E>.ndjson and epoch-<E>.json (created when missing)",
    undefined,
    types.string,
  )
  .addOptionalParam("uri", "Where the files are published, logged in the events", "", types.string)
  .addOptionalParam("account", "The oracle's address (default: the first configured oracle)", undefined, types.string)
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(
    async (
      args: {
        through?: string;
        activity: string;
        previous?: string;
        out: string;
        uri: string;
        account?: string;
        deployments?: string;
      },
      hre,
    ) =>
      runCommand("epoch:catch-up", async () => {
        const through = args.through === undefined ? undefined : epochArg(args.through, "--through");
        const lib = await load();
        const record = await deployment(lib, hre, args.deployments);
        const oracle = await oracleSigner(lib, hre, lib.deployments.addressOf(record, "RewardsLens"), args.account);
        const result = await lib.chain.catchUpEpochs({
          record,
          oracle,
          through,
          activityDir: path.resolve(args.activity),
          previousFile: args.previous === undefined ? undefined : path.resolve(args.previous),
          outDir: path.resolve(args.out),
          uri: args.uri,
          onProgress: progress("epoch:catch-up"),
        });
        say("epoch:catch-up", result.message);
        const { formatDate, jsonLine } = lib.format;
        const stopped =
          result.stopped === undefined
            ? undefined
            : {
                ...result.stopped,
                ...(result.stopped.retryAt === undefined ? {} : { resumeAt: formatDate(result.stopped.retryAt) }),
              };
        process.stdout.write(
          jsonLine({
            from: result.from,
            through: result.through,
            complete: result.complete,
            ...(stopped === undefined ? {} : { stopped }),
            epochs: result.steps.map((s) => ({
              epoch: s.epoch,
              outcome: s.outcome,
              root: s.root,
              stands: s.stands,
              txHash: s.publish?.txHash,
            })),
          }) + "\n",
        );
      }),
  );

task("rewards:claim", "Claims an account's rewards with its proof from an epoch file (anyone may submit)")
  .addParam("file", "The epoch file of the latest claimable root", undefined, types.string)
  .addParam("account", "The address to claim for", undefined, types.string)
  .addOptionalParam("deployments", "The deployments folder (default deployments/)", undefined, types.string)
  .setAction(async (args: { file: string; account: string; deployments?: string }, hre) =>
    runCommand("rewards:claim", async () => {
      const lib = await load();
      const account = lib.cli.parseAccount(args.account);
      const record = await deployment(lib, hre, args.deployments);
      const file = await lib.epochFile.readEpochFile(args.file, { devices: "skip" });
      const submitter = await lib.cli.signerFor(hre, undefined);
      const distributor = lib.typechain.RewardsDistributor__factory.connect(
        lib.deployments.addressOf(record, "RewardsDistributor"),
        submitter,
      );
      const lens = lib.typechain.RewardsLens__factory.connect(
        lib.deployments.addressOf(record, "RewardsLens"),
        submitter,
      );
      const result = await lib.claim.claimWithFile(distributor, lens, file, account);
      const { formatTokens } = lib.format;
      say(
        "rewards:claim",
        result.outcome === "nothing-due"
          ? `nothing due to ${result.account}: ${formatTokens(result.claimedBefore)} claimed of ${formatTokens(result.cumulativeAmount)}; nothing sent`
          : `paid ${formatTokens(result.paid)} for ${result.account} to ${result.recipient} (tx ${result.txHash})`,
      );
      process.stdout.write(lib.format.jsonLine(result) + "\n");
    }),
  );
