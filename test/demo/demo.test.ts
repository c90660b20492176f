import { time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { existsSync } from "node:fs";
import path from "node:path";
import hre from "hardhat";

import { runDemo } from "../../scripts/lib/demo/run";

describe("npm run demo (scripts/lib/demo/run.ts)", function () {
  it("introduces every account it shows, explains every 0, removes its files and holds every invariant", async function () {
    const [deployer, alice, bob, carol, delegator] = await hre.ethers.getSigners();
    const lines: string[] = [];
    const { checks } = await runDemo({
      actors: { deployer, owners: [alice, bob, carol], delegator },
      chainId: Number((await hre.ethers.provider.getNetwork()).chainId),
      paramsFile: path.join(hre.config.paths.root, "deploy", "params", "hardhat.json"),
      advanceTo: async (timestamp) => {
        if (BigInt(await time.latest()) < timestamp) await time.increaseTo(timestamp);
      },
      print: (line) => lines.push(line),
    });
    const text = lines.join("\n");
    expect(
      checks.every((check) => check.holds),
      text,
    ).to.equal(true);

    // Every account address it prints was introduced first, with its role.
    const intro = lines.slice(
      0,
      lines.findIndex((line) => line.startsWith("1. ")),
    );
    for (const signer of [deployer, alice, bob, carol, delegator]) {
      expect(
        intro.some((line) => line.includes(signer.address)),
        signer.address,
      ).to.equal(true);
    }
    const body = lines.slice(intro.length).filter((line) => !line.includes("transactions; AccessManager"));
    const introduced = new Set([deployer, alice, bob, carol, delegator].map((s) => s.address.toLowerCase()));
    for (const address of body.join("\n").match(/0x[0-9a-fA-F]{40}/g) ?? []) {
      expect(introduced.has(address.toLowerCase()), `${address} shown without an introduction`).to.equal(true);
    }

    // Carol stakes nothing: every epoch says why she earned 0, in words, from the epoch file.
    const zeros = lines.filter((line) => line.includes("carol") && line.includes("earned 0 DPN"));
    expect(zeros).to.have.length(3);
    for (const line of zeros) expect(line).to.match(/2 devices: a stake factor of 0/);

    // Amounts carry thousands separators.
    expect(text).to.match(/86,900,000 DC/);

    // The epoch files' folder is gone.
    const folder = /files in (\S+), removed at the end/.exec(text)?.[1];
    expect(folder, "the demo names its folder").to.not.equal(undefined);
    expect(existsSync(folder!)).to.equal(false);
  });
});
