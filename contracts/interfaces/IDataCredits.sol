// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IAccessManagerErrors} from "./IAccessManagerErrors.sol";

/**
 * @title IDataCredits
 * @notice Non-transferable data credits, minted by burning the reward token at a fixed dollar price:
 * 1 DC = $0.00001. Buyers mint for themselves or for anyone; payers delegate credits into escrow for
 * a registered router, which burns them for the usage it carried; the DeviceRegistry burns its fees.
 * Credits never move between accounts and never turn back into tokens.
 *
 * @dev Decisions where the spec is silent:
 * - Rounding favours the protocol: credits minted round down, tokens burned round up.
 * - The token has 18 decimals; the feed's answer is USD per whole token with `decimals()` decimals,
 *   normalised for any feed decimals up to 36: `credits = floor(tokens * answer / 10**(13 + decimals))`.
 *   The feed's decimals are read once, when the feed is set (Chainlink feeds never change them);
 *   governance sets the feed again if they ever do.
 * - Circuit breaker: a conservative two-bucket window. Time is cut into buckets of `mintWindow`
 *   seconds; a mint is allowed when the credits minted in the previous bucket, plus those of the
 *   current bucket, plus this mint, stay within `maxMintPerWindow`. Any interval of `mintWindow`
 *   seconds lies within two consecutive buckets, so no such interval ever sees more than
 *   `maxMintPerWindow` credits minted: the rolling bound holds exactly. The price of exactness: right
 *   after a busy bucket the room can be smaller than an exact rolling count would give (down to 0 for
 *   at most one bucket). A change of the breaker's parameters counts everything of the last two
 *   buckets as the previous bucket of the new numbering.
 * - Usage ids are scoped to one escrow, (payer, router), and strictly increasing: each `burnForUsage`
 *   must carry a `usageId` greater than the last one the router used for that payer, so an id works
 *   once and a replayed or older report reverts. A router numbers each customer's usage reports. The
 *   last id lives in the escrow's own storage word, so replay protection costs no extra write (the
 *   usage burn has a 45,000 gas budget); a router-wide or global id would cost one more word per burn.
 * - Bounds: credits ever minted stay below 2**72 (4.7e21 DC, $4.7e16), `maxMintPerWindow` below 2**48
 *   ($2.8e9 per window) and tokens ever burned below 2**96 wei (79e9 tokens, 79 times the default
 *   cap); a mint past one of them reverts.
 * - Escrow is shown to wallets as held by this contract: `delegate` emits `Transfer(payer, this)`,
 *   undelegation `Transfer(this, payer)`, a usage burn `Transfer(this, 0)`, and `balanceOf(this)`
 *   returns the credits in escrow, so the balances of all accounts sum to `totalSupply`.
 * - Defaults (`defaultDataCreditsParams` in the deploy library): `maxStaleness` 1 h, sequencer grace
 *   period 1 h, `maxMintPerWindow` 100,000,000,000 DC ($1,000,000) per `mintWindow` of 24 h,
 *   `undelegateNotice` 24 h.
 * - Pause (GUARDIAN pauses, SUITE_ADMIN unpauses) stops minting and new delegations. Usage burns, fee burns
 *   and undelegation keep working: burns only destroy credits for service already delivered (pausing
 *   them would let a payer withdraw escrow it owes a router), and payers can always leave escrow. The
 *   pause is the suite's one convention, OpenZeppelin's `PausableUpgradeable`: its errors `EnforcedPause()`
 *   and `ExpectedPause()` and its events `Paused(address)` and `Unpaused(address)` are declared there (and
 *   in DataCredits' ABI), not here, since a contract cannot inherit the same error or event twice.
 * - Errors of the contracts DataCredits calls pass through unchanged, so its ABI declares them: the
 *   token's ERC-20 errors (`IERC20Errors`, OpenZeppelin's EIP-6093 set, whole), which the mints meet when
 *   the token's `burnFrom` finds the allowance short (`ERC20InsufficientAllowance`: no approval, or a
 *   permit that failed and was ignored, as one already used by a front-runner whose allowance is spent)
 *   or the balance short (`ERC20InsufficientBalance`); and the AccessManager's scheduling errors
 *   (`IAccessManagerErrors`), which a restricted function called directly by a role behind an execution
 *   delay passes on. A dApp holding only this ABI decodes every error the suite's own contracts can
 *   return through it; an external price or sequencer feed that reverts (the suite's own feed never
 *   does) is not covered.
 */
