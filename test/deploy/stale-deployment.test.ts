/**
 * Records and journals that the chain no longer holds. A node restart is simulated on the
 * in-process chain by reverting to a snapshot taken before the deploy: the chain then holds none of
 * the contracts the journal and the record name, exactly as a restarted `hardhat node` (and the
 * deployer's nonce is back where it was). `localhost`'s record read on the in-process network (both
 * chain 31337) is a record whose addresses have no code.
 */
import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { DeployError, runSuiteDeploy, type SuiteDeployRequest } from "../../scripts/lib/deploy";
import { CONTRACT_NAMES, DeploymentError, loadDeployment, writeDeployment } from "../../scripts/lib/deployments";
import { HARDHAT_PARAMS } from "../fixtures/suite";
import { runTask } from "../helpers/run-task";

const read = (file: string) => readFileSync(file, "utf8");

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
  describe("suite:deploy after a node restart (runSuiteDeploy)", function () {
    let dir = "";
    let lines: string[] = [];

    beforeEach(function () {
      dir = mkdtempSync(path.join(tmpdir(), "stale-deploy-"));
      lines = [];
    });
    afterEach(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    async function request(extra: Partial<SuiteDeployRequest> = {}): Promise<SuiteDeployRequest> {
      const [deployer, oracle] = await ethers.getSigners();
      return {
        deployer,
        oracle: oracle.address,
        chainId: 31337,
        paramsFile: HARDHAT_PARAMS,
        deploymentsDir: dir,
        persist: true,
        network: "localhost",
        log: (line) => lines.push(line),
        ...extra,
      };
    }

    /** The files of the deployment, relative to `dir`, and their contents. */
    function files(folder: string): Record<string, string> {
      const found: Record<string, string> = {};
      for (const [sub, names] of [
        ["", existsSync(folder) ? readdirSync(folder) : []],
        [".journal", existsSync(path.join(folder, ".journal")) ? readdirSync(path.join(folder, ".journal")) : []],
      ] as const) {
        for (const name of names) {
          const file = path.join(folder, sub, name);
          if (name.startsWith("31337.") && !name.includes("stale")) found[path.join(sub, name)] = read(file);
        }
      }
      return found;
    }

    it("refuses a malformed params pin with one line naming its field, before sending anything", async function () {
      const pin = path.join(dir, ".journal", "31337.params.json");
      mkdirSync(path.dirname(pin));
      writeFileSync(pin, JSON.stringify({ paramsSha256: "x", now: "1" }));
      const [deployer] = await ethers.getSigners();
      const nonce = await ethers.provider.getTransactionCount(deployer.address);
      const error = await rejection(runSuiteDeploy(await request()));
      expect(error).to.be.instanceOf(DeployError);
      expect(error.message).to.equal(`${pin}: paramsSha256 must be a SHA-256 in hex`);
      writeFileSync(pin, "{");
      expect((await rejection(runSuiteDeploy(await request()))).message).to.equal(`${pin}: not valid JSON`);
      expect(await ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce);
    });

    it("names the stale journal and the command to run, moves nothing, and --reset starts over", async function () {
      const restart = await takeSnapshot();
      const first = await runSuiteDeploy(await request());
      const deployed = files(dir);
      expect(Object.keys(deployed).sort()).to.deep.equal([
        ".journal/31337.json",
        ".journal/31337.params.json",
        "31337.json",
      ]);
      const journal = JSON.parse(deployed[".journal/31337.json"]) as Record<string, { address: string }>;
      const [firstName, firstEntry] = Object.entries(journal)[0];

      await restart.restore();
      const [deployer] = await ethers.getSigners();
      const nonce = await ethers.provider.getTransactionCount(deployer.address);
      const refused = await rejection(runSuiteDeploy(await request()));
      expect(refused).to.be.instanceOf(DeployError);
      expect(refused.message).to.equal(
        `${path.join(dir, ".journal", "31337.json")} records ${firstName} at ${firstEntry.address}, but chain 31337 has no code there: the chain was reset (a restarted node?): run npx hardhat suite:deploy --network localhost --reset to move the journal and the record aside and deploy afresh`,
      );
      expect(files(dir)).to.deep.equal(deployed);
      expect(await ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce);

      lines = [];
      const fresh = await runSuiteDeploy(await request({ reset: true }));
      const aside = path.join(dir, ".journal", "31337.stale-1");
      expect(lines[0]).to.equal(
        `${path.join(dir, ".journal", "31337.json")} records ${firstName} at ${firstEntry.address}, but chain 31337 has no code there: moved 31337.json, .journal/31337.json, .journal/31337.params.json aside to ${aside}`,
      );
      // Moved whole, never deleted, and laid out as a deployments folder.
      expect(files(aside)).to.deep.equal(deployed);
      expect(fresh.sent).to.be.greaterThan(0);
      for (const name of CONTRACT_NAMES) {
        expect(await ethers.provider.getCode(fresh.record.contracts[name]), name).to.not.equal("0x");
      }
      expect(first.record.contracts).to.deep.equal(fresh.record.contracts);

      // Once started over, --reset has nothing to move and the deploy nothing to send.
      lines = [];
      const again = await runSuiteDeploy(await request({ reset: true }));
      expect(again.sent).to.equal(0);
      expect(lines).to.deep.equal([
        "nothing to reset: the chain holds every contract the journal and the record of chain 31337 name",
        `deploying the suite to chain 31337 from ${deployer.address} with ${HARDHAT_PARAMS}`,
        `nothing to do: the suite is already deployed on chain 31337 (${path.join(dir, "31337.json")})`,
      ]);

      // A second restart: the next folder aside, numbered, not dated.
      await restart.restore();
      await runSuiteDeploy(await request({ reset: true }));
      expect(readdirSync(path.join(dir, ".journal")).filter((name) => name.includes("stale"))).to.deep.equal([
        "31337.stale-1",
        "31337.stale-2",
      ]);
      await restart.restore();
    });

    it("tells a reset chain by its genesis block when the contracts' addresses hold code", async function () {
      const restart = await takeSnapshot();
      await runSuiteDeploy(await request());
      const pinFile = path.join(dir, ".journal", "31337.params.json");
      const pin = JSON.parse(read(pinFile)) as { genesis: string };
      expect(pin.genesis).to.equal((await ethers.provider.getBlock(0))!.hash);
      const other = "0x" + "ab".repeat(32);
      writeFileSync(pinFile, JSON.stringify({ ...pin, genesis: other }) + "\n");
      const refused = await rejection(runSuiteDeploy(await request()));
      expect(refused).to.be.instanceOf(DeployError);
      expect(refused.message).to.equal(
        `${pinFile} was written on a chain whose genesis block is ${other}, but chain 31337's is ${pin.genesis}: the chain was reset (a restarted node?): run npx hardhat suite:deploy --network localhost --reset to move the journal and the record aside and deploy afresh`,
      );
      await restart.restore();
    });

    it("names a stale record that has no journal", async function () {
      const record = { chainId: 31337, block: 0, contracts: { AccessManager: "0x" + "10".repeat(20) } };
      writeDeployment(dir, record);
      const refused = await rejection(runSuiteDeploy(await request()));
      expect(refused).to.be.instanceOf(DeployError);
      expect(refused.message).to.equal(
        `${path.join(dir, "31337.json")} records AccessManager at ${record.contracts.AccessManager}, but chain 31337 has no code there: the chain was reset (a restarted node?): run npx hardhat suite:deploy --network localhost --reset to move the journal and the record aside and deploy afresh`,
      );
    });
  });

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
        ["registry:info", { tokenId: 1n }, ["DeviceRegistry"]],
        ["registry:add-maker", { name: "Acme", signer: signer.address, classes: "0", quota: 0n }, ["DeviceRegistry"]],
        ["staking:info", { account: signer.address }, ["Staking"]],
        ["staking:register-operator", { commission: 500n, account: signer.address }, ["Staking"]],
        ["credits:balance", { routers: "" }, ["DataCredits", "RewardToken"]],
        ["epoch:distribute", { epoch: 0n, deployments: "deployments" }, ["RewardsLens"]],
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
