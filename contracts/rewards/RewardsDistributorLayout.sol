// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {RewardsDistributorLib} from "../libraries/RewardsDistributorLib.sol";
import {SuitePausable} from "../utils/SuitePausable.sol";

/**
 * @title RewardsDistributorLayout
 * @notice The ERC-7201 namespaced storage of `RewardsDistributor`, shared by its modules
 * (`EmissionSplit`, `OracleQuorum`, `RootRing`) and its core, declared in a contract so that the
 * upgrades tooling validates it. `RewardsDistributorStateLib` decodes the same layout through
 * `extsload`: a change here is a change there.
 * @dev The pause (`SuitePausable`, the suite's one convention over OpenZeppelin's `PausableUpgradeable`)
 * keeps its flag in `Head.paused`, in the slot every claim, post and distribution reads anyway,
 * instead of in Pausable's own namespace (a second cold slot, +2.1k gas on each of them).
 *
 * Overriders must never break:
 * - the field order and widths below, which `RewardsDistributorStateLib` mirrors slot by slot;
 * - `paused()` is `Head.paused`, written only by `_pause` and `_unpause`.
 */
abstract contract RewardsDistributorLayout is IRewardsDistributor, SuitePausable {
    /// @dev How many of the newest roots are kept: a root's slots are reused 64 epochs later.
    uint256 internal constant _RING = RewardsDistributorLib.RING;

    /// @dev The slot every claim reads: the token, the newest standing root's epoch and time, the pause flag.
    struct Head {
        IERC20 token;
        /// @dev The number of standing roots: the newest is `nextEpoch - 1`, the next post is `nextEpoch`.
        uint40 nextEpoch;
        /// @dev When the newest standing root becomes (or became) claimable.
        uint48 headClaimableAt;
        /// @dev `SuitePausable`'s flag: claims, posting and distribution stop.
        bool paused;
    }

    /// @dev Written when a root stands.
    struct Allocation {
        /// @dev The newest standing root's `totalCumulative`.
        uint128 headTotalCumulative;
        /// @dev The operators' emission of epochs `0..nextEpoch - 1`, less what was swept.
        uint128 limit;
    }

    /// @dev The token's epoch clock (`EpochClockLib`'s widths) and the governed parameters.
    struct Config {
        uint32 genesis;
        uint24 epochLength;
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

    /**
     * @dev A standing root, kept in `ring[epoch % _RING]` until a later epoch's root takes the slot.
     * Each record names its epoch: a slot is read as epoch `e` only when it says `e`. A slot holding a
     * later epoch means the root of `e` was superseded, which `RootRing._accept` allows only once the
     * root after `e` is claimable, so `e` is claimable too. A veto leaves the vetoed records in their
     * slots, where their epoch tells them apart from the older epochs the slots held before.
     */
    struct EpochRecord {
        bytes32 root;
        uint128 totalCumulative;
        uint48 claimableAt;
        /// @dev Bumped by each veto that reaches this slot's epoch, so earlier votes no longer count.
        uint32 round;
        /// @dev The epoch whose root this is (epochs stay below 2**40: see `Head.nextEpoch`).
        uint40 epoch;
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
        /// @dev The newest `_RING` (64) roots. Reusing slots keeps a root post off fresh storage.
        EpochRecord[64] ring;
        /// @dev One bit per epoch: distributed.
        mapping(uint256 word => uint256) distributed;
        mapping(address account => uint256) claimed;
        mapping(address account => bool) isOracle;
        mapping(bytes32 ballotKey => bytes32 tupleKey) ballots;
        mapping(bytes32 tupleKey => uint256) tallies;
        /// @dev Σ claimed by every account: never above the latest claimable root's `totalCumulative`.
        uint256 totalClaimed;
        /// @dev Where claims of an account are paid when it chose (zero: to the account itself).
        mapping(address account => address) claimRecipients;
    }

    // keccak256(abi.encode(uint256(keccak256("depin.storage.RewardsDistributor")) - 1)) & ~bytes32(uint256(0xff))
    // The suite's one ERC-7201 naming: `_STORAGE_LOCATION` and `_getStorage()` (see docs/conventions.md).
    bytes32 internal constant _STORAGE_LOCATION = 0xa89330234924110f29070554b256264cc46e9cf51270cda19cf955c96cda2900;

    function _getStorage() internal pure returns (RewardsDistributorStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := _STORAGE_LOCATION
        }
    }

    /// @inheritdoc IRewardsDistributor
    function paused() public view virtual override(IRewardsDistributor, SuitePausable) returns (bool) {
        return SuitePausable.paused();
    }

    /// @dev `SuitePausable`'s flag: `Head.paused`, in the slot every claim, post and distribution reads anyway.
    function _pausedFlag() internal view override returns (bool) {
        return _getStorage().head.paused;
    }

    /// @dev Written only by `SuitePausable`'s `_pause` and `_unpause`.
    function _setPausedFlag(bool value) internal override {
        _getStorage().head.paused = value;
    }
}
