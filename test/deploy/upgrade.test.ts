import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { upgrades } from "hardhat";

import {
  GOVERNANCE_ROLES,
  handOver,
  implementationOf,
  memoryJournal,
  paramsToJson,
  registerProxies,
  upgradeContract,
  verificationTargets,
} from "../../scripts/lib/deploy";
import type { DeploymentRecord } from "../../scripts/lib/deployments";
import { deploySuiteFixture } from "../fixtures/suite";

const DELAY = 86_400;

async function handedOverFixture() {
  const s = await deploySuiteFixture();
  await handOver(s.manager, s.deployer, s.governance.address, DELAY, GOVERNANCE_ROLES);
  const record: DeploymentRecord = {
    chainId: Number(s.chainId),
    block: 0,
    contracts: s.addresses,
    params: { ...(paramsToJson(s.params) as object), deployer: s.deployer.address },
  };
  // As suite:deploy does: register the deployed layouts with the upgrades plugin.
  await registerProxies(s.deployer, record, s.journal, (proxy, factory) =>
    upgrades.forceImport(proxy, factory, { kind: "uups" }),
  );
  return { ...s, record };
}

const validate = (proxy: string, factory: Parameters<typeof upgrades.validateUpgrade>[1]) =>
  upgrades.validateUpgrade(proxy, factory, { kind: "uups", unsafeAllowLinkedLibraries: true });

describe("suite:upgrade (upgradeContract)", function () {
  it("schedules through the authority, waits out the delay, then upgrades and keeps the state", async function () {
    const s = await loadFixture(handedOverFixture);
    const journal = memoryJournal();
    const before = await implementationOf(s.governance, s.addresses.Staking);
    const request = { signer: s.governance, record: s.record, name: "Staking" as const, journal, validate };

    const scheduled = await upgradeContract(request);
    expect(scheduled.status).to.equal("scheduled");
    const waiting = await upgradeContract(request);
    expect(waiting.status).to.equal("waiting");
    expect(await implementationOf(s.governance, s.addresses.Staking)).to.equal(before);

    await time.increase(DELAY);
    const done = await upgradeContract(request);
    expect(done.status).to.equal("upgraded");
    expect(await implementationOf(s.governance, s.addresses.Staking)).to.equal(done.implementation);
    expect(done.implementation).to.not.equal(before);
    expect(await s.staking.token()).to.equal(s.addresses.RewardToken);
    expect((await upgradeContract(request)).status).to.equal("current");
  });

  it("refuses a caller without UPGRADER", async function () {
    const s = await loadFixture(handedOverFixture);
    await expect(
      upgradeContract({
        signer: s.stranger,
        record: s.record,
        name: "DataCredits",
        journal: memoryJournal(),
        validate,
      }),
    ).to.be.rejectedWith(`${s.stranger.address} may not upgrade DataCredits: it lacks the UPGRADER role`);
  });
});

describe("suite:verify (verificationTargets)", function () {
  it("lists every implementation and the non-proxy contracts with their constructor arguments", async function () {
    const s = await loadFixture(handedOverFixture);
    const targets = await verificationTargets(s.deployer, s.record);
    const byName = new Map(targets.map((t) => [t.name, t]));
    expect(byName.get("Staking (implementation)")?.address).to.equal(
      await implementationOf(s.deployer, s.addresses.Staking),
    );
    expect(byName.get("AccessManager")?.constructorArguments).to.deep.equal([s.deployer.address]);
    expect(byName.get("RewardToken")?.constructorArguments[1]).to.equal(s.addresses.AccessManager);
    expect(byName.get("GovernedPriceFeed")?.address).to.equal(s.addresses.PriceFeed);
    expect(targets).to.have.length(7);
  });
});
