// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";

/**
 * @title AdversarialReentrant1271Wallet
 * @notice Test-only attacker: an ERC-1271 wallet whose `isValidSignature`, once armed, re-enters the
 * RewardsDistributor with a `claim` of its own leaf before answering, hoping to be paid twice (once by the
 * re-entered claim, once by the `claimTo` that asked for the signature). Unarmed, it is an honest wallet that
 * accepts its owner's ECDSA signatures. It does not inherit `IERC1271` because its check is not `view`: the
 * point is to try a state change inside the check (the selector is the same).
 */
contract AdversarialReentrant1271Wallet {
    address private immutable _owner;
    IRewardsDistributor private immutable _distributor;
    uint256 private _cumulativeAmount;
    bytes32[] private _proof;
    bool private _armed;

    constructor(address owner, IRewardsDistributor distributor) {
        _owner = owner;
        _distributor = distributor;
    }

    /// @notice Primes the re-entry with the wallet's own leaf.
    function arm(uint256 cumulativeAmount, bytes32[] calldata proof) external {
        _cumulativeAmount = cumulativeAmount;
        _proof = proof;
        _armed = true;
    }

    /// @notice Makes the wallet honest again.
    function disarm() external {
        _armed = false;
    }

    /// @notice ERC-1271, with a re-entering claim first when armed.
    function isValidSignature(bytes32 hash, bytes calldata signature) external returns (bytes4) {
        if (_armed) _distributor.claim(address(this), _cumulativeAmount, _proof);
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == _owner) return IERC1271.isValidSignature.selector;
        return 0xffffffff;
    }
}
