// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRewardsDistributor} from "../../interfaces/IRewardsDistributor.sol";
import {RewardsDistributorLib} from "../../libraries/RewardsDistributorLib.sol";
import {EmissionSplit} from "./EmissionSplit.sol";
import {OracleQuorum} from "./OracleQuorum.sol";

/**
 * @title RootRing
 * @notice The distributor's module for roots: a post counts as a vote (`OracleQuorum`) and distributes
 * its epoch when nobody did (`EmissionSplit`); a tuple that reaches the quorum stands in the ring of the
 * newest 64 roots, claimable after the challenge window unless the guardian vetoes it.
 * @dev It builds on both other modules, since a post needs both; the core adds the claims, which read
 * the ring through `_claimableAtOf` and `RewardsDistributorLib.claimableCount`.
 * Overriders must never break:
 * - roots stand in epoch order from 0 with non-decreasing `totalCumulative` and claimable times, and a
 *   claimable root is never changed or vetoed;
 * - a root's `totalCumulative` never passes the operators' emission through its epoch less what was swept;
 * - a ring slot is read as an epoch only when its record names that epoch, and a slot is reused only
 *   once the root after the one it holds is claimable (so the latest claimable root and every pending
 *   one stay in the ring, and a superseded epoch is claimable);
 * - a veto discards every standing root from the vetoed epoch on and every vote cast for them.
 */
