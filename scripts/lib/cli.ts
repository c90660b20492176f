/**
 * What every task shares: a failure is one line on stderr and a non-zero exit code, never a stack.
 * The line names the task; the error's message (or what `describe` makes of the error, such as a
 * decoded custom error) says what is wrong.
 */
export async function runCommand(
  name: string,
  action: () => Promise<void>,
  describe: (error: unknown) => string = oneLine,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    process.stderr.write(`${name}: ${oneLine(describe(error))}\n`);
    process.exitCode = 1;
  }
}

/** An error as one line: its message's first line, or its string form. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
