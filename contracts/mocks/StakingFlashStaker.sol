// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IStaking} from "../interfaces/IStaking.sol";
import {IStakingLens} from "../interfaces/IStakingLens.sol";

/**
 * @notice Test-only: a flash staker that delegates, claims and unbonds in one transaction, to show
 * that stake which arrives after an epoch ended earns nothing of it.
 */
contract StakingFlashStaker {
    IStaking public immutable staking;
    IERC20 public immutable token;
    IStakingLens public immutable lens;

    /// @notice What the claim in the middle of the transaction paid.
    event FlashResult(uint256 claimed, uint256 claimableAfterStake);

    constructor(IStaking staking_, IERC20 token_, IStakingLens lens_) {
        staking = staking_;
        token = token_;
        lens = lens_;
    }

    /// @notice Pulls `amount`, delegates it to `operator`, claims, and unbonds it all at once.
    function flash(address operator, uint256 amount) external returns (uint256 claimed) {
        token.transferFrom(msg.sender, address(this), amount);
        token.approve(address(staking), amount);
        staking.delegate(operator, amount);
        uint256 claimableAfterStake = lens.claimable(address(this));
        claimed = staking.claimRewards();
        staking.unbond(amount);
        emit FlashResult(claimed, claimableAfterStake);
    }
}
