// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// solhint-disable-next-line max-line-length
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IStaking} from "../interfaces/IStaking.sol";

/**
 * @notice Test-only: a next RewardsDistributor implementation with the same bases and the same
 * ERC-7201 namespace, to show that an upgrade keeps state. It declares the same namespace layout
 * again rather than inheriting the whole contract: V1 fits the code size limit only when compiled
 * with the IR pipeline, which `hardhat.config.ts` enables for the V1 file alone.
 * @custom:oz-upgrades-from contracts/rewards/RewardsDistributor.sol:RewardsDistributor
 */
contract RewardsMockDistributorV2 is AccessManagedUpgradeable, EIP712Upgradeable, NoncesUpgradeable, UUPSUpgradeable {
    /// @dev The slot every claim reads: the token and the newest standing root's epoch and time.
    struct Head {
        IERC20 token;
        /// @dev The number of standing roots: the newest is `nextEpoch - 1`, the next post is `nextEpoch`.
        uint40 nextEpoch;
        /// @dev When the newest standing root becomes (or became) claimable.
        uint48 headClaimableAt;
        uint8 flags;
    }

    /// @dev Written when a root stands.
    struct Allocation {
        /// @dev The newest standing root's `totalCumulative`.
        uint128 headTotalCumulative;
        /// @dev The operators' emission of epochs `0..nextEpoch - 1`, less what was swept.
        uint128 limit;
    }

    struct Config {
        uint64 genesis;
        uint64 epochLength;
        uint64 halvingInterval;
        uint32 challengeWindow;
        uint16 quorum;
        uint16 oracleCount;
    }

    /// @dev The emission and the split in force from `fromEpoch` on; earlier splits are in `splitHistory`.
    struct Emission {
        uint128 initialEpochEmission;
        uint40 fromEpoch;
        uint16 operatorsBps;
        uint16 stakersBps;
        uint16 historyLength;
    }

    struct SplitEntry {
        uint40 fromEpoch;
        uint16 operatorsBps;
        uint16 stakersBps;
    }

    /// @dev A standing root, kept in `ring[epoch % _RING]` until the root of `epoch + _RING` stands.
    struct EpochRecord {
        bytes32 root;
        uint128 totalCumulative;
        uint48 claimableAt;
        /// @dev Bumped by each veto that reaches this slot's epoch, so earlier votes no longer count.
        uint32 round;
    }

    /// @custom:storage-location erc7201:depin.storage.RewardsDistributor
    struct RewardsDistributorStorage {
        Head head;
        Allocation allocation;
        Config config;
        Emission emission;
        IStaking staking;
        address treasury;
        uint256 totalSwept;
        mapping(uint256 index => SplitEntry) splitHistory;
        EpochRecord[64] ring;
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
