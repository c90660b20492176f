/** The chain side of the pipeline, part 3: one epoch, snapshot → compute → publish. */
import { existsSync } from "node:fs";
import path from "node:path";

import { RewardsLens__factory } from "../../../../typechain-types";
import { addressOf } from "../../deployments";
import { formatDate, formatTokens } from "../../format";
import { EpochError } from "../errors";
import { epochFileName, readEpochFile, readEpochFileHead } from "../formats/epochFile";
import { writeSnapshot } from "../formats/snapshot";
import { computeEpochFiles } from "../pipeline";
import type { EpochOrder, EpochStep, PublishResult, RunEpochRequest } from "../types";
import { checkEpochOrder, publishEpoch, ROOT_RING } from "./publish";
import { readChainSnapshot } from "./snapshot";

/**
 * `epoch:run`: snapshot → compute → publish for one oracle, keeping each step's output in `outDir`
 * (`snapshot-<E>.ndjson`, `epoch-<E>.json`, the folder created when missing). Before the snapshot it
 * checks the order (`checkEpochOrder`), the activity file, and that the previous epoch's file is the
 * one whose root stands (or, without one, that the previous root's total is 0). An epoch that stands
 * already is reported and nothing is done; a run that crashed is run again.
 */
export async function runEpochStep(request: RunEpochRequest): Promise<EpochStep> {
  const provider = request.oracle.provider;
  if (provider === null) throw new EpochError("the oracle signer has no provider");
  const { epoch, outDir, record } = request;
  const progress = request.onProgress ?? (() => undefined);
  const distributorAddress = addressOf(record, "RewardsDistributor");
  const epochFile = path.join(outDir, epochFileName(epoch));

  const order = await checkEpochOrder(provider, record, epoch, request.clock);
  if (order.state === "stands") {
    const root = order.root as string;
    if (!existsSync(epochFile)) return { epoch, outcome: "already-stands", root };
    const head = await readEpochFileHead(epochFile);
    if (head.root !== root)
      throw new EpochError(`${epochFile} has root ${head.root}, but ${root} stands for epoch ${epoch}`);
    return { epoch, outcome: "already-stands", root, epochFile };
  }
  if (order.state === "waiting") return { epoch, outcome: "waiting", retryAt: order.retryAt };
  const self = await request.oracle.getAddress();
  const lens = RewardsLens__factory.connect(addressOf(record, "RewardsLens"), provider);
  if (!(await lens.isOracle(self))) throw new EpochError(`${self} is not a registered oracle of the distributor`);
  if (!existsSync(request.activityFile)) throw new EpochError(`${request.activityFile}: no such file`);

  const previousFile = await checkPreviousFile(epoch, order.previous, request.previousFile, outDir);

  const snapshotFile = path.join(outDir, `snapshot-${epoch}.ndjson`);
  const snapshot = await readChainSnapshot({ provider, record, epoch, onProgress: progress });
  await writeSnapshot(snapshotFile, snapshot);
  const { file } = await computeEpochFiles({
    epoch,
    snapshotFile,
    activityFile: request.activityFile,
    previousFile,
    outDir,
    onProgress: progress,
  });
  const publish = await publishEpoch(
    distributorAddress,
    addressOf(record, "RewardsLens"),
    request.oracle,
    await readEpochFile(file, { devices: "skip" }),
    {
      uri: request.uri,
    },
  );
  const common = { epoch, root: publish.root, snapshotFile, epochFile: file, publish };
  switch (publish.outcome) {
    case "waiting":
      return { ...common, outcome: "waiting", retryAt: publish.retryAt };
    case "posted":
      return { ...common, outcome: "posted", stands: publish.stands, claimableAt: publish.claimableAt };
    case "already-posted":
      return { ...common, outcome: "already-posted", stands: false };
    default:
      return { ...common, outcome: "already-stands" };
  }
}

/**
 * The previous epoch's file for `epoch`: `previousFile`, else `outDir/epoch-<E-1>.json` when it
 * exists. It must be the file of the root that stands for `epoch − 1` (read from its header); without
 * one, that root's total must be 0, since the cumulative amounts would otherwise start over. Throws
 * `EpochError` naming the file to supply.
 */
export async function checkPreviousFile(
  epoch: bigint,
  standing: EpochOrder["previous"],
  previousFile: string | undefined,
  outDir: string,
): Promise<string | undefined> {
  const defaultPrevious = epoch > 0n ? path.join(outDir, epochFileName(epoch - 1n)) : undefined;
  const file =
    previousFile ?? (defaultPrevious !== undefined && existsSync(defaultPrevious) ? defaultPrevious : undefined);
  if (standing === undefined) return file;
  if (file !== undefined) {
    const head = await readEpochFileHead(file);
    if (head.epoch !== epoch - 1n || head.root !== standing.root) {
      throw new EpochError(
        `${file} is epoch ${head.epoch}'s file with root ${head.root}, but ${standing.root} stands for epoch ${epoch - 1n}`,
      );
    }
  } else if (standing.totalCumulative > 0n) {
    throw new EpochError(
      `epoch ${epoch} starts from epoch ${epoch - 1n}'s amounts (${formatTokens(standing.totalCumulative)}, root ${standing.root}): put its file ${epochFileName(epoch - 1n)} in ${outDir} or give --previous`,
    );
  }
  return file;
}

/**
 * `runEpochStep` for callers that expect a root to be published (the demo, tests): returns the
 * files and what `publishEpoch` did, and throws `EpochError` when nothing was published (the epoch
 * stands already, or the ring holds it back).
 */
export async function runEpoch(
  request: RunEpochRequest,
): Promise<{ snapshotFile: string; epochFile: string; publish: PublishResult }> {
  const step = await runEpochStep(request);
  if (step.publish === undefined || step.snapshotFile === undefined || step.epochFile === undefined) {
    throw new EpochError(`epoch ${step.epoch}: ${describeStep(step)}`);
  }
  return { snapshotFile: step.snapshotFile, epochFile: step.epochFile, publish: step.publish };
}

/** One line for people about what a step did. */
export function describeStep(step: EpochStep): string {
  const root = step.root === undefined ? "" : `root ${step.root.slice(0, 10)}…`;
  switch (step.outcome) {
    case "posted":
      return step.stands === true
        ? `posted ${root}: it stands${step.claimableAt === undefined ? "" : `, claimable from ${formatDate(step.claimableAt)}`}`
        : `voted for ${root}: it stands once a quorum of oracles post the same root`;
    case "already-posted":
      return `this oracle's vote for ${root} is in already: it stands once a quorum of oracles post the same root`;
    case "already-stands":
      return `${root} stands already: nothing to do`;
    case "waiting":
      return `the distributor takes this root from ${formatDate(step.retryAt ?? 0n)}, once the root of epoch ${step.epoch - (ROOT_RING - 1n)} is claimable: run again then`;
  }
}
