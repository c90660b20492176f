import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { Wallet, id } from "ethers";

import {
  classBitmap,
  decodeName,
  deviceOf,
  encodeName,
  formatH3Cell,
  parseAddress,
  parseH3Cell,
  parseUint,
  readKeyFile,
  tokenIdOf,
} from "../../scripts/lib/registry";

describe("scripts/lib/registry", function () {
  describe("parseH3Cell", function () {
    it("parses a cell with or without 0x and prints it back", function () {
      expect(parseH3Cell("8a2a1072b59ffff")).to.equal(0x8a2a1072b59ffffn);
      expect(parseH3Cell(" 0x8a2a1072b59ffff ")).to.equal(0x8a2a1072b59ffffn);
      expect(formatH3Cell(0x8a2a1072b59ffffn)).to.equal("8a2a1072b59ffff");
    });

    it("throws a one-line reason for text that is not a valid cell", function () {
      expect(() => parseH3Cell("zz")).to.throw('"zz" is not a 64-bit hex H3 index');
      expect(() => parseH3Cell("8a2a1072b59fffe")).to.throw("is not a valid H3 cell index");
      expect(() => parseH3Cell("18a2a1072b59ffff0")).to.throw("is not a 64-bit hex H3 index");
    });
  });

  describe("names and bitmaps", function () {
    it("round-trips a name through bytes32 and refuses empty or long ones", function () {
      expect(decodeName(encodeName("hotspot"))).to.equal("hotspot");
      expect(() => encodeName("")).to.throw("must not be empty");
      expect(() => encodeName("x".repeat(32))).to.throw("longer than 31 bytes");
    });

    it("builds the allowedClasses bitmap and refuses ids past 63", function () {
      expect(classBitmap([0n, 2n])).to.equal(0b101n);
      expect(classBitmap([])).to.equal(0n);
      expect(() => classBitmap([64n])).to.throw("out of range");
    });
  });

  describe("token ids", function () {
    it("maps a device address to its token id and back", function () {
      const device = new Wallet(id("lib.device")).address;
      expect(deviceOf(tokenIdOf(device))).to.equal(device);
      expect(tokenIdOf(device)).to.equal(BigInt(device));
      expect(() => deviceOf(2n ** 160n)).to.throw("is not a device address");
    });
  });

  describe("readKeyFile and argument parsers", function () {
    it("reads a key file with or without 0x and refuses anything else without echoing it", function () {
      const dir = mkdtempSync(path.join(tmpdir(), "registry-keys-"));
      const key = id("lib.key");
      writeFileSync(path.join(dir, "a.key"), `${key}\n`);
      writeFileSync(path.join(dir, "b.key"), key.slice(2));
      writeFileSync(path.join(dir, "bad.key"), "not-a-secret-key");
      const expected = new Wallet(key).address;
      expect(readKeyFile(path.join(dir, "a.key"), "maker").address).to.equal(expected);
      expect(readKeyFile(path.join(dir, "b.key"), "maker").address).to.equal(expected);
      expect(() => readKeyFile(path.join(dir, "bad.key"), "device"))
        .to.throw("does not hold a 32-byte hex private key")
        .and.to.satisfy((error: Error) => !error.message.includes("not-a-secret-key"));
      expect(() => readKeyFile(path.join(dir, "missing.key"), "device")).to.throw("cannot read the device key file");
    });

    it("parses integers and addresses with one-line reasons", function () {
      expect(parseUint("42", "--x")).to.equal(42n);
      expect(() => parseUint("-1", "--x")).to.throw("--x must be a non-negative integer");
      expect(() => parseUint("300", "--x", 255n)).to.throw("--x must be at most 255");
      expect(() => parseAddress("0x12", "--owner")).to.throw("--owner must be an address");
    });
  });
});
