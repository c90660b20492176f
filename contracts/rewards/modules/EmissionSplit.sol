// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
// solhint-disable-next-line max-line-length
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";

import {IRewardToken} from "../../interfaces/IRewardToken.sol";
import {IRewardsDistributor} from "../../interfaces/IRewardsDistributor.sol";
import {IStaking} from "../../interfaces/IStaking.sol";
import {EmissionLib} from "../../libraries/EmissionLib.sol";
import {EpochClockLib} from "../../libraries/EpochClockLib.sol";
import {RewardsDistributorLib} from "../../libraries/RewardsDistributorLib.sol";
import {RewardsDistributorLayout} from "../RewardsDistributorLayout.sol";

/**
 * @title EmissionSplit
 * @notice The distributor's module for the emission: the split history, minting each ended epoch once
 * with the split in force for it (`distributeEpoch`, or the first root post of an undistributed epoch),
 * the treasury and the sweep of the unallocated operators' share.
 * @dev Overriders must never break:
 * - each epoch is minted at most once (`_markDistributed` before `_mintEpoch`), in order, with the split
 *   in force for it; a split change applies only from the first epoch that has not started;
 * - the operators' share of every minted epoch stays in the distributor until claimed or swept;
 * - a sweep waits for the newest root to be claimable and never leaves the distributor with less than
 *   that root's `totalCumulative` less what was claimed;
 * - every epoch computation goes through `EpochClockLib`.
 */
