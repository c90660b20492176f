import { expect } from "chai";
import type { BaseContract, Signer } from "ethers";

import type { AccessManager } from "../../typechain-types";
import { selectorOf, type RoleTable } from "../../scripts/lib/deploy";
import { Roles, type RoleName } from "../../scripts/lib/roles";

/** One restricted function with arguments that would succeed for a holder of its role. */
export interface RestrictedCall {
  readonly signature: string;
  readonly args: readonly unknown[];
}

export interface RestrictedContext {
  readonly manager: AccessManager;
  readonly target: BaseContract;
  /** The role table the deploy library wires for this target. */
  readonly table: RoleTable;
  /** A call for every function of the table. */
  readonly calls: readonly RestrictedCall[];
  /** State-changing functions that anyone may call (transfer, claim, ...). */
  readonly publicFunctions: readonly string[];
  /** An account that holds no role. */
  readonly stranger: Signer;
}

/**
 * The shared behaviour of every `AccessManaged` contract of the suite:
 * - every state-changing function is either public by design or restricted in the role table;
 * - each restricted function is wired to its role in the manager;
 * - a caller without the role is refused with `AccessManagedUnauthorized(caller)`.
 * Every contract's test runs it with its own context.
 */
export function shouldBehaveLikeRestricted(context: () => Promise<RestrictedContext>): void {
  describe("restricted functions", function () {
    it("leaves no state-changing function outside the role table or the public list", async function () {
      const { target, table, publicFunctions } = await context();
      const restricted = new Set(Object.values(table).flat());
      const listed = new Set(publicFunctions);
      const unaccounted: string[] = [];
      target.interface.forEachFunction((fragment) => {
        if (fragment.constant) return;
        const signature = fragment.format("sighash");
        // setAuthority is AccessManaged's own: only the current authority itself may call it.
        if (signature === "setAuthority(address)") return;
        if (!restricted.has(signature) && !listed.has(signature)) unaccounted.push(signature);
      });
      expect(unaccounted, "functions neither restricted nor declared public").to.deep.equal([]);
    });

    it("wires every restricted function to its role in the manager", async function () {
      const { manager, target, table } = await context();
      const address = await target.getAddress();
      for (const [role, signatures] of Object.entries(table) as [RoleName, string[]][]) {
        for (const signature of signatures) {
          expect(await manager.getTargetFunctionRole(address, selectorOf(signature)), signature).to.equal(Roles[role]);
        }
      }
    });

    it("reverts with AccessManagedUnauthorized for a caller without the role", async function () {
      const { target, table, calls, stranger } = await context();
      const covered = new Set(calls.map((call) => call.signature));
      for (const signature of Object.values(table).flat()) {
        expect(covered.has(signature), `no call given for ${signature}`).to.equal(true);
      }
      for (const call of calls) {
        const connected = target.connect(stranger) as BaseContract;
        const fn = connected.getFunction(call.signature);
        await expect(fn(...call.args), call.signature)
          .to.be.revertedWithCustomError(target, "AccessManagedUnauthorized")
          .withArgs(await stranger.getAddress());
      }
    });
  });
}
