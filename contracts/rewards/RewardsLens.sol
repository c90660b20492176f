// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IRewardsLens} from "../interfaces/IRewardsLens.sol";
import {RewardsDistributorStateLib} from "../libraries/RewardsDistributorStateLib.sol";

/**
 * @title RewardsLens
 * @notice The views of one `RewardsDistributor`, decoded from its storage through `extsload` by
 * `RewardsDistributorStateLib` (in the manner of Uniswap v4's `StateView`). Stateless: deploy one per
 * distributor, or a new one when an upgrade changes the distributor's layout; it changes nothing and
 * needs no role.
 * @dev Overriders must never break: every answer is `RewardsDistributorStateLib`'s for `distributor`.
 */
contract RewardsLens is IRewardsLens {
    using RewardsDistributorStateLib for IRewardsDistributor;

    /// @inheritdoc IRewardsLens
    IRewardsDistributor public immutable distributor;

    /// @param distributor_ The distributor (its proxy) this lens reads.
    constructor(IRewardsDistributor distributor_) {
        distributor = distributor_;
    }

    /// @inheritdoc IRewardsLens
    function token() external view returns (address) {
        return distributor.token();
    }

    /// @inheritdoc IRewardsLens
    function staking() external view returns (address) {
        return distributor.staking();
    }

    /// @inheritdoc IRewardsLens
    function treasury() external view returns (address) {
        return distributor.treasury();
    }

    /// @inheritdoc IRewardsLens
    function quorum() external view returns (uint256) {
        return distributor.quorum();
    }

    /// @inheritdoc IRewardsLens
    function oracleCount() external view returns (uint256) {
        return distributor.oracleCount();
    }

    /// @inheritdoc IRewardsLens
    function isOracle(address account) external view returns (bool) {
        return distributor.isOracle(account);
    }

    /// @inheritdoc IRewardsLens
    function challengeWindow() external view returns (uint256) {
        return distributor.challengeWindow();
    }

    /// @inheritdoc IRewardsLens
    function splitOf(
        uint256 epoch
    ) external view returns (uint256 operatorsBps, uint256 stakersBps, uint256 treasuryBps) {
        return distributor.splitOf(epoch);
    }

    /// @inheritdoc IRewardsLens
    function operatorsShareOf(uint256 epoch) external view returns (uint256) {
        return distributor.operatorsShareOf(epoch);
    }

    /// @inheritdoc IRewardsLens
    function isDistributed(uint256 epoch) external view returns (bool) {
        return distributor.isDistributed(epoch);
    }

    /// @inheritdoc IRewardsLens
    function nextEpoch() external view returns (uint256) {
        return distributor.nextEpoch();
    }

    /// @inheritdoc IRewardsLens
    function rootOf(uint256 epoch) external view returns (bytes32 root, uint256 totalCumulative, uint256 claimableAt) {
        return distributor.rootOf(epoch);
    }

    /// @inheritdoc IRewardsLens
    function latestClaimable()
        external
        view
        returns (bool exists, uint256 epoch, bytes32 root, uint256 totalCumulative)
    {
        return distributor.latestClaimable();
    }

    /// @inheritdoc IRewardsLens
    function votesFor(
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash
    ) external view returns (uint256) {
        return distributor.votesFor(epoch, root, totalCumulative, inputHash);
    }

    /// @inheritdoc IRewardsLens
    function claimed(address account) external view returns (uint256) {
        return distributor.claimed(account);
    }

    /// @inheritdoc IRewardsLens
    function totalClaimed() external view returns (uint256) {
        return distributor.totalClaimed();
    }

    /// @inheritdoc IRewardsLens
    function claimRecipientOf(address account) external view returns (address) {
        return distributor.claimRecipientOf(account);
    }

    /// @inheritdoc IRewardsLens
    function sweepable() external view returns (uint256) {
        return distributor.sweepable();
    }

    /// @inheritdoc IRewardsLens
    function totalSwept() external view returns (uint256) {
        return distributor.totalSwept();
    }
}