abstract contract EmissionSplit is RewardsDistributorLayout, AccessManagedUpgradeable {
    using SafeERC20 for IERC20;

    // ─── External ─────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IRewardsDistributor
    function distributeEpoch(uint256 epoch) external {
        RewardsDistributorStorage storage $ = _getStorage();
        Head memory head = $.head;
        if (head.paused) revert EnforcedPause();
        _requireEnded($.config, epoch);
        if (epoch != 0 && !_isDistributed(epoch - 1)) revert PreviousEpochNotDistributed(epoch);
        if (_markDistributed(epoch)) revert EpochAlreadyDistributed(epoch);
        _mintEpoch($, head.token, epoch);
    }

    /// @inheritdoc IRewardsDistributor
    function setSplit(uint256 operatorsBps, uint256 stakersBps, uint256 treasuryBps) external restricted {
        _setSplit(_getStorage(), operatorsBps, stakersBps, treasuryBps);
    }

    /// @inheritdoc IRewardsDistributor
    function setTreasury(address treasury_) external restricted {
        _setTreasury(_getStorage(), treasury_);
    }

    /// @inheritdoc IRewardsDistributor
    function sweep(uint256 amount) external restricted {
        RewardsDistributorStorage storage $ = _getStorage();
        Head memory head = $.head;
        if (block.timestamp < head.headClaimableAt) {
            revert SweepBlockedByPendingRoot(head.nextEpoch - 1, head.headClaimableAt);
        }
        Allocation memory allocation = $.allocation;
        uint256 available = allocation.limit - allocation.headTotalCumulative;
        if (amount > available) revert SweepExceedsUnallocated(amount, available);
        // amount ≤ available ≤ limit, so the new limit is not below the newest root's total.
        $.allocation.limit = uint128(allocation.limit - amount);
        uint256 total = $.totalSwept + amount;
        $.totalSwept = total;
        address treasury_ = $.treasury;
        emit Swept(treasury_, amount, total);
        head.token.safeTransfer(treasury_, amount);
    }

    // ─── Internal ─────────────────────────────────────────────────────────────────────────────

    /// @dev Caches the token's schedule and sets the first split (from epoch 0) and the treasury.
    function _initEmission(
        RewardsDistributorStorage storage $,
        IRewardToken token_,
        uint256 operatorsBps,
        uint256 stakersBps,
        uint256 treasuryBps,
        address treasury_
    ) internal {
        uint256 genesis = token_.genesis();
        uint256 epochLength = token_.epochLength();
        EpochClockLib.check(genesis, epochLength);
        // The widths were just checked.
        $.config.genesis = uint32(genesis);
        $.config.epochLength = uint24(epochLength);
        $.config.halvingInterval = SafeCast.toUint64(token_.halvingInterval());
        $.emission.initialEpochEmission = SafeCast.toUint128(token_.initialEpochEmission());
        EmissionLib.validateSplit(operatorsBps, stakersBps, treasuryBps);
        // The first split applies from epoch 0 (each share ≤ BPS < 2**16).
        $.emission.operatorsBps = uint16(operatorsBps);
        $.emission.stakersBps = uint16(stakersBps);
        emit SplitSet(0, operatorsBps, stakersBps, treasuryBps);
        _setTreasury($, treasury_);
    }

    /// @dev Mints `epoch`'s emission with its split; the caller has marked it distributed.
    function _mintEpoch(RewardsDistributorStorage storage $, IERC20 token_, uint256 epoch) internal {
        Emission memory emission_ = $.emission;
        uint256 amount = EmissionLib.emission(emission_.initialEpochEmission, $.config.halvingInterval, epoch);
        (uint256 operatorsBps, uint256 stakersBps) = _splitOf(emission_, epoch);
        (uint256 operators, uint256 stakers, uint256 treasury_) = EmissionLib.split(amount, operatorsBps, stakersBps);

        // One mint of the whole emission through the token's budget, then the two shares move on:
        // one supply checkpoint and one MINTER check instead of three.
        IRewardToken(address(token_)).mint(address(this), amount);
        // Staking is notified of every epoch, even of a zero share: it takes the epochs in order. An
        // epoch with no stake sends its share back, and it goes to the treasury (no race to stake first).
        IStaking staking_ = $.staking;
        if (stakers != 0) token_.safeTransfer(address(staking_), stakers);
        uint256 returned = staking_.notifyRewards(epoch, stakers);
        stakers -= returned;
        treasury_ += returned;
        emit EpochDistributed(epoch, amount, operators, stakers, treasury_);
        if (treasury_ != 0) token_.safeTransfer($.treasury, treasury_);
    }

    /// @dev Whether `epoch` was distributed.
    function _isDistributed(uint256 epoch) internal view returns (bool) {
        return _getStorage().distributed[epoch >> 8] & (1 << (epoch & 255)) != 0;
    }

    /// @dev Marks `epoch` distributed; returns whether it was before.
    function _markDistributed(uint256 epoch) internal returns (bool distributed) {
        mapping(uint256 => uint256) storage bitmap = _getStorage().distributed;
        uint256 word = bitmap[epoch >> 8];
        uint256 bit = 1 << (epoch & 255);
        distributed = word & bit != 0;
        if (!distributed) bitmap[epoch >> 8] = word | bit;
    }

    /// @dev The operators' share of `epoch` under the split in force for it.
    function _operatorsShare(
        RewardsDistributorStorage storage $,
        uint256 halvingInterval,
        uint256 epoch
    ) internal view returns (uint256) {
        Emission memory emission_ = $.emission;
        (uint256 operatorsBps, ) = _splitOf(emission_, epoch);
        return
            RewardsDistributorLib.operatorsShare(emission_.initialEpochEmission, halvingInterval, epoch, operatorsBps);
    }

    /// @dev The split in force for `epoch` (`RewardsDistributorLib.splitOf` over this storage).
    function _splitOf(
        Emission memory emission_,
        uint256 epoch
    ) internal view returns (uint256 operatorsBps, uint256 stakersBps) {
        return
            RewardsDistributorLib.splitOf(
                emission_.fromEpoch,
                emission_.operatorsBps,
                emission_.stakersBps,
                emission_.historyLength,
                epoch,
                _splitEntryAt,
                address(this)
            );
    }

    /// @dev Reverts with `EpochNotEnded` unless `epoch` has ended.
    function _requireEnded(Config memory config, uint256 epoch) internal view {
        uint256 ended = EpochClockLib.endedEpochs(config.genesis, config.epochLength, block.timestamp);
        if (epoch >= ended) revert EpochNotEnded(epoch, ended);
    }

    function _setSplit(
        RewardsDistributorStorage storage $,
        uint256 operatorsBps,
        uint256 stakersBps,
        uint256 treasuryBps
    ) internal {
        EmissionLib.validateSplit(operatorsBps, stakersBps, treasuryBps);
        // Future epochs only: the first epoch that has not started (epoch 0 before genesis).
        Config memory config = $.config;
        uint256 fromEpoch =
            block.timestamp < config.genesis
                ? 0
                : EpochClockLib.endedEpochs(config.genesis, config.epochLength, block.timestamp) + 1;
        Emission memory current = $.emission;
        // A second change within the same epoch overwrites the first in place.
        if (fromEpoch > current.fromEpoch) {
            $.splitHistory[current.historyLength] = SplitEntry(
                current.fromEpoch,
                current.operatorsBps,
                current.stakersBps
            );
            ++current.historyLength;
        }
        // Each share ≤ BPS < 2**16, and fromEpoch < 2**40 for as long as timestamps fit 48 bits.
        $.emission = Emission(
            current.initialEpochEmission,
            uint40(fromEpoch),
            uint16(operatorsBps),
            uint16(stakersBps),
            current.historyLength
        );
        emit SplitSet(fromEpoch, operatorsBps, stakersBps, treasuryBps);
    }

    function _setTreasury(RewardsDistributorStorage storage $, address treasury_) internal {
        if (treasury_ == address(0)) revert InvalidAddress(treasury_);
        $.treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    // ─── Private ──────────────────────────────────────────────────────────────────────────────

    function _splitEntryAt(address, uint256 index) private view returns (uint256, uint256, uint256) {
        SplitEntry memory entry = _getStorage().splitHistory[index];
        return (entry.fromEpoch, entry.operatorsBps, entry.stakersBps);
    }
}
