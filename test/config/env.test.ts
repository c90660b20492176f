import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";

import { EnvError, accountsFor, assertNetworkEnv, missingForNetwork, parseEnv } from "../../scripts/lib/env";

const KEY = "0x" + "11".repeat(32);
const ROOT = path.join(__dirname, "..", "..");

describe("env", function () {
  describe("parseEnv", function () {
    it("reads every variable the suite knows, trimming blanks to unset", function () {
      const env = parseEnv({
        SEPOLIA_RPC_URL: "https://rpc.example/sepolia",
        BASE_SEPOLIA_RPC_URL: "  ",
        RPC_URL: "http://127.0.0.1:9545",
        DEPLOYER_PRIVATE_KEY: KEY.slice(2),
        ORACLE_PRIVATE_KEY: KEY,
        ETHERSCAN_API_KEY: "abc",
        REPORT_GAS: "true",
      });
      expect(env.rpcUrls).to.deep.equal({ sepolia: "https://rpc.example/sepolia", custom: "http://127.0.0.1:9545" });
      expect(env.deployerPrivateKey).to.equal(KEY);
      expect(env.oraclePrivateKey).to.equal(KEY);
      expect(env.etherscanApiKey).to.equal("abc");
      expect(env.localhostUrl).to.equal("http://127.0.0.1:8545");
      expect(env.reportGas).to.equal(true);
      expect(accountsFor(env)).to.deep.equal([KEY, KEY]);
    });

    it("rejects a malformed private key with a line that names the variable", function () {
      expect(() => parseEnv({ DEPLOYER_PRIVATE_KEY: "0x1234" })).to.throw(
        EnvError,
        /^DEPLOYER_PRIVATE_KEY must be a 32-byte hex/,
      );
      expect(() => parseEnv({ ORACLE_PRIVATE_KEY: "zz".repeat(32) })).to.throw(EnvError, /^ORACLE_PRIVATE_KEY/);
    });

    it("rejects a malformed or non-http URL with a line that names the variable", function () {
      expect(() => parseEnv({ SEPOLIA_RPC_URL: "not a url" })).to.throw(
        EnvError,
        /^SEPOLIA_RPC_URL is not a valid URL$/,
      );
      expect(() => parseEnv({ RPC_URL: "ftp://host" })).to.throw(
        EnvError,
        /^RPC_URL must be an http\(s\) or ws\(s\) URL$/,
      );
    });
  });

  describe("missingForNetwork", function () {
    it("requires nothing for the in-process chain and localhost", function () {
      const env = parseEnv({});
      expect(missingForNetwork(env, "hardhat")).to.deep.equal([]);
      expect(missingForNetwork(env, "localhost")).to.deep.equal([]);
    });

    it("names the URL and the deployer key a public network lacks", function () {
      const env = parseEnv({ SEPOLIA_RPC_URL: "https://rpc.example" });
      expect(missingForNetwork(env, "sepolia")).to.deep.equal(["DEPLOYER_PRIVATE_KEY"]);
      expect(missingForNetwork(env, "baseSepolia")).to.deep.equal(["BASE_SEPOLIA_RPC_URL", "DEPLOYER_PRIVATE_KEY"]);
      expect(missingForNetwork(env, "arbitrumSepolia")).to.deep.equal([
        "ARBITRUM_SEPOLIA_RPC_URL",
        "DEPLOYER_PRIVATE_KEY",
      ]);
      expect(missingForNetwork(env, "custom")).to.deep.equal(["RPC_URL", "DEPLOYER_PRIVATE_KEY"]);
      expect(() => assertNetworkEnv(env, "custom")).to.throw(
        EnvError,
        /^network "custom" needs RPC_URL, DEPLOYER_PRIVATE_KEY/,
      );
      expect(() =>
        assertNetworkEnv(parseEnv({ RPC_URL: "http://x.example", DEPLOYER_PRIVATE_KEY: KEY }), "custom"),
      ).not.to.throw();
    });
  });

  describe("hardhat CLI", function () {
    // The child sees none of the public networks' variables, whatever this shell or .env holds.
    // `npx: true` runs it as a user does, through `npx hardhat` (Hardhat's bootstrap entry).
    function runHardhat(args: string[], extra: Record<string, string> = {}, { npx = false } = {}) {
      const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...extra };
      for (const name of [
        "SEPOLIA_RPC_URL",
        "BASE_SEPOLIA_RPC_URL",
        "ARBITRUM_SEPOLIA_RPC_URL",
        "RPC_URL",
        "DEPLOYER_PRIVATE_KEY",
      ]) {
        env[name] ??= "";
      }
      const [command, prefix] = npx
        ? ["npx", ["--no-install", "hardhat"]]
        : [process.execPath, [require.resolve("hardhat/internal/cli/cli")]];
      return spawnSync(command, [...prefix, ...args], {
        cwd: ROOT,
        env,
        encoding: "utf8",
        timeout: 60_000,
      });
    }

    it("fails with one line naming the missing variable when a public network is used", function () {
      const result = runHardhat(["--network", "sepolia", "accounts-check-does-not-exist"]);
      expect(result.status).to.equal(1);
      expect(result.stderr.trim().split("\n")).to.deep.equal([
        'config error: network "sepolia" needs SEPOLIA_RPC_URL, DEPLOYER_PRIVATE_KEY: set it in the environment or in .env (see .env.example)',
      ]);
    });

    it("fails with one line for a malformed key, whatever the network", function () {
      const result = runHardhat(["--network", "hardhat", "help"], { DEPLOYER_PRIVATE_KEY: "0xbad" });
      expect(result.status).to.equal(1);
      expect(result.stderr.trim()).to.match(/^config error: DEPLOYER_PRIVATE_KEY must be a 32-byte hex private key/);
    });

    it("leaves the in-process network untouched by missing public variables", function () {
      const result = runHardhat(["--network", "hardhat", "help"]);
      expect(result.status, result.stderr).to.equal(0);
    });

    // Hardhat's own errors come out as the project's do: one line naming the task and what to do.
    for (const [args, line] of [
      [
        ["suite:status", "--bad-arg"],
        "suite:status: Unrecognized param --bad-arg (HH305): npx hardhat help suite:status lists its arguments",
      ],
      [
        ["suite:upgrade"],
        "suite:upgrade: The '--contract' parameter of task 'suite:upgrade' expects a value, but none was passed (HH306): npx hardhat help suite:upgrade lists its arguments",
      ],
      [
        ["--network", "nowhere", "suite:status"],
        'suite:status: network "nowhere" is not configured (HH100): --network takes one of hardhat, localhost, sepolia, baseSepolia, arbitrumSepolia, custom',
      ],
      [["suite:statsu"], "suite:statsu: no such task (HH303): npx hardhat help lists the tasks"],
    ] as const) {
      it(`fails with one line for Hardhat's own error: hardhat ${args.join(" ")}`, function () {
        const result = runHardhat([...args], {}, { npx: (args as readonly string[]).includes("--bad-arg") });
        expect(result.status).to.equal(1);
        expect(result.stderr.split("\n")).to.deep.equal([line, ""]);
        expect(result.stdout).to.equal("");
      });
    }
  });
});
