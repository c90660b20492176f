import "dotenv/config";
import { extendEnvironment, subtask } from "hardhat/config";
import {
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
  TASK_TEST_SETUP_TEST_ENVIRONMENT,
} from "hardhat/builtin-tasks/task-names";
import type {
  EthereumProvider,
  HardhatRuntimeEnvironment,
  HardhatUserConfig,
  JsonRpcRequest,
  JsonRpcResponse,
  NetworksUserConfig,
  RequestArguments,
} from "hardhat/types";
// The plugins the suite uses, each by name (no toolbox: it would pull in Hardhat Ignition, which the suite does
// not use; its deployments are journaled by scripts/lib/deploy/journal.ts, see docs/deploy.md).
import "@nomicfoundation/hardhat-chai-matchers";
import "@nomicfoundation/hardhat-ethers";
import "@nomicfoundation/hardhat-verify";
import "@typechain/hardhat";
import "hardhat-gas-reporter";
import "solidity-coverage";
import "@openzeppelin/hardhat-upgrades";
import { Transaction } from "ethers";

import "./tasks";
import { DeploymentError, noCodeMessage, recordedContract, type RecordedContract } from "./scripts/lib/deployments";
import { EnvError, PUBLIC_NETWORKS, accountsFor, assertNetworkEnv, parseEnv, type SuiteEnv } from "./scripts/lib/env";
import { installChainClock } from "./test/helpers/chain-clock";

/** The compiler, pinned to the contracts' exact pragma and loaded from the `solc` npm package. */
const SOLC_VERSION = "0.8.28";