abstract contract RootRing is EmissionSplit, OracleQuorum {
    /// @notice The longest challenge window governance may set.
    uint256 private constant _MAX_CHALLENGE_WINDOW = 30 days;

    // ─── External ─────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IRewardsDistributor
    function postRoot(
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash,
        string calldata uri
    ) external restricted {
        _postRoot(epoch, root, totalCumulative, inputHash, uri);
    }

    /// @inheritdoc IRewardsDistributor
    function veto(uint256 epoch) external restricted {
        RewardsDistributorStorage storage $ = _getStorage();
        Head memory head = $.head;
        // A pending root is never superseded (see EpochRecord), so its slot still holds it.
        if (epoch >= head.nextEpoch || _claimableAtOf(epoch) <= block.timestamp) revert RootNotPending(epoch);

        uint256 released;
        for (uint256 e = epoch; e < head.nextEpoch; ++e) {
            EpochRecord storage record = $.ring[e % _RING];
            emit RootVetoed(e, record.root);
            ++record.round;
            released += _operatorsShare($, $.config.halvingInterval, e);
        }
        // Votes already cast for the epoch after the newest root built on what was vetoed.
        ++$.ring[head.nextEpoch % _RING].round;

        uint256 previousTotal;
        uint256 previousClaimableAt;
        if (epoch > 0) {
            // The root before a pending one is claimable or pending, hence still in the ring.
            EpochRecord storage previous = $.ring[(epoch - 1) % _RING];
            previousTotal = previous.totalCumulative;
            previousClaimableAt = previous.claimableAt;
        }
        $.head = Head(head.token, uint40(epoch), uint48(previousClaimableAt), head.paused);
        // `released` was added to the limit when these roots stood, after any sweep (sweeps wait for
        // the newest root to be claimable), so the subtraction cannot underflow.
        $.allocation = Allocation(uint128(previousTotal), uint128($.allocation.limit - released));
    }

    /// @inheritdoc IRewardsDistributor
    function setChallengeWindow(uint256 challengeWindow_) external restricted {
        _setChallengeWindow(_getStorage(), challengeWindow_);
    }

    // ─── Internal ─────────────────────────────────────────────────────────────────────────────

    /// @dev When the root of `epoch` (< nextEpoch) is claimable; 0 when a later epoch superseded it.
    function _claimableAtOf(uint256 epoch) internal view returns (uint256) {
        EpochRecord storage record = _getStorage().ring[epoch % _RING];
        return record.epoch == epoch ? record.claimableAt : 0;
    }

    /// @dev `_claimableAtOf` in the shape `RewardsDistributorLib.claimableCount` takes (`this` storage).
    function _claimableAtOfIn(address, uint256 epoch) private view returns (uint256) {
        return _claimableAtOf(epoch);
    }

    /// @dev How many roots are claimable now (`RewardsDistributorLib.claimableCount` over this storage).
    function _claimableCount(Head memory head) internal view returns (uint256) {
        return
            RewardsDistributorLib.claimableCount(
                head.nextEpoch,
                head.headClaimableAt,
                block.timestamp,
                _claimableAtOfIn,
                address(this)
            );
    }

    function _setChallengeWindow(RewardsDistributorStorage storage $, uint256 challengeWindow_) internal {
        if (challengeWindow_ > _MAX_CHALLENGE_WINDOW) {
            revert InvalidChallengeWindow(challengeWindow_, _MAX_CHALLENGE_WINDOW);
        }
        $.config.challengeWindow = uint32(challengeWindow_);
        emit ChallengeWindowSet(challengeWindow_);
    }

    // ─── Private ──────────────────────────────────────────────────────────────────────────────

    /// @dev `postRoot`'s body, apart from its modifier's stack.
    function _postRoot(
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash,
        string calldata uri
    ) private {
        Head memory head = _getStorage().head;
        Config memory config = _checkPost(head, epoch);
        uint256 limit = _checkTotal(config.halvingInterval, epoch, totalCumulative);
        uint256 votes = _recordVote(config.quorum, epoch, root, totalCumulative, inputHash);
        emit RootPosted(epoch, msg.sender, root, totalCumulative, inputHash, uri, votes);

        if (votes >= config.quorum) {
            uint256 claimableAt = _accept(head, config.challengeWindow, epoch, root, totalCumulative, limit);
            emit RootAccepted(epoch, root, claimableAt);
        }
        if (!_markDistributed(epoch)) _mintEpoch(_getStorage(), head.token, epoch);
    }

    /// @dev Checks that `epoch` may be posted now by `msg.sender`; returns the configuration.
    function _checkPost(Head memory head, uint256 epoch) private view returns (Config memory config) {
        if (head.paused) revert EnforcedPause();
        if (epoch != head.nextEpoch) revert EpochNotNext(epoch, head.nextEpoch);
        RewardsDistributorStorage storage $ = _getStorage();
        config = $.config;
        _requireEnded(config, epoch);
        _requireOracle($, msg.sender);
    }

    /// @dev Checks `totalCumulative` against the newest root's and the emission; returns the new limit.
    function _checkTotal(
        uint256 halvingInterval,
        uint256 epoch,
        uint256 totalCumulative
    ) private view returns (uint256 limit) {
        RewardsDistributorStorage storage $ = _getStorage();
        Allocation memory allocation = $.allocation;
        if (totalCumulative < allocation.headTotalCumulative) {
            revert TotalCumulativeDecreased(totalCumulative, allocation.headTotalCumulative);
        }
        limit = allocation.limit + _operatorsShare($, halvingInterval, epoch);
        if (totalCumulative > limit) revert TotalCumulativeExceedsEmission(totalCumulative, limit);
    }

    /**
     * @dev Makes the root of `epoch` stand: claimable after the window, never before the previous
     * root. Its ring slot held the root of `epoch - _RING` (or a vetoed later one), which may go only
     * once the root after it is claimable: so the latest claimable root and every pending one always
     * stay in the ring, and a superseded epoch is always claimable.
     */
    function _accept(
        Head memory head,
        uint256 window,
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        uint256 limit
    ) private returns (uint256 claimableAt) {
        RewardsDistributorStorage storage $ = _getStorage();
        if (epoch >= _RING) {
            // epoch ≥ _RING, so the subtraction cannot underflow.
            uint256 retryAt = _claimableAtOf(epoch - _RING + 1);
            if (retryAt > block.timestamp) revert TooManyPendingRoots(epoch, retryAt);
        }
        claimableAt = block.timestamp + window;
        if (claimableAt < head.headClaimableAt) claimableAt = head.headClaimableAt;
        EpochRecord storage record = $.ring[epoch % _RING];
        // totalCumulative ≤ limit < 2**128 (the token's cap); claimableAt fits 48 bits for ages;
        // epoch < 2**40 since it was equal to nextEpoch.
        $.ring[epoch % _RING] = EpochRecord(
            root,
            uint128(totalCumulative),
            uint48(claimableAt),
            record.round,
            uint40(epoch)
        );
        $.head = Head(head.token, uint40(epoch + 1), uint48(claimableAt), head.paused);
        $.allocation = Allocation(uint128(totalCumulative), uint128(limit));
    }
}
