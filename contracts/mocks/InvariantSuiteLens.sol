// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IDataCredits} from "../interfaces/IDataCredits.sol";
import {IRewardToken} from "../interfaces/IRewardToken.sol";
import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {RewardsDistributorStateLib} from "../libraries/RewardsDistributorStateLib.sol";

/**
 * @title InvariantSuiteLens
 * @notice Test-only: reads, in one `eth_call`, every on-chain figure the suite-wide invariant fuzz test checks
 * after each step (`test/invariants/`), so that a step costs one transaction and one call. It holds no state
 * and changes nothing; it never judges: the test compares the figures with PROTOCOL.md's invariants. It reads the
 * distributor through `RewardsDistributorStateLib` (its `extsload`), as an on-chain integrator would.
 */
contract InvariantSuiteLens {
    using RewardsDistributorStateLib for IRewardsDistributor;

    /// @notice The deployed suite the lens reads.
    struct Suite {
        IRewardToken token;
        IDataCredits credits;
        IERC721 registry;
        IStaking staking;
        IRewardsDistributor distributor;
    }

    /// @notice Token and emission figures.
    struct TokenView {
        uint256 totalSupply;
        uint256 cap;
        uint256 emissionMinted;
        uint256 emissionBudget;
        uint256 genesisAllocation;
        uint256 endedEpochs;
        uint256 distributorBalance;
        uint256 stakingBalance;
    }

    /// @notice Distributor figures.
    struct RewardsView {
        bool claimableExists;
        uint256 claimableEpoch;
        bytes32 claimableRoot;
        uint256 claimableTotal;
        /// @notice The operators' share of every epoch through `claimableEpoch` (0 without a claimable root).
        uint256 operatorsEmissionThroughClaimable;
        uint256 nextEpoch;
        uint256 totalSwept;
        uint256[] claimed;
    }

    /// @notice DataCredits figures.
    struct CreditsView {
        uint256 totalSupply;
        uint256 creditsMinted;
        uint256 creditsBurned;
        uint256 tokensBurned;
        uint256 escrowed;
        uint256[] balances;
    }

    /// @notice Staking figures.
    struct StakingView {
        uint256 bonded;
        uint256 totalUnbonding;
        uint256 rewardReserve;
    }

    /// @notice Registry figures: `owners[i]` is zero when device token `devices[i]` does not exist.
    struct RegistryView {
        address[] owners;
        uint256[] balances;
    }

    /// @notice Everything at once.
    function read(
        Suite calldata suite,
        address[] calldata accounts,
        address[] calldata operators,
        uint256[] calldata devices
    )
        external
        view
        returns (
            TokenView memory tokenView,
            RewardsView memory rewardsView,
            CreditsView memory creditsView,
            StakingView memory stakingView,
            RegistryView memory registryView
        )
    {
        tokenView = _token(suite);
        rewardsView = _rewards(suite.distributor, accounts);
        creditsView = _credits(suite.credits, accounts);
        stakingView = _staking(suite.staking, operators);
        registryView = _registry(suite.registry, accounts, devices);
    }

    function _token(Suite calldata suite) private view returns (TokenView memory v) {
        IRewardToken token = suite.token;
        v.totalSupply = token.totalSupply();
        v.cap = token.cap();
        v.emissionMinted = token.emissionMinted();
        v.emissionBudget = token.emissionBudget();
        v.genesisAllocation = token.genesisAllocation();
        v.endedEpochs = token.endedEpochs();
        v.distributorBalance = token.balanceOf(address(suite.distributor));
        v.stakingBalance = token.balanceOf(address(suite.staking));
    }

    function _rewards(
        IRewardsDistributor distributor,
        address[] calldata accounts
    ) private view returns (RewardsView memory v) {
        (v.claimableExists, v.claimableEpoch, v.claimableRoot, v.claimableTotal) = distributor.latestClaimable();
        if (v.claimableExists) {
            for (uint256 e = 0; e <= v.claimableEpoch; ++e) {
                v.operatorsEmissionThroughClaimable += distributor.operatorsShareOf(e);
            }
        }
        v.nextEpoch = distributor.nextEpoch();
        v.totalSwept = distributor.totalSwept();
        v.claimed = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            v.claimed[i] = distributor.claimed(accounts[i]);
        }
    }

    function _credits(IDataCredits credits, address[] calldata accounts) private view returns (CreditsView memory v) {
        v.totalSupply = credits.totalSupply();
        v.creditsMinted = credits.creditsMinted();
        v.creditsBurned = credits.creditsBurned();
        v.tokensBurned = credits.tokensBurned();
        v.escrowed = credits.balanceOf(address(credits));
        v.balances = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            v.balances[i] = credits.balanceOf(accounts[i]);
        }
    }

    function _staking(IStaking staking, address[] calldata operators) private view returns (StakingView memory v) {
        for (uint256 i = 0; i < operators.length; ++i) {
            v.bonded += staking.operatorInfo(operators[i]).bondedTokens;
        }
        v.totalUnbonding = staking.totalUnbonding();
        v.rewardReserve = staking.rewardReserve();
    }

    function _registry(
        IERC721 registry,
        address[] calldata accounts,
        uint256[] calldata devices
    ) private view returns (RegistryView memory v) {
        v.owners = new address[](devices.length);
        for (uint256 i = 0; i < devices.length; ++i) {
            try registry.ownerOf(devices[i]) returns (address owner) {
                v.owners[i] = owner;
            } catch {
                v.owners[i] = address(0);
            }
        }
        v.balances = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            v.balances[i] = registry.balanceOf(accounts[i]);
        }
    }
}
