// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
// solhint-disable-next-line max-line-length
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";

import {IRewardToken} from "../interfaces/IRewardToken.sol";
import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {EmissionLib} from "../libraries/EmissionLib.sol";
import {RolesLib} from "../libraries/RolesLib.sol";

/**
 * @title RewardsDistributor
 * @notice Mints each ended epoch's emission once, takes the operators' merkle root from a quorum of
 * oracles, holds it for a challenge window, and pays cumulative claims by transfer. See
 * `IRewardsDistributor` for the rules and the decisions taken where the spec is silent.
 * @dev UUPS behind an ERC-1967 proxy, ERC-7201 storage, every privileged function `restricted` by the
 * suite's AccessManager. The claim path reads two slots of this contract (the head and the root) and
 * the account's claimed total, so the layout below is packed around it.
 *
 * Overriders must never break:
 * - `claimed[a]` only grows, and an account is paid exactly the growth of its proven cumulative amount;
 * - roots stand in epoch order from 0 with non-decreasing `totalCumulative` and claimable times, and a
 *   claimable root is never changed;
 * - each epoch is minted at most once, with the split in force for it;
 * - a sweep never leaves the distributor with less than the newest root's `totalCumulative` less what
 *   was claimed;
 * - Σ claimed never passes the latest claimable root's `totalCumulative`;
 * - a ring slot is read as an epoch only when its record names that epoch.
 */
