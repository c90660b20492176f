/**
 * The errors of the epoch pipeline. Each carries a one-line message that a task prints as is,
 * before it exits non-zero. Nothing here is thrown for a device the snapshot does not know or that
 * is not eligible: those earn 0 and are counted in the report.
 */
import { UserError } from "../errors";

/** The base of every input or file error of the pipeline (a `UserError`): its message is one line. */
export class EpochError extends UserError {
  override readonly name: string = "EpochError";
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, " "));
  }
}

/** A malformed activity CSV. `line` is the 1-based line of the file where the problem is. */
export class ActivityFormatError extends EpochError {
  override readonly name = "ActivityFormatError";
  constructor(
    readonly source: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${source}:${line}: ${reason}`);
  }
}

/** A malformed or truncated snapshot file. `line` is 1-based, or 0 when the file as a whole is wrong. */
export class SnapshotFormatError extends EpochError {
  override readonly name = "SnapshotFormatError";
  constructor(
    readonly source: string,
    readonly line: number,
    reason: string,
  ) {
    super(line > 0 ? `${source}:${line}: ${reason}` : `${source}: ${reason}`);
  }
}

/** An epoch file that is malformed, truncated or inconsistent (its root, totals or tree disagree). */
export class EpochFileError extends EpochError {
  override readonly name = "EpochFileError";
  constructor(
    readonly source: string,
    reason: string,
  ) {
    super(`${source}: ${reason}`);
  }
}

/** Inputs that are each well formed but do not belong together (epoch, chain, contracts). */
export class EpochInputMismatchError extends EpochError {
  override readonly name = "EpochInputMismatchError";
}