interface IDataCredits is IERC20Errors, IAccessManagerErrors {
    // ─── Structs ──────────────────────────────────────────────────────────────────────────────

    /// @notice The parameters given to `initialize`.
    struct InitParams {
        /// @notice The USD price feed of the token (Chainlink-compatible).
        address priceFeed;
        /// @notice The oldest price accepted, in seconds (default 3,600).
        uint32 maxStaleness;
        /// @notice The L2 sequencer-uptime feed, or zero on a chain without one.
        address sequencerUptimeFeed;
        /// @notice Seconds after the sequencer comes back up before prices are trusted again.
        uint32 sequencerGracePeriod;
        /// @notice The most credits minted in any interval of `mintWindow` seconds.
        uint48 maxMintPerWindow;
        /// @notice The circuit breaker's window, in seconds.
        uint32 mintWindow;
        /// @notice Seconds between an undelegation request and its completion.
        uint32 undelegateNotice;
    }

    /// @notice A validated price read from the feed.
    struct Price {
        /// @notice The feed's answer: USD per whole token.
        uint256 answer;
        /// @notice The decimals of `answer`.
        uint8 decimals;
    }

    // ─── Errors ───────────────────────────────────────────────────────────────────────────────

    /// @notice Credits cannot be transferred or approved.
    error CreditsNonTransferable();
    /// @notice The token does not have 18 decimals.
    error InvalidToken(address token);
    /// @notice The recipient of a mint is the zero address.
    error InvalidRecipient(address recipient);
    /// @notice The mint would yield no credits for `tokenAmount` tokens.
    error ZeroCredits(uint256 tokenAmount);
    /// @notice `mintWithTokens` would mint fewer credits than the caller's minimum.
    error CreditsBelowMinimum(uint256 credits, uint256 minCredits);
    /// @notice `mintExactCredits` would burn more tokens than the caller's maximum.
    error TokensAboveMaximum(uint256 tokens, uint256 maxTokens);
    /// @notice The mint would carry the credits minted in the breaker's window past the limit.
    error MintLimitExceeded(uint256 credits, uint256 available);
    /// @notice `account` holds fewer spendable credits than `needed`.
    error InsufficientCredits(address account, uint256 balance, uint256 needed);
    /// @notice A zero amount was given where it would do nothing.
    error ZeroAmount();

    /// @notice The feed's answer is zero or negative.
    error InvalidPrice(int256 answer);
    /// @notice The feed's round was never updated (`updatedAt == 0`).
    error PriceNotUpdated(uint80 roundId);
    /// @notice The feed's `updatedAt` lies in the future.
    error PriceFromFuture(uint256 updatedAt, uint256 timestamp);
    /// @notice The price is older than `maxStaleness`.
    error StalePrice(uint256 updatedAt, uint256 maxStaleness, uint256 timestamp);
    /// @notice The answer comes from an earlier round than the latest (`answeredInRound < roundId`).
    error IncompleteRound(uint80 roundId, uint80 answeredInRound);
    /// @notice The feed has more decimals than the contract normalises (at most 36).
    error UnsupportedFeedDecimals(uint8 decimals);
    /// @notice The L2 sequencer is reported down (any status other than 0).
    error SequencerDown(int256 status);
    /// @notice The sequencer-uptime feed has no status yet (`startedAt == 0`).
    error SequencerStatusUnknown();
    /// @notice The sequencer came back up less than the grace period ago.
    error SequencerGracePeriodNotOver(uint256 startedAt, uint256 gracePeriod, uint256 timestamp);

