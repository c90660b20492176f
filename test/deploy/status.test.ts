import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";

import { paramsToJson } from "../../scripts/lib/deploy";
import { readSuiteStatus } from "../../scripts/lib/deploy/status";
import { deploySuiteFixture } from "../fixtures/suite";

describe("suite:status (readSuiteStatus)", function () {
  it("reports the addresses, epochs, totals and pause flags of the deployed suite", async function () {
    const s = await loadFixture(deploySuiteFixture);
    const record = { chainId: Number(s.chainId), block: 0, contracts: s.addresses, params: paramsToJson(s.params) };
    await time.increaseTo(s.params.token.genesis + 2n * s.params.token.epochLength + 1n);
    await s.distributor.pause();
    const status = await readSuiteStatus(ethers.provider, record);
    expect(status.contracts).to.deep.equal(s.addresses);
    expect(status.epoch).to.deep.equal({ current: "2", ended: "2", nextToPost: "0" });
    expect(status.token.totalSupply).to.equal(ethers.parseEther("100000000").toString());
    expect(status.token.mintable).to.equal(ethers.parseEther("500000").toString());
    expect(status.rewards).to.deep.equal({ latestClaimable: null, quorum: "1", oracles: "1", challengeWindow: "60" });
    expect(status.paused).to.deep.equal({
      credits: false,
      registry: false,
      staking: false,
      rewards: true,
    });
    expect(status.registry.devices).to.equal("0");
  });
});
