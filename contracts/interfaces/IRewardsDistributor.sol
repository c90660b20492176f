// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IAccessManagerErrors} from "./IAccessManagerErrors.sol";

/**
 * @title IRewardsDistributor
 * @notice Turns each ended epoch's emission into rewards: it mints the epoch once (operators' share to
 * itself, stakers' share to Staking, treasury's share to the treasury), takes the operators' merkle
 * root from a quorum of oracles, holds it for a challenge window in which the guardian may veto it,
 * and then pays cumulative claims against the latest claimable root.
 * @dev Leaves are `@openzeppelin/merkle-tree` StandardMerkleTree leaves over `["address", "uint256"]`:
 * `keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))))`.
 *
 * Decisions where the issue and PROTOCOL.md are silent:
 * - Roots start at epoch 0 and advance one epoch at a time, so when the root of epoch `e` stands every
 *   epoch `0..e` has been distributed and its operators' share sits in the distributor.
 * - Posts are accepted only for the next epoch (`nextEpoch()`). An oracle may change its own vote for
 *   that epoch until a root stands: its earlier tuple loses the vote. Posting the same tuple twice
 *   reverts, unless a lowered quorum now makes it stand. A removed oracle's vote stops counting.
 *   Votes are stored only while a tuple is short of the quorum: with quorum 1 nothing is stored.
 * - The oracle set is an explicit registry kept here (`addOracle`/`removeOracle`, SUITE_ADMIN), and
 *   `postRoot` needs both the ORACLE role in the AccessManager and a registered caller. The quorum is
 *   checked against the registry's size. Revoke the ORACLE role and call `removeOracle` in the same
 *   governance batch: the manager cannot tell the distributor that a role was revoked.
 * - A veto of epoch `e` discards every standing root from `e` on (they are all still pending, since
 *   claimable times never decrease) and every vote cast for them; the oracles post `e` again.
 * - Claimable times never decrease: a root's claimable time is `max(now + challengeWindow, claimable
 *   time of the previous root)`, so the roots still pending are always the newest ones.
 * - The distributor keeps roots in a ring of 64 slots, so that a root post reuses storage. Each record
 *   names its epoch, and a slot is read as an epoch only when it names that epoch: a veto leaves the
 *   vetoed roots in their slots, and their epochs tell them apart from the older roots those slots held.
 *   A root may stand only once the root 63 epochs before it is claimable (`TooManyPendingRoots`), so
 *   the latest claimable root and every pending one are always kept, and an epoch whose slot was taken
 *   by a later one is claimable. Catching up after an outage goes at most 63 epochs per window.
 * - Σ claimed by all accounts never passes the latest claimable root's `totalCumulative`
 *   (`ClaimsExceedRootTotal`): a bad root cannot pay out what belongs to epochs not yet rooted.
 * - An account may choose a standing claim recipient (`setClaimRecipient`): every `claim` and
 *   `batchClaim` for it, by anyone, pays there. `claimTo` pays the recipient the account signed.
 * - A split change applies from the first epoch that has not started (epoch 0 before genesis): the
 *   epoch in progress keeps the split it started with.
 * - One pause switch (OpenZeppelin's `PausableUpgradeable`: `pause()` GUARDIAN, `unpause()` SUITE_ADMIN)
 *   stops claims (`claim`, `claimTo`, `batchClaim`), `postRoot` and `distributeEpoch` together; minting
 *   later uses the split recorded for the epoch, so a pause never changes what an epoch mints. `veto`,
 *   `setClaimRecipient`, governance and `sweep` work while paused. (Until the recut, claims and posting
 *   were paused separately, with `pause(bool claims, bool posting)`.)
 * - `sweep` waits until the newest root is claimable, and never takes more than the operators'
 *   emission through that root's epoch less its `totalCumulative` (and less what was swept before).
 *   Every later root's `totalCumulative` is bounded by that emission less what was swept. Tokens sent
 *   to the distributor by mistake are not swept.
 * - The contract cannot sum a tree's leaves: that a tree's leaves sum to at most its `totalCumulative`
 *   rests on the oracle quorum and the guardian's challenge window. Even a bad root can pay out no more
 *   than the distributor holds.
 */
interface IRewardsDistributor is IERC20Errors, IAccessManagerErrors {
    // ─── Structs ──────────────────────────────────────────────────────────────────────────────

    /// @notice The initializer's parameters.
    struct InitParams {
        /// @notice The suite's AccessManager.
        address authority;
        /// @notice The RewardToken; the distributor needs its MINTER role.
        address token;
        /// @notice Staking, notified of the stakers' share; the distributor needs its REWARDS_NOTIFIER role.
        address staking;
        /// @notice Receives the treasury's share and swept tokens.
        address treasury;
        /// @notice Distinct oracles whose identical tuples make a root stand (1 ≤ quorum ≤ oracles).
        uint256 quorum;
        /// @notice Seconds between a root standing and it being claimable.
        uint256 challengeWindow;
        uint256 operatorsBps;
        uint256 stakersBps;
        uint256 treasuryBps;
        /// @notice The first oracle registry; each must hold the ORACLE role already.
        address[] oracles;
    }

