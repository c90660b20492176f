/**
 * The one base of every error the tooling raises for a person to read: bad input, a refused
 * transaction explained, a file that does not match, a missing deployment. `runCommand`
 * (`scripts/lib/cli.ts`) prints a `UserError` as one line and exits non-zero; any other error is a
 * bug and keeps its stack. Subclasses set `name` and say in their message what is wrong and, where
 * it helps, what to do.
 */
export class UserError extends Error {
  override readonly name: string = "UserError";
}
