/**
 * The chain side of the epoch pipeline: reading a snapshot at one block (`snapshot.ts`), where the
 * distributor stands and publishing a computed epoch file as the oracle (`publish.ts`), one epoch's
 * run (`run.ts`) and the catch-up of every missing epoch (`catchUp.ts`). The pure side (formats,
 * compute, tree) is the rest of `scripts/lib/epochs/`; its shapes are in `../types.ts`.
 */
export * from "./catchUp";
export * from "./publish";
export * from "./run";
export * from "./snapshot";
export type {
  CatchUpRequest,
  CatchUpResult,
  EpochOrder,
  EpochStep,
  PipelineParams,
  PublishOutcome,
  PublishResult,
  RunEpochRequest,
  SnapshotRequest,
} from "../types";
