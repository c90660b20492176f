// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
// solhint-disable-next-line max-line-length
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";

import {IRewardsDistributor} from "../../interfaces/IRewardsDistributor.sol";
import {RewardsDistributorLib} from "../../libraries/RewardsDistributorLib.sol";
import {RolesLib} from "../../libraries/RolesLib.sol";
import {RewardsDistributorLayout} from "../RewardsDistributorLayout.sol";

/**
 * @title OracleQuorum
 * @notice The distributor's module for the oracles: the registry (each registered oracle holds the
 * ORACLE role), the quorum, and the ballots by which distinct oracles vote for one
 * `(root, totalCumulative, inputHash)` tuple of the next epoch.
 * @dev Ballots and tallies are keyed by the epoch and its ring slot's veto round
 * (`RewardsDistributorLib.ballotKey`/`tupleKey`), so a veto makes every earlier vote dead.
 * Overriders must never break:
 * - `1 ≤ quorum ≤ oracleCount`, and `oracleCount` is the number of registered oracles;
 * - a tuple's tally counts each registered oracle at most once: changing a vote moves it, and a
 *   removed oracle's vote for the epoch being voted on stops counting;
 * - tallies stop being written once a tuple reaches the quorum (the epoch then stands).
 */
abstract contract OracleQuorum is RewardsDistributorLayout, AccessManagedUpgradeable {
    // ─── External ─────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IRewardsDistributor
    function setQuorum(uint256 quorum_) external restricted {
        _setQuorum(_getStorage(), quorum_);
    }

    /// @inheritdoc IRewardsDistributor
    function addOracle(address oracle) external restricted {
        _addOracle(_getStorage(), oracle);
    }

    /// @inheritdoc IRewardsDistributor
    function removeOracle(address oracle) external restricted {
        RewardsDistributorStorage storage $ = _getStorage();
        if (!$.isOracle[oracle]) revert OracleNotRegistered(oracle);
        uint256 count = $.config.oracleCount - 1;
        if (count < $.config.quorum) revert InvalidQuorum($.config.quorum, count);
        $.isOracle[oracle] = false;
        $.config.oracleCount = uint16(count);
        // Its vote for the epoch being voted on no longer counts (votes for other epochs are dead).
        uint256 next = $.head.nextEpoch;
        bytes32 ballotKey = RewardsDistributorLib.ballotKey(next, $.ring[next % _RING].round, oracle);
        bytes32 tupleKey = $.ballots[ballotKey];
        if (tupleKey != bytes32(0)) {
            --$.tallies[tupleKey];
            delete $.ballots[ballotKey];
        }
        emit OracleRemoved(oracle, count);
    }

    // ─── Internal ─────────────────────────────────────────────────────────────────────────────

    /// @dev Reverts with `OracleNotRegistered` unless `account` is a registered oracle.
    function _requireOracle(RewardsDistributorStorage storage $, address account) internal view {
        if (!$.isOracle[account]) revert OracleNotRegistered(account);
    }

    /// @dev Records `msg.sender`'s vote for the tuple and returns its votes (1 when the quorum is 1).
    function _recordVote(
        uint256 quorum_,
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash
    ) internal returns (uint256) {
        if (quorum_ == 1) return 1;
        RewardsDistributorStorage storage $ = _getStorage();
        return _vote($, epoch, $.ring[epoch % _RING].round, root, totalCumulative, inputHash, quorum_);
    }

    function _setQuorum(RewardsDistributorStorage storage $, uint256 quorum_) internal {
        uint256 count = $.config.oracleCount;
        if (quorum_ == 0 || quorum_ > count) revert InvalidQuorum(quorum_, count);
        // quorum_ ≤ oracleCount < 2**16.
        $.config.quorum = uint16(quorum_);
        emit QuorumSet(quorum_);
    }

    function _addOracle(RewardsDistributorStorage storage $, address oracle) internal {
        if (oracle == address(0)) revert InvalidAddress(oracle);
        if ($.isOracle[oracle]) revert OracleAlreadyRegistered(oracle);
        (bool member, ) = IAccessManager(authority()).hasRole(RolesLib.ORACLE, oracle);
        if (!member) revert OracleLacksRole(oracle);
        uint256 count = $.config.oracleCount + 1;
        $.isOracle[oracle] = true;
        $.config.oracleCount = SafeCast.toUint16(count);
        emit OracleAdded(oracle, count);
    }

    // ─── Private ──────────────────────────────────────────────────────────────────────────────

    /// @dev Records `msg.sender`'s vote and returns the votes of the tuple. Tallies stop being written
    /// once the tuple reaches the quorum, since the epoch then stands and its votes are dead.
    function _vote(
        RewardsDistributorStorage storage $,
        uint256 epoch,
        uint32 round,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash,
        uint256 quorum_
    ) private returns (uint256 votes) {
        bytes32 tupleKey = RewardsDistributorLib.tupleKey(epoch, round, root, totalCumulative, inputHash);
        bytes32 ballotKey = RewardsDistributorLib.ballotKey(epoch, round, msg.sender);
        bytes32 previous = $.ballots[ballotKey];
        if (previous == tupleKey) {
            // Posting one's own tuple again only helps once a lowered quorum makes it stand.
            votes = $.tallies[tupleKey];
            if (votes >= quorum_) return votes;
            revert OracleAlreadyVoted(msg.sender, epoch);
        }
        votes = $.tallies[tupleKey] + 1;
        if (votes >= quorum_) return votes;
        // The oracle changes its vote: its earlier tuple loses it.
        if (previous != bytes32(0)) --$.tallies[previous];
        $.ballots[ballotKey] = tupleKey;
        $.tallies[tupleKey] = votes;
    }
}
