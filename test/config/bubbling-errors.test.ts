import { expect } from "chai";
import { Interface, type InterfaceAbi } from "ethers";

import {
  AccessManager__factory,
  DataCredits__factory,
  DeviceOnboardingLib__factory,
  DeviceRegistry__factory,
  DeviceSuspensionLib__factory,
  GovernedPriceFeed__factory,
  IERC20Errors__factory,
  RewardToken__factory,
  RewardsDistributor__factory,
  CommissionLib__factory,
  StakePoolLib__factory,
  Staking__factory,
} from "../../typechain-types";

/**
 * A revert bubbles up unchanged through every contract that made the call, so a contract's caller can meet
 * the errors of whatever it calls: a dApp that holds only that contract's ABI can decode them only if the ABI
 * declares them. solc already puts into a contract's ABI the errors of its own code and of the internal
 * library functions compiled into it (OpenZeppelin's SafeCast, ECDSA, Checkpoints, SafeERC20, ... used
 * internally); what it cannot see are the errors of the contracts it calls, and of the libraries it links
 * (called by DELEGATECALL). This file lists, for each user-facing contract of the suite, those calls and the
 * errors they can return, and checks that the contract's ABI declares each one (by selector).
 *
 * The lists are written by hand, call by call, because which errors a called function can return is not in
 * any ABI. Left out on purpose: the permit DataCredits tries in a try/catch (its errors are swallowed),
 * views that cannot revert (the AccessManager's `canCall`, the governed feed's `latestRoundData`), errors
 * unreachable on the path (e.g. ERC20Votes' supply and checkpoint guards on a burn), and contracts outside
 * the suite (an external price feed, an ERC-721 receiver, an ERC-1271 wallet: their errors are theirs).
 */

type Caller = "RewardToken" | "GovernedPriceFeed" | "DataCredits" | "DeviceRegistry" | "Staking" | "RewardsDistributor";
type Callee =
  | "RewardToken"
  | "DataCredits"
  | "Staking"
  | "AccessManager"
  | "DeviceOnboardingLib"
  | "DeviceSuspensionLib"
  | "StakePoolLib"
  | "CommissionLib";

const ABIS: Record<Caller | Callee, InterfaceAbi> = {
  RewardToken: RewardToken__factory.abi,
  GovernedPriceFeed: GovernedPriceFeed__factory.abi,
  DataCredits: DataCredits__factory.abi,
  DeviceRegistry: DeviceRegistry__factory.abi,
  Staking: Staking__factory.abi,
  RewardsDistributor: RewardsDistributor__factory.abi,
  AccessManager: AccessManager__factory.abi,
  DeviceOnboardingLib: DeviceOnboardingLib__factory.abi,
  DeviceSuspensionLib: DeviceSuspensionLib__factory.abi,
  StakePoolLib: StakePoolLib__factory.abi,
  CommissionLib: CommissionLib__factory.abi,
};

/** Errors that reach a caller from one callee. */
interface Bubbling {
  readonly from: Callee;
  /** Full signatures, each checked to exist in `from`'s ABI; "all" for every error of a linked library. */
  readonly errors: readonly string[] | "all";
  /** The calls, and why their errors reach the caller. */
  readonly why: string;
}

/** OpenZeppelin's EIP-6093 ERC-20 errors, which the suite's token raises from every transfer and burn. */
const ERC20_ERRORS: readonly string[] = (() => {
  const signatures: string[] = [];
  new Interface(IERC20Errors__factory.abi).forEachError((fragment) => signatures.push(fragment.format("sighash")));
  return signatures;
})();

/**
 * A `restricted` function whose caller's role has an execution delay has the AccessManager consume a
 * scheduled call (`consumeScheduledOp`); the manager's refusal bubbles up through the restricted contract.
 */
const SCHEDULING: Bubbling = {
  from: "AccessManager",
  errors: ["AccessManagerNotScheduled(bytes32)", "AccessManagerNotReady(bytes32)", "AccessManagerExpired(bytes32)"],
  why: "restricted functions: a role behind an execution delay (governance after the handover) calls directly",
};

