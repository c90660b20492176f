import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { ethers } from "hardhat";

import { REWARD_TOKEN_ROLES, grantRoles, handOver, restrictFunctions, selectorOf } from "../../scripts/lib/deploy";
import { Roles, type RoleName } from "../../scripts/lib/roles";
import { deployCoreFixture } from "../fixtures/core";

const GOVERNANCE_DELAY = 2 * 86_400;

describe("AccessManager (the suite's authority)", function () {
  async function handedOverFixture() {
    const core = await deployCoreFixture();
    await handOver(core.manager, core.deployer, core.governance.address, GOVERNANCE_DELAY);
    return core;
  }

  describe("deployCore", function () {
    it("makes the deployer the only ADMIN, without delay, until the handover", async function () {
      const { manager, deployer, governance } = await loadFixture(deployCoreFixture);
      expect(await manager.hasRole(Roles.ADMIN, deployer.address)).to.deep.equal([true, 0n]);
      expect((await manager.hasRole(Roles.ADMIN, governance.address))[0]).to.equal(false);
    });

    it("grants the fixture's roles with no execution delay", async function () {
      const { manager, minter, guardian } = await loadFixture(deployCoreFixture);
      expect(await manager.hasRole(Roles.MINTER, minter.address)).to.deep.equal([true, 0n]);
      expect(await manager.hasRole(Roles.GUARDIAN, guardian.address)).to.deep.equal([true, 0n]);
    });

    it("sends nothing when the wiring and the grants are run again", async function () {
      const { manager, token, minter } = await loadFixture(deployCoreFixture);
      const before = await ethers.provider.getBlockNumber();
      expect(await restrictFunctions(manager, await token.getAddress(), REWARD_TOKEN_ROLES)).to.equal(0);
      expect(await grantRoles(manager, [{ role: "MINTER", account: minter.address }])).to.equal(0);
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
    });

    it("re-sends only what differs from the chain", async function () {
      const { manager, token, stranger } = await loadFixture(deployCoreFixture);
      const mint = selectorOf("mint(address,uint256)");
      await manager.setTargetFunctionRole(await token.getAddress(), [mint], Roles.GUARDIAN);
      expect(await restrictFunctions(manager, await token.getAddress(), REWARD_TOKEN_ROLES)).to.equal(1);
      expect(await manager.getTargetFunctionRole(await token.getAddress(), mint)).to.equal(Roles.MINTER);
      expect(await grantRoles(manager, [{ role: "ORACLE", account: stranger.address, executionDelay: 60 }])).to.equal(
        1,
      );
      expect(await manager.hasRole(Roles.ORACLE, stranger.address)).to.deep.equal([true, 60n]);
    });
  });

  describe("handOver", function () {
    it("leaves the deployer holding no role at all", async function () {
      const { manager, deployer } = await loadFixture(handedOverFixture);
      for (const role of Object.keys(Roles) as RoleName[]) {
        if (role === "PUBLIC") continue;
        expect((await manager.hasRole(Roles[role], deployer.address))[0], role).to.equal(false);
      }
      await expect(manager.connect(deployer).grantRole(Roles.ORACLE, deployer.address, 0))
        .to.be.revertedWithCustomError(manager, "AccessManagerUnauthorizedAccount")
        .withArgs(deployer.address, Roles.ADMIN);
    });

    it("gives governance ADMIN behind the execution delay", async function () {
      const { manager, governance } = await loadFixture(handedOverFixture);
      expect(await manager.hasRole(Roles.ADMIN, governance.address)).to.deep.equal([true, BigInt(GOVERNANCE_DELAY)]);
    });

    it("makes a governance operation wait for its delay: unscheduled and early calls revert", async function () {
      const { manager, governance, stranger } = await loadFixture(handedOverFixture);
      const data = manager.interface.encodeFunctionData("grantRole", [Roles.ORACLE, stranger.address, 0]);
      const target = await manager.getAddress();
      const operationId = await manager.hashOperation(governance.address, target, data);

      await expect(manager.connect(governance).grantRole(Roles.ORACLE, stranger.address, 0))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotScheduled")
        .withArgs(operationId);

      await manager.connect(governance).schedule(target, data, 0);
      await expect(manager.connect(governance).execute(target, data))
        .to.be.revertedWithCustomError(manager, "AccessManagerNotReady")
        .withArgs(operationId);

      await time.increase(GOVERNANCE_DELAY);
      await expect(manager.connect(governance).execute(target, data))
        .to.emit(manager, "RoleGranted")
        .withArgs(Roles.ORACLE, stranger.address, 0, (since: bigint) => since > 0n, true);
      expect((await manager.hasRole(Roles.ORACLE, stranger.address))[0]).to.equal(true);
    });

    it("keeps the guardian's emergency role free of any delay", async function () {
      const { manager, guardian } = await loadFixture(handedOverFixture);
      expect(await manager.hasRole(Roles.GUARDIAN, guardian.address)).to.deep.equal([true, 0n]);
    });

    it("refuses to hand over to the deployer itself", async function () {
      const { manager, deployer } = await loadFixture(deployCoreFixture);
      await expect(handOver(manager, deployer, deployer.address, GOVERNANCE_DELAY)).to.be.rejectedWith(
        "handover target must differ from the deployer",
      );
    });
  });
});
