import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";
import { readFileSync } from "node:fs";

import {
  DATA_CREDITS_ROLES,
  DEVICE_REGISTRY_ROLES,
  GOVERNANCE_ROLES,
  GOVERNED_PRICE_FEED_ROLES,
  ParamsError,
  REWARDS_DISTRIBUTOR_ROLES,
  REWARD_TOKEN_ROLES,
  STAKING_ROLES,
  deploySuite,
  handOver,
  memoryJournal,
  parseSuiteParams,
  roleMembers,
  selectorOf,
  type RoleTable,
} from "../../scripts/lib/deploy";
import { CONTRACT_NAMES } from "../../scripts/lib/deployments";
import { Roles, type RoleName } from "../../scripts/lib/roles";
import { actors } from "../fixtures/core";
import { HARDHAT_PARAMS, deploySuiteFixture } from "../fixtures/suite";

describe("deploySuite", function () {
  it("deploys every contract and points each at the others", async function () {
    const s = await loadFixture(deploySuiteFixture);
    for (const name of CONTRACT_NAMES) {
      expect(await ethers.provider.getCode(s.addresses[name]), name).to.not.equal("0x");
    }
    expect(await s.credits.token()).to.equal(s.addresses.RewardToken);
    expect(await s.credits.priceFeed()).to.equal(s.addresses.PriceFeed);
    expect(await s.registry.credits()).to.equal(s.addresses.DataCredits);
    expect(await s.rewardsLens.token()).to.equal(s.addresses.RewardToken);
    expect(await s.rewardsLens.staking()).to.equal(s.addresses.Staking);
    expect(await s.rewardsLens.treasury()).to.equal(s.deployer.address);
    expect(await s.rewardsLens.quorum()).to.equal(1n);
    expect(await s.rewardsLens.distributor()).to.equal(s.addresses.RewardsDistributor);
    expect(await s.token.cap()).to.equal(ethers.parseEther("1000000000"));
    expect((await s.registry.deviceClass(1)).multiplierBps).to.equal(12_000n);
    const budget = await s.registry.suspensionBudget();
    expect([budget.perWindow, budget.windowSeconds]).to.deep.equal([100n, 86_400n]);
    for (const name of CONTRACT_NAMES) {
      // The token is not access-managed; the feed and the stateless lens hold no authority.
      if (name === "RewardToken" || name === "PriceFeed" || name === "RewardsLens") continue;
      if (name === "StakingLens") {
        // Stateless and unowned: it only reads the Staking it was deployed for.
        expect(await s.stakingLens.staking(), name).to.equal(s.addresses.Staking);
        continue;
      }
      const contract = new ethers.Contract(
        s.addresses[name],
        ["function authority() view returns (address)"],
        ethers.provider,
      );
      if (name !== "AccessManager") expect(await contract.authority(), name).to.equal(s.addresses.AccessManager);
    }
  });

  it("restricts every privileged function of every contract to its role", async function () {
    const s = await loadFixture(deploySuiteFixture);
    const tables: [string, RoleTable][] = [
      [s.addresses.RewardToken, REWARD_TOKEN_ROLES],
      [s.addresses.PriceFeed, GOVERNED_PRICE_FEED_ROLES],
      [s.addresses.DataCredits, DATA_CREDITS_ROLES],
      [s.addresses.DeviceRegistry, DEVICE_REGISTRY_ROLES],
      [s.addresses.Staking, STAKING_ROLES],
      [s.addresses.RewardsDistributor, REWARDS_DISTRIBUTOR_ROLES],
    ];
    for (const [target, table] of tables) {
      for (const [role, signatures] of Object.entries(table) as [RoleName, string[]][]) {
        for (const signature of signatures) {
          expect(await s.manager.getTargetFunctionRole(target, selectorOf(signature)), signature).to.equal(Roles[role]);
        }
      }
    }
  });

  it("grants the contract roles to the contracts alone", async function () {
    const s = await loadFixture(deploySuiteFixture);
    const members = await roleMembers(s.manager);
    expect([...(members.get(Roles.MINTER) ?? [])]).to.deep.equal([s.addresses.RewardsDistributor]);
    expect([...(members.get(Roles.REWARDS_NOTIFIER) ?? [])]).to.deep.equal([s.addresses.RewardsDistributor]);
    expect([...(members.get(Roles.FEE_BURNER) ?? [])]).to.deep.equal([s.addresses.DeviceRegistry]);
  });

  it("sends nothing when run again with the same journal", async function () {
    const s = await loadFixture(deploySuiteFixture);
    const block = await ethers.provider.getBlockNumber();
    const again = await deploySuite(s.deployer, s.params, s.journal);
    expect(again.addresses).to.deep.equal(s.addresses);
    expect(await ethers.provider.getBlockNumber()).to.equal(block);
  });

  describe("handover", function () {
    async function handedOverFixture() {
      const who = await actors();
      const [oracleA, oracleB] = (await ethers.getSigners()).slice(10, 12);
      const file = parseSuiteParams(readFileSync(HARDHAT_PARAMS, "utf8"), HARDHAT_PARAMS, {
        deployer: who.deployer.address,
        now: BigInt(await time.latest()),
      });
      const params = {
        ...file.params,
        guardian: who.guardian.address,
        rewards: { ...file.params.rewards, oracles: [oracleA.address, oracleB.address], quorum: 2n },
      };
      const suite = await deploySuite(who.deployer, params, memoryJournal());
      await handOver(suite.manager, who.deployer, who.governance.address, 172_800, GOVERNANCE_ROLES);
      return { ...who, ...suite, oracles: [oracleA.address, oracleB.address] };
    }

    it("leaves every role only where PROTOCOL.md puts it, and the deployer with nothing", async function () {
      const s = await loadFixture(handedOverFixture);
      const members = await roleMembers(s.manager);
      const holders = (role: RoleName) => [...(members.get(Roles[role]) ?? [])].sort();
      expect(holders("ADMIN")).to.deep.equal([s.governance.address]);
      for (const role of GOVERNANCE_ROLES) expect(holders(role), role).to.deep.equal([s.governance.address]);
      expect(holders("GUARDIAN")).to.deep.equal([s.guardian.address]);
      expect(holders("ORACLE")).to.deep.equal([...s.oracles].sort());
      expect(holders("MINTER")).to.deep.equal([s.addresses.RewardsDistributor]);
      expect(holders("REWARDS_NOTIFIER")).to.deep.equal([s.addresses.RewardsDistributor]);
      expect(holders("FEE_BURNER")).to.deep.equal([s.addresses.DeviceRegistry]);
      for (const role of Object.keys(Roles) as RoleName[]) {
        if (role === "PUBLIC") continue;
        expect((await s.manager.hasRole(Roles[role], s.deployer.address))[0], role).to.equal(false);
      }
    });

    it("puts every governance role behind the execution delay, and the guardian's behind none", async function () {
      const s = await loadFixture(handedOverFixture);
      for (const role of GOVERNANCE_ROLES) {
        expect(await s.manager.hasRole(Roles[role], s.governance.address), role).to.deep.equal([true, 172_800n]);
      }
      expect(await s.manager.hasRole(Roles.GUARDIAN, s.guardian.address)).to.deep.equal([true, 0n]);
    });

    it("makes an upgrade wait for the delay", async function () {
      const s = await loadFixture(handedOverFixture);
      const data = s.staking.interface.encodeFunctionData("upgradeToAndCall", [s.addresses.RewardToken, "0x"]);
      const operationId = await s.manager.hashOperation(s.governance.address, s.addresses.Staking, data);
      await expect(s.staking.connect(s.governance).upgradeToAndCall(s.addresses.RewardToken, "0x"))
        .to.be.revertedWithCustomError(s.manager, "AccessManagerNotScheduled")
        .withArgs(operationId);
      await s.manager.connect(s.governance).schedule(s.addresses.Staking, data, 0);
      await expect(s.manager.connect(s.governance).execute(s.addresses.Staking, data))
        .to.be.revertedWithCustomError(s.manager, "AccessManagerNotReady")
        .withArgs(operationId);
      await expect(s.staking.connect(s.stranger).upgradeToAndCall(s.addresses.RewardToken, "0x"))
        .to.be.revertedWithCustomError(s.staking, "AccessManagedUnauthorized")
        .withArgs(s.stranger.address);
    });
  });

  describe("parseSuiteParams", function () {
    const context = { deployer: "0x0000000000000000000000000000000000000001", now: 1_000n };
    const base = () => JSON.parse(readFileSync(HARDHAT_PARAMS, "utf8")) as Record<string, Record<string, unknown>>;

    it("reads the committed params files", function () {
      for (const network of ["hardhat", "localhost"]) {
        const file = HARDHAT_PARAMS.replace("hardhat.json", `${network}.json`);
        const parsed = parseSuiteParams(readFileSync(file, "utf8"), file, { ...context, oracle: context.deployer });
        expect(parsed.chainIds).to.deep.equal([31337]);
        expect(parsed.params.registry.suspensionBudget).to.deep.equal({ perWindow: 100n, windowSeconds: 86_400n });
      }
      // The testnet file's addresses are placeholders until filled in; its registry section is complete.
      const testnet = JSON.parse(readFileSync(HARDHAT_PARAMS.replace("hardhat.json", "testnet.json"), "utf8")) as {
        registry: { suspensionBudget: unknown };
      };
      expect(testnet.registry.suspensionBudget).to.deep.equal({ perWindow: 100, windowSeconds: 86_400 });
    });

    it("refuses a missing suspension budget, a zero window and a budget past 32 bits", function () {
      const bad = (mutate: (budget: Record<string, unknown>, registry: Record<string, unknown>) => void) => {
        const json = base();
        mutate(json.registry.suspensionBudget as Record<string, unknown>, json.registry);
        return () => parseSuiteParams(JSON.stringify(json), "p.json", context);
      };
      expect(bad((_, registry) => delete registry.suspensionBudget)).to.throw(
        ParamsError,
        "p.json: registry.suspensionBudget is missing",
      );
      expect(bad((budget) => (budget.windowSeconds = 0))).to.throw(
        ParamsError,
        "p.json: registry.suspensionBudget.windowSeconds must be at least 1",
      );
      expect(bad((budget) => (budget.perWindow = 2 ** 32))).to.throw(
        ParamsError,
        "p.json: registry.suspensionBudget.perWindow must be at most 4294967295",
      );
      expect(bad((budget) => (budget.perWindow = "ten"))).to.throw(
        ParamsError,
        "p.json: registry.suspensionBudget.perWindow must be a whole number",
      );
      const closed = base();
      (closed.registry.suspensionBudget as Record<string, unknown>).perWindow = 0;
      expect(
        parseSuiteParams(JSON.stringify(closed), "p.json", context).params.registry.suspensionBudget,
      ).to.deep.equal({ perWindow: 0n, windowSeconds: 86_400n });
    });

    it("names a missing field", function () {
      const json = base();
      delete json.token.cap;
      expect(() => parseSuiteParams(JSON.stringify(json), "p.json", context)).to.throw(
        ParamsError,
        "p.json: token.cap is missing",
      );
    });

    it("refuses a quorum larger than the oracle set", function () {
      const json = base();
      json.rewards.quorum = 2;
      expect(() => parseSuiteParams(JSON.stringify(json), "p.json", context)).to.throw(
        ParamsError,
        "p.json: rewards.quorum is 2, larger than the 1 oracle(s) of rewards.oracles",
      );
    });

    it("refuses a malformed address, split and amount", function () {
      const bad = (mutate: (json: Record<string, Record<string, unknown>>) => void, message: string) => {
        const json = base();
        mutate(json);
        expect(() => parseSuiteParams(JSON.stringify(json), "p.json", context)).to.throw(ParamsError, message);
      };
      bad((j) => (j.token.treasury = "0x12"), 'token.treasury must be an address, "deployer" or "oracle"');
      bad((j) => ((j.rewards.split as Record<string, number>).treasuryBps = 1), "rewards.split must add up to 10000");
      bad(
        (j) => (j.token.initialEpochEmission = "lots"),
        "token.initialEpochEmission must be a decimal string of tokens",
      );
      bad((j) => (j.rewards.oracles = ["oracle"]), '"oracle" but no oracle account is configured');
      bad((j) => ((j as Record<string, unknown>).chainIds = []), "chainIds must be a non-empty array");
    });

    it("refuses a genesis or an epoch length that Staking's packed clock cannot hold", function () {
      for (const [key, value, message] of [
        ["genesis", 2 ** 32, "p.json: token.genesis must be at most 4294967295"],
        ["epochLength", 2 ** 24, "p.json: token.epochLength must be at most 16777215"],
      ] as const) {
        const json = base();
        json.token[key] = value;
        expect(() => parseSuiteParams(JSON.stringify(json), "p.json", context)).to.throw(ParamsError, message);
        json.token[key] = value - 1;
        expect(() => parseSuiteParams(JSON.stringify(json), "p.json", context)).not.to.throw();
      }
    });

    it("refuses a cap below the genesis allocation plus the whole emission schedule, with one line", function () {
      const json = base();
      json.token.cap = "400000000";
      const parse = () => parseSuiteParams(JSON.stringify(json), "p.json", context);
      expect(parse).to.throw(
        ParamsError,
        /^p\.json: token\.cap is 400000000\.0 tokens, below token\.genesisAllocation \(100000000\.0\) plus the whole emission schedule \(364999999\.9999999999999781\) = 464999999\.9999999999999781$/,
      );
      // Exactly full is accepted.
      json.token.cap = "464999999.9999999999999781";
      expect(parse().params.token.cap).to.equal(ethers.parseEther("464999999.9999999999999781"));
    });

    it("reads the governed feed's window bound, and refuses a zero or missing one", function () {
      const parsed = parseSuiteParams(readFileSync(HARDHAT_PARAMS, "utf8"), HARDHAT_PARAMS, context);
      expect(parsed.params.priceFeed.kind === "governed" && parsed.params.priceFeed.feed).to.deep.include({
        maxWindowMoveBps: 5_000n,
        moveWindow: 86_400n,
      });
      for (const [key, value, message] of [
        ["maxWindowMoveBps", 0, "p.json: priceFeed.maxWindowMoveBps must be at least 1"],
        ["moveWindow", 0, "p.json: priceFeed.moveWindow must be at least 1"],
        ["moveWindow", 2 ** 32, "p.json: priceFeed.moveWindow must be at most 4294967295"],
        ["maxWindowMoveBps", undefined, "p.json: priceFeed.maxWindowMoveBps is missing"],
      ] as const) {
        const json = base();
        if (value === undefined) delete json.priceFeed[key];
        else json.priceFeed[key] = value;
        expect(() => parseSuiteParams(JSON.stringify(json), "p.json", context)).to.throw(ParamsError, message);
      }
    });
  });
});
