// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/**
 * @notice Test-only: the permit-then-action pattern. The permit is wrapped in try/catch, so a
 * permit that a front-runner already submitted does not sink the deposit: the allowance is there.
 */
contract PermitDepositor {
    using SafeERC20 for IERC20;

    IERC20 public immutable token;
    mapping(address account => uint256) public deposits;

    /// @notice The permit was refused, usually because a front-runner already used it.
    event PermitSkipped(address indexed owner);

    constructor(IERC20 token_) {
        token = token_;
    }

    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external {
        // solhint-disable-next-line no-empty-blocks
        try IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {
            emit PermitSkipped(msg.sender);
        }
        deposits[msg.sender] += amount;
        token.safeTransferFrom(msg.sender, address(this), amount);
    }
}
