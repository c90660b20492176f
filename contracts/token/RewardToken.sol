// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

import {IRewardToken} from "../interfaces/IRewardToken.sol";
import {EmissionLib} from "../libraries/EmissionLib.sol";
import {EpochClockLib} from "../libraries/EpochClockLib.sol";

/**
 * @title RewardToken
 * @notice The network's reward token. Not upgradeable, with no pause, no blacklist and no owner:
 * holders trust the cap and the emission schedule, which this contract enforces itself.
 * @dev The only privileged function is `mint`, `restricted` to the MINTER role by the suite's
 * AccessManager. Even a compromised minter cannot mint past `emissionBudget()`, because the count
 * `emissionMinted` only grows. Votes use a timestamp clock (EIP-6372); permit and delegateBySig
 * share one nonce per account. The epochs are the suite's one clock, `EpochClockLib`: genesis in 32
 * bits and the epoch length in 24, checked by the constructor, which every other contract copies.
 * Overriders must never let a path other than `mint` and the constructor's genesis allocation
 * create tokens.
 */
contract RewardToken is IRewardToken, ERC20Burnable, ERC20Permit, ERC20Votes, AccessManaged {
    // ─── Immutables ───────────────────────────────────────────────────────────────────────────

    uint256 private immutable _cap;
    uint32 private immutable _genesis;
    uint24 private immutable _epochLength;
    uint256 private immutable _initialEpochEmission;
    uint256 private immutable _halvingInterval;
    uint256 private immutable _genesisAllocation;

    // ─── Storage ──────────────────────────────────────────────────────────────────────────────

    uint256 private _emissionMinted;

    // ─── Constructor ──────────────────────────────────────────────────────────────────────────

    /**
     * @param config The immutable token configuration (see `IRewardToken.TokenConfig`).
     * @param authority The suite's AccessManager.
     */
    constructor(
        TokenConfig memory config,
        address authority
    ) ERC20(config.name, config.symbol) ERC20Permit(config.name) AccessManaged(authority) {
        if (config.cap == 0 || config.cap > type(uint128).max) revert InvalidCap(config.cap);
        EpochClockLib.check(config.genesis, config.epochLength);
        if (config.halvingInterval == 0) revert InvalidHalvingInterval(config.halvingInterval);
        if (config.initialEpochEmission == 0 || config.initialEpochEmission > config.cap) {
            revert InvalidInitialEmission(config.initialEpochEmission, config.cap);
        }
        _cap = config.cap;
        // `check` above bounded both to their widths: the casts are exact.
        _genesis = uint32(config.genesis);
        _epochLength = uint24(config.epochLength);
        _initialEpochEmission = config.initialEpochEmission;
        _halvingInterval = config.halvingInterval;
        _genesisAllocation = config.genesisAllocation;
        if (config.genesisAllocation > config.cap) revert ERC20ExceededCap(config.genesisAllocation, config.cap);
        // The whole schedule must fit beside the allocation, or `mint` (and with it every distribution)
        // would one day revert. Both terms are below 2**193 (see EmissionLib): the sum cannot overflow.
        uint256 total = EmissionLib.totalEmission(config.initialEpochEmission, config.halvingInterval);
        if (config.genesisAllocation + total > config.cap) {
            revert EmissionScheduleExceedsCap(config.genesisAllocation, total, config.cap);
        }
        if (config.genesisAllocation > 0) _mint(config.treasury, config.genesisAllocation);
    }

    // ─── Minter functions ─────────────────────────────────────────────────────────────────────

    /// @inheritdoc IRewardToken
    function mint(address to, uint256 amount) external restricted {
        uint256 minted = _emissionMinted + amount;
        uint256 budget = emissionBudget();
        if (minted > budget) revert EmissionBudgetExceeded(amount, budget - _emissionMinted);
        // No cap check: the supply is at most genesisAllocation + minted <= genesisAllocation +
        // totalEmission <= cap, which the constructor checked, so within the budget the cap holds.

        _emissionMinted = minted;
        _mint(to, amount);
        emit EmissionMinted(to, amount, minted);
    }

    // ─── Views ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IRewardToken
    function cap() external view returns (uint256) {
        return _cap;
    }

    /// @inheritdoc IRewardToken
    function genesis() external view returns (uint256) {
        return _genesis;
    }

    /// @inheritdoc IRewardToken
    function epochLength() external view returns (uint256) {
        return _epochLength;
    }

    /// @inheritdoc IRewardToken
    function initialEpochEmission() external view returns (uint256) {
        return _initialEpochEmission;
    }

    /// @inheritdoc IRewardToken
    function halvingInterval() external view returns (uint256) {
        return _halvingInterval;
    }

    /// @inheritdoc IRewardToken
    function genesisAllocation() external view returns (uint256) {
        return _genesisAllocation;
    }

    /// @inheritdoc IRewardToken
    function currentEpoch() external view returns (uint256) {
        if (block.timestamp < _genesis) revert GenesisNotReached(_genesis, block.timestamp);
        return EpochClockLib.endedEpochs(_genesis, _epochLength, block.timestamp);
    }

    /// @inheritdoc IRewardToken
    function endedEpochs() public view returns (uint256) {
        return EpochClockLib.endedEpochs(_genesis, _epochLength, block.timestamp);
    }

    /// @inheritdoc IRewardToken
    function emission(uint256 e) external view returns (uint256) {
        return EmissionLib.emission(_initialEpochEmission, _halvingInterval, e);
    }

    /// @inheritdoc IRewardToken
    function cumulativeEmission(uint256 e) external view returns (uint256) {
        return EmissionLib.cumulativeEmission(_initialEpochEmission, _halvingInterval, e);
    }

    /// @inheritdoc IRewardToken
    function emissionBudget() public view returns (uint256) {
        uint256 ended = endedEpochs();
        if (ended == 0) return 0;
        return EmissionLib.cumulativeEmission(_initialEpochEmission, _halvingInterval, ended - 1);
    }

    /// @inheritdoc IRewardToken
    function emissionMinted() external view returns (uint256) {
        return _emissionMinted;
    }

    /// @inheritdoc IRewardToken
    function mintable() external view returns (uint256) {
        // Never more than the room under the cap: the constructor checked that the whole schedule fits.
        return emissionBudget() - _emissionMinted;
    }

    /// @notice The votes clock: the block timestamp (EIP-6372).
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @notice Declares the timestamp clock (EIP-6372).
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice The next nonce of `owner`, shared by `permit` and `delegateBySig`.
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    // ─── Internal ─────────────────────────────────────────────────────────────────────────────

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
