// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {EmissionLib} from "./EmissionLib.sol";
import {RewardsDistributorLib} from "./RewardsDistributorLib.sol";

/**
 * @title RewardsDistributorStateLib
 * @notice Reads a `RewardsDistributor`'s state through its `extsload`, in the manner of Uniswap v4's
 * `StateLibrary`: each function has the name, arguments and answer of the view it replaces, with the
 * distributor as first argument. For on-chain integrators (and `RewardsLens`, which wraps it for
 * everyone else).
 * @dev Decodes `RewardsDistributorLayout` slot by slot: the offsets and bit positions below are that
 * struct's, and the rules (the claimable search, the split history) are `RewardsDistributorLib`'s, the
 * same functions the distributor runs on its own storage. Overriders must never break: a change of the
 * layout is made here in the same change.
 */
library RewardsDistributorStateLib {
    // keccak256(abi.encode(uint256(keccak256("depin.storage.RewardsDistributor")) - 1)) & ~bytes32(uint256(0xff))
    uint256 private constant STORAGE_LOCATION = 0xa89330234924110f29070554b256264cc46e9cf51270cda19cf955c96cda2900;

    // Slots of `RewardsDistributorStorage`'s fields, from `STORAGE_LOCATION`.
    uint256 private constant _HEAD = 0;
    uint256 private constant _ALLOCATION = 1;
    uint256 private constant _CONFIG = 2;
    uint256 private constant _EMISSION = 3;
    uint256 private constant _STAKING = 4;
    uint256 private constant _TREASURY = 5;
    uint256 private constant _TOTAL_SWEPT = 6;
    uint256 private constant _SPLIT_HISTORY = 7;
    /// @dev `EpochRecord[64]`, two slots each: the root, then the packed rest.
    uint256 private constant _RING = 8;
    uint256 private constant _DISTRIBUTED = _RING + 2 * RewardsDistributorLib.RING;
    uint256 private constant _CLAIMED = _DISTRIBUTED + 1;
    uint256 private constant _IS_ORACLE = _CLAIMED + 1;
    // _IS_ORACLE + 1 holds the ballots, which no view reads.
    uint256 private constant _TALLIES = _IS_ORACLE + 2;
    uint256 private constant _TOTAL_CLAIMED = _TALLIES + 1;
    uint256 private constant _CLAIM_RECIPIENTS = _TOTAL_CLAIMED + 1;

    /// @notice The RewardToken.
    function token(IRewardsDistributor distributor) internal view returns (address) {
        return address(uint160(_load(distributor, _HEAD)));
    }

    /// @notice Staking.
    function staking(IRewardsDistributor distributor) internal view returns (address) {
        return address(uint160(_load(distributor, _STAKING)));
    }

    /// @notice The treasury.
    function treasury(IRewardsDistributor distributor) internal view returns (address) {
        return address(uint160(_load(distributor, _TREASURY)));
    }

    /// @notice Distinct oracles needed for a root to stand.
    function quorum(IRewardsDistributor distributor) internal view returns (uint256) {
        return _bits(_load(distributor, _CONFIG), 152, 16);
    }

    /// @notice How many oracles are registered.
    function oracleCount(IRewardsDistributor distributor) internal view returns (uint256) {
        return _bits(_load(distributor, _CONFIG), 168, 16);
    }

    /// @notice Whether `account` is a registered oracle.
    function isOracle(IRewardsDistributor distributor, address account) internal view returns (bool) {
        return _bits(_loadAt(distributor, _mapSlot(uint256(uint160(account)), _IS_ORACLE)), 0, 8) != 0;
    }

    /// @notice Seconds from a root standing to it being claimable.
    function challengeWindow(IRewardsDistributor distributor) internal view returns (uint256) {
        return _bits(_load(distributor, _CONFIG), 120, 32);
    }

    /// @notice The split in force for `epoch`, in basis points.
    function splitOf(
        IRewardsDistributor distributor,
        uint256 epoch
    ) internal view returns (uint256 operatorsBps, uint256 stakersBps, uint256 treasuryBps) {
        (operatorsBps, stakersBps) = _splitOf(distributor, _load(distributor, _EMISSION), epoch);
        treasuryBps = EmissionLib.BPS - operatorsBps - stakersBps;
    }

    /// @notice The operators' share of `epoch`'s emission under the split in force for it.
    function operatorsShareOf(IRewardsDistributor distributor, uint256 epoch) internal view returns (uint256) {
        uint256 emission = _load(distributor, _EMISSION);
        (uint256 operatorsBps, ) = _splitOf(distributor, emission, epoch);
        uint256 halvingInterval = _bits(_load(distributor, _CONFIG), 56, 64);
        return RewardsDistributorLib.operatorsShare(_bits(emission, 0, 128), halvingInterval, epoch, operatorsBps);
    }

    /// @notice Whether `epoch` was distributed.
    function isDistributed(IRewardsDistributor distributor, uint256 epoch) internal view returns (bool) {
        uint256 word = _loadAt(distributor, _mapSlot(epoch >> 8, _DISTRIBUTED));
        return word & (1 << (epoch & 255)) != 0;
    }

    /// @notice The only epoch that can be posted now: the number of standing roots.
    function nextEpoch(IRewardsDistributor distributor) internal view returns (uint256) {
        return _bits(_load(distributor, _HEAD), 160, 40);
    }

    /// @notice The standing root of `epoch`, or zeros when none stands or a later epoch's root took its slot.
    function rootOf(
        IRewardsDistributor distributor,
        uint256 epoch
    ) internal view returns (bytes32 root, uint256 totalCumulative, uint256 claimableAt) {
        if (epoch >= nextEpoch(distributor)) return (bytes32(0), 0, 0);
        (bytes32 root_, uint256 packed) = _record(distributor, epoch);
        if (_bits(packed, 208, 40) != epoch) return (bytes32(0), 0, 0);
        return (root_, _bits(packed, 0, 128), _bits(packed, 128, 48));
    }

    /// @notice The latest claimable root, which claims verify against; `exists` is false before the first.
    function latestClaimable(
        IRewardsDistributor distributor
    ) internal view returns (bool exists, uint256 epoch, bytes32 root, uint256 totalCumulative) {
        uint256 head = _load(distributor, _HEAD);
        uint256 count = RewardsDistributorLib.claimableCount(
            _bits(head, 160, 40),
            _bits(head, 200, 48),
            block.timestamp,
            _claimableAtOf,
            address(distributor)
        );
        if (count == 0) return (false, 0, bytes32(0), 0);
        // count ≥ 1 here.
        unchecked {
            epoch = count - 1;
        }
        uint256 packed;
        (root, packed) = _record(distributor, epoch);
        return (true, epoch, root, _bits(packed, 0, 128));
    }

    /// @notice Votes that `(root, totalCumulative, inputHash)` holds for `epoch` in its current round.
    function votesFor(
        IRewardsDistributor distributor,
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash
    ) internal view returns (uint256) {
        if (epoch < nextEpoch(distributor)) return 0;
        uint256 round = _bits(_loadAt(distributor, _ringSlot(epoch) + 1), 176, 32);
        bytes32 key = RewardsDistributorLib.tupleKey(epoch, round, root, totalCumulative, inputHash);
        return _loadAt(distributor, _mapSlot(uint256(key), _TALLIES));
    }

    /// @notice What `account` has claimed in all.
    function claimed(IRewardsDistributor distributor, address account) internal view returns (uint256) {
        return _loadAt(distributor, _mapSlot(uint256(uint160(account)), _CLAIMED));
    }

    /// @notice Σ claimed by every account since deployment.
    function totalClaimed(IRewardsDistributor distributor) internal view returns (uint256) {
        return _load(distributor, _TOTAL_CLAIMED);
    }

    /// @notice Where `account`'s claims are paid: its chosen recipient, or the account itself.
    function claimRecipientOf(IRewardsDistributor distributor, address account) internal view returns (address) {
        address recipient = address(
            uint160(_loadAt(distributor, _mapSlot(uint256(uint160(account)), _CLAIM_RECIPIENTS)))
        );
        return recipient == address(0) ? account : recipient;
    }

    /// @notice What `sweep` may take right now.
    function sweepable(IRewardsDistributor distributor) internal view returns (uint256) {
        if (block.timestamp < _bits(_load(distributor, _HEAD), 200, 48)) return 0;
        uint256 allocation = _load(distributor, _ALLOCATION);
        return _bits(allocation, 128, 128) - _bits(allocation, 0, 128);
    }

    /// @notice What was swept since deployment.
    function totalSwept(IRewardsDistributor distributor) internal view returns (uint256) {
        return _load(distributor, _TOTAL_SWEPT);
    }

    // ─── Private ──────────────────────────────────────────────────────────────────────────────

    function _splitOf(
        IRewardsDistributor distributor,
        uint256 emission,
        uint256 epoch
    ) private view returns (uint256, uint256) {
        return
            RewardsDistributorLib.splitOf(
                _bits(emission, 128, 40),
                _bits(emission, 168, 16),
                _bits(emission, 184, 16),
                _bits(emission, 200, 16),
                epoch,
                _splitEntryAt,
                address(distributor)
            );
    }

    function _splitEntryAt(address distributor, uint256 index) private view returns (uint256, uint256, uint256) {
        uint256 entry = _loadAt(IRewardsDistributor(distributor), _mapSlot(index, _SPLIT_HISTORY));
        return (_bits(entry, 0, 40), _bits(entry, 40, 16), _bits(entry, 56, 16));
    }

    function _claimableAtOf(address distributor, uint256 epoch) private view returns (uint256) {
        uint256 packed = _loadAt(IRewardsDistributor(distributor), _ringSlot(epoch) + 1);
        return _bits(packed, 208, 40) == epoch ? _bits(packed, 128, 48) : 0;
    }

    /// @dev The two words of the ring slot of `epoch`: the root and the packed rest.
    function _record(IRewardsDistributor distributor, uint256 epoch) private view returns (bytes32, uint256) {
        bytes32[] memory words = distributor.extsload(bytes32(_ringSlot(epoch)), 2);
        return (words[0], uint256(words[1]));
    }

    function _ringSlot(uint256 epoch) private pure returns (uint256) {
        return STORAGE_LOCATION + _RING + 2 * (epoch % RewardsDistributorLib.RING);
    }

    /// @dev The slot of `key` in the mapping at field `field`.
    function _mapSlot(uint256 key, uint256 field) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(key, STORAGE_LOCATION + field)));
    }

    function _load(IRewardsDistributor distributor, uint256 field) private view returns (uint256) {
        return _loadAt(distributor, STORAGE_LOCATION + field);
    }

    function _loadAt(IRewardsDistributor distributor, uint256 slot) private view returns (uint256) {
        return uint256(distributor.extsload(bytes32(slot)));
    }

    /// @dev `width` bits of `word` from bit `offset` (Solidity packs a struct's fields from the low bits).
    function _bits(uint256 word, uint256 offset, uint256 width) private pure returns (uint256) {
        return (word >> offset) & ((1 << width) - 1);
    }
}
