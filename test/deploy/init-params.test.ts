/**
 * A new chain in one step: `suite:init-params` writes `deploy/params/<network>.json` for the
 * connected chain from a template, and the two errors that send a user there (no params file, a
 * params file for another chain) say exactly what to run. In-process: the `hardhat` network plays
 * the new chain (31337), and a template for chain 12345 plays `localhost.json` of another chain.
 */
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { parseSuiteParams } from "../../scripts/lib/deploy/suite-params";
import { runTask } from "../helpers/run-task";

const REPO_PARAMS = path.join(__dirname, "..", "..", "deploy", "params");

describe("suite:init-params and the params errors of suite:deploy", function () {
  const originalRoot = hre.config.paths.root;
  let root = "";
  let params = "";
  /** What the task prints for a path (relative to the working directory when inside it). */
  const shown = (file: string) => {
    const relative = path.relative(process.cwd(), file);
    return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
  };

  beforeEach(function () {
    root = mkdtempSync(path.join(tmpdir(), "init-params-"));
    params = path.join(root, "deploy", "params");
    mkdirSync(params, { recursive: true });
    // A template made for another chain, as localhost.json is for 31337.
    const template = readFileSync(path.join(REPO_PARAMS, "localhost.json"), "utf8").replace(
      '"chainIds": [31337]',
      '"chainIds": [12345]',
    );
    writeFileSync(path.join(params, "devnet.json"), template);
    hre.config.paths.root = root;
  });

  afterEach(function () {
    hre.config.paths.root = originalRoot;
    rmSync(root, { recursive: true, force: true });
  });

  async function context() {
    const [deployer, oracle] = await ethers.getSigners();
    const latest = await ethers.provider.getBlock("latest");
    return { deployer: deployer.address, oracle: oracle.address, now: BigInt(latest!.timestamp) };
  }

  it("without a params file, suite:deploy says which init-params command writes one", async function () {
    const result = await runTask("suite:deploy", {});
    expect(result.exitCode).to.equal(1);
    expect(result.out).to.equal("");
    expect(result.err).to.equal(
      `suite:deploy: ${shown(path.join(params, "hardhat.json"))}: no such params file: write it for chain 31337 with npx hardhat suite:init-params --network hardhat --from localhost (--from testnet for a public testnet), review it, then deploy again\n`,
    );
  });

  it("with --params for another chain, suite:deploy says how to write the network's own file from it", async function () {
    const devnet = path.join(params, "devnet.json");
    const result = await runTask("suite:deploy", { params: devnet });
    expect(result.exitCode).to.equal(1);
    expect(result.err).to.equal(
      `suite:deploy: ${shown(devnet)} is for chain 12345, but the network is chain 31337: write ${shown(path.join(params, "hardhat.json"))} for chain 31337 from it with npx hardhat suite:init-params --network hardhat --from devnet, then deploy without --params\n`,
    );
  });

  it("with the network's own file for another chain, suite:deploy says how to rewrite it", async function () {
    const own = path.join(params, "hardhat.json");
    writeFileSync(own, readFileSync(path.join(params, "devnet.json")));
    const result = await runTask("suite:deploy", {});
    expect(result.exitCode).to.equal(1);
    expect(result.err).to.equal(
      `suite:deploy: ${shown(own)} is for chain 12345, but the network is chain 31337: add 31337 to its chainIds if its parameters suit this chain, or rewrite it for chain 31337 with npx hardhat suite:init-params --network hardhat --from hardhat --force\n`,
    );
  });

  it("writes deploy/params/<network>.json for the connected chain, which then deploys as is", async function () {
    const written = await runTask("suite:init-params", { from: "devnet", force: false });
    const own = path.join(params, "hardhat.json");
    expect(written.err).to.equal("");
    expect(written.exitCode).to.equal(undefined);
    expect(written.out).to.equal(
      `wrote ${shown(own)} for chain 31337 from ${shown(path.join(params, "devnet.json"))}: review it, then deploy with npx hardhat suite:deploy --network hardhat\n`,
    );
    const text = readFileSync(own, "utf8");
    const parsed = parseSuiteParams(text, own, await context());
    expect(parsed.chainIds).to.deep.equal([31337]);
    // Nothing but the chain id differs from the template, down to the layout.
    expect(text).to.equal(
      readFileSync(path.join(params, "devnet.json"), "utf8").replace('"chainIds": [12345]', '"chainIds": [31337]'),
    );

    // The one documented step is enough: suite:deploy takes the file without --params.
    const deployed = await runTask("suite:deploy", {});
    expect(deployed.err).to.equal("");
    expect(deployed.exitCode).to.equal(undefined);
    expect(deployed.out).to.match(/^deploying the suite to chain 31337 from 0x[0-9a-fA-F]{40} with .*hardhat\.json\n/);
    expect(deployed.out).to.match(/\nsent \d+ transaction\(s\)\n$/);
  });

  it("leaves a file for the chain alone, refuses one for another chain, and rewrites it with --force", async function () {
    const own = path.join(params, "hardhat.json");
    const devnet = shown(path.join(params, "devnet.json"));
    await runTask("suite:init-params", { from: "devnet", force: false });
    const again = await runTask("suite:init-params", { from: "devnet", force: false });
    expect(again.exitCode).to.equal(undefined);
    expect(again.out).to.equal(
      `${shown(own)} is already for chain 31337: nothing to do (--force rewrites it from ${devnet}); deploy with npx hardhat suite:deploy --network hardhat\n`,
    );

    const other = readFileSync(own, "utf8").replace('"chainIds": [31337]', '"chainIds": [5, 7]');
    writeFileSync(own, other);
    const refused = await runTask("suite:init-params", { from: "devnet", force: false });
    expect(refused.exitCode).to.equal(1);
    expect(refused.err).to.equal(
      `suite:init-params: ${shown(own)} exists and is for chain 5, 7, not 31337: add 31337 to its chainIds, or pass --force to rewrite it from ${devnet}\n`,
    );
    expect(readFileSync(own, "utf8")).to.equal(other);

    const forced = await runTask("suite:init-params", { from: "devnet", force: true });
    expect(forced.exitCode).to.equal(undefined);
    expect(forced.out).to.match(/^wrote .* for chain 31337 from /);
    expect((JSON.parse(readFileSync(own, "utf8")) as { chainIds: number[] }).chainIds).to.deep.equal([31337]);
  });

  it("says what a template still lacks, and refuses a template that does not exist", async function () {
    // testnet.json's oracles and guardian are placeholders until filled in.
    const testnet = path.join(REPO_PARAMS, "testnet.json");
    const written = await runTask("suite:init-params", { from: testnet, force: false });
    const own = path.join(params, "hardhat.json");
    expect(written.exitCode).to.equal(undefined);
    expect(written.out).to.equal(
      `wrote ${shown(own)} for chain 31337 from ${shown(testnet)}; fill it in before npx hardhat suite:deploy --network hardhat: ${shown(own)}: rewards.oracles[1] must be an address, "deployer" or "oracle"\n`,
    );
    expect((JSON.parse(readFileSync(own, "utf8")) as { chainIds: number[] }).chainIds).to.deep.equal([31337]);

    const missing = await runTask("suite:init-params", { from: "mainnet", force: false });
    expect(missing.exitCode).to.equal(1);
    expect(missing.err).to.equal(
      `suite:init-params: ${shown(path.join(params, "mainnet.json"))}: no such params file: --from takes one of devnet, hardhat or a params file\n`,
    );
  });
});
