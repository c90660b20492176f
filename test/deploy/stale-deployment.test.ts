/**
 * Records that the chain no longer holds. `localhost`'s record read on the in-process network (both
 * chain 31337), or a node's record after the node restarted, is a record whose addresses have no code.
 */
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { CONTRACT_NAMES, DeploymentError, loadDeployment, writeDeployment } from "../../scripts/lib/deployments";
import { runTask } from "../helpers/run-task";

/** The error `promise` rejects with; fails the test when it fulfils. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  expect.fail("expected a rejection");
}

describe("a chain that no longer holds the deployment", function () {
  describe("tasks reading a record whose contracts have no code", function () {
    const originalRoot = hre.config.paths.root;
    let root = "";
    let file = "";
    // Addresses where the in-process chain has no code, as it has none of a localhost node's suite.
    const contracts = Object.fromEntries(
      CONTRACT_NAMES.map((name, i) => [
        name,
        ethers.getAddress("0x" + "10".repeat(19) + (i + 1).toString(16).padStart(2, "0")),
      ]),
    );

    beforeEach(function () {
      root = mkdtempSync(path.join(tmpdir(), "stale-record-"));
      file = writeDeployment(path.join(root, "deployments"), { chainId: 31337, block: 0, contracts });
      hre.config.paths.root = root;
    });
    afterEach(function () {
      hre.config.paths.root = originalRoot;
      rmSync(root, { recursive: true, force: true });
    });

    const hint =
      "the in-process hardhat network starts empty on every command and shares chain id 31337 with localhost, so the record is a node's: add --network localhost";

    it("fail with one line naming the record file, the contract and what to do", async function () {
      const [signer] = await ethers.getSigners();
      // The contract each task calls first (credits:balance reads two at once: either may be named).
      const cases: [string, Record<string, unknown>, string[]][] = [
        ["suite:status", {}, ["AccessManager"]],
        ["suite:upgrade", { contract: "Staking" }, ["AccessManager"]],
        ["registry:info", { tokenId: "1" }, ["DeviceRegistry"]],
        ["registry:add-maker", { name: "Acme", signer: signer.address, classes: "0", quota: "0" }, ["DeviceRegistry"]],
        ["staking:info", { account: 0 }, ["Staking"]],
        ["staking:register-operator", { commission: "500", account: 0 }, ["Staking"]],
        ["credits:balance", { routers: "" }, ["DataCredits", "RewardToken"]],
        ["epoch:distribute", { epoch: "0", deployments: "deployments" }, ["RewardsDistributor"]],
        ["wallet:token-list", { name: "DePIN Suite" }, ["RewardToken"]],
      ];
      const nonce = await ethers.provider.getTransactionCount(signer.address);
      for (const [task, args, named] of cases) {
        const result = await runTask(task, args);
        expect(result.exitCode, task).to.equal(1);
        expect(result.out, task).to.equal("");
        expect(result.err, task).to.be.oneOf(
          named.map(
            (contract) =>
              `${task}: ${file} records ${contract} at ${contracts[contract]}, but chain 31337 has no code there: ${hint}\n`,
          ),
        );
      }
      // Nothing was sent to an address without code.
      expect(await ethers.provider.getTransactionCount(signer.address)).to.equal(nonce);
    });

    it("loadDeployment checks every contract, and names the network to deploy to elsewhere", async function () {
      const refused = await rejection(
        loadDeployment(path.join(root, "deployments"), 31337, ethers.provider, "localhost"),
      );
      expect(refused).to.be.instanceOf(DeploymentError);
      expect(refused.message).to.equal(
        `${file} records AccessManager at ${contracts.AccessManager}, but chain 31337 has no code there: the chain was reset (a restarted node?) or is not the record's: deploy again with npx hardhat suite:deploy --network localhost --reset`,
      );
    });
  });
});