    /// @notice One claim of a batch.
    struct Claim {
        address account;
        uint256 cumulativeAmount;
        bytes32[] proof;
    }

    // ─── Errors ───────────────────────────────────────────────────────────────────────────────

    /// @notice `epoch` has not ended: only `endedEpochs` epochs have.
    error EpochNotEnded(uint256 epoch, uint256 endedEpochs);
    /// @notice `epoch` was distributed before.
    error EpochAlreadyDistributed(uint256 epoch);
    /// @notice Epochs are distributed in order: `epoch - 1` has not been distributed yet.
    error PreviousEpochNotDistributed(uint256 epoch);
    /// @notice Roots advance one epoch at a time: `expected` is the only epoch that can be posted.
    error EpochNotNext(uint256 epoch, uint256 expected);
    /// @notice `account` is not in the oracle registry.
    error OracleNotRegistered(address account);
    /// @notice `account` is in the oracle registry already.
    error OracleAlreadyRegistered(address account);
    /// @notice `account` does not hold the ORACLE role in the AccessManager.
    error OracleLacksRole(address account);
    /// @notice `oracle` already voted for this very tuple of `epoch`.
    error OracleAlreadyVoted(address oracle, uint256 epoch);
    /// @notice The posted `totalCumulative` is below the previous root's.
    error TotalCumulativeDecreased(uint256 totalCumulative, uint256 previous);
    /// @notice The posted `totalCumulative` exceeds the operators' emission through the epoch (less what was swept).
    error TotalCumulativeExceedsEmission(uint256 totalCumulative, uint256 limit);
    /// @notice The root of `epoch` cannot stand before `retryAt`: the distributor keeps the newest 64
    /// roots, and the one it would drop is not yet superseded by a claimable root.
    error TooManyPendingRoots(uint256 epoch, uint256 retryAt);
    /// @notice `epoch` has no standing root whose challenge window is still open.
    error RootNotPending(uint256 epoch);
    /// @notice No root is claimable yet.
    error NoClaimableRoot();
    /// @notice The proof does not prove `(account, cumulativeAmount)` against the latest claimable root.
    error InvalidProof(address account, uint256 cumulativeAmount);
    /// @notice The signature's deadline has passed.
    error ClaimSignatureExpired(uint256 deadline, uint256 timestamp);
    /// @notice The signature is not `account`'s (EOA or ERC-1271) over the claim and its nonce.
    error InvalidClaimSignature(address account);
    /// @notice The recipient is the zero address.
    error InvalidRecipient(address recipient);
    /// @notice The quorum is 0, or larger than the `oracleCount` registered oracles.
    error InvalidQuorum(uint256 quorum, uint256 oracleCount);
    /// @notice The challenge window is longer than `max`.
    error InvalidChallengeWindow(uint256 challengeWindow, uint256 max);
    /// @notice A required address is zero.
    error InvalidAddress(address account);
    /// @notice A sweep asked for more than the unallocated operators' share.
    error SweepExceedsUnallocated(uint256 amount, uint256 available);
    /// @notice A sweep waits until the root of `epoch` is claimable at `claimableAt`.
    error SweepBlockedByPendingRoot(uint256 epoch, uint256 claimableAt);

    // Errors of the contracts the distributor calls, declared here (same signatures, so the same
    // selectors) so that its ABI decodes every revert a call to it can return.

    /// @notice From the token's `mint`: the epoch's emission exceeds the token's remaining budget.
    error EmissionBudgetExceeded(uint256 requested, uint256 available);
    /// @notice From Staking's `notifyRewards`: Staking does not hold the stakers' share on top of what it owes.
    error RewardsNotFunded(uint256 amount, uint256 available);
    /// @notice The claim would carry Σ claimed to `totalClaimed`, past the latest claimable root's
    /// `totalCumulative`: the root's leaves sum to more than its total.
    error ClaimsExceedRootTotal(uint256 totalClaimed, uint256 rootTotal);

    // ─── Events ───────────────────────────────────────────────────────────────────────────────

