/** A rewards input or state that the library refuses, with a one-line reason. */
export class RewardsError extends Error {
  override readonly name = "RewardsError";
}