    /// @notice The price feed address is zero.
    error InvalidPriceFeed(address feed);
    /// @notice The staleness bound is zero.
    error InvalidMaxStaleness(uint256 maxStaleness);
    /// @notice The breaker's window is zero.
    error InvalidMintWindow(uint256 mintWindow);

    /// @notice `router` is not registered.
    error RouterNotRegistered(address router);
    /// @notice `router` is already registered.
    error RouterAlreadyRegistered(address router);
    /// @notice The escrow of (`payer`, `router`) holds fewer credits than `needed`.
    error InsufficientEscrow(address payer, address router, uint256 escrow, uint256 needed);
    /// @notice `usageId` is not greater than the last usage id of (`payer`, `router`): it was used, or is older.
    error UsageIdAlreadyUsed(address payer, address router, uint64 usageId, uint64 lastUsageId);
    /// @notice The payer has no undelegation request pending with `router`.
    error NoUndelegationPending(address payer, address router);
    /// @notice The undelegation notice ends at `unlockAt`.
    error NoticeNotOver(uint256 unlockAt, uint256 timestamp);

    // ─── Events ───────────────────────────────────────────────────────────────────────────────

    /// @notice The ERC-20 event, emitted on every change of a balance (wallets follow it).
    event Transfer(address indexed from, address indexed to, uint256 value);

    /// @notice `payer` burned `tokens` and `to` received `credits`, at the feed's answer `price`.
    event CreditsMinted(address indexed payer, address indexed to, uint256 tokens, uint256 credits, uint256 price);
    /// @notice `payer` moved `amount` credits into escrow for `router`.
    event Delegated(address indexed payer, address indexed router, uint256 amount);
    /// @notice `payer` asked to take back `amount` of its escrow with `router`, from `unlockAt`.
    event UndelegationRequested(address indexed payer, address indexed router, uint256 amount, uint256 unlockAt);
    /// @notice `payer` took back `amount` credits from its escrow with `router`.
    event Undelegated(address indexed payer, address indexed router, uint256 amount);
    /// @notice `router` burned `amount` of `payer`'s escrow for usage `usageId`.
    event UsageBurned(address indexed payer, address indexed router, uint64 usageId, uint256 amount);
    /// @notice `amount` credits of `payer` were burned as a protocol fee for `reason`.
    event FeeBurned(address indexed payer, uint256 amount, bytes32 indexed reason);

    /// @notice The price feed changed; its answers have `decimals` decimals.
    event PriceFeedSet(address indexed feed, uint8 decimals);
    /// @notice The staleness bound changed.
    event MaxStalenessSet(uint256 maxStaleness);
    /// @notice The sequencer-uptime feed (zero: none) and its grace period changed.
    event SequencerUptimeFeedSet(address indexed feed, uint256 gracePeriod);
    /// @notice The circuit breaker changed.
    event CircuitBreakerSet(uint256 maxMintPerWindow, uint256 mintWindow);
    /// @notice The undelegation notice changed.
    event UndelegateNoticeSet(uint256 undelegateNotice);
    /// @notice `router` was registered.
    event RouterRegistered(address indexed router);
    /// @notice `router` was removed.
    event RouterRemoved(address indexed router);

    // ─── Wallet views (ERC-20 shaped, non-transferable) ──────────────────────────────────────

    /// @notice "DePIN Data Credits".
    function name() external pure returns (string memory);

    /// @notice "DC".
    function symbol() external pure returns (string memory);

    /// @notice 0: credits are whole.
    function decimals() external pure returns (uint8);

    /// @notice Credits in existence: minted minus burned (spendable plus escrowed).
    function totalSupply() external view returns (uint256);

    /// @notice The spendable credits of `account`; for this contract itself, the credits in escrow.
    function balanceOf(address account) external view returns (uint256);

    /// @notice Always 0: credits cannot be approved.
    function allowance(address owner, address spender) external pure returns (uint256);

