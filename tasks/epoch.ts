/**
 * `epoch:*`: the epoch pipeline. `epoch:compute` reads files only (snapshot, activity, previous epoch
 * file → `<out>/epoch-<E>.json`). `epoch:snapshot`, `epoch:publish`, `epoch:run` and `epoch:catch-up`
 * talk to the chain through `scripts/lib/epochs/chain/`; `epoch:distribute` mints and sends an
 * ended epoch's emission (`scripts/lib/rewards/distribute.ts`). Thin: each parses its arguments,
 * takes its context (`tasks/lib/context`) and makes one library call. The oracle is `--account` or
 * else the first configured account that the distributor has registered (on public networks, the
 * account of ORACLE_PRIVATE_KEY). Long steps report progress on stderr; results go to stdout as one
 * JSON line, and what people read (amounts in tokens, times as dates) to stderr.
 */
import path from "node:path";

import { task, types } from "hardhat/config";
import type { ConfigurableTaskDefinition, HardhatRuntimeEnvironment } from "hardhat/types";

import { TaskInputError, inRange } from "../scripts/lib/args";
import { runCommand } from "../scripts/lib/cli";
import { DEPLOYMENTS } from "./lib/options";
import { taskContext } from "./lib/context";

const ORACLE = "The oracle's address (default: the first configured oracle)";
const OUT = "The folder for snapshot-<E>.ndjson and epoch-<E>.json (created when missing)";

/** What the chain tasks use besides the context. */
async function load() {
  const [chain, epochFile, snapshot, typechain] = await Promise.all([
    import("../scripts/lib/epochs/chain"),
    import("../scripts/lib/epochs/epochFile"),
    import("../scripts/lib/epochs/snapshot"),
    import("../typechain-types"),
  ]);
  return { chain, epochFile, snapshot, typechain };
}

interface OracleArgs {
  account?: string;
  deployments?: string;
}

/**
 * The context of a task that posts as the oracle, and the oracle: `--account` when given (it must be
 * configured and registered), else the first configured registered oracle.
 */
async function oracleContext(hre: HardhatRuntimeEnvironment, name: string, args: OracleArgs) {
  const c = await taskContext(hre, name, args, load);
  const lens = c.suite.rewardsLens;
  const oracle = await (async () => {
    if (args.account !== undefined) {
      const signer = await c.cli.signerFor(hre, args.account);
      if (!(await lens.isOracle(signer.address)))
        throw new TaskInputError(`--account ${signer.address} is not a registered oracle of the distributor`);
      return signer;
    }
    for (const address of await c.cli.configuredAccounts(hre)) {
      if (await lens.isOracle(address)) return hre.ethers.getSigner(address);
    }
    throw new TaskInputError(
      "no configured account is a registered oracle (set ORACLE_PRIVATE_KEY, or give --account)",
    );
  })();
  return { ...c, oracle };
}

/** The options `epoch:run` and `epoch:catch-up` share, after their own. */
function pipelineOptions(definition: ConfigurableTaskDefinition, uri: string): ConfigurableTaskDefinition {
  return definition
    .addParam("out", OUT, undefined, types.string)
    .addOptionalParam("uri", uri, "", types.string)
    .addOptionalParam("account", ORACLE, undefined, types.string)
    .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string);
}

interface PipelineArgs extends OracleArgs {
  activity: string;
  previous?: string;
  out: string;
  uri: string;
}

/** The files and the oracle of `epoch:run` and `epoch:catch-up`. */
async function pipelineRequest(hre: HardhatRuntimeEnvironment, name: string, args: PipelineArgs) {
  const c = await oracleContext(hre, name, args);
  return {
    c,
    request: {
      record: c.record,
      oracle: c.oracle,
      previousFile: args.previous === undefined ? undefined : path.resolve(args.previous),
      outDir: path.resolve(args.out),
      uri: args.uri,
      onProgress: c.io.progress,
    },
  };
}

task("epoch:compute", "Computes an epoch's rewards and merkle tree from its files (no chain access)")
  .addParam("epoch", "The epoch number", undefined, types.bigint)
  .addParam("snapshot", "The snapshot file (NDJSON) of the epoch", undefined, types.string)
  .addParam("activity", "The activity CSV of the epoch", undefined, types.string)
  .addOptionalParam("previous", "The epoch file of epoch − 1", undefined, types.string)
  .addParam("out", "The folder to write epoch-<E>.json into", undefined, types.string)
  .setAction(async (args: { epoch: bigint; snapshot: string; activity: string; previous?: string; out: string }) => {
    const { epochComputeCommand } = await import("../scripts/lib/epochs/commands");
    process.exitCode = await epochComputeCommand({ ...args, epoch: args.epoch.toString() }, stdio);
  });

/** The io of the commands of `scripts/lib/epochs/commands.ts`, which print their own lines. */
const stdio = {
  out: (line: string): void => void process.stdout.write(`${line}\n`),
  err: (line: string): void => void process.stderr.write(`${line}\n`),
};