    /// @notice `epoch`'s `emission` was minted to the distributor, which kept `operators`, left
    /// `stakers` with Staking and sent `treasury` to the treasury. An epoch with no stake at its end
    /// leaves Staking nothing: its stakers' share is part of `treasury`.
    event EpochDistributed(
        uint256 indexed epoch,
        uint256 emission,
        uint256 operators,
        uint256 stakers,
        uint256 treasury
    );
    /// @notice `oracle` voted for a tuple of `epoch`, which now has `votes` votes. `uri` is only logged here.
    event RootPosted(
        uint256 indexed epoch,
        address indexed oracle,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash,
        string uri,
        uint256 votes
    );
    /// @notice A tuple reached the quorum: `root` (the tuple of this transaction's `RootPosted`) stands
    /// for `epoch` and is claimable from `claimableAt`.
    event RootAccepted(uint256 indexed epoch, bytes32 root, uint256 claimableAt);
    /// @notice The guardian discarded the standing root of `epoch`.
    event RootVetoed(uint256 indexed epoch, bytes32 root);
    /// @notice `amount` was paid to `recipient` for `account`, whose claimed total is now `cumulativeAmount`.
    event Claimed(address indexed account, address indexed recipient, uint256 amount, uint256 cumulativeAmount);
    /// @notice `account`'s claims are paid to `recipient` from now on (zero: to the account itself).
    event ClaimRecipientSet(address indexed account, address indexed recipient);
    event QuorumSet(uint256 quorum);
    event OracleAdded(address indexed oracle, uint256 oracleCount);
    event OracleRemoved(address indexed oracle, uint256 oracleCount);
    event ChallengeWindowSet(uint256 challengeWindow);
    /// @notice The split applies to `fromEpoch` (the first epoch that had not started) and later.
    event SplitSet(uint256 fromEpoch, uint256 operatorsBps, uint256 stakersBps, uint256 treasuryBps);
    event TreasurySet(address indexed treasury);
    /// @notice `amount` of unallocated operators' share went to `treasury`; `totalSwept` since deployment.
    event Swept(address indexed treasury, uint256 amount, uint256 totalSwept);

    // ─── Initialization ───────────────────────────────────────────────────────────────────────

    /**
     * @notice Initializes the proxy: authority, token, Staking, treasury, quorum, challenge window,
     * split (from epoch 0) and the first oracles, each of which must hold the ORACLE role. The token's
     * schedule (genesis, epoch length, emission, halving) is cached here: the token fixes it for good.
     * @dev Runs once, in the proxy's deploy transaction; the implementation's initializer is locked.
     * Reverts with `InvalidAddress`, `OracleLacksRole`, `InvalidQuorum`, `InvalidChallengeWindow` or
     * `EmissionLib.EmissionInvalidSplit`.
     */
    function initialize(InitParams calldata params) external;

    // ─── Distribution and posting ─────────────────────────────────────────────────────────────

    /**
     * @notice Mints the emission of ended epoch `epoch` once, with the split in force for it: the
     * operators' share stays in this contract, the stakers' share goes to Staking (then
     * `notifyRewards`, which sends it back when nothing was staked at the epoch's end: it then goes to
     * the treasury too), the treasury's share to the treasury. The emission is minted to this contract
     * in one `mint` and the two shares are transferred on, which writes one supply checkpoint instead
     * of three. Anyone may call it, for the epochs in order (Staking takes each epoch's share in order);
     * several late epochs may be distributed in one block.
     * @dev Reverts with `EpochNotEnded`, `PreviousEpochNotDistributed`, `EpochAlreadyDistributed` or
     * `EnforcedPause`.
     */
    function distributeEpoch(uint256 epoch) external;

    /**
     * @notice Votes for `(root, totalCumulative, inputHash)` as the root of `epoch`. The first post
     * for an undistributed epoch distributes it. The root stands once `quorum()` registered oracles
     * vote for the identical tuple; `uri` goes into the event only.
     * @dev `restricted`: ORACLE, and the caller must be registered. Reverts with `EpochNotNext`,
     * `EpochNotEnded`, `TotalCumulativeDecreased`, `TotalCumulativeExceedsEmission`,
     * `OracleAlreadyVoted`, `OracleNotRegistered` or `EnforcedPause`.
     */
    function postRoot(
        uint256 epoch,
        bytes32 root,
        uint256 totalCumulative,
        bytes32 inputHash,
        string calldata uri
    ) external;

    /**
     * @notice Discards the standing root of `epoch`, which must still be in its challenge window, and
     * every later standing root and vote. The oracles then post `epoch` again. A claimable root can
     * never be vetoed, however the ring's slots were reused.
     * @dev `restricted`: GUARDIAN. Reverts with `RootNotPending`.
     */
    function veto(uint256 epoch) external;

