import "dotenv/config";
import { extendEnvironment, subtask } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig, NetworksUserConfig } from "hardhat/types";
import "@nomicfoundation/hardhat-toolbox";
import "@openzeppelin/hardhat-upgrades";

import "./tasks";
import { EnvError, PUBLIC_NETWORKS, accountsFor, assertNetworkEnv, parseEnv, type SuiteEnv } from "./scripts/lib/env";
import { mochaHooks } from "./test/helpers/chain-clock";

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

// Hardhat cannot download a compiler here: use the wasm build that `npm ci` installed.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  const longVersion = solc.version().replace(/\.Emscripten\.clang$/, "");
  return { compilerPath: require.resolve("solc/soljson.js"), isSolcJs: true, version: args.solcVersion, longVersion };
});

// A public network's variables are checked only when that network is used, with one line.
extendEnvironment((hre) => {
  try {
    assertNetworkEnv(env, hre.network.name);
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`config error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
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
      // Without the IR pipeline the distributor is 25,884 bytes, over the 24,576-byte limit of EIP-170.
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
  // The in-process chain's clock moves only as the tests move it (test/helpers/chain-clock.ts).
  mocha: { timeout: 120_000, reporter: "./test/helpers/summary-reporter.js", rootHooks: mochaHooks },
};

export default config;
