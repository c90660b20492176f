// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";

/**
 * @notice Test-only: an L2 sequencer-uptime feed with Chainlink's semantics: answer 0 means up and
 * 1 means down, and `startedAt` is when the status last changed.
 */
contract CreditsMockSequencerFeed is IAggregatorV3 {
    uint80 private _roundId;
    int256 private _status;
    uint256 private _startedAt;

    /// @notice Sets the status and the time it changed (0 models a feed that was never initialized).
    function setStatus(int256 status, uint256 startedAt) external {
        _roundId += 1;
        _status = status;
        _startedAt = startedAt;
    }

    function decimals() external pure returns (uint8) {
        return 0;
    }

    function description() external pure returns (string memory) {
        return "L2 Sequencer Uptime Status Feed";
    }

    function version() external pure returns (uint256) {
        return 1;
    }

    function getRoundData(
        uint80 roundId
    ) external view returns (uint80 roundId_, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answered) {
        return (roundId, _status, _startedAt, block.timestamp, roundId);
    }

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return (_roundId, _status, _startedAt, block.timestamp, _roundId);
    }
}
