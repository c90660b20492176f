/**
 * The suite over a separate node, as a user runs it against a testnet: `npx hardhat node` on a free
 * loopback port, `suite:deploy --network localhost` with keys from the environment, one epoch through
 * the tasks, a claim. Nothing here uses the in-process network's special powers (no time travel, no
 * impersonation): its epochs last 20 s of real time (a copy of deploy/params/localhost.json, whose 300 s
 * epochs are for people), and the test waits.
 */
import { expect } from "chai";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { JsonRpcProvider, NonceManager, Wallet, id, parseEther } from "ethers";

import { connectDeployedSuite } from "../../scripts/lib/deploy/connect";
import { runSuiteDeploy } from "../../scripts/lib/deploy/run";
import { ParamsError } from "../../scripts/lib/deploy/suite-params";
import { runEpoch } from "../../scripts/lib/epochs/chain";
import { readDeployment } from "../../scripts/lib/deployments";
import { setUpNetwork, writeSyntheticActivity } from "../../scripts/lib/demo/scenario";

const ROOT = path.join(__dirname, "..", "..");
const CLI = require.resolve("hardhat/internal/cli/cli");
// Hardhat's well-known development keys (accounts 0 and 1 of every `hardhat node`).
const DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ORACLE_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the suite over a separate node (JSON-RPC)", function () {
  this.timeout(300_000);
  let node: ChildProcess | undefined;
  let url = "";
  let provider: JsonRpcProvider;
  const deployments = mkdtempSync(path.join(tmpdir(), "deployments-"));
  const work = mkdtempSync(path.join(tmpdir(), "epochs-"));
  /** deploy/params/localhost.json with 20 s epochs, passed to every suite:deploy (the journal pins it). */
  const PARAMS = path.join(work, "localhost-20s.json");
  {
    const params = JSON.parse(readFileSync(path.join(ROOT, "deploy/params/localhost.json"), "utf8")) as {
      token: { epochLength: number };
    };
    params.token.epochLength = 20;
    writeFileSync(PARAMS, JSON.stringify(params, null, 2));
  }

  function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOCALHOST_RPC_URL: url,
      DEPLOYER_PRIVATE_KEY: DEPLOYER_KEY,
      ORACLE_PRIVATE_KEY: ORACLE_KEY,
      ...extra,
    };
  }

  function hardhat(args: string[], extra: Record<string, string> = {}) {
    // Every deploy uses the 20 s copy, unless the test names its own params.
    const params = args[0] === "suite:deploy" && !args.includes("--params") ? ["--params", PARAMS] : [];
    const result = spawnSync(process.execPath, [CLI, ...args, ...params, "--network", "localhost"], {
      cwd: ROOT,
      env: env(extra),
      encoding: "utf8",
      timeout: 120_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Starts `hardhat node` on `port` and waits until it answers. */
  async function startNode(port: number): Promise<void> {
    node = spawn(process.execPath, [CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: "ignore",
    });
    for (let i = 0; ; i++) {
      try {
        await provider.getBlockNumber();
        break;
      } catch {
        if (i > 120) throw new Error("the node did not start");
        await sleep(500);
      }
    }
  }

  /** Stops the node and waits until its process has exited. */
  async function stopNode(): Promise<void> {
    const running = node;
    node = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  }

  let port = 0;
  before(async function () {
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    provider = new JsonRpcProvider(url, 31337, { staticNetwork: true, pollingInterval: 200, cacheTimeout: -1 });
    await startNode(port);
  });

  after(async function () {
    provider?.destroy();
    await stopNode();
  });

  it("refuses bad params before its first transaction, with one line", async function () {
    const deployerWallet = new Wallet(DEPLOYER_KEY, provider);
    const nonce = await provider.getTransactionCount(deployerWallet.address);
    const params = JSON.parse(readFileSync(path.join(ROOT, "deploy/params/localhost.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const write = (name: string, value: unknown) => {
      const file = path.join(work, name);
      writeFileSync(file, JSON.stringify(value));
      return file;
    };
    // Through the CLI, as a user sees it: one line on stderr and exit code 1.
    const wrongChain = hardhat([
      "suite:deploy",
      "--params",
      write("chain.json", { ...params, chainIds: [11155111] }),
      "--deployments",
      deployments,
    ]);
    expect(wrongChain.status).to.equal(1);
    expect(wrongChain.stderr.trim().split("\n")).to.deep.equal([
      `suite:deploy: ${path.join(work, "chain.json")} is for chain 11155111, but the network is chain 31337: drop --params to deploy with deploy/params/localhost.json, which is for chain 31337`,
    ]);
    // The same library call the task makes, for the other cases.
    const cases: [string, string][] = [
      [write("missing.json", { ...params, guardian: undefined }), "guardian is missing"],
      [
        write("quorum.json", { ...params, rewards: { ...(params.rewards as object), quorum: 3 } }),
        "rewards.quorum is 3, larger than the 1 oracle(s)",
      ],
      [
        write("oracles.json", { ...params, rewards: { ...(params.rewards as object), oracles: ["0x12"] } }),
        "rewards.oracles[0] must be an address",
      ],
    ];
    for (const [paramsFile, message] of cases) {
      await expect(
        runSuiteDeploy({
          deployer: deployerWallet,
          oracle: new Wallet(ORACLE_KEY).address,
          chainId: 31337,
          paramsFile,
          deploymentsDir: deployments,
          persist: true,
          log: () => undefined,
        }),
      ).to.be.rejectedWith(ParamsError, message);
    }
    expect(await provider.getTransactionCount(deployerWallet.address)).to.equal(nonce);
    expect(existsSync(path.join(deployments, "31337.json"))).to.equal(false);
  });

  it("resumes a deploy killed midway without duplicates, and a second deploy is a no-op that says so", async function () {
    const deployer = new Wallet(DEPLOYER_KEY).address;
    const before = await provider.getTransactionCount(deployer);
    // Kill the first run once it has created a few contracts.
    const child = spawn(
      process.execPath,
      [CLI, "suite:deploy", "--network", "localhost", "--deployments", deployments, "--params", PARAMS],
      {
        cwd: ROOT,
        env: env(),
        stdio: "ignore",
      },
    );
    const journal = path.join(deployments, ".journal", "31337.json");
    for (let i = 0; i < 600; i++) {
      if (existsSync(journal) && Object.keys(JSON.parse(readFileSync(journal, "utf8")) as object).length >= 3) break;
      await sleep(50);
    }
    child.kill("SIGKILL");
    await sleep(500);
    const killedAt = await provider.getTransactionCount(deployer);
    expect(killedAt).to.be.greaterThan(before);
    expect(existsSync(path.join(deployments, "31337.json"))).to.equal(false);

    const resumed = hardhat(["suite:deploy", "--deployments", deployments]);
    expect(resumed.status, resumed.stderr).to.equal(0);
    expect(resumed.stdout).to.match(/sent \d+ transaction\(s\)/);
    const record = readDeployment(deployments, 31337);
    // Every contract creation of the deployer is a journaled contract: nothing was created twice.
    const entries = JSON.parse(readFileSync(journal, "utf8")) as Record<string, { address: string; status: string }>;
    const created = Object.values(entries).filter((entry) => entry.status === "deployed");
    expect(created.length).to.equal(Object.keys(entries).length);
    for (const name of Object.keys(record.contracts)) {
      expect(await provider.getCode(record.contracts[name]), name).to.not.equal("0x");
    }
    expect(entries.RewardToken.address).to.equal(record.contracts.RewardToken);

    const again = hardhat(["suite:deploy", "--deployments", deployments]);
    expect(again.status, again.stderr).to.equal(0);
    expect(again.stdout).to.contain("nothing to do: the suite is already deployed on chain 31337");
  });

  it("runs one epoch through the tasks and pays the claim", async function () {
    const record = readDeployment(deployments, 31337);
    const deployer = new NonceManager(new Wallet(DEPLOYER_KEY, provider));
    const ownerWallet = new Wallet(id("depin.node-test.owner"), provider);
    await (await deployer.sendTransaction({ to: ownerWallet.address, value: parseEther("10") })).wait();
    const owner = new NonceManager(ownerWallet);
    const suite = connectDeployedSuite(record, deployer);
    const devices = await setUpNetwork(
      suite,
      { makerAdmin: deployer, treasury: deployer },
      [{ owner, classes: [0n, 1n, 2n], selfStake: parseEther("3000") }],
      "node",
    );

    // Wait, in real time, for the end of the epoch that holds the network's set-up. A marker
    // transaction mined after every set-up transaction dates it: "latest" may be served from the
    // provider's short request cache, and a block read that way can predate the last stake.
    const genesis = await suite.token.genesis();
    const epochLength = await suite.token.epochLength();
    const marker = await (await deployer.sendTransaction({ to: await deployer.getAddress(), value: 0n })).wait();
    const now = BigInt((await provider.getBlock(marker!.blockNumber))!.timestamp);
    const epoch = (now - genesis) / epochLength;
    const end = genesis + (epoch + 1n) * epochLength;
    // The node stamps blocks with its own clock: mine a marker block every second until one is past the
    // end, so the snapshot's "latest" has passed it, however busy the machine (bounded by the test's timeout).
    for (;;) {
      const tick = await (await deployer.sendTransaction({ to: await deployer.getAddress(), value: 0n })).wait();
      if (BigInt((await provider.getBlock(tick!.blockNumber))!.timestamp) >= end) break;
      await sleep(1_000);
    }

    const activity = path.join(work, `activity-${epoch}.csv`);
    await writeSyntheticActivity(activity, devices, epoch, epochLength);
    // Epochs before this one had no device: post their (empty) roots first, in order, through the library.
    const oracle = new NonceManager(new Wallet(ORACLE_KEY, provider));
    for (let e = 0n; e < epoch; e++) {
      const empty = path.join(work, `activity-${e}.csv`);
      writeFileSync(empty, "device,uptime_seconds,coverage_proofs,data_bytes\n");
      const { publish } = await runEpoch({ record, oracle, epoch: e, activityFile: empty, outDir: work });
      expect(publish.outcome).to.equal("posted");
    }
    // The epoch with devices, through the task.
    const run = hardhat([
      "epoch:run",
      "--epoch",
      epoch.toString(),
      "--activity",
      activity,
      "--out",
      work,
      "--deployments",
      deployments,
    ]);
    expect(run.status, run.stderr).to.equal(0);
    expect(
      (JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { publish: { outcome: string } }).publish.outcome,
    ).to.equal("posted");
    const rerun = hardhat([
      "epoch:publish",
      "--file",
      path.join(work, `epoch-${epoch}.json`),
      "--deployments",
      deployments,
    ]);
    expect(rerun.status, rerun.stderr).to.equal(0);
    expect(JSON.parse(rerun.stdout).outcome).to.equal("already-stands");

    await sleep(Number(await suite.rewardsLens.challengeWindow()) * 1000 + 2000);
    await (await deployer.sendTransaction({ to: await deployer.getAddress(), value: 0n })).wait();
    const account = await owner.getAddress();
    const balance = await suite.token.balanceOf(account);
    const claim = hardhat([
      "rewards:claim",
      "--file",
      path.join(work, `epoch-${epoch}.json`),
      "--account",
      account,
      "--deployments",
      deployments,
    ]);
    expect(claim.status, claim.stderr).to.equal(0);
    const paid = BigInt((JSON.parse(claim.stdout) as { paid: string }).paid);
    expect(paid > 0n).to.equal(true);
    expect(await suite.token.balanceOf(account)).to.equal(balance + paid);
    expect(await suite.rewardsLens.claimed(account)).to.equal(paid);
  });

  it("after a node restart, names the stale record and journal, and suite:deploy --reset starts over", async function () {
    const before = readDeployment(deployments, 31337);
    const journalFile = path.join(deployments, ".journal", "31337.json");
    const [first, entry] = Object.entries(
      JSON.parse(readFileSync(journalFile, "utf8")) as Record<string, { address: string }>,
    )[0];
    await stopNode();
    await startNode(port);
    expect(await provider.getCode(before.contracts.AccessManager)).to.equal("0x");

    // A task reading the record, and one sending to it, each say which record and what to do.
    const record = path.join(deployments, "31337.json");
    const hint =
      "the chain was reset (a restarted node?) or is not the record's: deploy again with npx hardhat suite:deploy --network localhost --reset";
    const status = hardhat(["suite:status", "--deployments", deployments]);
    expect(status.status).to.equal(1);
    expect(status.stderr.trim().split("\n")).to.deep.equal([
      `suite:status: ${record} records AccessManager at ${before.contracts.AccessManager}, but chain 31337 has no code there: ${hint}`,
    ]);
    const distribute = hardhat(["epoch:distribute", "--epoch", "0", "--deployments", deployments]);
    expect(distribute.status).to.equal(1);
    expect(distribute.stderr.trim().split("\n")).to.deep.equal([
      `epoch:distribute: ${record} records RewardsLens at ${before.contracts.RewardsLens}, but chain 31337 has no code there: ${hint}`,
    ]);

    // The deploy refuses the stale journal with one line saying what to run, and moves nothing.
    const refused = hardhat(["suite:deploy", "--deployments", deployments]);
    expect(refused.status).to.equal(1);
    expect(refused.stderr.trim().split("\n")).to.deep.equal([
      `suite:deploy: ${journalFile} records ${first} at ${entry.address}, but chain 31337 has no code there: the chain was reset (a restarted node?): run npx hardhat suite:deploy --network localhost --reset to move the journal and the record aside and deploy afresh`,
    ]);
    expect(readDeployment(deployments, 31337)).to.deep.equal(before);

    const reset = hardhat(["suite:deploy", "--deployments", deployments, "--reset"]);
    expect(reset.status, reset.stderr).to.equal(0);
    const aside = path.join(deployments, ".journal", "31337.stale-1");
    expect(reset.stdout.split("\n")[0]).to.equal(
      `${journalFile} records ${first} at ${entry.address}, but chain 31337 has no code there: moved 31337.json, .journal/31337.json, .journal/31337.params.json aside to ${aside}`,
    );
    expect(reset.stdout).to.match(/sent \d+ transaction\(s\)/);
    expect(readDeployment(aside, 31337)).to.deep.equal(before);
    const after = readDeployment(deployments, 31337);
    for (const name of Object.keys(after.contracts)) {
      expect(await provider.getCode(after.contracts[name]), name).to.not.equal("0x");
    }
    const again = hardhat(["suite:status", "--deployments", deployments]);
    expect(again.status, again.stderr).to.equal(0);
  });
});
