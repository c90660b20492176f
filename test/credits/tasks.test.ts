import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { Wallet, parseEther } from "ethers";
import hre from "hardhat";
import { rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";

import { grantRoles } from "../../scripts/lib/deploy/authority";
import { deployCreditsFixture } from "../fixtures/credits";
import { runTask, spawnHardhat, useDeploymentRoot } from "../helpers/run-task";

/**
 * The credits tasks, run through Hardhat against a deployment record written to a temporary project
 * root (the tasks read `<root>/deployments/<chainId>.json`). Output and exit codes are captured.
 */
describe("credits tasks", function () {
  async function withRecord() {
    const f = await deployCreditsFixture();
    // Signer 0 buys; signer 1 (the treasury in the fixtures) is the oracle of the tasks.
    await f.token.connect(f.treasury).transfer(f.deployer.address, parseEther("10"));
    await grantRoles(f.manager, [{ role: "ORACLE", account: f.treasury.address }]);
    return f;
  }

  const root = useDeploymentRoot("credits-tasks", async () => {
    const f = await loadFixture(withRecord);
    return {
      RewardToken: await f.token.getAddress(),
      DataCredits: await f.credits.getAddress(),
      PriceFeed: await f.feed.getAddress(),
    };
  });

  it("credits:mint burns tokens into credits for the first configured account", async function () {
    const { credits, deployer } = await loadFixture(withRecord);
    const result = await runTask("credits:mint", { tokens: "2" });
    expect(result.err).to.equal("");
    expect(result.out).to.match(
      new RegExp(`^minted 100,000 DC to ${deployer.address} for 2 tokens \\(tx 0x[0-9a-f]{64}\\)\\n$`),
    );
    expect(await credits.balanceOf(deployer.address)).to.equal(100_000n);
  });

  it("credits:delegate and credits:balance move and show escrow, credits and tokens for people", async function () {
    const { credits, token, router, deployer } = await loadFixture(withRecord);
    await runTask("credits:mint", { tokens: "1" });
    const delegated = await runTask("credits:delegate", { router: router.address, amount: 20_000n });
    expect(delegated.out).to.match(
      new RegExp(`^escrow of ${deployer.address} with ${router.address}: 20,000 DC \\(tx 0x`),
    );
    expect(await credits.escrowOf(deployer.address, router.address)).to.equal(20_000n);
    const tokens = await token.balanceOf(deployer.address);
    expect(tokens).to.equal(parseEther("9"));
    const balance = await runTask("credits:balance", { routers: router.address });
    expect(balance.out).to.equal(
      `${deployer.address}: 30,000 DC, 9 tokens\n  escrow with ${router.address}: 20,000 DC\n`,
    );
    const wei = await runTask("credits:balance", { wei: true });
    expect(wei.out).to.equal(`${deployer.address}: 30,000 DC, ${tokens} token wei\n`);
  });

  it("takes --account as an address: the account read, or the configured account that sends", async function () {
    const { credits, alice, deployer } = await loadFixture(withRecord);
    const read = await runTask("credits:balance", { account: alice.address });
    expect(read.out).to.equal(`${alice.address}: 0 DC, 1,000,000 tokens\n`);
    const minted = await runTask("credits:mint", { tokens: "0.5", account: alice.address });
    expect(minted.out).to.match(new RegExp(`^minted 25,000 DC to ${alice.address} for 0.5 tokens`));
    expect(await credits.balanceOf(alice.address)).to.equal(25_000n);
    const stranger = Wallet.createRandom().address;
    const refused = await runTask("credits:mint", { tokens: "1", account: stranger });
    expect(refused).to.deep.equal({
      out: "",
      err: `credits:mint: --account ${stranger} is not one of the 20 configured accounts of network "hardhat"\n`,
      exitCode: 1,
    });
    expect(await credits.balanceOf(deployer.address)).to.equal(0n);
  });

  it("oracle:set-price posts the price as the second configured account", async function () {
    const { feed } = await loadFixture(withRecord);
    await time.increase(900);
    const result = await runTask("oracle:set-price", { price: "0.51" });
    expect(result.err).to.equal("");
    expect(result.out).to.match(/^price set to \$0.51 \(answer 51000000\) in round 2 /);
    expect(await feed.latestAnswer()).to.equal(51_000_000n);
  });

  it("fails with one line and a non-zero exit on bad input", async function () {
    for (const [name, args, reason] of [
      ["credits:mint", { tokens: "-1" }, "tokens must be a decimal amount"],
      ["credits:mint", { tokens: "1", to: "nobody" }, '--to must be an address, not "nobody"'],
      ["credits:delegate", { router: "0x12", amount: 1n }, "--router must be an address"],
      ["credits:balance", { account: "1" }, '--account must be an address, not "1"'],
      ["oracle:set-price", { price: "abc" }, "plain decimal"],
    ] as const) {
      const result = await runTask(name, args);
      expect(result.exitCode, name).to.equal(1);
      expect(result.err).to.contain(reason);
      expect(result.err.trim().split("\n")).to.have.length(1);
    }
  });

  it("fails with one line when the chain has no deployment record", async function () {
    rmSync(path.join(root(), "deployments", "31337.json"));
    const result = await runTask("credits:balance", {});
    expect(result.exitCode).to.equal(1);
    expect(result.err).to.contain("no deployment for chain 31337");
  });

  /**
   * The review saw `credits:balance` fail with "other side closed" against a `hardhat node` in about
   * half its runs, and never with `--account`. The node closes a keep-alive connection 5 s after its
   * last response; the task asked for the accounts (20 connections at once, one `hardhat_metadata`
   * each), then blocked its event loop for seconds loading its code, then reused one of those
   * connections, which the node had closed meanwhile. With `--account` no request came before the
   * loading. This node closes idle connections after 100 ms while announcing 5 s, so any task that
   * sends a request, blocks for longer than that, then sends another, fails every time.
   */
  describe("over HTTP, against a node that closes idle connections", function () {
    this.timeout(120_000);
    let server: Server;
    let url = "";
    let deployments = "";

    before(async function () {
      server = createServer((req, res) => {
        let body = "";
        req.on("data", (chunk: Buffer) => (body += chunk.toString()));
        req.on("end", () => {
          const forward = async (call: { id: unknown; method: string; params?: unknown[] }) => {
            try {
              const result: unknown = await hre.network.provider.request({ method: call.method, params: call.params });
              return { jsonrpc: "2.0", id: call.id, result };
            } catch (error) {
              const e = error as { code?: number; message: string; data?: unknown };
              return {
                jsonrpc: "2.0",
                id: call.id,
                error: { code: e.code ?? -32000, message: e.message, data: e.data },
              };
            }
          };
          const payload = JSON.parse(body) as Parameters<typeof forward>[0] | Parameters<typeof forward>[0][];
          void (Array.isArray(payload) ? Promise.all(payload.map(forward)) : forward(payload)).then((reply) => {
            res.setHeader("Keep-Alive", "timeout=5");
            res.setHeader("Content-Type", "application/json");
            res.end(JSON.stringify(reply));
          });
        });
      });
      server.keepAliveTimeout = 100;
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.address();
      url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
    });

    after(function () {
      server?.closeAllConnections();
      server?.close();
    });

    beforeEach(function () {
      deployments = path.join(root(), "deployments");
    });

    const hardhat = (args: string[]) =>
      spawnHardhat([...args, "--network", "localhost", "--deployments", deployments], {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LOCALHOST_RPC_URL: url,
      });

    it("credits:balance and credits:mint load their code before their first request, and succeed", async function () {
      const { credits, deployer } = await loadFixture(withRecord);
      const balance = await hardhat(["credits:balance"]);
      expect(balance, balance.stderr).to.deep.include({
        code: 0,
        stdout: `${deployer.address}: 0 DC, 10 tokens\n`,
        stderr: "",
      });
      const minted = await hardhat(["credits:mint", "--tokens", "2"]);
      expect(minted.code, minted.stderr).to.equal(0);
      expect(minted.stdout).to.match(/^minted 100,000 DC to 0x/);
      expect(await credits.balanceOf(deployer.address)).to.equal(100_000n);
    });

    it("refuses credits that are not a whole number on the command line, with one line", async function () {
      // --amount is a `types.bigint` option: Hardhat's parser refuses "1.5" before the task runs.
      const refused = await hardhat([
        "credits:delegate",
        "--router",
        "0x000000000000000000000000000000000000dEaD",
        "--amount",
        "1.5",
      ]);
      expect(refused.code).to.equal(1);
      expect(refused.stdout).to.equal("");
      expect(refused.stderr).to.contain("credits:delegate: Invalid value 1.5 for argument amount of type bigint");
      expect(refused.stderr.trim().split("\n")).to.have.length(1);
    });
  });
});