    /// @notice Always reverts with `CreditsNonTransferable`.
    function transfer(address to, uint256 value) external returns (bool);

    /// @notice Always reverts with `CreditsNonTransferable`.
    function transferFrom(address from, address to, uint256 value) external returns (bool);

    /// @notice Always reverts with `CreditsNonTransferable`.
    function approve(address spender, uint256 value) external returns (bool);

    // ─── Minting ──────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Burns `tokenAmount` of the caller's tokens and mints `floor(tokenAmount * price / $0.00001)`
     * credits to `to`.
     * @dev Needs an allowance of `tokenAmount` for this contract. Reverts with `ZeroCredits` when that
     * is 0 credits, `CreditsBelowMinimum` below `minCredits`, `MintLimitExceeded` past the breaker,
     * `EnforcedPause` when paused, and with the price errors on a bad price.
     * @return credits The credits minted.
     */
    function mintWithTokens(address to, uint256 tokenAmount, uint256 minCredits) external returns (uint256 credits);

    /**
     * @notice `mintWithTokens` after an EIP-2612 permit of `tokenAmount` for this contract, in one transaction.
     * @dev The permit is tried and its failure ignored, so a permit front-run by someone else does not
     * sink the mint: the allowance it set is there. Without an allowance the burn reverts.
     */
    function mintWithTokensPermit(
        address to,
        uint256 tokenAmount,
        uint256 minCredits,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 credits);

    /**
     * @notice Mints exactly `credits` to `to` and burns `ceil(credits * $0.00001 / price)` of the
     * caller's tokens.
     * @dev Reverts with `ZeroCredits` for 0 credits, `TokensAboveMaximum` above `maxTokens`, and as
     * `mintWithTokens` otherwise. The tokens burned always buy at least `credits` at the price.
     * @return tokens The tokens burned.
     */
    function mintExactCredits(address to, uint256 credits, uint256 maxTokens) external returns (uint256 tokens);

    /// @notice `mintExactCredits` after an EIP-2612 permit of `maxTokens` for this contract, as `mintWithTokensPermit`.
    function mintExactCreditsPermit(
        address to,
        uint256 credits,
        uint256 maxTokens,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 tokens);

    // ─── Usage ────────────────────────────────────────────────────────────────────────────────

    /**
     * @notice Moves `amount` of the caller's credits into escrow for `router`.
     * @dev Reverts with `RouterNotRegistered`, `InsufficientCredits`, `ZeroAmount` or `EnforcedPause`.
     */
    function delegate(address router, uint256 amount) external;

    /**
     * @notice Asks to take back `amount` of the caller's escrow with `router` after the notice period.
     * @dev A new request replaces the pending one and restarts the notice. The router can still burn
     * the escrow during the notice. Reverts with `InsufficientEscrow` or `ZeroAmount`.
     */
    function requestUndelegate(address router, uint256 amount) external;

    /**
     * @notice Completes the caller's pending undelegation from `router` once the notice is over: moves
     * the requested amount, or what the router left of it, back to the caller's spendable credits.
     * @dev Works for a router that was removed. Reverts with `NoUndelegationPending` or `NoticeNotOver`.
     * @return amount The credits returned.
     */
    function completeUndelegate(address router) external returns (uint256 amount);

    /**
     * @notice Called by a registered router: burns `amount` of `payer`'s escrow with the caller, for
     * usage `usageId`.
     * @dev `usageId` must exceed the caller's last usage id for `payer` (`UsageIdAlreadyUsed`). Reverts with
     * `RouterNotRegistered` or `InsufficientEscrow`. Not stopped by the pause.
     */
    function burnForUsage(address payer, uint256 amount, uint64 usageId) external;

    /**
     * @notice Burns `amount` credits of `payer` as a protocol fee, for `reason` (e.g. keccak256("ONBOARD")).
     * @dev `restricted`: the FEE_BURNER role, held by the DeviceRegistry. Reverts when `payer` holds
     * fewer than `amount` credits.
     */
    function burnFee(address payer, uint256 amount, bytes32 reason) external;