const BUBBLING: Record<Caller, readonly Bubbling[]> = {
  RewardToken: [{ ...SCHEDULING, why: "mint is restricted to MINTER, which could be granted with a delay" }],
  GovernedPriceFeed: [{ ...SCHEDULING, why: "updateAnswer (ORACLE) and the setters (ADMIN, delayed after handover)" }],
  DataCredits: [
    {
      from: "RewardToken",
      errors: ERC20_ERRORS,
      why:
        "every mint burns the payer's tokens with burnFrom: ERC20InsufficientAllowance (no approval, or a permit " +
        "ignored because it failed) and ERC20InsufficientBalance; the rest of the set comes with the interface",
    },
    SCHEDULING,
  ],
  DeviceRegistry: [
    {
      from: "DataCredits",
      errors: ["InsufficientCredits(address,uint256,uint256)"],
      why: "onboard, batchOnboard and assertLocation burn their fee with DataCredits.burnFee",
    },
    { from: "DeviceOnboardingLib", errors: "all", why: "the linked library behind onboard and batchOnboard" },
    { from: "DeviceSuspensionLib", errors: "all", why: "the linked library behind suspend and liftSuspensions" },
    SCHEDULING,
  ],
  Staking: [
    {
      from: "RewardToken",
      errors: ERC20_ERRORS,
      why: "stake and delegate pull the tokens with safeTransferFrom (allowance, balance); payouts use safeTransfer",
    },
    {
      from: "StakePoolLib",
      errors: "all",
      why: "the linked library behind registerOperator, redelegate, rebond, withdraw, slash and operatorInfo",
    },
    { from: "CommissionLib", errors: "all", why: "the linked library behind setCommission and accrueCommission" },
    SCHEDULING,
  ],
  RewardsDistributor: [
    {
      from: "RewardToken",
      errors: ["EmissionBudgetExceeded(uint256,uint256)", "AccessManagedUnauthorized(address)", ...ERC20_ERRORS],
      why:
        "distributeEpoch (and the first postRoot of an epoch) mints through the token's budget and MINTER check; " +
        "claims, sweeps and the shares move tokens with safeTransfer",
    },
    {
      from: "Staking",
      errors: [
        "EpochNotNext(uint256,uint256)",
        "RewardsNotFunded(uint256,uint256)",
        "AccessManagedUnauthorized(address)",
      ],
      why:
        "distributeEpoch notifies Staking of each epoch (notifyRewards, restricted to REWARDS_NOTIFIER); " +
        "Staking's EpochNotOver cannot reach it: distributeEpoch first refuses an epoch that has not ended " +
        "(its own EpochNotEnded), on the same clock (EpochClockLib, the token's genesis and epoch length)",
    },
    SCHEDULING,
  ],
};

/** The errors `caller` can meet through its calls that its ABI does not declare, as "signature (from callee)". */
function missingErrors(caller: Caller): { signature: string; from: Callee }[] {
  const own = new Interface(ABIS[caller]);
  const declared = new Set<string>();
  own.forEachError((fragment) => declared.add(fragment.selector));
  const missing: { signature: string; from: Callee }[] = [];
  for (const { from, errors } of BUBBLING[caller]) {
    const callee = new Interface(ABIS[from]);
    const signatures: string[] = [];
    if (errors === "all") callee.forEachError((fragment) => signatures.push(fragment.format("sighash")));
    else signatures.push(...errors);
    for (const signature of signatures) {
      const fragment = callee.getError(signature);
      if (fragment === null) throw new Error(`${from} declares no error ${signature}: fix the list of ${caller}`);
      if (!declared.has(fragment.selector)) missing.push({ signature, from });
    }
  }
  return missing;
}

describe("Errors that bubble up from the contracts each contract calls", function () {
  for (const caller of Object.keys(BUBBLING) as Caller[]) {
    it(`${caller}'s ABI declares every error its calls into other contracts and linked libraries can return`, function () {
      const missing = missingErrors(caller).map(({ signature, from }) => `${signature} (from ${from})`);
      expect(missing, `errors of ${caller}'s callees missing from its ABI`).to.deep.equal([]);
    });
  }
});
