import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { expect } from "chai";
import { Wallet } from "ethers";
import { readFileSync } from "node:fs";
import path from "node:path";

import type { TokenList } from "../../scripts/lib/sdk";
import { deploySuiteFixture } from "../fixtures/suite";
import { runTask, useDeploymentRoot } from "../helpers/run-task";

function tokenListSchema(): object {
  const dir = path.dirname(require.resolve("@uniswap/token-lists/package.json"));
  return JSON.parse(readFileSync(path.join(dir, "src", "tokenlist.schema.json"), "utf8")) as object;
}

/** The wallet tasks, run through Hardhat against a record in a temporary project root. */
describe("wallet tasks", function () {
  const root = useDeploymentRoot("wallet-tasks", async () => (await loadFixture(deploySuiteFixture)).addresses);

  describe("wallet:token-list", function () {
    it("writes a list the schema accepts, and leaves it alone while the tokens are the same", async function () {
      const first = await runTask("wallet:token-list", {});
      const file = path.join(root(), "deployments", "31337.tokenlist.json");
      expect(first).to.deep.equal({ out: `${file}\n`, err: "", exitCode: undefined });
      const list = JSON.parse(readFileSync(file, "utf8")) as TokenList;
      const ajv = new Ajv({ allErrors: true });
      addFormats(ajv);
      const validate = ajv.compile(tokenListSchema());
      expect(validate(list), JSON.stringify(validate.errors)).to.equal(true);
      expect(list.version).to.deep.equal({ major: 1, minor: 0, patch: 0 });
      const second = await runTask("wallet:token-list", {});
      expect(second.out).to.equal(`${file} is up to date (version 1.0.0)\n`);
      const third = await runTask("wallet:token-list", { logo: "ipfs://logo" });
      expect(third.exitCode).to.equal(undefined);
      const bumped = JSON.parse(readFileSync(file, "utf8")) as TokenList;
      expect(bumped.version).to.deep.equal({ major: 1, minor: 0, patch: 1 });
      expect(bumped.tokens.every((t) => t.logoURI === "ipfs://logo")).to.equal(true);
    });

    it("fails with one line on a bad name", async function () {
      const result = await runTask("wallet:token-list", { name: "bad/name" });
      expect(result).to.deep.equal({
        out: "",
        err: "wallet:token-list: --name must be 1-30 letters, digits or spaces\n",
        exitCode: 1,
      });
    });
  });

  describe("wallet:device-metadata", function () {
    it("fails with the decoded error for a device that was never onboarded", async function () {
      const device = Wallet.createRandom().address;
      const result = await runTask("wallet:device-metadata", { device });
      expect(result.exitCode).to.equal(1);
      expect(result.err).to.equal(`wallet:device-metadata: UnknownDevice(tokenId: ${BigInt(device)})\n`);
    });

    it("fails with one line on a bad address", async function () {
      const result = await runTask("wallet:device-metadata", { device: "nope" });
      expect(result.err).to.equal('wallet:device-metadata: --device must be an address, not "nope"\n');
      expect(result.exitCode).to.equal(1);
    });
  });
});