    // ─── Governance ───────────────────────────────────────────────────────────────────────────

    /// @notice Sets the price feed and caches its decimals (at most 36). `restricted`: SUITE_ADMIN (delayed).
    function setPriceFeed(address feed) external;

    /// @notice Sets the staleness bound (> 0). `restricted`: SUITE_ADMIN.
    function setMaxStaleness(uint32 maxStaleness) external;

    /// @notice Sets the sequencer-uptime feed (zero turns the check off) and its grace period.
    /// `restricted`: SUITE_ADMIN.
    function setSequencerUptimeFeed(address feed, uint32 gracePeriod) external;

    /// @notice Sets the circuit breaker (`mintWindow` > 0). `restricted`: SUITE_ADMIN.
    function setCircuitBreaker(uint48 maxMintPerWindow, uint32 mintWindow) external;

    /// @notice Sets the undelegation notice; applies to requests made afterwards. `restricted`: SUITE_ADMIN.
    function setUndelegateNotice(uint32 undelegateNotice) external;

    /// @notice Registers `router`. `restricted`: ROUTER_ADMIN.
    function registerRouter(address router) external;

    /// @notice Removes `router`: it can no longer burn, and payers can still undelegate. `restricted`: ROUTER_ADMIN.
    function removeRouter(address router) external;

    /**
     * @notice Pauses minting and delegation, emitting `Paused(account)`.
     * @dev `restricted`: GUARDIAN, no delay. Reverts with `EnforcedPause` when already paused.
     */
    function pause() external;

    /**
     * @notice Lifts the pause, emitting `Unpaused(account)`.
     * @dev `restricted`: SUITE_ADMIN. Reverts with `ExpectedPause` when not paused.
     */
    function unpause() external;

    // ─── Views ────────────────────────────────────────────────────────────────────────────────

    /// @notice The reward token burned into credits.
    function token() external view returns (address);

    /// @notice The validated price now; reverts with the price errors as a mint would.
    function price() external view returns (Price memory);

    /// @notice The credits `tokenAmount` tokens buy now (rounded down).
    function quoteCredits(uint256 tokenAmount) external view returns (uint256);

    /// @notice The tokens `credits` cost now (rounded up).
    function quoteTokens(uint256 credits) external view returns (uint256);

    /// @notice The credits that can be minted now before the breaker trips.
    function mintableCredits() external view returns (uint256);

    /// @notice Tokens burned into credits, ever.
    function tokensBurned() external view returns (uint256);

    /// @notice Credits minted, ever.
    function creditsMinted() external view returns (uint256);

    /// @notice Credits burned, ever: by usage and by fees.
    function creditsBurned() external view returns (uint256);

    /// @notice The credits in escrow for (`payer`, `router`).
    function escrowOf(address payer, address router) external view returns (uint256);

    /// @notice The pending undelegation of (`payer`, `router`): amount and unlock time (0, 0 when none).
    function pendingUndelegation(
        address payer,
        address router
    ) external view returns (uint256 amount, uint256 unlockAt);

    /// @notice Whether `router` is registered.
    function isRouter(address router) external view returns (bool);

    /// @notice The last usage id `router` burned `payer`'s escrow with (0 before its first burn).
    function lastUsageId(address payer, address router) external view returns (uint64);

    /// @notice Whether minting and delegation are paused.
    function paused() external view returns (bool);

    /// @notice The price feed.
    function priceFeed() external view returns (address);

    /// @notice The staleness bound, in seconds.
    function maxStaleness() external view returns (uint256);

    /// @notice The sequencer-uptime feed (zero: none) and its grace period.
    function sequencerUptimeFeed() external view returns (address feed, uint256 gracePeriod);

    /// @notice The circuit breaker's limit and window.
    function circuitBreaker() external view returns (uint256 maxMintPerWindow, uint256 mintWindow);

    /// @notice The undelegation notice, in seconds.
    function undelegateNotice() external view returns (uint256);
}
