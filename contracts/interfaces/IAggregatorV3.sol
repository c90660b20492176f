// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IAggregatorV3
 * @notice The price-feed interface of Chainlink's `AggregatorV3Interface`, declared here with the
 * same functions, argument types and return types, so the suite reads Chainlink feeds, L2
 * sequencer-uptime feeds and its own `GovernedPriceFeed` alike without depending on Chainlink's package.
 * @dev ABI-identical to `AggregatorV3Interface`: a contract written against one can call the other.
 */
interface IAggregatorV3 {
    /// @notice The number of decimals of `answer`.
    function decimals() external view returns (uint8);

    /// @notice A human-readable description of the feed, e.g. "DPN / USD".
    function description() external view returns (string memory);

    /// @notice The version of the aggregator.
    function version() external view returns (uint256);

    /**
     * @notice The data of round `roundId`.
     * @return roundId_ The round (equal to `roundId`).
     * @return answer The answer of the round, with `decimals()` decimals.
     * @return startedAt When the round started.
     * @return updatedAt When the answer was last updated.
     * @return answeredInRound The round in which the answer was computed.
     */
    function getRoundData(
        uint80 roundId
    )
        external
        view
        returns (uint80 roundId_, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);

    /// @notice The data of the latest round, with the same fields as `getRoundData`.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
