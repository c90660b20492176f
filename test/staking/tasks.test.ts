import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { parseEther } from "ethers";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { deployStakingFixture } from "../fixtures/staking";
import { runTask, useDeploymentRoot } from "../helpers/run-task";

/** Alice and Bob are signers 5 and 6 of the core fixture. */
const ALICE = 5;
const BOB = 6;

/**
 * The staking tasks, run through Hardhat against a deployment record written to a temporary project
 * root (the tasks read `<root>/deployments/<chainId>.json`). Output and exit codes are captured.
 */
describe("staking tasks", function () {
  const root = useDeploymentRoot("staking-tasks", async () => {
    const { staking } = await loadFixture(deployStakingFixture);
    return { Staking: await staking.getAddress() };
  });

  it("registers an operator, stakes, delegates, unbonds and shows the account", async function () {
    const { staking, alice, bob } = await loadFixture(deployStakingFixture);
    const registered = await runTask("staking:register-operator", { commission: "500", account: ALICE });
    expect(registered.exitCode).to.equal(undefined);
    expect(registered.out).to.match(new RegExp(`^registered ${alice.address}: 0x[0-9a-f]{64}\\n$`));

    expect((await runTask("staking:stake", { amount: "1500", account: ALICE })).out).to.match(/^staked: 0x/);
    expect(await staking.stakeOf(alice.address, alice.address)).to.equal(parseEther("1500"));

    const delegated = await runTask("staking:delegate", { operator: alice.address, amount: "0.5", account: BOB });
    expect(delegated.out).to.match(/^delegated: 0x/);
    expect(await staking.stakeOf(bob.address, alice.address)).to.equal(parseEther("0.5"));

    expect((await runTask("staking:unbond", { amount: "0.25", account: BOB })).out).to.match(/^unbonding: 0x/);
    expect(await staking.stakeOf(bob.address, alice.address)).to.equal(parseEther("0.25"));

    const info = await runTask("staking:info", { address: bob.address, account: ALICE });
    expect(info.exitCode).to.equal(undefined);
    expect(info.out).to.contain(`account            ${bob.address}`);
    expect(info.out).to.contain(`operator           ${alice.address}`);
    expect(info.out).to.contain("stake              0.25");
    expect(info.out).to.match(/unbonding {10}0\.25 \(matures at \d+\)/);
  });

  it("fails with one line and a non-zero exit on bad input and on a refused transaction", async function () {
    const { staking, alice } = await loadFixture(deployStakingFixture);
    for (const [name, args, reason] of [
      ["staking:register-operator", { commission: "10001", account: ALICE }, "commission"],
      ["staking:stake", { amount: "-1", account: ALICE }, "amount"],
      ["staking:delegate", { operator: "nobody", amount: "1", account: BOB }, "operator"],
      ["staking:info", { address: "0x1234", account: 0 }, "address"],
      ["staking:stake", { amount: "1", account: 999 }, "--account must be"],
      // Alice is no operator yet: Staking refuses, and the task says so in one line.
      ["staking:stake", { amount: "1", account: ALICE }, "NotAnOperator"],
    ] as const) {
      const result = await runTask(name, args);
      expect(result.exitCode, `${name} ${JSON.stringify(args)}`).to.equal(1);
      expect(result.out).to.equal("");
      expect(result.err).to.contain(reason);
      expect(result.err.startsWith(`${name}: `)).to.equal(true);
      expect(result.err.trimEnd().split("\n")).to.have.length(1);
    }
    expect(await staking.stakeOf(alice.address, alice.address)).to.equal(0n);
  });

  it("fails with one line when the chain has no deployment record", async function () {
    writeFileSync(path.join(root(), "deployments", "31337.json"), "{}");
    const result = await runTask("staking:info", { account: 0 });
    expect(result.exitCode).to.equal(1);
    expect(result.err.trimEnd().split("\n")).to.have.length(1);
    expect(result.err.startsWith("staking:info: ")).to.equal(true);
  });
});
