import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { Wallet, type BaseContract } from "ethers";
import { ethers } from "hardhat";

import {
  DATA_CREDITS_ROLES,
  DEVICE_REGISTRY_ROLES,
  GOVERNANCE_ROLES,
  GOVERNED_PRICE_FEED_ROLES,
  REWARDS_DISTRIBUTOR_ROLES,
  REWARD_TOKEN_ROLES,
  STAKING_ROLES,
  handOver,
  selectorOf,
} from "../../scripts/lib/deploy";
import { Roles, type RoleName } from "../../scripts/lib/roles";
import { CreditsMockDataCreditsV2__factory } from "../../typechain-types";
import { deployAdversarialFixture } from "../fixtures/adversarial";
import { callsOfTable, sampleValue } from "../helpers/restricted-calls";
import { implementationOf, stateOf, type AdversarialSuite } from "./helpers";

const ROLE_NAMES = (Object.keys(Roles) as RoleName[]).filter((role) => role !== "PUBLIC");

/** Every restricted function of every contract, from the deploy library's own role tables. */
function restrictedCalls(s: AdversarialSuite, filler: string) {
  return [
    ...callsOfTable("RewardToken", s.token, REWARD_TOKEN_ROLES, filler),
    ...callsOfTable("GovernedPriceFeed", s.governedFeed!, GOVERNED_PRICE_FEED_ROLES, filler),
    ...callsOfTable("DataCredits", s.credits, DATA_CREDITS_ROLES, filler),
    ...callsOfTable("DeviceRegistry", s.registry, DEVICE_REGISTRY_ROLES, filler),
    ...callsOfTable("Staking", s.staking, STAKING_ROLES, filler),
    ...callsOfTable("RewardsDistributor", s.distributor, REWARDS_DISTRIBUTOR_ROLES, filler),
  ];
}

/** A funded account holding every role of the suite except `missing`. */
async function holderOfAllBut(s: AdversarialSuite, missing: RoleName) {
  const account = Wallet.createRandom(ethers.provider);
  await setBalance(account.address, 10n ** 20n);
  for (const role of ROLE_NAMES) {
    if (role !== missing) await (await s.manager.grantRole(Roles[role], account.address, 0)).wait();
  }
  return account;
}

