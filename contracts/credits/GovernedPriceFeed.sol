// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";

import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";
import {IGovernedPriceFeed} from "../interfaces/IGovernedPriceFeed.sol";

/**
 * @title GovernedPriceFeed
 * @notice The suite's own token/USD feed with Chainlink's interface, posted by the ORACLE role within
 * bounds that governance sets: at most `maxDeviationBps` per update, at least `minInterval` apart.
 * @dev Not upgradeable: a new feed is deployed and DataCredits pointed at it by governance. The latest
 * round sits in one storage word so that `latestRoundData` costs one cold read. Overriders must keep
 * rounds well-formed: ids increase by one and every round answers itself.
 */
contract GovernedPriceFeed is IGovernedPriceFeed, AccessManaged {
    // ─── Types ────────────────────────────────────────────────────────────────────────────────

    /// @dev The latest round, packed in one word.
    struct Latest {
        uint80 roundId;
        int128 answer;
        uint48 updatedAt;
    }

    /// @dev A past round: its answer and update time.
    struct Round {
        int128 answer;
        uint48 updatedAt;
    }

    // ─── Constants and immutables ─────────────────────────────────────────────────────────────

    uint256 private constant _BPS = 10_000;
    uint8 private immutable _decimals;

    // ─── Storage ──────────────────────────────────────────────────────────────────────────────

    Latest private _latest;
    uint16 private _maxDeviationBps;
    uint32 private _minInterval;
    string private _description;
    mapping(uint80 roundId => Round) private _rounds;

    // ─── Constructor ──────────────────────────────────────────────────────────────────────────

    /**
     * @param authority The suite's AccessManager.
     * @param decimals_ The decimals of every answer.
     * @param description_ E.g. "DPN / USD".
     * @param initialAnswer The answer of round 1.
     * @param maxDeviationBps_ The most an update may move the answer, in bps (1..10,000).
     * @param minInterval_ The least time between two updates, in seconds.
     */
    constructor(
        address authority,
        uint8 decimals_,
        string memory description_,
        int256 initialAnswer,
        uint16 maxDeviationBps_,
        uint32 minInterval_
    ) AccessManaged(authority) {
        _decimals = decimals_;
        _description = description_;
        _setMaxDeviationBps(maxDeviationBps_);
        _setMinInterval(minInterval_);
        _checkAnswer(initialAnswer);
        _record(1, initialAnswer);
    }

    // ─── Oracle functions ─────────────────────────────────────────────────────────────────────

    /// @inheritdoc IGovernedPriceFeed
    function updateAnswer(int256 answer) external restricted {
        _checkAnswer(answer);
        Latest memory last = _latest;
        uint256 minInterval_ = _minInterval;
        if (block.timestamp < uint256(last.updatedAt) + minInterval_) {
            revert UpdateTooSoon(last.updatedAt, minInterval_, block.timestamp);
        }
        int256 previous = last.answer;
        int256 move = answer > previous ? answer - previous : previous - answer;
        uint256 maxDeviation = _maxDeviationBps;
        // Both answers are positive and below 2**127, so `move` is too and both products fit in 256 bits.
        if (uint256(move) * _BPS > uint256(previous) * maxDeviation) {
            revert DeviationTooLarge(previous, answer, maxDeviation);
        }
        _record(last.roundId + 1, answer);
    }

    // ─── Admin functions ──────────────────────────────────────────────────────────────────────

    /// @inheritdoc IGovernedPriceFeed
    function setMaxDeviationBps(uint16 maxDeviationBps_) external restricted {
        _setMaxDeviationBps(maxDeviationBps_);
    }

    /// @inheritdoc IGovernedPriceFeed
    function setMinInterval(uint32 minInterval_) external restricted {
        _setMinInterval(minInterval_);
    }

    // ─── Views ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IAggregatorV3
    function decimals() external view returns (uint8) {
        return _decimals;
    }

    /// @inheritdoc IAggregatorV3
    function description() external view returns (string memory) {
        return _description;
    }

    /// @inheritdoc IAggregatorV3
    function version() external pure returns (uint256) {
        return 1;
    }

    /// @inheritdoc IAggregatorV3
    function getRoundData(
        uint80 roundId
    )
        external
        view
        returns (uint80 roundId_, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        Round memory round = _rounds[roundId];
        if (round.updatedAt == 0) revert RoundNotFound(roundId);
        return (roundId, round.answer, round.updatedAt, round.updatedAt, roundId);
    }

    /// @inheritdoc IAggregatorV3
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        Latest memory last = _latest;
        return (last.roundId, last.answer, last.updatedAt, last.updatedAt, last.roundId);
    }

    /// @inheritdoc IGovernedPriceFeed
    function latestAnswer() external view returns (int256) {
        return _latest.answer;
    }

    /// @inheritdoc IGovernedPriceFeed
    function latestRound() external view returns (uint256) {
        return _latest.roundId;
    }

    /// @inheritdoc IGovernedPriceFeed
    function maxDeviationBps() external view returns (uint256) {
        return _maxDeviationBps;
    }

    /// @inheritdoc IGovernedPriceFeed
    function minInterval() external view returns (uint256) {
        return _minInterval;
    }

    // ─── Internal ─────────────────────────────────────────────────────────────────────────────

    function _checkAnswer(int256 answer) private pure {
        if (answer <= 0 || answer > type(int128).max) revert InvalidAnswer(answer);
    }

    /// @dev Stores `answer` (checked positive and within int128) as round `roundId`, updated now.
    function _record(uint80 roundId, int256 answer) private {
        // `_checkAnswer` bounded `answer` to (0, 2**127 - 1]; block timestamps fit in 48 bits.
        int128 packed = int128(answer);
        uint48 now_ = uint48(block.timestamp);
        _latest = Latest({roundId: roundId, answer: packed, updatedAt: now_});
        _rounds[roundId] = Round({answer: packed, updatedAt: now_});
        emit AnswerUpdated(answer, roundId, block.timestamp);
    }

    function _setMaxDeviationBps(uint16 maxDeviationBps_) private {
        if (maxDeviationBps_ == 0 || maxDeviationBps_ > _BPS) revert InvalidMaxDeviation(maxDeviationBps_);
        _maxDeviationBps = maxDeviationBps_;
        emit MaxDeviationSet(maxDeviationBps_);
    }

    function _setMinInterval(uint32 minInterval_) private {
        _minInterval = minInterval_;
        emit MinIntervalSet(minInterval_);
    }
}
