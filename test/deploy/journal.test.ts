import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { getCreateAddress } from "ethers";
import { ethers } from "hardhat";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { AccessManager__factory } from "../../typechain-types";
import {
  DeployError,
  createOnce,
  defaultTokenParams,
  deployCore,
  fileJournal,
  memoryJournal,
} from "../../scripts/lib/deploy";

describe("deploy journal", function () {
  async function signersFixture() {
    const [deployer, other] = await ethers.getSigners();
    return { deployer, other };
  }

  describe("createOnce", function () {
    it("creates a contract once and returns the journaled address on every later call", async function () {
      const { deployer } = await loadFixture(signersFixture);
      const journal = memoryJournal();
      const factory = new AccessManager__factory(deployer);
      const first = await createOnce(deployer, journal, "AccessManager", factory, deployer.address);
      const block = await ethers.provider.getBlockNumber();
      const again = await createOnce(deployer, journal, "AccessManager", factory, deployer.address);
      expect(again).to.equal(first);
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
      expect(journal.get("AccessManager")).to.include({ status: "deployed", address: first, block });
    });

    it("sends again, with the same nonce, a creation that was journaled but never landed", async function () {
      const { deployer } = await loadFixture(signersFixture);
      const nonce = await deployer.getNonce("pending");
      const address = getCreateAddress({ from: deployer.address, nonce });
      const journal = memoryJournal();
      // A deploy killed between writing the journal and sending the transaction.
      journal.set("AccessManager", { status: "pending", address, nonce });
      const created = await createOnce(
        deployer,
        journal,
        "AccessManager",
        new AccessManager__factory(deployer),
        deployer.address,
      );
      expect(created).to.equal(address);
      expect(await ethers.provider.getCode(address)).to.not.equal("0x");
      expect(await deployer.getNonce()).to.equal(nonce + 1);
    });

    it("adopts a creation that landed after the journal was last written", async function () {
      const { deployer } = await loadFixture(signersFixture);
      const nonce = await deployer.getNonce("pending");
      const manager = await new AccessManager__factory(deployer).deploy(deployer.address);
      await manager.waitForDeployment();
      const journal = memoryJournal();
      // A deploy killed after sending the creation, before its receipt was journaled.
      journal.set("AccessManager", { status: "pending", address: await manager.getAddress(), nonce });
      const block = await ethers.provider.getBlockNumber();
      const adopted = await createOnce(
        deployer,
        journal,
        "AccessManager",
        new AccessManager__factory(deployer),
        deployer.address,
      );
      expect(adopted).to.equal(await manager.getAddress());
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
      expect(journal.get("AccessManager")?.status).to.equal("deployed");
    });

    it("refuses to guess when the journaled nonce was used for something else", async function () {
      const { deployer, other } = await loadFixture(signersFixture);
      const nonce = await deployer.getNonce("pending");
      const journal = memoryJournal();
      journal.set("AccessManager", {
        status: "pending",
        address: getCreateAddress({ from: deployer.address, nonce }),
        nonce,
      });
      await (await deployer.sendTransaction({ to: other.address, value: 1n })).wait();
      await expect(
        createOnce(deployer, journal, "AccessManager", new AccessManager__factory(deployer), deployer.address),
      ).to.be.rejectedWith(DeployError, `nonce ${nonce} of ${deployer.address} was used`);
    });

    it("refuses a journal whose deployed contract has no code on this chain", async function () {
      const { deployer, other } = await loadFixture(signersFixture);
      const journal = memoryJournal();
      journal.set("AccessManager", { status: "deployed", address: other.address, nonce: 0 });
      await expect(
        createOnce(deployer, journal, "AccessManager", new AccessManager__factory(deployer), deployer.address),
      ).to.be.rejectedWith(DeployError, "there is no code there");
    });
  });

  describe("fileJournal", function () {
    it("persists every entry atomically, so a second deployCore with it sends nothing", async function () {
      const { deployer } = await loadFixture(signersFixture);
      const dir = mkdtempSync(path.join(tmpdir(), "journal-"));
      const file = path.join(dir, "31337.json");
      const params = {
        token: defaultTokenParams(BigInt((await ethers.provider.getBlock("latest"))!.timestamp), deployer.address),
      };

      const first = await deployCore(deployer, { ...params, journal: fileJournal(file) });
      const recorded = JSON.parse(readFileSync(file, "utf8")) as Record<string, { status: string; address: string }>;
      expect(recorded.AccessManager).to.include({ status: "deployed", address: await first.manager.getAddress() });
      expect(recorded.RewardToken).to.include({ status: "deployed", address: await first.token.getAddress() });
      expect(readdirSync(dir)).to.deep.equal(["31337.json"]);

      const block = await ethers.provider.getBlockNumber();
      const second = await deployCore(deployer, { ...params, journal: fileJournal(file) });
      expect(await second.token.getAddress()).to.equal(await first.token.getAddress());
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
    });

    it("refuses a malformed journal file with one line naming the entry's field", function () {
      const dir = mkdtempSync(path.join(tmpdir(), "journal-"));
      const file = path.join(dir, "31337.json");
      const entry = { status: "deployed", address: getCreateAddress({ from: ethers.ZeroAddress, nonce: 0 }), nonce: 0 };
      const refused = (value: unknown, message: string) => {
        writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
        expect(() => fileJournal(file)).to.throw(DeployError, `${file}: ${message}`);
      };
      refused("{", "not valid JSON");
      refused([], "the file must be an object of contract name → entry");
      refused({ AccessManager: { ...entry, status: "done" } }, 'AccessManager.status must be "pending" or "deployed"');
      refused({ AccessManager: { ...entry, address: "0x12" } }, "AccessManager.address must be an address");
      refused({ AccessManager: { ...entry, nonce: -1 } }, "AccessManager.nonce must be at least 0");
      refused({ AccessManager: { ...entry, txHash: "0x12" } }, "AccessManager.txHash must be a transaction hash");
      refused({ AccessManager: { status: "pending", nonce: 0 } }, "AccessManager.address is missing");
      writeFileSync(file, JSON.stringify({ AccessManager: { ...entry, txHash: ethers.ZeroHash, block: 1 } }));
      expect(fileJournal(file).get("AccessManager")).to.deep.equal({ ...entry, txHash: ethers.ZeroHash, block: 1 });
    });
  });
});
