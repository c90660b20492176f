// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IAccessManagerErrors} from "./IAccessManagerErrors.sol";

/**
 * @title IRewardToken
 * @notice The network's ERC-20: capped, with EIP-2612 permit, ERC-5267, timestamp-clocked votes
 * and holder burns. After genesis only the MINTER role mints, and the token itself refuses any
 * mint outside the emission schedule of the epochs that have ended.
 * @dev The cap is checked once, at deployment, against everything that can ever be minted: the
 * genesis allocation plus the whole emission schedule (`EmissionLib.totalEmission`, the emission of
 * every epoch until halvings bring it to 0) must fit under it, or the constructor reverts with
 * `EmissionScheduleExceedsCap`. A schedule past the cap would make `mint`, and with it every epoch's
 * distribution, revert one day; checked up front, no mint within the budget can pass the cap, so
 * `mint` does not check the cap again.
 * The ABI also declares the AccessManager's scheduling errors (`IAccessManagerErrors`), which `mint`
 * passes on if MINTER is ever granted with an execution delay; the token calls nothing else.
 */
interface IRewardToken is IERC20, IAccessManagerErrors {
    /// @notice The immutable configuration given at deployment.
    struct TokenConfig {
        string name;
        string symbol;
        /// @notice The hard cap on the total supply, in wei (at most 2**128 - 1, at least the genesis
        /// allocation plus the whole emission schedule).
        uint256 cap;
        /// @notice Unix time at which epoch 0 starts (below 2**32, `EpochClockLib`'s width).
        uint64 genesis;
        /// @notice Seconds per epoch (1 to 2**24 - 1, `EpochClockLib`'s width).
        uint64 epochLength;
        /// @notice The emission of each epoch of the first halving period, in wei (at most `cap`).
        uint256 initialEpochEmission;
        /// @notice Epochs per halving period.
        uint64 halvingInterval;
        /// @notice Minted to `treasury` at deployment, outside the emission schedule.
        uint256 genesisAllocation;
        /// @notice Receives the genesis allocation; may be zero when the allocation is zero.
        address treasury;
    }

    /// @notice The genesis allocation alone exceeds the cap (the EIP-6093 style error OpenZeppelin uses).
    error ERC20ExceededCap(uint256 increasedSupply, uint256 cap);
    /// @notice The genesis allocation plus the whole emission schedule, `totalEmission`, exceed the cap.
    error EmissionScheduleExceedsCap(uint256 genesisAllocation, uint256 totalEmission, uint256 cap);
    /// @notice A mint would carry what was minted since genesis past the emission of the ended epochs.
    error EmissionBudgetExceeded(uint256 requested, uint256 available);
    /// @notice The cap is zero or does not fit in 128 bits.
    error InvalidCap(uint256 cap);
    /**
     * @notice The epoch clock does not fit the suite's widths: genesis must be below 2**32 and the epoch
     * length in (0, 2**24). Raised by `EpochClockLib.check` in the constructor (declared here so that the
     * interface's ABI decodes it).
     */
    error InvalidEpochClock(uint256 genesis, uint256 epochLength);
    /// @notice The halving interval is zero.
    error InvalidHalvingInterval(uint256 halvingInterval);
    /// @notice The initial emission is zero or larger than the cap.
    error InvalidInitialEmission(uint256 initialEpochEmission, uint256 cap);
    /// @notice An epoch was asked for before genesis.
    error GenesisNotReached(uint256 genesis, uint256 timestamp);

    /// @notice Emitted on every mint of the emission schedule, with the running total since genesis.
    event EmissionMinted(address indexed to, uint256 amount, uint256 totalEmissionMinted);

    /**
     * @notice Mints `amount` to `to` out of the emission of the epochs that have ended.
     * @dev `restricted`: the MINTER role. Reverts with `EmissionBudgetExceeded` past the schedule, which
     * the constructor fitted under the cap. Burns never make room for more emission.
     */
    function mint(address to, uint256 amount) external;

    /// @notice The hard cap on the total supply.
    function cap() external view returns (uint256);

    /// @notice Unix time at which epoch 0 starts.
    function genesis() external view returns (uint256);

    /// @notice Seconds per epoch.
    function epochLength() external view returns (uint256);

    /// @notice The emission of each epoch of the first halving period.
    function initialEpochEmission() external view returns (uint256);

    /// @notice Epochs per halving period.
    function halvingInterval() external view returns (uint256);

    /// @notice The amount minted to the treasury at deployment.
    function genesisAllocation() external view returns (uint256);

    /// @notice The epoch in progress. Reverts with `GenesisNotReached` before genesis.
    function currentEpoch() external view returns (uint256);

    /// @notice How many epochs have ended: 0 before the end of epoch 0.
    function endedEpochs() external view returns (uint256);

    /// @notice The emission of epoch `e`.
    function emission(uint256 e) external view returns (uint256);

    /// @notice The emission of epochs 0 through `e` inclusive, in O(1).
    function cumulativeEmission(uint256 e) external view returns (uint256);

    /// @notice The emission of every epoch that has ended: the most that can ever have been minted by now.
    function emissionBudget() external view returns (uint256);

    /// @notice What the MINTER has minted since genesis (burns do not lower it).
    function emissionMinted() external view returns (uint256);

    /// @notice What `mint` accepts right now: the unminted budget (always within the room under the cap).
    function mintable() external view returns (uint256);
}
