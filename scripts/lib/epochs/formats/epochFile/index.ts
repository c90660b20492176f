/** The epoch file (`depin-epoch/v1`, `docs/epoch-files.md`): its layout, writer, readers and proofs. */
export { ACCOUNT_COLUMNS, DEVICE_COLUMNS, EPOCH_FORMAT, epochFileName } from "./layout";
export { readEpochFileHead } from "./head";
export { proofFor } from "./proof";
export { readEpochFile } from "./read";
export { writeEpochFile } from "./write";
export type { AccountProof, EpochFile, EpochFileHead, ReadEpochOptions, StandardTreeDump } from "../../types";