function loadEnv(): SuiteEnv {
  try {
    return parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`config error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const env = loadEnv();

/** The compiler settings of every contract (the distributor and its V2 mock add `viaIR` in `overrides` below). */
const SOLC_SETTINGS = {
  optimizer: { enabled: true, runs: 10_000 },
  evmVersion: "cancun",
  metadata: { bytecodeHash: "none" },
} as const;

// In `hardhat test` (and coverage, which runs it), the in-process chain's clock moves only as the tests
// move it, before any test file is loaded (test/helpers/chain-clock.ts). `hardhat node` and scripts keep
// Hardhat's own clock.
subtask(TASK_TEST_SETUP_TEST_ENVIRONMENT, async (args, hre, runSuper) => {
  await runSuper(args);
  installChainClock(hre);
});

// Hardhat cannot download a compiler here: use the wasm build that `npm ci` installed.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  const longVersion = solc.version().replace(/\.Emscripten\.clang$/, "");
  return { compilerPath: require.resolve("solc/soljson.js"), isSolcJs: true, version: args.solcVersion, longVersion };
});

/*
 * Hardhat's own errors on the command line, as one line. Hardhat's CLI prints a HardhatError (a
 * missing or unknown task argument, an unknown task, an unknown network) over several lines, with a
 * stack trace on CI (and on Linux without a display, which Hardhat counts as CI). When this config is loaded by that CLI, the command line is checked first with
 * Hardhat's own parser, in the CLI's order: the network here (the CLI refuses an unknown one before
 * any extender runs), the task and its arguments in `extendEnvironment` below (after the network's
 * variables). A HardhatError becomes `<task>: <message> (HHnnn): <what to do>` on stderr and exit
 * code 1, the shape of every task's errors (`scripts/lib/cli.ts`). Anything else is left to the CLI,
 * and so is everything when Hardhat's internals used here cannot be loaded.
 */

/** Whether this process is Hardhat's CLI (`npx hardhat`, or its cli.js run directly). */
function underHardhatCli(): boolean {
  try {
    const entries = ["hardhat/internal/cli/cli", "hardhat/internal/cli/bootstrap"].map((entry) =>
      require.resolve(entry),
    );
    return require.main !== undefined && entries.includes(require.main.filename);
  } catch {
    return false;
  }
}

interface CommandLine {
  /** What follows Hardhat's own arguments: the scope or task, and the task's arguments. */
  readonly rest: string[];
  readonly help: boolean;
}

/**
 * Hardhat's CLI internals, loaded only under that CLI. Undefined when they cannot be loaded (a
 * Hardhat upgrade that moved them): the command line is then left to Hardhat, as before.
 */
function hardhatInternals() {
  try {
    return loadHardhatInternals();
  } catch {
    return undefined;
  }
}

/* eslint-disable @typescript-eslint/no-require-imports -- see hardhatInternals */
function loadHardhatInternals() {
  return {
    HardhatError: (require("hardhat/internal/core/errors") as typeof import("hardhat/internal/core/errors"))
      .HardhatError,
    ArgumentsParser: (
      require("hardhat/internal/cli/ArgumentsParser") as typeof import("hardhat/internal/cli/ArgumentsParser")
    ).ArgumentsParser,
    ...(require("hardhat/internal/core/params/hardhat-params") as typeof import("hardhat/internal/core/params/hardhat-params")),
    ...(require("hardhat/internal/core/params/env-variables") as typeof import("hardhat/internal/core/params/env-variables")),
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** Prints `label: what` on stderr and exits 1. */
function failCommand(label: string, what: string): never {
  process.stderr.write(`${label}: ${what}\n`);
  process.exit(1);
}

/** A HardhatError's message as one line, its code at the end: "Unrecognized param --x (HH305)". */
function hardhatLine(error: Error): string {
  const first = (error.message.split("\n")[0] ?? error.message).replace(/\.$/, "");
  const match = /^(HH\d+): (.*)$/.exec(first);
  return match === null ? first : `${match[2]} (${match[1]})`;
}

/** A HardhatError's code, "HH303". */
function hardhatCode(error: Error): string {
  return /^(HH\d+):/.exec(error.message)?.[1] ?? "Hardhat";
}

/** Parses Hardhat's own arguments as the CLI does, and refuses an unknown network. */
function checkNetworkArgument(networks: readonly string[], defaultNetwork: string): CommandLine | undefined {
  if (!underHardhatCli()) return undefined;
  const hh = hardhatInternals();
  if (hh === undefined) return undefined;
  let label = "hardhat";
  try {
    const { hardhatArguments, scopeOrTaskName, allUnparsedCLAs } = new hh.ArgumentsParser().parseHardhatArguments(
      hh.HARDHAT_PARAM_DEFINITIONS,
      hh.getEnvHardhatArguments(hh.HARDHAT_PARAM_DEFINITIONS, process.env),
      process.argv.slice(2),
    );
    if (hardhatArguments.version || scopeOrTaskName === "init" || scopeOrTaskName === "vars") return undefined;
    label = scopeOrTaskName ?? label;
    const network = hardhatArguments.network ?? defaultNetwork;
    if (!networks.includes(network)) {
      failCommand(
        label,
        `network "${network}" is not configured (HH100): --network takes one of ${networks.join(", ")}`,
      );
    }
    return { rest: allUnparsedCLAs, help: hardhatArguments.help };
  } catch (error) {
    if (hh.HardhatError.isHardhatError(error)) failCommand(label, hardhatLine(error));
    return undefined;
  }
}

/** Resolves the task of the command line and parses its arguments as the CLI will. */
function checkTaskArguments(hre: HardhatRuntimeEnvironment, commandLine: CommandLine): void {
  const hh = hardhatInternals();
  if (hh === undefined) return;
  const parser = new hh.ArgumentsParser();
  let label = commandLine.rest[0] ?? "hardhat";
  let names: ReturnType<typeof parser.parseScopeAndTaskNames>;
  try {
    names = parser.parseScopeAndTaskNames(commandLine.rest, hre.tasks, hre.scopes);
  } catch (error) {
    if (!hh.HardhatError.isHardhatError(error)) return;
    failCommand(label, `no such task (${hardhatCode(error)}): npx hardhat help lists the tasks`);
  }
  const { scopeName, taskName, unparsedCLAs } = names;
  label = scopeName === undefined ? taskName : `${scopeName} ${taskName}`;
  const definition = scopeName === undefined ? hre.tasks[taskName] : hre.scopes[scopeName]?.tasks[taskName];
  if (commandLine.help || definition === undefined) return;
  try {
    parser.parseTaskArguments(definition, unparsedCLAs);
  } catch (error) {
    if (!hh.HardhatError.isHardhatError(error)) return;
    failCommand(label, `${hardhatLine(error)}: npx hardhat help ${label} lists its arguments`);
  }
}

/*
 * A call to a contract whose address a deployment record gave, where the chain has no code, as one
 * line naming the record file and the contract. Without it a task reading `deployments/31337.json`
 * on the wrong chain (the in-process network and a `localhost` node share chain id 31337; a node
 * restarts empty) fails with ethers' `could not decode result data (value="0x")`, or, for a
 * transaction, "succeeds" as a plain transfer. `readDeployment` remembers the addresses it read
 * (`recordedContract`); this wrapper of the network's provider checks the code at such an address
 * before a transaction or a gas estimate is sent to it with calldata, and after a call to it
 * returns nothing. An address once seen with code is not asked again until a snapshot is reverted
 * or the chain reset. Every other request passes through untouched.
 */
const CODE_MAY_VANISH = new Set(["evm_revert", "hardhat_reset", "hardhat_setCode"]);

function calledContract(method: string, params: unknown): RecordedContract | undefined {
  let to: unknown;
  let data: unknown;
  if (method === "eth_call" || method === "eth_estimateGas" || method === "eth_sendTransaction") {
    const tx = (Array.isArray(params) ? params[0] : undefined) as { to?: unknown; data?: unknown; input?: unknown };
    to = tx?.to;
    data = tx?.data ?? tx?.input;
  } else if (method === "eth_sendRawTransaction" && Array.isArray(params) && typeof params[0] === "string") {
    try {
      const tx = Transaction.from(params[0]);
      [to, data] = [tx.to, tx.data];
    } catch {
      return undefined;
    }
  }
  if (typeof to !== "string" || typeof data !== "string" || data === "0x" || data === "") return undefined;
  return recordedContract(to);
}

function guardRecordedContracts(provider: EthereumProvider, network: () => string): EthereumProvider {
  const withCode = new Set<string>();
  const assertCode = async (contract: RecordedContract) => {
    const key = contract.address.toLowerCase();
    if (withCode.has(key)) return;
    if ((await provider.request({ method: "eth_getCode", params: [contract.address, "latest"] })) === "0x") {
      throw new DeploymentError(noCodeMessage(contract, network()));
    }
    withCode.add(key);
  };
  const request = async (args: RequestArguments): Promise<unknown> => {
    const contract = calledContract(args.method, args.params);
    if (contract !== undefined && args.method !== "eth_call") await assertCode(contract);
    const result = await provider.request(args);
    if (CODE_MAY_VANISH.has(args.method)) withCode.clear();
    if (contract !== undefined && args.method === "eth_call" && result === "0x") await assertCode(contract);
    return result;
  };
  const guarded: Partial<EthereumProvider> = {
    request,
    send: (method: string, params?: unknown[]) => request({ method, params }),
    sendAsync: (payload: JsonRpcRequest, callback: (error: unknown, response: JsonRpcResponse) => void) => {
      request({ method: payload.method, params: payload.params }).then(
        (result) => callback(null, { jsonrpc: "2.0", id: payload.id, result }),
        (error: unknown) => callback(error, { jsonrpc: "2.0", id: payload.id }),
      );
    },
  };
  // Everything else (events, the lazy provider's init, the wrapped providers that plugins walk) is the provider's own.
  return new Proxy(provider, {
    get(target, property) {
      if (typeof property === "string" && Object.prototype.hasOwnProperty.call(guarded, property)) {
        return guarded[property as keyof typeof guarded];
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

extendEnvironment((hre) => {
  // A public network's variables are checked only when that network is used, with one line.
  try {
    assertNetworkEnv(env, hre.network.name);
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`config error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (commandLine !== undefined) checkTaskArguments(hre, commandLine);
  // The guard stays on whatever provider is set later (solidity-coverage sets its own).
  let guarded = guardRecordedContracts(hre.network.provider, () => hre.network.name);
  Object.defineProperty(hre.network, "provider", {
    configurable: true,
    enumerable: true,
    get: () => guarded,
    set: (provider: EthereumProvider) => {
      guarded = guardRecordedContracts(provider, () => hre.network.name);
    },
  });
});

