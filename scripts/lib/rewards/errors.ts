import { UserError } from "../errors";

/** A rewards input or state that the library refuses, with a one-line reason. */
export class RewardsError extends UserError {
  override readonly name = "RewardsError";
}
