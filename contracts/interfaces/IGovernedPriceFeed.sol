// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessManagerErrors} from "./IAccessManagerErrors.sol";
import {IAggregatorV3} from "./IAggregatorV3.sol";

/**
 * @title IGovernedPriceFeed
 * @notice The suite's own USD price feed, for networks whose token has no external feed. It speaks
 * `IAggregatorV3` (Chainlink's `AggregatorV3Interface`), so DataCredits reads it as any Chainlink feed.
 * The ORACLE role posts prices within three bounds that governance (SUITE_ADMIN) sets: each update moves the
 * price by at most `maxDeviationBps` of the last answer, comes at least `minInterval` seconds after the
 * last update, and keeps the prices of any `moveWindow` seconds within `maxWindowMoveBps` of each other.
 * @dev Every update opens a new round: `roundId` increases by one, `startedAt == updatedAt` (the
 * block time of the update) and `answeredInRound == roundId`. Round 1 is the initial price given at
 * deployment. Answers are positive and fit in 128 bits. `version()` is 1.
 *
 * Decisions where the spec is silent, for the window bound:
 * - Why: the per-update bound alone compounds. At 5 % every 15 min a price can be moved about ×100 in
 *   24 h (1.05**96); the window bound caps what any sequence of updates can do within `moveWindow`.
 * - What it bounds: for any interval of `moveWindow` seconds, the highest and the lowest price in force
 *   during it satisfy `high * 10_000 <= low * (10_000 + maxWindowMoveBps)`: the price rises by at most
 *   `maxWindowMoveBps` from its low, and falls from its high to no less than `high / (1 + bps / 10_000)`.
 *   "In force" counts the price a window starts with, not only the prices posted inside it. The measure is
 *   multiplicative, so it is the same up and down; the per-update bound keeps its own, additive measure.
 * - How, and why so: a conservative two-bucket window, as DataCredits' circuit breaker. Time is cut into
 *   buckets of `moveWindow` seconds; the feed keeps the lowest and highest price in force in the previous
 *   and in the current bucket (two storage words), and an update must keep the union of the two ranges
 *   within the bound. Any interval of `moveWindow` seconds lies within two consecutive buckets, so the
 *   bound holds exactly over every such interval. Alternatives refused: the price at a fixed window's
 *   start as the reference lets the price move the bound at the end of one window and again at the
 *   start of the next (the bound squared within minutes); an exact rolling min/max needs the window's
 *   whole history and a loop over it. The price of exactness: the prices of the previous bucket still
 *   count after more than `moveWindow` seconds, so right after a large move the room stays smaller than a
 *   rolling window would give, for at most one more bucket; once a whole bucket has passed with no update,
 *   the range is the latest price alone. `latestRoundData` reads none of this (one word, as before).
 * - An update that stays within the range already recorded is always accepted (a refresh, or a move
 *   back), so lowering `maxWindowMoveBps` never stops the oracle from refreshing the price: the range
 *   only cannot widen past the new bound. The two bounds are independent; the tighter one decides.
 * - A change of `moveWindow` or `maxWindowMoveBps` counts every price the window holds (those of the last
 *   two buckets) as in force in both the previous and the current bucket of the new numbering, so a change
 *   never forgets a recent move; a longer window cannot look further back than the old one did.
 * - Errors: the ABI declares the AccessManager's scheduling errors (`IAccessManagerErrors`), which a
 *   setter called directly by governance behind its delay passes on; the feed calls nothing else.
 * - Defaults (`defaultGovernedPriceFeedParams` in the deploy library and `deploy/params/*.json`): 5 %
 *   per update, 15 min apart, and 50 % per 24 h (a rise to at most ×1.5, a fall to no less than ×2/3).
 */
interface IGovernedPriceFeed is IAggregatorV3, IAccessManagerErrors {
    /// @notice The answer is not positive or does not fit in 128 bits.
    error InvalidAnswer(int256 answer);
    /// @notice The update moves the answer by more than `maxDeviationBps` of `previous`.
    error DeviationTooLarge(int256 previous, int256 answer, uint256 maxDeviationBps);
    /// @notice The update comes before `lastUpdatedAt + minInterval`.
    error UpdateTooSoon(uint256 lastUpdatedAt, uint256 minInterval, uint256 timestamp);
    /// @notice The deviation bound is 0 or above 10,000 bps.
    error InvalidMaxDeviation(uint256 maxDeviationBps);
    /**
     * @notice The update would widen the window's range of prices, `low` to `high`, to a move of `moveBps`
     * (the new high over the new low, in bps above 1, rounded up), past `maxWindowMoveBps`.
     */
    error WindowMoveTooLarge(int256 low, int256 high, int256 answer, uint256 moveBps, uint256 maxWindowMoveBps);
    /// @notice The window bound or the window is 0.
    error InvalidMaxWindowMove(uint256 maxWindowMoveBps, uint256 moveWindow);
    /// @notice `getRoundData` was asked for a round that does not exist.
    error RoundNotFound(uint80 roundId);

    /// @notice The ORACLE posted `answer` as round `roundId` at `updatedAt`.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);
    /// @notice The deviation bound changed.
    event MaxDeviationSet(uint256 maxDeviationBps);
    /// @notice The minimum interval changed.
    event MinIntervalSet(uint256 minInterval);
    /// @notice The window bound or its window changed.
    event MaxWindowMoveSet(uint256 maxWindowMoveBps, uint256 moveWindow);

    /**
     * @notice Posts a new answer as the next round.
     * @dev `restricted`: ORACLE. Reverts with `InvalidAnswer`, `UpdateTooSoon`, `DeviationTooLarge` or
     * `WindowMoveTooLarge`. Posting the same answer again is allowed: it refreshes the price against
     * staleness checks.
     */
    function updateAnswer(int256 answer) external;

    /// @notice Sets the most an update may move the answer, in bps of the last answer (1..10,000).
    /// `restricted`: SUITE_ADMIN.
    function setMaxDeviationBps(uint16 maxDeviationBps) external;

    /// @notice Sets the least time between two updates, in seconds. `restricted`: SUITE_ADMIN.
    function setMinInterval(uint32 minInterval) external;

    /**
     * @notice Sets the window bound: the prices in force within any `moveWindow` seconds stay within
     * `maxWindowMoveBps` of each other (both > 0). `restricted`: SUITE_ADMIN.
     * @dev Reverts with `InvalidMaxWindowMove`. The prices the window holds count as in force in both
     * buckets of the new numbering.
     */
    function setMaxWindowMove(uint32 maxWindowMoveBps, uint32 moveWindow) external;

    /// @notice The most an update may move the answer, in bps of the last answer.
    function maxDeviationBps() external view returns (uint256);

    /// @notice The least time between two updates, in seconds.
    function minInterval() external view returns (uint256);

    /// @notice The window bound, in bps of the window's lowest price, and the window, in seconds.
    function maxWindowMove() external view returns (uint256 maxWindowMoveBps, uint256 moveWindow);

    /**
     * @notice The lowest and highest price in force since the start of the previous bucket, as of this
     * block: an update now is accepted by the window bound when it stays within `low` to `high`, or widens
     * the range to at most `maxWindowMoveBps`. A later block can only narrow the range, never widen it.
     */
    function windowRange() external view returns (int256 low, int256 high);

    /// @notice The latest answer (as Chainlink's legacy `latestAnswer`).
    function latestAnswer() external view returns (int256);

    /// @notice The latest round id.
    function latestRound() external view returns (uint256);
}
