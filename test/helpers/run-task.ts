import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import hre from "hardhat";

import { writeDeployment } from "../../scripts/lib/deployments";

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

/**
 * For each test of the enclosing `describe`: a temporary project root holding
 * `deployments/31337.json` with the addresses `contracts()` gives (the tasks read
 * `<root>/deployments/<chainId>.json`), made Hardhat's root for the test and removed after it.
 * Returns a getter of the current root.
 */
export function useDeploymentRoot(label: string, contracts: () => Promise<Record<string, string>>): () => string {
  const originalRoot = hre.config.paths.root;
  let root = "";
  beforeEach(async function () {
    const addresses = await contracts();
    root = mkdtempSync(path.join(tmpdir(), `${label}-`));
    writeDeployment(path.join(root, "deployments"), { chainId: 31337, block: 0, contracts: addresses });
    hre.config.paths.root = root;
  });
  afterEach(function () {
    hre.config.paths.root = originalRoot;
    rmSync(root, { recursive: true, force: true });
  });
  return () => root;
}

/**
 * Runs `npx hardhat <args>` in a child process, as an operator types it, from the project root; resolves with
 * its exit code and output. `env` replaces the child's environment when given.
 */
export function spawnHardhat(
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve("hardhat/internal/cli/cli"), ...args], {
      cwd: path.join(__dirname, "..", ".."),
      env: env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
