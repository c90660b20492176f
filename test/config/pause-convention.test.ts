import { expect } from "chai";
import { Interface, type ErrorFragment, type EventFragment, type FunctionFragment } from "ethers";
import { artifacts } from "hardhat";

/**
 * The suite's one pause convention (issue #15): every pausable contract exposes exactly OpenZeppelin's
 * `Pausable` surface, so that one dApp, one indexer and one runbook serve them all. Checked on the compiled
 * ABIs: `pause()`, `unpause()` and `paused() → bool` (no overloads), the errors `EnforcedPause()` and
 * `ExpectedPause()`, the events `Paused(address)` and `Unpaused(address)` with the account unindexed (a
 * hand-written `Paused(address indexed)` has the same topic0 and would not decode), and no other error or
 * event whose name mentions a pause.
 */
const PAUSABLE = ["DataCredits", "DeviceRegistry", "Staking", "RewardsDistributor"] as const;

const FUNCTIONS: Record<string, { signature: string; mutability: string; outputs: string[] }> = {
  pause: { signature: "pause()", mutability: "nonpayable", outputs: [] },
  unpause: { signature: "unpause()", mutability: "nonpayable", outputs: [] },
  paused: { signature: "paused()", mutability: "view", outputs: ["bool"] },
};
const ERRORS = ["EnforcedPause()", "ExpectedPause()"];
const EVENTS = ["Paused(address)", "Unpaused(address)"];

describe("pause convention", function () {
  for (const name of PAUSABLE) {
    describe(name, function () {
      async function abiOf(): Promise<Interface> {
        return new Interface((await artifacts.readArtifact(name)).abi);
      }

      it("has pause(), unpause() and paused() → bool, with no other overload", async function () {
        const iface = await abiOf();
        for (const [fn, expected] of Object.entries(FUNCTIONS)) {
          const fragments: FunctionFragment[] = [];
          iface.forEachFunction((f) => {
            if (f.name === fn) fragments.push(f);
          });
          expect(
            fragments.map((f) => f.format("sighash")),
            `${name}.${fn}`,
          ).to.deep.equal([expected.signature]);
          expect(fragments[0].stateMutability, `${name}.${fn} mutability`).to.equal(expected.mutability);
          expect(
            fragments[0].outputs.map((o) => o.type),
            `${name}.${fn} outputs`,
          ).to.deep.equal(expected.outputs);
        }
      });

      it("declares exactly OpenZeppelin's pause errors, EnforcedPause() and ExpectedPause()", async function () {
        const iface = await abiOf();
        const found = new Set<string>();
        iface.forEachError((e: ErrorFragment) => {
          if (/pause/i.test(e.name)) found.add(e.format("sighash"));
        });
        expect([...found].sort()).to.deep.equal([...ERRORS].sort());
      });

      it("declares exactly OpenZeppelin's pause events, Paused(address) and Unpaused(address), unindexed", async function () {
        const iface = await abiOf();
        const found: EventFragment[] = [];
        iface.forEachEvent((e) => {
          if (/pause/i.test(e.name)) found.push(e);
        });
        expect(found.map((e) => e.format("sighash")).sort()).to.deep.equal([...EVENTS].sort());
        for (const event of found) {
          expect(
            event.inputs.map((i) => [i.name, i.indexed]),
            event.name,
          ).to.deep.equal([["account", false]]);
          expect(event.anonymous, event.name).to.equal(false);
        }
      });
    });
  }
});
