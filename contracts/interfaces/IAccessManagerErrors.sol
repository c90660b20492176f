// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IAccessManagerErrors
 * @notice The AccessManager's errors that a `restricted` function of the suite passes on to its caller.
 * When the caller's role has an execution delay (governance after `--handover`), OpenZeppelin's
 * `AccessManaged` has the manager consume a scheduled operation, `consumeScheduledOp`, and the manager's
 * revert bubbles up unchanged from the restricted contract: the call was not scheduled, its delay has not
 * passed, or it expired.
 * @dev Declared here, with `IAccessManager`'s exact signatures (so the same selectors), for the contracts'
 * ABIs: a dApp that holds only a contract's ABI can then decode every error a call to it can return. The
 * other errors of `IAccessManager` cannot reach a restricted contract's caller: the manager checks the
 * target's `isConsumingScheduledOp` (`AccessManagerUnauthorizedConsume`), which `AccessManaged` always passes.
 */
interface IAccessManagerErrors {
    /// @notice The delayed call `operationId` was not scheduled in the AccessManager.
    error AccessManagerNotScheduled(bytes32 operationId);
    /// @notice The delayed call `operationId` is scheduled, but its delay has not passed yet.
    error AccessManagerNotReady(bytes32 operationId);
    /// @notice The delayed call `operationId` was scheduled, but its execution window has expired.
    error AccessManagerExpired(bytes32 operationId);
}
