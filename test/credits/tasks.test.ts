import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { parseEther } from "ethers";
import { rmSync } from "node:fs";
import path from "node:path";

import { grantRoles } from "../../scripts/lib/deploy/authority";
import { deployCreditsFixture } from "../fixtures/credits";
import { runTask, useDeploymentRoot } from "../helpers/run-task";

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

  it("credits:mint burns tokens into credits for signer 0", async function () {
    const { credits, deployer } = await loadFixture(withRecord);
    const result = await runTask("credits:mint", { tokens: "2" });
    expect(result.err).to.equal("");
    expect(result.out).to.match(/^minted 100000 DC to 0x/);
    expect(await credits.balanceOf(deployer.address)).to.equal(100_000n);
  });

  it("credits:delegate and credits:balance move and show escrow", async function () {
    const { credits, router, deployer } = await loadFixture(withRecord);
    await runTask("credits:mint", { tokens: "1" });
    const delegated = await runTask("credits:delegate", { router: router.address, amount: "20000" });
    expect(delegated.out).to.contain("20000 DC");
    expect(await credits.escrowOf(deployer.address, router.address)).to.equal(20_000n);
    const balance = await runTask("credits:balance", { routers: router.address });
    expect(balance.out).to.contain(`${deployer.address}: 30000 DC`);
    expect(balance.out).to.contain(`escrow with ${router.address}: 20000 DC`);
  });

  it("oracle:set-price posts the price as signer 1", async function () {
    const { feed } = await loadFixture(withRecord);
    await time.increase(900);
    const result = await runTask("oracle:set-price", { price: "0.51" });
    expect(result.err).to.equal("");
    expect(await feed.latestAnswer()).to.equal(51_000_000n);
  });

  it("fails with one line and a non-zero exit on bad input", async function () {
    for (const [name, args, reason] of [
      ["credits:mint", { tokens: "-1" }, "tokens must be a decimal amount"],
      ["credits:mint", { tokens: "1", to: "nobody" }, "to is not an address"],
      ["credits:delegate", { router: "0x12", amount: "1" }, "router is not an address"],
      ["credits:delegate", { router: "0x000000000000000000000000000000000000dEaD", amount: "1.5" }, "whole number"],
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
});
