/**
 * The epoch pipeline's public barrel: file formats (`formats/`), the pure computation
 * (`compute.ts`, `inputHash.ts`, `merkle.ts`, `rules.ts`), and `computeEpochFiles` that ties them
 * together (`pipeline.ts`). Nothing here reads argv, the environment or the chain; the chain side
 * (snapshot from chain, publish, run, catch-up) is `chain/`, imported on its own since it loads the
 * contract bindings. See `docs/epoch-files.md` for the formats.
 */
export * from "./compute";
export * from "./errors";
export * from "./formats/activity";
export * from "./formats/epochFile";
export * from "./formats/snapshot";
export * from "./inputHash";
export * from "./merkle";
export * from "./pipeline";
export * from "./rules";
export * from "./types";
export * from "./util/address";