contract RewardsDistributor is
    IRewardsDistributor,
    Initializable,
    AccessManagedUpgradeable,
    EIP712Upgradeable,
    NoncesUpgradeable,
    UUPSUpgradeable
{
    using SafeERC20 for IERC20;

    // ─── Constants ────────────────────────────────────────────────────────────────────────────

    /// @notice The EIP-712 type of a signed claim to another recipient.
    bytes32 private constant _CLAIM_TO_TYPEHASH = keccak256(
        "ClaimTo(address account,address recipient,uint256 cumulativeAmount,uint256 nonce,uint256 deadline)"
    );

    /// @notice The longest challenge window governance may set.
    uint256 private constant _MAX_CHALLENGE_WINDOW = 30 days;

    /// @notice How many of the newest roots are kept: a root's slots are reused 64 epochs later.
    uint256 private constant _RING = 64;

    uint8 private constant _CLAIMS_PAUSED = 1;
    uint8 private constant _POSTING_PAUSED = 2;

    // ─── Storage ──────────────────────────────────────────────────────────────────────────────

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

    /**
     * @dev A standing root, kept in `ring[epoch % _RING]` until a later epoch's root takes the slot.
     * Each record names its epoch: a slot is read as epoch `e` only when it says `e`. A slot holding a
     * later epoch means the root of `e` was superseded, which `_accept` allows only once the root after
     * `e` is claimable, so `e` is claimable too. A veto leaves the vetoed records in their slots, where
     * their epoch tells them apart from the older epochs the slots held before.
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
        /// @dev The newest `_RING` roots. Reusing slots keeps a root post off fresh storage.
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
    bytes32 private constant _STORAGE_LOCATION = 0xa89330234924110f29070554b256264cc46e9cf51270cda19cf955c96cda2900;

    function _s() private pure returns (RewardsDistributorStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := _STORAGE_LOCATION
        }
    }

    // ─── Initialization ───────────────────────────────────────────────────────────────────────

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc IRewardsDistributor
    function initialize(InitParams calldata params) external initializer {
        if (params.authority == address(0)) revert InvalidAddress(params.authority);
        if (params.token == address(0)) revert InvalidAddress(params.token);
        if (params.staking == address(0)) revert InvalidAddress(params.staking);
        __AccessManaged_init(params.authority);
        __EIP712_init("RewardsDistributor", "1");
        __Nonces_init();

        RewardsDistributorStorage storage $ = _s();
        IRewardToken token_ = IRewardToken(params.token);
        $.head.token = IERC20(params.token);
        $.staking = IStaking(params.staking);
        $.config.genesis = SafeCast.toUint64(token_.genesis());
        $.config.epochLength = SafeCast.toUint64(token_.epochLength());
        $.config.halvingInterval = SafeCast.toUint64(token_.halvingInterval());
        $.emission.initialEpochEmission = SafeCast.toUint128(token_.initialEpochEmission());

        for (uint256 i = 0; i < params.oracles.length; ++i) _addOracle($, params.oracles[i]);
        _setQuorum($, params.quorum);
        _setChallengeWindow($, params.challengeWindow);
        EmissionLib.validateSplit(params.operatorsBps, params.stakersBps, params.treasuryBps);
        // The first split applies from epoch 0 (each share ≤ BPS < 2**16).
        $.emission.operatorsBps = uint16(params.operatorsBps);
        $.emission.stakersBps = uint16(params.stakersBps);
        emit SplitSet(0, params.operatorsBps, params.stakersBps, params.treasuryBps);
        _setTreasury($, params.treasury);
    }

    // ─── Distribution and posting ─────────────────────────────────────────────────────────────

    /// @inheritdoc IRewardsDistributor
    function distributeEpoch(uint256 epoch) external {
        RewardsDistributorStorage storage $ = _s();
        Head memory head = $.head;
        if (head.flags & _POSTING_PAUSED != 0) revert PostingIsPaused();
        _requireEnded($.config, epoch);
        if (epoch != 0 && !_isDistributed(epoch - 1)) revert PreviousEpochNotDistributed(epoch);
        if (_markDistributed(epoch)) revert EpochAlreadyDistributed(epoch);
        _mintEpoch($, head.token, epoch);
    }

    /// @inheritdoc IRewardsDistributor
    function postRoot(
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash,
        string calldata uri
    ) external restricted {
        _postRoot(epoch, root, totalCumulative, inputHash, uri);
    }

    /// @dev `postRoot`'s body, apart from its modifier's stack.
    function _postRoot(
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash,
        string calldata uri
    ) private {
        Head memory head = _s().head;
        Config memory config = _checkPost(head, epoch);
        uint256 limit = _checkTotal(config.halvingInterval, epoch, totalCumulative);
        uint256 votes = _recordVote(config.quorum, epoch, root, totalCumulative, inputHash);
        emit RootPosted(epoch, msg.sender, root, totalCumulative, inputHash, uri, votes);

        if (votes >= config.quorum) {
            uint256 claimableAt = _accept(head, config.challengeWindow, epoch, root, totalCumulative, limit);
            emit RootAccepted(epoch, root, claimableAt);
        }
        if (!_markDistributed(epoch)) _mintEpoch(_s(), head.token, epoch);
    }

    /// @inheritdoc IRewardsDistributor
    function veto(uint256 epoch) external restricted {
        RewardsDistributorStorage storage $ = _s();
        Head memory head = $.head;
        // A pending root is never superseded (see EpochRecord), so its slot still holds it.
        if (epoch >= head.nextEpoch || _claimableAtOf($, epoch) <= block.timestamp) revert RootNotPending(epoch);

        uint256 released;
        for (uint256 e = epoch; e < head.nextEpoch; ++e) {
            EpochRecord storage record = $.ring[e % _RING];
            emit RootVetoed(e, record.root);
            ++record.round;
            released += _operatorsShare($, $.config.halvingInterval, e);
        }
        // Votes already cast for the epoch after the newest root built on what was vetoed.
        ++$.ring[head.nextEpoch % _RING].round;

        uint256 previousTotal;
        uint256 previousClaimableAt;
        if (epoch > 0) {
            // The root before a pending one is claimable or pending, hence still in the ring.
            EpochRecord storage previous = $.ring[(epoch - 1) % _RING];
            previousTotal = previous.totalCumulative;
            previousClaimableAt = previous.claimableAt;
        }
        $.head = Head(head.token, uint40(epoch), uint48(previousClaimableAt), head.flags);
        // `released` was added to the limit when these roots stood, after any sweep (sweeps wait for
        // the newest root to be claimable), so the subtraction cannot underflow.
        $.allocation = Allocation(uint128(previousTotal), uint128($.allocation.limit - released));
    }

    // ─── Claims ───────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IRewardsDistributor
    function claim(
        address account,
        uint256 cumulativeAmount,
        bytes32[] calldata proof
    ) external returns (uint256 amount) {
        (IERC20 token_, bytes32 root, uint256 rootTotal) = _claimContext();
        amount = _settle(root, account, cumulativeAmount, proof);
        if (amount != 0) {
            _addClaimed(rootTotal, amount);
            address recipient = _recipientOf(account);
            emit Claimed(account, recipient, amount, cumulativeAmount);
            token_.safeTransfer(recipient, amount);
        }
    }

    /// @inheritdoc IRewardsDistributor
    function claimTo(
        address account,
        address recipient,
        uint256 cumulativeAmount,
        bytes32[] calldata proof,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 amount) {
        if (block.timestamp > deadline) revert ClaimSignatureExpired(deadline, block.timestamp);
        if (recipient == address(0)) revert InvalidRecipient(recipient);
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(_CLAIM_TO_TYPEHASH, account, recipient, cumulativeAmount, _useNonce(account), deadline)
            )
        );
        if (!SignatureChecker.isValidSignatureNowCalldata(account, digest, signature)) {
            revert InvalidClaimSignature(account);
        }
        (IERC20 token_, bytes32 root, uint256 rootTotal) = _claimContext();
        amount = _settle(root, account, cumulativeAmount, proof);
        if (amount != 0) {
            _addClaimed(rootTotal, amount);
            emit Claimed(account, recipient, amount, cumulativeAmount);
            token_.safeTransfer(recipient, amount);
        }
    }

    /// @inheritdoc IRewardsDistributor
    function batchClaim(Claim[] calldata claims) external returns (uint256 total) {
        (IERC20 token_, bytes32 root, uint256 rootTotal) = _claimContext();
        for (uint256 i = 0; i < claims.length; ++i) {
            Claim calldata c = claims[i];
            uint256 amount = _settle(root, c.account, c.cumulativeAmount, c.proof);
            if (amount != 0) {
                address recipient = _recipientOf(c.account);
                emit Claimed(c.account, recipient, amount, c.cumulativeAmount);
                token_.safeTransfer(recipient, amount);
                total += amount;
            }
        }
        // One write of the running total for the whole batch. The transfers above go to the suite's own
        // token, which calls no one back, so nothing can claim in between.
        if (total != 0) _addClaimed(rootTotal, total);
    }

    /// @inheritdoc IRewardsDistributor
    function setClaimRecipient(address recipient) external {
        _s().claimRecipients[msg.sender] = recipient;
        emit ClaimRecipientSet(msg.sender, recipient);
    }

    // ─── Governance ───────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IRewardsDistributor
    function setQuorum(uint256 quorum_) external restricted {
        _setQuorum(_s(), quorum_);
    }

    /// @inheritdoc IRewardsDistributor
    function addOracle(address oracle) external restricted {
        _addOracle(_s(), oracle);
    }

    /// @inheritdoc IRewardsDistributor
    function removeOracle(address oracle) external restricted {
        RewardsDistributorStorage storage $ = _s();
        if (!$.isOracle[oracle]) revert OracleNotRegistered(oracle);
        uint256 count = $.config.oracleCount - 1;
        if (count < $.config.quorum) revert InvalidQuorum($.config.quorum, count);
        $.isOracle[oracle] = false;
        $.config.oracleCount = uint16(count);
        // Its vote for the epoch being voted on no longer counts (votes for other epochs are dead).
        uint256 next = $.head.nextEpoch;
        bytes32 ballotKey = _ballotKey(next, $.ring[next % _RING].round, oracle);
        bytes32 tupleKey = $.ballots[ballotKey];
        if (tupleKey != bytes32(0)) {
            --$.tallies[tupleKey];
            delete $.ballots[ballotKey];
        }
        emit OracleRemoved(oracle, count);
    }

    /// @inheritdoc IRewardsDistributor
    function setChallengeWindow(uint256 challengeWindow_) external restricted {
        _setChallengeWindow(_s(), challengeWindow_);
    }

    /// @inheritdoc IRewardsDistributor
    function setSplit(uint256 operatorsBps, uint256 stakersBps, uint256 treasuryBps) external restricted {
        _setSplit(_s(), operatorsBps, stakersBps, treasuryBps);
    }

    /// @inheritdoc IRewardsDistributor
    function setTreasury(address treasury_) external restricted {
        _setTreasury(_s(), treasury_);
    }

    /// @inheritdoc IRewardsDistributor
    function sweep(uint256 amount) external restricted {
        RewardsDistributorStorage storage $ = _s();
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

    /// @inheritdoc IRewardsDistributor
    function pause(bool claims, bool posting) external restricted {
        _s().head.flags |= _flags(claims, posting);
        emit Paused(msg.sender, claims, posting);
    }

    /// @inheritdoc IRewardsDistributor
    function unpause(bool claims, bool posting) external restricted {
        _s().head.flags &= ~_flags(claims, posting);
        emit Unpaused(msg.sender, claims, posting);
    }

    // ─── Views ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IRewardsDistributor
    function token() external view returns (address) {
        return address(_s().head.token);
    }

    /// @inheritdoc IRewardsDistributor
    function staking() external view returns (address) {
        return address(_s().staking);
    }

    /// @inheritdoc IRewardsDistributor
    function treasury() external view returns (address) {
        return _s().treasury;
    }

    /// @inheritdoc IRewardsDistributor
    function quorum() external view returns (uint256) {
        return _s().config.quorum;
    }

    /// @inheritdoc IRewardsDistributor
    function oracleCount() external view returns (uint256) {
        return _s().config.oracleCount;
    }

    /// @inheritdoc IRewardsDistributor
    function isOracle(address account) external view returns (bool) {
        return _s().isOracle[account];
    }

    /// @inheritdoc IRewardsDistributor
    function challengeWindow() external view returns (uint256) {
        return _s().config.challengeWindow;
    }

    /// @inheritdoc IRewardsDistributor
    function splitOf(
        uint256 epoch
    ) external view returns (uint256 operatorsBps, uint256 stakersBps, uint256 treasuryBps) {
        (operatorsBps, stakersBps) = _splitOf(_s(), epoch);
        treasuryBps = EmissionLib.BPS - operatorsBps - stakersBps;
    }

    /// @inheritdoc IRewardsDistributor
    function operatorsShareOf(uint256 epoch) external view returns (uint256) {
        RewardsDistributorStorage storage $ = _s();
        return _operatorsShare($, $.config.halvingInterval, epoch);
    }

    /// @inheritdoc IRewardsDistributor
    function isDistributed(uint256 epoch) external view returns (bool) {
        return _isDistributed(epoch);
    }

    /// @inheritdoc IRewardsDistributor
    function nextEpoch() external view returns (uint256) {
        return _s().head.nextEpoch;
    }

    /// @inheritdoc IRewardsDistributor
    function rootOf(uint256 epoch) external view returns (bytes32 root, uint256 totalCumulative, uint256 claimableAt) {
        RewardsDistributorStorage storage $ = _s();
        uint256 next = $.head.nextEpoch;
        EpochRecord storage record = $.ring[epoch % _RING];
        if (epoch >= next || record.epoch != epoch) return (bytes32(0), 0, 0);
        return (record.root, record.totalCumulative, record.claimableAt);
    }

    /// @inheritdoc IRewardsDistributor
    function latestClaimable()
        external
        view
        returns (bool exists, uint256 epoch, bytes32 root, uint256 totalCumulative)
    {
        RewardsDistributorStorage storage $ = _s();
        uint256 count = _claimableCount($, $.head);
        if (count == 0) return (false, 0, bytes32(0), 0);
        EpochRecord storage record = $.ring[(count - 1) % _RING];
        return (true, count - 1, record.root, record.totalCumulative);
    }

    /// @inheritdoc IRewardsDistributor
    function votesFor(
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash
    ) external view returns (uint256) {
        RewardsDistributorStorage storage $ = _s();
        if (epoch < $.head.nextEpoch) return 0;
        return $.tallies[_tupleKey(epoch, $.ring[epoch % _RING].round, root, totalCumulative, inputHash)];
    }

    /// @inheritdoc IRewardsDistributor
    function claimed(address account) external view returns (uint256) {
        return _s().claimed[account];
    }

    /// @inheritdoc IRewardsDistributor
    function totalClaimed() external view returns (uint256) {
        return _s().totalClaimed;
    }

    /// @inheritdoc IRewardsDistributor
    function claimRecipientOf(address account) external view returns (address) {
        return _recipientOf(account);
    }

    /// @inheritdoc IRewardsDistributor
    function nonces(address account) public view override(IRewardsDistributor, NoncesUpgradeable) returns (uint256) {
        return super.nonces(account);
    }

    /// @inheritdoc IRewardsDistributor
    function sweepable() external view returns (uint256) {
        RewardsDistributorStorage storage $ = _s();
        if (block.timestamp < $.head.headClaimableAt) return 0;
        return $.allocation.limit - $.allocation.headTotalCumulative;
    }

    /// @inheritdoc IRewardsDistributor
    function totalSwept() external view returns (uint256) {
        return _s().totalSwept;
    }

    /// @inheritdoc IRewardsDistributor
    function paused() external view returns (bool claims, bool posting) {
        uint8 flags = _s().head.flags;
        return (flags & _CLAIMS_PAUSED != 0, flags & _POSTING_PAUSED != 0);
    }

    // ─── Internal: claims ─────────────────────────────────────────────────────────────────────

    /**
     * @dev The token and the latest claimable root with its `totalCumulative`; reverts when claims are
     * paused or none is claimable. The latest claimable root is never superseded (see EpochRecord).
     */
    function _claimContext() private view returns (IERC20, bytes32, uint256) {
        RewardsDistributorStorage storage $ = _s();
        Head memory head = $.head;
        if (head.flags & _CLAIMS_PAUSED != 0) revert ClaimsArePaused();
        uint256 count = head.nextEpoch;
        if (block.timestamp < head.headClaimableAt) count = _claimableCount($, head);
        if (count == 0) revert NoClaimableRoot();
        // count ≥ 1 here.
        unchecked {
            EpochRecord storage record = $.ring[(count - 1) % _RING];
            return (head.token, record.root, record.totalCumulative);
        }
    }

    /// @dev Adds `amount` to Σ claimed, which may never pass the latest claimable root's total.
    function _addClaimed(uint256 rootTotal, uint256 amount) private {
        RewardsDistributorStorage storage $ = _s();
        uint256 total = $.totalClaimed + amount;
        if (total > rootTotal) revert ClaimsExceedRootTotal(total, rootTotal);
        $.totalClaimed = total;
    }

    /// @dev Where `account`'s claims are paid: its chosen recipient, or itself.
    function _recipientOf(address account) private view returns (address) {
        address recipient = _s().claimRecipients[account];
        return recipient == address(0) ? account : recipient;
    }

    /// @dev When the root of `epoch` (< nextEpoch) is claimable; 0 when a later epoch superseded it.
    function _claimableAtOf(RewardsDistributorStorage storage $, uint256 epoch) private view returns (uint256) {
        EpochRecord storage record = $.ring[epoch % _RING];
        return record.epoch == epoch ? record.claimableAt : 0;
    }

    /**
     * @dev How many roots are claimable: `e + 1` for the latest claimable epoch `e`. Claimable times
     * never decrease with the epoch, so the claimable roots are a prefix and a binary search finds its
     * end; the root just before the newest is tried first, as it is the usual answer. The pending
     * roots are never superseded and number at most `_RING - 1` (see `_accept`), which bounds the search;
     * a superseded epoch reads as claimable.
     */
    function _claimableCount(RewardsDistributorStorage storage $, Head memory head) private view returns (uint256) {
        uint256 high = head.nextEpoch;
        if (high == 0 || head.headClaimableAt <= block.timestamp) return high;
        // The newest root is pending: the answer lies in [max(0, high - _RING), high - 1].
        unchecked {
            high -= 1;
            if (high == 0 || _claimableAtOf($, high - 1) <= block.timestamp) return high;
            // Epoch high - 1 is pending too: search below it for the first pending epoch.
            high -= 1;
            uint256 low = head.nextEpoch > _RING ? head.nextEpoch - _RING : 0;
            while (low < high) {
                // low < high < 2**40, so the sum cannot overflow.
                uint256 mid = (low + high) >> 1;
                if (_claimableAtOf($, mid) <= block.timestamp) low = mid + 1;
                else high = mid;
            }
            return low;
        }
    }

    /// @dev Verifies the leaf and records the new claimed total; returns what is newly due.
    function _settle(
        bytes32 root,
        address account,
        uint256 cumulativeAmount,
        bytes32[] calldata proof
    ) private returns (uint256) {
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert InvalidProof(account, cumulativeAmount);
        mapping(address => uint256) storage claimed_ = _s().claimed;
        uint256 previous = claimed_[account];
        if (cumulativeAmount <= previous) return 0;
        claimed_[account] = cumulativeAmount;
        // cumulativeAmount > previous.
        unchecked {
            return cumulativeAmount - previous;
        }
    }

    // ─── Internal: posting and distribution ───────────────────────────────────────────────────

    /// @dev Checks that `epoch` may be posted now by `msg.sender`; returns the configuration.
    function _checkPost(Head memory head, uint256 epoch) private view returns (Config memory config) {
        if (head.flags & _POSTING_PAUSED != 0) revert PostingIsPaused();
        if (epoch != head.nextEpoch) revert EpochNotNext(epoch, head.nextEpoch);
        RewardsDistributorStorage storage $ = _s();
        config = $.config;
        _requireEnded(config, epoch);
        if (!$.isOracle[msg.sender]) revert OracleNotRegistered(msg.sender);
    }

    /// @dev Checks `totalCumulative` against the newest root's and the emission; returns the new limit.
    function _checkTotal(
        uint256 halvingInterval,
        uint256 epoch,
        uint256 totalCumulative
    ) private view returns (uint256 limit) {
        RewardsDistributorStorage storage $ = _s();
        Allocation memory allocation = $.allocation;
        if (totalCumulative < allocation.headTotalCumulative) {
            revert TotalCumulativeDecreased(totalCumulative, allocation.headTotalCumulative);
        }
        limit = allocation.limit + _operatorsShare($, halvingInterval, epoch);
        if (totalCumulative > limit) revert TotalCumulativeExceedsEmission(totalCumulative, limit);
    }

    /**
     * @dev Makes the root of `epoch` stand: claimable after the window, never before the previous
     * root. Its ring slot held the root of `epoch - _RING` (or a vetoed later one), which may go only
     * once the root after it is claimable: so the latest claimable root and every pending one always
     * stay in the ring, and a superseded epoch is always claimable.
     */
    function _accept(
        Head memory head,
        uint256 window,
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        uint256 limit
    ) private returns (uint256 claimableAt) {
        RewardsDistributorStorage storage $ = _s();
        if (epoch >= _RING) {
            // epoch ≥ _RING, so the subtraction cannot underflow.
            uint256 retryAt = _claimableAtOf($, epoch - _RING + 1);
            if (retryAt > block.timestamp) revert TooManyPendingRoots(epoch, retryAt);
        }
        claimableAt = block.timestamp + window;
        if (claimableAt < head.headClaimableAt) claimableAt = head.headClaimableAt;
        EpochRecord storage record = $.ring[epoch % _RING];
        // totalCumulative ≤ limit < 2**128 (the token's cap); claimableAt fits 48 bits for ages;
        // epoch < 2**40 since it was equal to nextEpoch.
        $.ring[epoch % _RING] = EpochRecord(
            root,
            uint128(totalCumulative),
            uint48(claimableAt),
            record.round,
            uint40(epoch)
        );
        $.head = Head(head.token, uint40(epoch + 1), uint48(claimableAt), head.flags);
        $.allocation = Allocation(uint128(totalCumulative), uint128(limit));
    }

    /// @dev Marks `epoch` distributed; returns whether it was before.
    function _isDistributed(uint256 epoch) private view returns (bool) {
        return _s().distributed[epoch >> 8] & (1 << (epoch & 255)) != 0;
    }

    function _markDistributed(uint256 epoch) private returns (bool distributed) {
        mapping(uint256 => uint256) storage bitmap = _s().distributed;
        uint256 word = bitmap[epoch >> 8];
        uint256 bit = 1 << (epoch & 255);
        distributed = word & bit != 0;
        if (!distributed) bitmap[epoch >> 8] = word | bit;
    }

    /// @dev Records `msg.sender`'s vote for the tuple and returns its votes (1 when the quorum is 1).
    function _recordVote(
        uint256 quorum_,
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash
    ) private returns (uint256) {
        if (quorum_ == 1) return 1;
        RewardsDistributorStorage storage $ = _s();
        return _vote($, epoch, $.ring[epoch % _RING].round, root, totalCumulative, inputHash, quorum_);
    }

    /// @dev Records `msg.sender`'s vote and returns the votes of the tuple. Tallies stop being written
    /// once the tuple reaches the quorum, since the epoch then stands and its votes are dead.
    function _vote(
        RewardsDistributorStorage storage $,
        uint256 epoch,
        uint32 round,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash,
        uint256 quorum_
    ) private returns (uint256 votes) {
        bytes32 tupleKey = _tupleKey(epoch, round, root, totalCumulative, inputHash);
        bytes32 ballotKey = _ballotKey(epoch, round, msg.sender);
        bytes32 previous = $.ballots[ballotKey];
        if (previous == tupleKey) {
            // Posting one's own tuple again only helps once a lowered quorum makes it stand.
            votes = $.tallies[tupleKey];
            if (votes >= quorum_) return votes;
            revert OracleAlreadyVoted(msg.sender, epoch);
        }
        votes = $.tallies[tupleKey] + 1;
        if (votes >= quorum_) return votes;
        // The oracle changes its vote: its earlier tuple loses it.
        if (previous != bytes32(0)) --$.tallies[previous];
        $.ballots[ballotKey] = tupleKey;
        $.tallies[tupleKey] = votes;
    }

    function _ballotKey(uint256 epoch, uint32 round, address oracle) private pure returns (bytes32) {
        return keccak256(abi.encode(epoch, round, oracle));
    }

    function _tupleKey(
        uint256 epoch,
        uint32 round,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(epoch, round, root, totalCumulative, inputHash));
    }

    /// @dev Mints `epoch`'s emission with its split; the caller has marked it distributed.
    function _mintEpoch(RewardsDistributorStorage storage $, IERC20 token_, uint256 epoch) private {
        Emission memory emission_ = $.emission;
        uint256 amount = EmissionLib.emission(emission_.initialEpochEmission, $.config.halvingInterval, epoch);
        (uint256 operatorsBps, uint256 stakersBps) = _splitOf($, emission_, epoch);
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

    function _operatorsShare(
        RewardsDistributorStorage storage $,
        uint256 halvingInterval,
        uint256 epoch
    ) private view returns (uint256) {
        Emission memory emission_ = $.emission;
        (uint256 operatorsBps, ) = _splitOf($, emission_, epoch);
        uint256 amount = EmissionLib.emission(emission_.initialEpochEmission, halvingInterval, epoch);
        return (amount * operatorsBps) / EmissionLib.BPS;
    }

    function _splitOf(RewardsDistributorStorage storage $, uint256 epoch) private view returns (uint256, uint256) {
        return _splitOf($, $.emission, epoch);
    }

    /// @dev The split in force for `epoch`: the current one, or the newest earlier entry that covers it.
    function _splitOf(
        RewardsDistributorStorage storage $,
        Emission memory emission_,
        uint256 epoch
    ) private view returns (uint256 operatorsBps, uint256 stakersBps) {
        if (epoch >= emission_.fromEpoch) return (emission_.operatorsBps, emission_.stakersBps);
        // Entry 0 applies from epoch 0, so the walk returns before it runs out.
        for (uint256 i = emission_.historyLength; i > 0;) {
            // i > 0.
            unchecked {
                --i;
            }
            SplitEntry memory entry = $.splitHistory[i];
            if (epoch >= entry.fromEpoch) return (entry.operatorsBps, entry.stakersBps);
        }
    }

    function _requireEnded(Config memory config, uint256 epoch) private view {
        uint256 ended = _endedEpochs(config);
        if (epoch >= ended) revert EpochNotEnded(epoch, ended);
    }

    function _endedEpochs(Config memory config) private view returns (uint256) {
        if (block.timestamp < config.genesis) return 0;
        return (block.timestamp - config.genesis) / config.epochLength;
    }

    // ─── Internal: parameters ─────────────────────────────────────────────────────────────────

    function _flags(bool claims, bool posting) private pure returns (uint8) {
        return (claims ? _CLAIMS_PAUSED : 0) | (posting ? _POSTING_PAUSED : 0);
    }

    function _setQuorum(RewardsDistributorStorage storage $, uint256 quorum_) private {
        uint256 count = $.config.oracleCount;
        if (quorum_ == 0 || quorum_ > count) revert InvalidQuorum(quorum_, count);
        // quorum_ ≤ oracleCount < 2**16.
        $.config.quorum = uint16(quorum_);
        emit QuorumSet(quorum_);
    }

    function _addOracle(RewardsDistributorStorage storage $, address oracle) private {
        if (oracle == address(0)) revert InvalidAddress(oracle);
        if ($.isOracle[oracle]) revert OracleAlreadyRegistered(oracle);
        (bool member, ) = IAccessManager(authority()).hasRole(RolesLib.ORACLE, oracle);
        if (!member) revert OracleLacksRole(oracle);
        uint256 count = $.config.oracleCount + 1;
        $.isOracle[oracle] = true;
        $.config.oracleCount = SafeCast.toUint16(count);
        emit OracleAdded(oracle, count);
    }

    function _setChallengeWindow(RewardsDistributorStorage storage $, uint256 challengeWindow_) private {
        if (challengeWindow_ > _MAX_CHALLENGE_WINDOW) {
            revert InvalidChallengeWindow(challengeWindow_, _MAX_CHALLENGE_WINDOW);
        }
        $.config.challengeWindow = uint32(challengeWindow_);
        emit ChallengeWindowSet(challengeWindow_);
    }

    function _setSplit(
        RewardsDistributorStorage storage $,
        uint256 operatorsBps,
        uint256 stakersBps,
        uint256 treasuryBps
    ) private {
        EmissionLib.validateSplit(operatorsBps, stakersBps, treasuryBps);
        // Future epochs only: the first epoch that has not started (epoch 0 before genesis).
        Config memory config = $.config;
        uint256 fromEpoch = block.timestamp < config.genesis ? 0 : _endedEpochs(config) + 1;
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

    function _setTreasury(RewardsDistributorStorage storage $, address treasury_) private {
        if (treasury_ == address(0)) revert InvalidAddress(treasury_);
        $.treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    // ─── Upgrades ─────────────────────────────────────────────────────────────────────────────

    /// @dev `restricted`: the deploy library wires `upgradeToAndCall(address,bytes)` to UPGRADER.
    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal override restricted {}
}
