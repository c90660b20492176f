// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// solhint-disable-next-line max-line-length
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";

import {IStaking} from "../interfaces/IStaking.sol";
import {RewardsDistributor} from "../rewards/RewardsDistributor.sol";

/**
 * @notice Test-only: a next RewardsDistributor implementation with the same bases and the same
 * ERC-7201 namespace, to show that an upgrade keeps state. It declares the namespace again, from the
 * same member types, rather than inheriting the whole contract, which keeps it under the code size
 * limit when compiled without the IR pipeline (the V1 file alone is compiled with it).
 * @custom:oz-upgrades-from contracts/rewards/RewardsDistributor.sol:RewardsDistributor
 */
contract RewardsMockDistributorV2 is AccessManagedUpgradeable, EIP712Upgradeable, NoncesUpgradeable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:depin.storage.RewardsDistributor
    struct RewardsDistributorStorage {
        RewardsDistributor.Head head;
        RewardsDistributor.Allocation allocation;
        RewardsDistributor.Config config;
        RewardsDistributor.Emission emission;
        IStaking staking;
        address treasury;
        uint256 totalSwept;
        mapping(uint256 index => RewardsDistributor.SplitEntry) splitHistory;
        RewardsDistributor.EpochRecord[64] ring;
        mapping(uint256 word => uint256) distributed;
        mapping(address account => uint256) claimed;
        mapping(address account => bool) isOracle;
        mapping(bytes32 ballotKey => bytes32 tupleKey) ballots;
        mapping(bytes32 tupleKey => uint256) tallies;
    }

    bytes32 private constant _STORAGE_LOCATION = 0xa89330234924110f29070554b256264cc46e9cf51270cda19cf955c96cda2900;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Never called on the proxy (its state is kept); here so the contract is complete.
    function initialize(address authority) external initializer {
        __AccessManaged_init(authority);
        __EIP712_init("RewardsDistributor", "1");
        __Nonces_init();
    }

    function version() external pure returns (uint256) {
        return 2;
    }

    function nextEpoch() external view returns (uint256) {
        return _s().head.nextEpoch;
    }

    function claimed(address account) external view returns (uint256) {
        return _s().claimed[account];
    }

    function treasury() external view returns (address) {
        return _s().treasury;
    }

    function _s() private pure returns (RewardsDistributorStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := _STORAGE_LOCATION
        }
    }

    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal override restricted {}
}
