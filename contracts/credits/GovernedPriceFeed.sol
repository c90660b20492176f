// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";
import {IGovernedPriceFeed} from "../interfaces/IGovernedPriceFeed.sol";

/**
 * @title GovernedPriceFeed
 * @notice The suite's own token/USD feed with Chainlink's interface, posted by the ORACLE role within
 * bounds that governance sets: at most `maxDeviationBps` per update, at least `minInterval` apart, and at
 * most `maxWindowMoveBps` between the prices of any `moveWindow` seconds (see `IGovernedPriceFeed`).
 * @dev Not upgradeable: a new feed is deployed and DataCredits pointed at it by governance. The latest
 * round sits in one storage word so that `latestRoundData` costs one cold read; the parameters and the
 * window's bucket share a second word, and the window's two price ranges take one word each, read and
 * written by updates only. Overriders must keep rounds well-formed (ids increase by one and every round
 * answers itself) and must record every accepted answer in the window's range.
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

    /// @dev The lowest and the highest price in force during one bucket of the window (answers are positive).
    struct Range {
        uint128 low;
        uint128 high;
    }

    // ─── Constants and immutables ─────────────────────────────────────────────────────────────

    uint256 private constant _BPS = 10_000;
    uint8 private immutable _decimals;

    // ─── Storage ──────────────────────────────────────────────────────────────────────────────

    Latest private _latest;
    // One word: the parameters, read by every update, and the window's current bucket.
    uint16 private _maxDeviationBps;
    uint32 private _minInterval;
    uint32 private _maxWindowMoveBps;
    uint32 private _moveWindow;
    uint40 private _bucket;
    /// @dev The prices in force during the bucket before `_bucket`, and during `_bucket` so far.
    Range private _previousRange;
    Range private _currentRange;
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
     * @param maxWindowMoveBps_ The most the prices of any `moveWindow_` seconds may differ, in bps of the lowest (> 0).
     * @param moveWindow_ The window of that bound, in seconds (> 0).
     */
    constructor(
        address authority,
        uint8 decimals_,
        string memory description_,
        int256 initialAnswer,
        uint16 maxDeviationBps_,
        uint32 minInterval_,
        uint32 maxWindowMoveBps_,
        uint32 moveWindow_
    ) AccessManaged(authority) {
        _decimals = decimals_;
        _description = description_;
        _setMaxDeviationBps(maxDeviationBps_);
        _setMinInterval(minInterval_);
        _checkAnswer(initialAnswer);
        _record(1, initialAnswer);
        // After `_record`: the window starts with the initial answer as its only price.
        _setMaxWindowMove(maxWindowMoveBps_, moveWindow_);
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
        _recordInWindow(uint256(answer), last.answer);
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

    /// @inheritdoc IGovernedPriceFeed
    function setMaxWindowMove(uint32 maxWindowMoveBps_, uint32 moveWindow_) external restricted {
        _setMaxWindowMove(maxWindowMoveBps_, moveWindow_);
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

    /// @inheritdoc IGovernedPriceFeed
    function maxWindowMove() external view returns (uint256 maxWindowMoveBps, uint256 moveWindow) {
        return (_maxWindowMoveBps, _moveWindow);
    }

    /// @inheritdoc IGovernedPriceFeed
    function windowRange() external view returns (int256 low, int256 high) {
        (Range memory previous, Range memory current) = _rangesAt(block.timestamp / _moveWindow);
        (uint256 low_, uint256 high_) = _union(previous, current);
        // Both are answers, positive and below 2**127.
        return (int256(low_), int256(high_));
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

    /**
     * @dev Sets the window bound. The prices the window holds (those of the last two buckets of the old
     * numbering) count as in force in both buckets of the new numbering, the previous and the current:
     * some of them were in force during the new current bucket, before the change. At construction (no
     * window yet) both ranges are the initial answer.
     */
    function _setMaxWindowMove(uint32 maxWindowMoveBps_, uint32 moveWindow_) private {
        if (maxWindowMoveBps_ == 0 || moveWindow_ == 0) revert InvalidMaxWindowMove(maxWindowMoveBps_, moveWindow_);
        Range memory recent = _single(_latest.answer);
        uint256 oldWindow = _moveWindow;
        if (oldWindow != 0) {
            (Range memory previous, Range memory current) = _rangesAt(block.timestamp / oldWindow);
            (uint256 low, uint256 high) = _union(previous, current);
            // Both are answers, below 2**127.
            recent = Range({low: uint128(low), high: uint128(high)});
        }
        _maxWindowMoveBps = maxWindowMoveBps_;
        _moveWindow = moveWindow_;
        // Timestamps divided by a window of at least 1 s fit in 40 bits.
        _bucket = uint40(block.timestamp / moveWindow_);
        _previousRange = recent;
        _currentRange = recent;
        emit MaxWindowMoveSet(maxWindowMoveBps_, moveWindow_);
    }

    /**
     * @dev Checks `answer` against the prices in force since the start of the previous bucket and records
     * it in the current bucket's range. An answer within the recorded range is always accepted; one outside
     * it must keep the new high within `maxWindowMoveBps` of the new low. Reads the two range words (one
     * when the bucket just changed, none after a silent bucket); writes the current range when it widens,
     * and the bucket and both ranges when a new bucket begins.
     */
    function _recordInWindow(uint256 answer, int128 latestAnswer_) private {
        uint256 bucket = block.timestamp / _moveWindow;
        (Range memory previous, Range memory current) = _rangesAt(bucket, latestAnswer_);
        (uint256 low, uint256 high) = _union(previous, current);
        uint256 bound = _maxWindowMoveBps;
        // Answers are below 2**127 and the bound below 2**32: no product can overflow.
        if (answer > high && answer * _BPS > low * (_BPS + bound)) {
            revert WindowMoveTooLarge(int256(low), int256(high), int256(answer), _moveBps(low, answer), bound);
        }
        if (answer < low && high * _BPS > answer * (_BPS + bound)) {
            revert WindowMoveTooLarge(int256(low), int256(high), int256(answer), _moveBps(answer, high), bound);
        }
        bool widened;
        // `answer` was checked positive and below 2**127 by `_checkAnswer`.
        if (answer < current.low) {
            current.low = uint128(answer);
            widened = true;
        }
        if (answer > current.high) {
            current.high = uint128(answer);
            widened = true;
        }
        if (bucket != _bucket) {
            // Timestamps divided by a window of at least 1 s fit in 40 bits.
            _bucket = uint40(bucket);
            _previousRange = previous;
            _currentRange = current;
        } else if (widened) {
            _currentRange = current;
        }
    }

    /// @dev The ranges of the previous and the current bucket as of `bucket`, the latest answer being `_latest`'s.
    function _rangesAt(uint256 bucket) private view returns (Range memory previous, Range memory current) {
        return _rangesAt(bucket, _latest.answer);
    }

    /**
     * @dev The ranges of the previous and the current bucket as of `bucket`: the stored ones in the same
     * bucket; the stored current one as the previous, and the latest answer alone as the current, in the
     * next bucket; the latest answer alone for both after a silent bucket (it was in force all along).
     */
    function _rangesAt(
        uint256 bucket,
        int128 latestAnswer_
    ) private view returns (Range memory previous, Range memory current) {
        uint256 stored = _bucket;
        if (bucket == stored) return (_previousRange, _currentRange);
        // Two distinct memory structs: the caller widens `current` alone.
        previous = bucket == stored + 1 ? _currentRange : _single(latestAnswer_);
        current = _single(latestAnswer_);
    }

    function _union(Range memory a, Range memory b) private pure returns (uint256 low, uint256 high) {
        low = Math.min(a.low, b.low);
        high = Math.max(a.high, b.high);
    }

    /// @dev A range of one answer (positive, so the cast is exact).
    function _single(int128 answer) private pure returns (Range memory) {
        uint128 price = uint128(answer);
        return Range({low: price, high: price});
    }

    /// @dev How far `high` lies above `low`, in bps of `low`, rounded up (so above the bound when the check failed).
    function _moveBps(uint256 low, uint256 high) private pure returns (uint256) {
        return Math.ceilDiv((high - low) * _BPS, low);
    }
}
