// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAggregatorV3} from "./IAggregatorV3.sol";

/**
 * @title IGovernedPriceFeed
 * @notice The suite's own USD price feed, for networks whose token has no external feed. It speaks
 * `IAggregatorV3` (Chainlink's `AggregatorV3Interface`), so DataCredits reads it as any Chainlink feed.
 * The ORACLE role posts prices; each update moves the price by at most `maxDeviationBps` of the last
 * answer and comes at least `minInterval` seconds after the last update. Governance (ADMIN) sets both.
 * @dev Every update opens a new round: `roundId` increases by one, `startedAt == updatedAt` (the
 * block time of the update) and `answeredInRound == roundId`. Round 1 is the initial price given at
 * deployment. Answers are positive and fit in 128 bits. `version()` is 1.
 */
interface IGovernedPriceFeed is IAggregatorV3 {
    /// @notice The answer is not positive or does not fit in 128 bits.
    error InvalidAnswer(int256 answer);
    /// @notice The update moves the answer by more than `maxDeviationBps` of `previous`.
    error DeviationTooLarge(int256 previous, int256 answer, uint256 maxDeviationBps);
    /// @notice The update comes before `lastUpdatedAt + minInterval`.
    error UpdateTooSoon(uint256 lastUpdatedAt, uint256 minInterval, uint256 timestamp);
    /// @notice The deviation bound is 0 or above 10,000 bps.
    error InvalidMaxDeviation(uint256 maxDeviationBps);
    /// @notice `getRoundData` was asked for a round that does not exist.
    error RoundNotFound(uint80 roundId);

    /// @notice The ORACLE posted `answer` as round `roundId` at `updatedAt`.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);
    /// @notice The deviation bound changed.
    event MaxDeviationSet(uint256 maxDeviationBps);
    /// @notice The minimum interval changed.
    event MinIntervalSet(uint256 minInterval);

    /**
     * @notice Posts a new answer as the next round.
     * @dev `restricted`: ORACLE. Reverts with `InvalidAnswer`, `UpdateTooSoon` or `DeviationTooLarge`.
     * Posting the same answer again is allowed: it refreshes the price against staleness checks.
     */
    function updateAnswer(int256 answer) external;

    /// @notice Sets the most an update may move the answer, in bps of the last answer (1..10,000). `restricted`: ADMIN.
    function setMaxDeviationBps(uint16 maxDeviationBps) external;

    /// @notice Sets the least time between two updates, in seconds. `restricted`: ADMIN.
    function setMinInterval(uint32 minInterval) external;

    /// @notice The most an update may move the answer, in bps of the last answer.
    function maxDeviationBps() external view returns (uint256);

    /// @notice The least time between two updates, in seconds.
    function minInterval() external view returns (uint256);

    /// @notice The latest answer (as Chainlink's legacy `latestAnswer`).
    function latestAnswer() external view returns (int256);

    /// @notice The latest round id.
    function latestRound() external view returns (uint256);
}
