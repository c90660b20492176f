// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {IDeviceRegistry} from "../interfaces/IDeviceRegistry.sol";

/**
 * @title RegistryMockERC1271Wallet
 * @notice Test-only smart wallet: signs through ERC-1271 with its owner's key, accepts ERC-721 tokens, and
 * forwards onboardings so that it can onboard devices to itself as their owner.
 */
contract RegistryMockERC1271Wallet is IERC1271, IERC721Receiver {
    address private immutable _owner;

    constructor(address owner) {
        _owner = owner;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == _owner) return IERC1271.isValidSignature.selector;
        return 0xffffffff;
    }

    /// @notice Onboards through `registry` as `msg.sender` = this wallet.
    function onboard(IDeviceRegistry registry, IDeviceRegistry.OnboardRequest calldata request) external {
        registry.onboard(request);
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }
}
