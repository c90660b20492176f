/**
 * The one way a task gets what it works with: the deployment record of the connected chain, the
 * suite connected to it, the signer when the task sends, and its io (progress and lines for people
 * on stderr, results on stdout). Everything it uses is loaded before its first request to the node:
 * loading takes seconds of blocked event loop (ts-node compiles the library and the typechain
 * bindings), and a connection that a node closed meanwhile (a `hardhat node` closes idle ones after
 * 5 s) would otherwise be reused and fail with "other side closed".
 */
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types";

/** What a task prints: `say` and `progress` go to stderr prefixed with the task's name, results to stdout. */
export interface TaskIo {
  /** A line for people, on stderr: `<task>: <line>`. */
  say(line: string): void;
  /** The same, as a callback for a library's `onProgress`. */
  readonly progress: (line: string) => void;
  /** A result line, on stdout. */
  result(line: string): void;
  /** A result as one JSON line (bigints as decimal strings), on stdout. */
  json(value: unknown): void;
}

export interface ContextOptions {
  /** The deployments folder, relative to the project root (default `deployments`). */
  readonly deployments?: string;
  /** Check that every recorded contract has code on the chain first (`loadDeployment`). */
  readonly checkCode?: boolean;
  /**
   * The task sends: the configured account `account` names (an address), else the configured account
   * at `defaultIndex` (0, the deployer; 1, the oracle). The suite is then connected to it.
   */
  readonly signer?: { readonly account?: string; readonly defaultIndex?: number };
}

export function taskIo(name: string): TaskIo {
  const say = (line: string): void => void process.stderr.write(`${name}: ${line}\n`);
  return {
    say,
    progress: say,
    result: (line) => void process.stdout.write(`${line}\n`),
    json: (value) =>
      void process.stdout.write(
        `${JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}\n`,
      ),
  };
}

/** The deployments folder a task reads: `dir` (default `deployments`) under the project root. */
export function deploymentsDir(hre: HardhatRuntimeEnvironment, dir: string | undefined): string {
  return path.resolve(hre.config.paths.root, dir ?? "deployments");
}

/** The libraries every task context uses. */
async function loadLibraries() {
  const [cli, deployments, connect, format] = await Promise.all([
    import("../../scripts/lib/cli"),
    import("../../scripts/lib/deployments"),
    import("../../scripts/lib/deploy/connect"),
    import("../../scripts/lib/format"),
  ]);
  return { cli, deployments, connect, format };
}

/**
 * The context of task `name`: its record, suite, signer and io. `load` names what else the task
 * uses; it is loaded with the rest, before the first request.
 */
export async function taskContext<L, O extends ContextOptions>(
  hre: HardhatRuntimeEnvironment,
  name: string,
  options: O,
  load: () => Promise<L>,
) {
  const [lib, extra] = await Promise.all([loadLibraries(), load()]);
  const io = taskIo(name);
  const { chainId } = await hre.ethers.provider.getNetwork();
  const dir = deploymentsDir(hre, options.deployments);
  const signer =
    options.signer === undefined
      ? undefined
      : await lib.cli.signerFor(hre, options.signer.account, options.signer.defaultIndex ?? 0);
  const record = options.checkCode
    ? await lib.deployments.loadDeployment(dir, chainId, hre.ethers.provider, hre.network.name)
    : lib.deployments.readDeployment(dir, chainId);
  const suite = lib.connect.connectDeployedSuite(record, signer ?? hre.ethers.provider);
  return {
    record,
    suite,
    /** The signer when the options ask for one. */
    signer: signer as O["signer"] extends object ? NonNullable<typeof signer> : undefined,
    io,
    chainId,
    deploymentsDir: dir,
    cli: lib.cli,
    format: lib.format,
    /** What `load` loaded. */
    lib: extra,
  };
}
