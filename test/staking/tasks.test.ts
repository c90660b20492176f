import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { Wallet, parseEther } from "ethers";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { formatDate, jsonLine } from "../../scripts/lib/format";
import { deployStakingFixture } from "../fixtures/staking";
import { runTask, useDeploymentRoot } from "../helpers/run-task";

/**
 * The staking tasks, run through Hardhat against a deployment record written to a temporary project
 * root (the tasks read `<root>/deployments/<chainId>.json`). Output and exit codes are captured.
 * `--account` is an address, as in every task: the configured account that signs, or the account shown.
 */
describe("staking tasks", function () {
  const root = useDeploymentRoot("staking-tasks", async () => {
    const { staking, stakingLens } = await loadFixture(deployStakingFixture);
    return { Staking: await staking.getAddress(), StakingLens: await stakingLens.getAddress() };
  });

  it("registers an operator, stakes, delegates, unbonds and shows the account, in tokens and dates", async function () {
    const { staking, stakingLens, alice, bob } = await loadFixture(deployStakingFixture);
    const registered = await runTask("staking:register-operator", { commission: 500n, account: alice.address });
    expect(registered.exitCode).to.equal(undefined);
    expect(registered.out).to.match(
      new RegExp(`^registered ${alice.address} \\(commission 500 bps\\): 0x[0-9a-f]{64}\\n$`),
    );

    const staked = await runTask("staking:stake", { amount: "1500", account: alice.address.toLowerCase() });
    expect(staked.out).to.match(/^staked 1,500 tokens: 0x[0-9a-f]{64}\n$/);
    expect(await staking.stakeOf(alice.address, alice.address)).to.equal(parseEther("1500"));

    const delegated = await runTask("staking:delegate", {
      operator: alice.address,
      amount: "0.5",
      account: bob.address,
    });
    expect(delegated.out).to.match(new RegExp(`^delegated 0.5 tokens to ${alice.address}: 0x`));
    expect(await staking.stakeOf(bob.address, alice.address)).to.equal(parseEther("0.5"));

    const unbonded = await runTask("staking:unbond", { amount: "0.25", account: bob.address });
    expect(unbonded.out).to.match(/^unbonding 0.25 tokens: 0x/);
    expect(await staking.stakeOf(bob.address, alice.address)).to.equal(parseEther("0.25"));

    const info = await runTask("staking:info", { account: bob.address });
    expect(info.exitCode).to.equal(undefined);
    const [request] = (await stakingLens.unbondRequests(bob.address))[0];
    expect(info.out.split("\n")).to.include.members([
      `account            ${bob.address}`,
      `operator           ${alice.address}`,
      "stake              0.25 tokens",
      `unbonding          0.25 tokens (matures at ${formatDate(request.maturity)})`,
    ]);
    const operator = await runTask("staking:info", { account: alice.address });
    expect(operator.out.split("\n")).to.include.members([
      `operator           ${alice.address} (self)`,
      "stake              1,500 tokens",
      "commission         500 bps",
      "pool bonded        1,500.25 tokens",
    ]);
  });

  it("takes --account as an address everywhere: the first configured account by default, never an index", async function () {
    const { staking, deployer, alice } = await loadFixture(deployStakingFixture);
    // Without --account: the first configured account signs, and staking:info shows it.
    const registered = await runTask("staking:register-operator", { commission: 0n });
    expect(registered.out).to.contain(`registered ${deployer.address}`);
    expect((await staking.operatorInfo(deployer.address)).id).to.not.equal(0n);
    expect((await runTask("staking:info", {})).out).to.contain(`account            ${deployer.address}`);
    // staking:info reads any address, configured or not.
    const someone = Wallet.createRandom().address;
    expect((await runTask("staking:info", { account: someone })).out).to.contain(`account            ${someone}`);
    // A task that signs refuses an address it has no key for, and an index.
    for (const [account, reason] of [
      [someone, `--account ${someone} is not one of the 20 configured accounts of network "hardhat"`],
      ["5", '--account must be an address, not "5"'],
    ] as const) {
      const result = await runTask("staking:register-operator", { commission: 0n, account });
      expect(result).to.deep.equal({ out: "", err: `staking:register-operator: ${reason}\n`, exitCode: 1 });
    }
    await expect(staking.operatorInfo(alice.address)).to.be.revertedWithCustomError(staking, "NotAnOperator");
  });

  it("fails with one line and a non-zero exit on bad input and on a refused transaction", async function () {
    const { staking, alice, bob } = await loadFixture(deployStakingFixture);
    for (const [name, args, reason] of [
      ["staking:register-operator", { commission: 10001n, account: alice.address }, "commission"],
      ["staking:stake", { amount: "-1", account: alice.address }, "amount"],
      ["staking:delegate", { operator: "nobody", amount: "1", account: bob.address }, "operator"],
      ["staking:info", { account: "0x1234" }, '--account must be an address, not "0x1234"'],
      // Alice is no operator yet: Staking refuses, and the task says so in one line, decoded.
      ["staking:stake", { amount: "1", account: alice.address }, `NotAnOperator(account: ${alice.address})`],
    ] as const) {
      const result = await runTask(name, args);
      expect(result.exitCode, `${name} ${jsonLine(args)}`).to.equal(1);
      expect(result.out).to.equal("");
      expect(result.err).to.contain(reason);
      expect(result.err.startsWith(`${name}: `)).to.equal(true);
      expect(result.err.trimEnd().split("\n")).to.have.length(1);
    }
    expect(await staking.stakeOf(alice.address, alice.address)).to.equal(0n);
  });

  it("says in tokens what a refused unbond asked for and what there is", async function () {
    const { staking, alice } = await loadFixture(deployStakingFixture);
    await runTask("staking:register-operator", { commission: 0n, account: alice.address });
    await runTask("staking:stake", { amount: "1000", account: alice.address });
    const result = await runTask("staking:unbond", { amount: "5000", account: alice.address });
    expect(result).to.deep.equal({
      out: "",
      err: "staking:unbond: InsufficientStake(requested: 5,000 tokens, available: 1,000 tokens)\n",
      exitCode: 1,
    });
    expect(await staking.stakeOf(alice.address, alice.address)).to.equal(parseEther("1000"));
  });

  it("fails with one line when the chain has no deployment record", async function () {
    writeFileSync(path.join(root(), "deployments", "31337.json"), "{}");
    const result = await runTask("staking:info", {});
    expect(result.exitCode).to.equal(1);
    expect(result.err.trimEnd().split("\n")).to.have.length(1);
    expect(result.err.startsWith("staking:info: ")).to.equal(true);
  });
});