describe("Adversarial", function () {
  describe("governance", function () {
    it("every restricted function of every contract refuses a caller without its role, even one holding all others", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const calls = restrictedCalls(s, s.alice.address);
      expect(calls.length, "the role tables list the suite's restricted functions").to.be.gte(40);
      const holders = new Map<RoleName, Awaited<ReturnType<typeof holderOfAllBut>>>();
      for (const role of new Set(calls.map((call) => call.role))) holders.set(role, await holderOfAllBut(s, role));
      const before = await stateOf(s, [s.alice.address, s.stranger.address]);

      for (const call of calls) {
        const where = `${call.contract}.${call.signature}`;
        expect(
          await s.manager.getTargetFunctionRole(await call.target.getAddress(), selectorOf(call.signature)),
          `${where} is wired to ${call.role}`,
        ).to.equal(Roles[call.role]);
        for (const caller of [s.stranger, holders.get(call.role)!]) {
          const fn = (call.target.connect(caller) as BaseContract).getFunction(call.signature);
          await expect(fn(...call.args), `${where} from ${caller.address}`)
            .to.be.revertedWithCustomError(call.target, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      }
      expect(await stateOf(s, [s.alice.address, s.stranger.address]), "nothing changed").to.deep.equal(before);
    });

    it("no role mints outside the emission: a MINTER's mint past the ended epochs' budget is refused", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const minter = await holderOfAllBut(s, "UPGRADER");
      const budget = await s.token.mintable();
      const supply = await s.token.totalSupply();
      await expect(s.token.connect(minter).mint(minter.address, budget + 1n))
        .to.be.revertedWithCustomError(s.token, "EmissionBudgetExceeded")
        .withArgs(budget + 1n, budget);
      expect(await s.token.totalSupply()).to.equal(supply);
    });

    it("an initializer called on each implementation, or again on its proxy, is refused", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const before = await stateOf(s, [s.stranger.address]);
      for (const [name, proxy] of [
        ["DataCredits", s.credits],
        ["DeviceRegistry", s.registry],
        ["Staking", s.staking],
        ["RewardsDistributor", s.distributor],
      ] as const) {
        const fragment = proxy.interface.getFunction("initialize")!;
        const args = fragment.inputs.map((input) => sampleValue(input, s.stranger.address));
        const implementation = (proxy as BaseContract).attach(await implementationOf(await proxy.getAddress()));
        for (const target of [implementation, proxy as BaseContract]) {
          await expect(
            target.connect(s.stranger).getFunction(fragment.format("sighash"))(...args),
            `${name}.initialize`,
          ).to.be.revertedWithCustomError(proxy, "InvalidInitialization");
        }
      }
      expect(await stateOf(s, [s.stranger.address])).to.deep.equal(before);
    });

    it("an upgrade without the delay is refused after the handover to governance", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const delay = 2 * 86_400;
      await handOver(s.manager, s.deployer, s.governance.address, delay, GOVERNANCE_ROLES);
      const next = await new CreditsMockDataCreditsV2__factory(s.governance).deploy();
      const data = s.credits.interface.encodeFunctionData("upgradeToAndCall", [await next.getAddress(), "0x"]);
      const proxies = [s.credits, s.registry, s.staking, s.distributor] as const;
      const implementations = await Promise.all(proxies.map(async (p) => implementationOf(await p.getAddress())));

      for (const proxy of proxies) {
        // Governance calling directly: the manager finds no scheduled operation.
        await expect(
          proxy.connect(s.governance).upgradeToAndCall(await next.getAddress(), "0x"),
        ).to.be.revertedWithCustomError(s.manager, "AccessManagerNotScheduled");
        // The deployer renounced everything.
        await expect(proxy.connect(s.deployer).upgradeToAndCall(await next.getAddress(), "0x"))
          .to.be.revertedWithCustomError(proxy, "AccessManagedUnauthorized")
          .withArgs(s.deployer.address);
      }
      // Scheduled, then executed before the delay: not ready.
      const credits = await s.credits.getAddress();
      await s.manager.connect(s.governance).schedule(credits, data, 0);
      const operation = await s.manager.hashOperation(s.governance.address, credits, data);
      await expect(s.manager.connect(s.governance).execute(credits, data))
        .to.be.revertedWithCustomError(s.manager, "AccessManagerNotReady")
        .withArgs(operation);
      for (const [i, proxy] of proxies.entries()) {
        expect(await implementationOf(await proxy.getAddress()), "implementation unchanged").to.equal(
          implementations[i],
        );
      }

      // After the delay the same operation goes through: the delay, not the role, was what stopped it.
      await time.increase(delay);
      await expect(s.manager.connect(s.governance).execute(credits, data))
        .to.emit(s.credits, "Upgraded")
        .withArgs(await next.getAddress());
      expect(await implementationOf(credits)).to.equal(await next.getAddress());
      expect(await s.manager.hasRole(Roles.ADMIN, s.deployer.address)).to.deep.equal([false, 0n]);
    });

    it("the guardian cancels, never executes, a scheduled upgrade or parameter change, and cannot keep itself in place", async function () {
      const s = await loadFixture(deployAdversarialFixture);
      const delay = 2 * 86_400;
      await (await s.manager.grantRole(Roles.GUARDIAN, s.guardian.address, 0)).wait();
      await handOver(s.manager, s.deployer, s.governance.address, delay, GOVERNANCE_ROLES);
      const manager = await s.manager.getAddress();

      // A scheduled upgrade (UPGRADER) and a scheduled parameter change (SUITE_ADMIN).
      const next = await new CreditsMockDataCreditsV2__factory(s.governance).deploy();
      const credits = await s.credits.getAddress();
      const upgrade = s.credits.interface.encodeFunctionData("upgradeToAndCall", [await next.getAddress(), "0x"]);
      const distributor = await s.distributor.getAddress();
      const quorum = s.distributor.interface.encodeFunctionData("setQuorum", [1n]);
      for (const [target, data] of [
        [credits, upgrade],
        [distributor, quorum],
      ] as const) {
        await (await s.manager.connect(s.governance).schedule(target, data, 0)).wait();
        const operation = await s.manager.hashOperation(s.governance.address, target, data);
        // Neither a stranger nor the guardian can execute it; a stranger cannot cancel it.
        await expect(s.manager.connect(s.guardian).execute(target, data)).to.be.revertedWithCustomError(
          s.manager,
          "AccessManagerUnauthorizedCall",
        );
        await expect(
          s.manager.connect(s.stranger).cancel(s.governance.address, target, data),
        ).to.be.revertedWithCustomError(s.manager, "AccessManagerUnauthorizedCancel");
        await expect(s.manager.connect(s.guardian).cancel(s.governance.address, target, data)).to.emit(
          s.manager,
          "OperationCanceled",
        );
        await time.increase(delay);
        await expect(s.manager.connect(s.governance).execute(target, data))
          .to.be.revertedWithCustomError(s.manager, "AccessManagerNotScheduled")
          .withArgs(operation);
      }
      expect(await implementationOf(credits)).to.not.equal(await next.getAddress());

      // Governance removes the guardian: the manager's own operations are out of the guardian's reach.
      const revoke = s.manager.interface.encodeFunctionData("revokeRole", [Roles.GUARDIAN, s.guardian.address]);
      await (await s.manager.connect(s.governance).schedule(manager, revoke, 0)).wait();
      await expect(
        s.manager.connect(s.guardian).cancel(s.governance.address, manager, revoke),
      ).to.be.revertedWithCustomError(s.manager, "AccessManagerUnauthorizedCancel");
      await time.increase(delay);
      await expect(s.manager.connect(s.governance).execute(manager, revoke))
        .to.emit(s.manager, "RoleRevoked")
        .withArgs(Roles.GUARDIAN, s.guardian.address);
      expect((await s.manager.hasRole(Roles.GUARDIAN, s.guardian.address))[0]).to.equal(false);
    });
  });
});