task("epoch:snapshot", "Reads the chain at one block and writes the epoch's snapshot file")
  .addParam("epoch", "The epoch", undefined, types.bigint)
  .addOptionalParam(
    "block",
    "The block to read at (default: the last block before the epoch's end)",
    undefined,
    types.bigint,
  )
  .addParam("out", "The folder to write snapshot-<E>.ndjson into (created when missing)", undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: { epoch: bigint; block?: bigint; out: string; deployments?: string }, hre) =>
    runCommand("epoch:snapshot", async () => {
      const c = await taskContext(hre, "epoch:snapshot", args, load);
      const snapshot = await c.lib.chain.readChainSnapshot({
        provider: hre.ethers.provider,
        record: c.record,
        epoch: args.epoch,
        block: args.block === undefined ? undefined : Number(args.block),
        onProgress: c.io.progress,
      });
      const file = path.resolve(args.out, `snapshot-${args.epoch}.ndjson`);
      await c.lib.snapshot.writeSnapshot(file, snapshot);
      c.io.json({ file, block: snapshot.header.block, devices: snapshot.devices.length });
    }),
  );

task("epoch:publish", "Posts an epoch file's root as the oracle (idempotent)")
  .addParam("file", "The epoch file", undefined, types.string)
  .addOptionalParam("uri", "Where the file is published, logged in the event", "", types.string)
  .addFlag("dryRun", "Print what would be sent, and send nothing")
  .addOptionalParam("account", ORACLE, undefined, types.string)
  .addOptionalParam("deployments", DEPLOYMENTS, undefined, types.string)
  .setAction(async (args: OracleArgs & { file: string; uri: string; dryRun: boolean }, hre) =>
    runCommand("epoch:publish", async () => {
      const c = await oracleContext(hre, "epoch:publish", args);
      const file = await c.lib.epochFile.readEpochFile(args.file, { devices: "skip" });
      const distributor = await c.suite.distributor.getAddress();
      const lens = await c.suite.rewardsLens.getAddress();
      const result = await c.lib.chain.publishEpoch(distributor, lens, c.oracle, file, {
        uri: args.uri,
        dryRun: args.dryRun,
      });
      const { formatDate, formatTokens } = c.format;
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
      c.io.say(human[result.outcome]);
      c.io.json(result);
    }),
  );

pipelineOptions(
  task("epoch:run", "Snapshot → compute → publish for one epoch, keeping each step's output")
    .addParam("epoch", "The epoch", undefined, types.bigint)
    .addParam("activity", "The activity CSV of the epoch", undefined, types.string)
    .addOptionalParam(
      "previous",
      "The epoch file of epoch − 1 (default: <out>/epoch-<E−1>.json)",
      undefined,
      types.string,
    ),
  "Where the file is published, logged in the event",
).setAction(async (args: PipelineArgs & { epoch: bigint }, hre) =>
  runCommand("epoch:run", async () => {
    const { c, request } = await pipelineRequest(hre, "epoch:run", args);
    const step = await c.lib.chain.runEpochStep({
      ...request,
      epoch: args.epoch,
      activityFile: path.resolve(args.activity),
    });
    c.io.say(`epoch ${args.epoch}: ${c.lib.chain.describeStep(step)}`);
    c.io.json(step);
  }),
);

pipelineOptions(
  task(
    "epoch:catch-up",
    "Snapshot → compute → publish for every epoch the distributor is missing, in order, in one process",
  )
    .addOptionalParam(
      "through",
      "The last epoch to run (default: the last epoch that has ended)",
      undefined,
      types.bigint,
    )
    .addParam("activity", "The folder holding activity-<E>.csv for each epoch to run", undefined, types.string)
    .addOptionalParam(
      "previous",
      "The epoch file of the epoch before the first to run (default: <out>/epoch-<E−1>.json)",
      undefined,
      types.string,
    ),
  "Where the files are published, logged in the events",
).setAction(async (args: PipelineArgs & { through?: bigint }, hre) =>
  runCommand("epoch:catch-up", async () => {
    const { c, request } = await pipelineRequest(hre, "epoch:catch-up", args);
    const result = await c.lib.chain.catchUpEpochs({
      ...request,
      through: args.through,
      activityDir: path.resolve(args.activity),
    });
    c.io.say(result.message);
    const stopped =
      result.stopped === undefined
        ? undefined
        : {
            ...result.stopped,
            ...(result.stopped.retryAt === undefined ? {} : { resumeAt: c.format.formatDate(result.stopped.retryAt) }),
          };
    c.io.json({
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
    });
  }),
);

task("epoch:distribute", "Distributes an ended epoch: mints its emission and sends the three shares (idempotent)")
  .addParam("epoch", "The epoch to distribute", undefined, types.bigint)
  .addOptionalParam(
    "account",
    "The address that sends it (default: the first configured account)",
    undefined,
    types.string,
  )
  .addOptionalParam("deployments", "The folder of deployment records", "deployments", types.string)
  .setAction(async (args: { epoch: bigint; account?: string; deployments: string }, hre) =>
    runCommand("epoch:distribute", async () => {
      const epoch = inRange(args.epoch, "--epoch", 0n);
      const c = await taskContext(
        hre,
        "epoch:distribute",
        { ...args, signer: { account: args.account } },
        () => import("../scripts/lib/rewards/distribute"),
      );
      const result = await c.lib.distributeEpoch(c.suite.distributor, c.suite.rewardsLens, epoch);
      const { formatTokens } = c.format;
      const shares = `${formatTokens(result.emission)}: ${formatTokens(result.operators)} to the operators, ${formatTokens(result.stakers)} to the stakers, ${formatTokens(result.treasury)} to the treasury`;
      c.io.say(
        result.outcome === "distributed"
          ? `distributed epoch ${result.epoch}, ${shares} (tx ${result.transaction})`
          : `epoch ${result.epoch} was distributed already (${shares}, tx ${result.transaction}): nothing sent`,
      );
      c.io.json(result);
    }),
  );
