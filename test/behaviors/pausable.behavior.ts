import { expect } from "chai";
import type { BaseContract, ContractTransactionResponse, Signer } from "ethers";

/** A call that the pause stops (or, in `unaffected`, one it must never stop), sent fresh each time. */
export interface PauseCall {
  readonly name: string;
  readonly send: () => Promise<ContractTransactionResponse>;
}

/** What every pausable contract of the suite offers: OpenZeppelin's `Pausable` surface. */
export interface PausableTarget extends BaseContract {
  pause(): Promise<ContractTransactionResponse>;
  unpause(): Promise<ContractTransactionResponse>;
  paused(): Promise<boolean>;
  connect(runner: Signer): PausableTarget;
}

export interface PausableContext {
  readonly target: PausableTarget;
  /** The guardian: may pause, never unpause. */
  readonly pauser: Signer;
  /** Governance (SUITE_ADMIN): may unpause. */
  readonly unpauser: Signer;
  /** An account with no role. */
  readonly stranger: Signer;
  /** Calls that succeed while the contract runs and revert with `EnforcedPause` while it is paused. */
  readonly stopped: readonly PauseCall[];
  /** Calls that succeed whether or not the contract is paused. */
  readonly unaffected: readonly PauseCall[];
}

/**
 * Runs one check of a named call and prefixes a failure with the call's name: hardhat's chai matchers
 * ignore `expect`'s message argument for reverts, so without it a failing case would not say which call.
 */
async function named(name: string, check: () => Promise<unknown>): Promise<void> {
  try {
    await check();
  } catch (error) {
    if (error instanceof Error) error.message = `${name}: ${error.message}`;
    throw error;
  }
}

/**
 * The suite's one pause convention, shared by every pausable contract (DataCredits, DeviceRegistry,
 * Staking, RewardsDistributor): OpenZeppelin's `PausableUpgradeable` (`paused()`, the events
 * `Paused(address)` and `Unpaused(address)`, the errors `EnforcedPause()` and `ExpectedPause()`),
 * `pause` restricted to the guardian and `unpause` to governance. `context` must be a fixture, so
 * that each case starts unpaused.
 */
export function shouldBehaveLikePausable(context: () => Promise<PausableContext>): void {
  describe("pause (OpenZeppelin Pausable)", function () {
    it("starts unpaused", async function () {
      const { target } = await context();
      expect(await target.paused()).to.equal(false);
    });

    it("lets the guardian pause, emitting Paused(account)", async function () {
      const { target, pauser } = await context();
      await expect(target.connect(pauser).pause())
        .to.emit(target, "Paused")
        .withArgs(await pauser.getAddress());
      expect(await target.paused()).to.equal(true);
    });

    it("reverts with EnforcedPause when paused again", async function () {
      const { target, pauser } = await context();
      await target.connect(pauser).pause();
      await expect(target.connect(pauser).pause()).to.be.revertedWithCustomError(target, "EnforcedPause");
    });

    it("reverts with ExpectedPause on unpause while running", async function () {
      const { target, unpauser } = await context();
      await expect(target.connect(unpauser).unpause()).to.be.revertedWithCustomError(target, "ExpectedPause");
    });

    it("refuses a stranger's pause and the guardian's unpause", async function () {
      const { target, pauser, stranger } = await context();
      await expect(target.connect(stranger).pause())
        .to.be.revertedWithCustomError(target, "AccessManagedUnauthorized")
        .withArgs(await stranger.getAddress());
      await target.connect(pauser).pause();
      await expect(target.connect(pauser).unpause())
        .to.be.revertedWithCustomError(target, "AccessManagedUnauthorized")
        .withArgs(await pauser.getAddress());
      expect(await target.paused()).to.equal(true);
    });

    it("lets governance unpause, emitting Unpaused(account)", async function () {
      const { target, pauser, unpauser } = await context();
      await target.connect(pauser).pause();
      await expect(target.connect(unpauser).unpause())
        .to.emit(target, "Unpaused")
        .withArgs(await unpauser.getAddress());
      expect(await target.paused()).to.equal(false);
    });

    it("stops every paused call with EnforcedPause, and lets it through again after unpause", async function () {
      const { target, pauser, unpauser, stopped } = await context();
      expect(stopped.length, "a pausable contract pauses something").to.be.greaterThan(0);
      await target.connect(pauser).pause();
      for (const call of stopped) {
        await named(call.name, () => expect(call.send()).to.be.revertedWithCustomError(target, "EnforcedPause"));
      }
      await target.connect(unpauser).unpause();
      for (const call of stopped) {
        await named(call.name, () => expect(call.send()).not.to.be.reverted);
      }
    });

    it("never stops the calls that must work while paused", async function () {
      const { target, pauser, unaffected } = await context();
      await target.connect(pauser).pause();
      for (const call of unaffected) {
        await named(call.name, () => expect(call.send()).not.to.be.reverted);
      }
    });
  });
}