    // ─── Claims ───────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Pays `cumulativeAmount - claimed(account)` to `claimRecipientOf(account)` (the account
     * unless it chose another), proven against the latest claimable root. Anyone may submit it. Pays 0
     * (and emits nothing) when nothing new is due.
     * @dev Reverts with `InvalidProof`, `NoClaimableRoot`, `EnforcedPause` or `ClaimsExceedRootTotal`.
     * @return amount What was paid.
     */
    function claim(
        address account,
        uint256 cumulativeAmount,
        bytes32[] calldata proof
    ) external returns (uint256 amount);

    /**
     * @notice Like `claim`, but pays `recipient`, on `account`'s EIP-712 signature (EOA or ERC-1271) of
     * `ClaimTo(address account,address recipient,uint256 cumulativeAmount,uint256 nonce,uint256 deadline)`
     * under this contract's domain (name "RewardsDistributor", version "1", chain id, this address).
     * @dev Uses `nonces(account)`. Reverts with `ClaimSignatureExpired`, `InvalidClaimSignature`,
     * `InvalidRecipient`, and whatever `claim` reverts with.
     * @return amount What was paid.
     */
    function claimTo(
        address account,
        address recipient,
        uint256 cumulativeAmount,
        bytes32[] calldata proof,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 amount);

    /**
     * @notice Settles many claims against the latest claimable root, each paid to its account's
     * `claimRecipientOf`. A settled account pays 0; a bad proof reverts the whole batch.
     * @return total What was paid in all.
     */
    function batchClaim(Claim[] calldata claims) external returns (uint256 total);

    /**
     * @notice Chooses where every later claim of the caller is paid, whoever submits it; zero goes back
     * to paying the caller. Works while paused. `claimTo` still pays the recipient it was signed for.
     */
    function setClaimRecipient(address recipient) external;

    // ─── Governance ───────────────────────────────────────────────────────────────────────────

    /// @notice Sets how many distinct oracles must agree. `restricted`: SUITE_ADMIN. Reverts with `InvalidQuorum`.
    function setQuorum(uint256 quorum) external;

    /**
     * @notice Registers `oracle`, which must hold the ORACLE role. `restricted`: SUITE_ADMIN.
     * @dev Reverts with `OracleAlreadyRegistered`, `OracleLacksRole` or `InvalidAddress`.
     */
    function addOracle(address oracle) external;

    /**
     * @notice Unregisters `oracle`. `restricted`: SUITE_ADMIN.
     * @dev Reverts with `OracleNotRegistered`, or `InvalidQuorum` when fewer oracles than the quorum would remain.
     */
    function removeOracle(address oracle) external;

    /// @notice Sets the challenge window of roots that stand from now on. `restricted`: SUITE_ADMIN.
    function setChallengeWindow(uint256 challengeWindow) external;

    /**
     * @notice Sets the split for every epoch that has not started (PROTOCOL: future epochs only). The
     * epoch in progress and every ended epoch keep theirs, whether or not they were distributed; a
     * second change before the next epoch starts replaces the first. `restricted`: SUITE_ADMIN. Reverts with
     * `EmissionLib.EmissionInvalidSplit`.
     */
    function setSplit(uint256 operatorsBps, uint256 stakersBps, uint256 treasuryBps) external;

    /// @notice Sets the treasury. `restricted`: SUITE_ADMIN. Reverts with `InvalidAddress` for zero.
    function setTreasury(address treasury) external;

    /**
     * @notice Sends `amount` of the unallocated operators' share (rounding dust and what roots left
     * unallocated) to the treasury, never from what roots owe. `restricted`: SUITE_ADMIN.
     * @dev Reverts with `SweepBlockedByPendingRoot` or `SweepExceedsUnallocated`.
     */
    function sweep(uint256 amount) external;

    /**
     * @notice Pauses claims (`claim`, `claimTo`, `batchClaim`), `postRoot` and `distributeEpoch`, which
     * then revert with `EnforcedPause()`. `veto`, `setClaimRecipient`, governance and `sweep` keep
     * working. `restricted`: GUARDIAN.
     * @dev OpenZeppelin's `PausableUpgradeable`: emits `Paused(account)`; reverts with `EnforcedPause()`
     * when paused already.
     */
    function pause() external;

    /**
     * @notice Resumes claims, posting and distribution. `restricted`: SUITE_ADMIN.
     * @dev Emits `Unpaused(account)`; reverts with `ExpectedPause()` when not paused.
     */
    function unpause() external;

    // ─── Views ────────────────────────────────────────────────────────────────────────────────
    // Every other view is on `RewardsLens` (`IRewardsLens`), which decodes this contract's storage
    // through `extsload`; on chain, `RewardsDistributorStateLib` does the same.

    /// @notice The word at storage slot `slot`, for `RewardsLens` and `RewardsDistributorStateLib`.
    function extsload(bytes32 slot) external view returns (bytes32 value);

    /// @notice The `nSlots` words from storage slot `startSlot` on.
    function extsload(bytes32 startSlot, uint256 nSlots) external view returns (bytes32[] memory values);

    /// @notice The next nonce of `account` for `claimTo`.
    function nonces(address account) external view returns (uint256);

    /// @notice Whether claims, root posts and distribution are paused.
    function paused() external view returns (bool);
}