const accounts = accountsFor(env);
const publicNetworks: NetworksUserConfig = {};
for (const [name, { chainId }] of Object.entries(PUBLIC_NETWORKS)) {
  publicNetworks[name] = {
    // An unreachable placeholder keeps the config valid; extendEnvironment stops before it is used.
    url: env.rpcUrls[name as keyof typeof PUBLIC_NETWORKS] ?? "http://127.0.0.1:1",
    chainId,
    accounts,
  };
}

const config: HardhatUserConfig = {
  solidity: {
    compilers: [{ version: SOLC_VERSION, settings: SOLC_SETTINGS }],
    overrides: {
      // Measured after the recut into modules and a lens: without the IR pipeline the distributor is 24,539
      // bytes (37 under EIP-170's 24,576) and its V2 mock 24,569, but claims cost ~0.6-0.7% more gas, a
      // batch claim 2.1% more per account and a root post 1.7% more (both over the 1% the bench allows).
      "contracts/rewards/RewardsDistributor.sol": {
        version: SOLC_VERSION,
        settings: { ...SOLC_SETTINGS, viaIR: true },
      },
      // Its test-only V2 inherits it whole.
      "contracts/mocks/RewardsMockDistributorV2.sol": {
        version: SOLC_VERSION,
        settings: { ...SOLC_SETTINGS, viaIR: true },
      },
    },
  },
  networks: {
    hardhat: {},
    localhost: { url: env.localhostUrl, accounts: accounts.length > 0 ? accounts : "remote" },
    ...publicNetworks,
  },
  etherscan: { apiKey: env.etherscanApiKey ?? "" },
  sourcify: { enabled: false },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: env.reportGas, offline: true },
  mocha: { timeout: 120_000, reporter: "./test/helpers/summary-reporter.js" },
};

const commandLine = checkNetworkArgument(
  [...new Set(["hardhat", "localhost", ...Object.keys(config.networks ?? {})])],
  config.defaultNetwork ?? "hardhat",
);

export default config;
