import hre from "hardhat";

/**
 * Runs a Hardhat task in-process and returns what it printed on stdout and stderr and the exit code
 * it set (undefined on success), leaving the process's own exit code as it found it.
 */
export async function runTask(name: string, args: Record<string, unknown>) {
  const out: string[] = [];
  const err: string[] = [];
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  const before = process.exitCode;
  process.stdout.write = ((chunk: string) => out.push(chunk) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(chunk) > 0) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    await hre.run(name, args);
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
  }
  const exitCode = process.exitCode;
  process.exitCode = before;
  return { out: out.join(""), err: err.join(""), exitCode };
}
