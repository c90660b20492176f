/** The chain side of the pipeline, part 4: every epoch the distributor is missing, in order. */
import path from "node:path";
import { existsSync } from "node:fs";

import { RewardsLens__factory } from "../../../../typechain-types";
import { endOf, endedEpochs } from "../../clock";
import { addressOf } from "../../deployments";
import { formatDate } from "../../format";
import { EpochError } from "../errors";
import type { CatchUpRequest, CatchUpResult, EpochStep } from "../types";
import { describeStep, runEpochStep, checkPreviousFile } from "./run";
import { epochClockOf, notEnded } from "./snapshot";

/** The activity file of `epoch` in a catch-up's activity folder. */
export function activityFileName(epoch: bigint): string {
  return `activity-${epoch}.csv`;
}

/**
 * `epoch:catch-up`: runs every epoch the distributor is missing, in order, through `through`, in
 * one process: for each, the order check, snapshot, compute and publish of `runEpochStep`. Checks
 * its inputs first (the epochs have ended, every activity file is there). Stops cleanly where the
 * ring of roots holds the next root back (`stopped.reason` "ring", with the time to resume) or where
 * a root needs other oracles' votes to stand ("quorum"). Resumable and idempotent: run again, it
 * starts from the distributor's next epoch, and an epoch whose root stands is never run twice.
 */
export async function catchUpEpochs(request: CatchUpRequest): Promise<CatchUpResult> {
  const provider = request.oracle.provider;
  if (provider === null) throw new EpochError("the oracle signer has no provider");
  const progress = request.onProgress ?? (() => undefined);
  const lens = RewardsLens__factory.connect(addressOf(request.record, "RewardsLens"), provider);
  const latest = await provider.getBlock("latest");
  if (latest === null) throw new EpochError("the node returned no latest block");
  const clock = await epochClockOf(provider, request.record);
  const now = BigInt(latest.timestamp);
  const ended = endedEpochs(clock, now);
  const next = await lens.nextEpoch();
  if (request.through !== undefined && request.through >= ended) {
    throw notEnded(request.through, endOf(clock, request.through), now);
  }
  if (request.through === undefined && ended === 0n) {
    const message = `no epoch has ended yet: epoch 0 ends at ${formatDate(endOf(clock, 0n))}`;
    return { from: next, through: null, steps: [], complete: true, message };
  }
  const through = request.through ?? ended - 1n;
  if (next > through) {
    const message = `every epoch through ${through} stands already: the distributor takes epoch ${next} next`;
    return { from: next, through, steps: [], complete: true, message };
  }
  const activity = (epoch: bigint) => path.join(request.activityDir, activityFileName(epoch));
  const missing: bigint[] = [];
  for (let e = next; e <= through; e++) if (!existsSync(activity(e))) missing.push(e);
  if (missing.length > 0) {
    const list =
      missing.length > 5 ? `${missing.slice(0, 5).join(", ")} and ${missing.length - 5} more` : missing.join(", ");
    throw new EpochError(`${request.activityDir} has no activity file for epoch ${list} (activity-<E>.csv)`);
  }
  if (next > 0n) {
    const [root, totalCumulative] = await lens.rootOf(next - 1n);
    await checkPreviousFile(next, { root: root.toLowerCase(), totalCumulative }, request.previousFile, request.outDir);
  }

  const total = through - next + 1n;
  progress(`epochs ${next} to ${through}: ${total} to run`);
  const steps: EpochStep[] = [];
  for (let e = next; e <= through; e++) {
    const prefix = `epoch ${e} (${e - next + 1n}/${total})`;
    const step = await runEpochStep({
      record: request.record,
      oracle: request.oracle,
      epoch: e,
      activityFile: activity(e),
      previousFile: e === next ? request.previousFile : undefined,
      outDir: request.outDir,
      uri: request.uri,
      onProgress: (message) => progress(`${prefix}: ${message}`),
      clock: request.clock,
    });
    steps.push(step);
    progress(`${prefix}: ${describeStep(step)}`);
    if (step.outcome === "waiting") {
      const message = `stopped before epoch ${e}: ${describeStep(step)}`;
      return {
        from: next,
        through,
        steps,
        complete: false,
        stopped: { epoch: e, reason: "ring", retryAt: step.retryAt },
        message,
      };
    }
    if (step.outcome === "already-posted" || (step.outcome === "posted" && step.stands !== true)) {
      const message = `stopped at epoch ${e}: ${describeStep(step)}; run again once it stands`;
      return { from: next, through, steps, complete: false, stopped: { epoch: e, reason: "quorum" }, message };
    }
  }
  return { from: next, through, steps, complete: true, message: `every epoch through ${through} stands` };
}
