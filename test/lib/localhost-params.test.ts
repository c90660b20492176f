import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";

const LOCALHOST = path.join(__dirname, "..", "..", "deploy", "params", "localhost.json");

/**
 * `deploy/params/localhost.json` is what a person deploys to `npx hardhat node` and then drives by
 * hand (snapshot, compute, publish, claim): its epochs must last minutes. A test that needs short
 * epochs sets them in its own copy of the params, never in this file.
 */
describe("deploy/params/localhost.json", function () {
  it("gives epochs a person can follow by hand: five minutes", function () {
    const params = JSON.parse(readFileSync(LOCALHOST, "utf8")) as {
      token: { epochLength: number };
      rewards: { challengeWindow: number };
    };
    expect(params.token.epochLength).to.equal(300);
    // The challenge window stays shorter than an epoch, so that a root is claimable before the next one.
    expect(params.rewards.challengeWindow < params.token.epochLength).to.equal(true);
  });
});
