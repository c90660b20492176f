// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";

import {IRewardToken} from "../interfaces/IRewardToken.sol";
import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IStaking} from "../interfaces/IStaking.sol";
import {RootRing} from "./modules/RootRing.sol";

/**
 * @title RewardsDistributor
 * @notice Mints each ended epoch's emission once, takes the operators' merkle root from a quorum of
 * oracles, holds it for a challenge window, and pays cumulative claims by transfer. See
 * `IRewardsDistributor` for the rules and the decisions taken where the spec is silent.
 * @dev The core: claims, the pause switch, `extsload` and upgrades, on top of the modules
 * `EmissionSplit` (split history, minting, sweep), `OracleQuorum` (oracle registry, quorum, ballots)
 * and `RootRing` (ring of roots, challenge window, veto), which share `RewardsDistributorLayout`.
 * Its state is read through `RewardsLens` (or `RewardsDistributorStateLib` on chain), which decode the
 * layout from `extsload`. UUPS behind an ERC-1967 proxy, ERC-7201 storage, every privileged function
 * `restricted` by the suite's AccessManager. The claim path reads two slots of this contract (the head
 * and the root) and the account's claimed total, so the layout is packed around it.
 *
 * Overriders must never break:
 * - `claimed[a]` only grows, and an account is paid exactly the growth of its proven cumulative amount;
 * - claims verify only against the latest claimable root;
 * - Σ claimed never passes the latest claimable root's `totalCumulative`;
 * - while paused, no claim, post or distribution goes through; veto, governance and sweep still do;
 * and what each module lists.
 */
contract RewardsDistributor is RootRing, EIP712Upgradeable, NoncesUpgradeable, UUPSUpgradeable {
    using SafeERC20 for IERC20;

    // ─── Constants ────────────────────────────────────────────────────────────────────────────

    /// @notice The EIP-712 type of a signed claim to another recipient.
    bytes32 private constant _CLAIM_TO_TYPEHASH = keccak256(
        "ClaimTo(address account,address recipient,uint256 cumulativeAmount,uint256 nonce,uint256 deadline)"
    );

    // ─── Initialization ───────────────────────────────────────────────────────────────────────

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc IRewardsDistributor
    function initialize(InitParams calldata params) external initializer {
        if (params.authority == address(0)) revert InvalidAddress(params.authority);
        if (params.token == address(0)) revert InvalidAddress(params.token);
        if (params.staking == address(0)) revert InvalidAddress(params.staking);
        __AccessManaged_init(params.authority);
        __Pausable_init();
        __EIP712_init("RewardsDistributor", "1");
        __Nonces_init();

        RewardsDistributorStorage storage $ = _getStorage();
        $.head.token = IERC20(params.token);
        $.staking = IStaking(params.staking);
        for (uint256 i = 0; i < params.oracles.length; ++i) _addOracle($, params.oracles[i]);
        _setQuorum($, params.quorum);
        _setChallengeWindow($, params.challengeWindow);
        _initEmission(
            $,
            IRewardToken(params.token),
            params.operatorsBps,
            params.stakersBps,
            params.treasuryBps,
            params.treasury
        );
    }

    // ─── Claims ───────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IRewardsDistributor
    function claim(
        address account,
        uint256 cumulativeAmount,
        bytes32[] calldata proof
    ) external returns (uint256 amount) {
        (IERC20 token_, bytes32 root, uint256 rootTotal) = _claimContext();
        amount = _settle(root, account, cumulativeAmount, proof);
        if (amount != 0) {
            _addClaimed(rootTotal, amount);
            address recipient = _recipientOf(account);
            emit Claimed(account, recipient, amount, cumulativeAmount);
            token_.safeTransfer(recipient, amount);
        }
    }

    /// @inheritdoc IRewardsDistributor
    function claimTo(
        address account,
        address recipient,
        uint256 cumulativeAmount,
        bytes32[] calldata proof,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 amount) {
        if (block.timestamp > deadline) revert ClaimSignatureExpired(deadline, block.timestamp);
        if (recipient == address(0)) revert InvalidRecipient(recipient);
        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(_CLAIM_TO_TYPEHASH, account, recipient, cumulativeAmount, _useNonce(account), deadline)
            )
        );
        if (!SignatureChecker.isValidSignatureNowCalldata(account, digest, signature)) {
            revert InvalidClaimSignature(account);
        }
        (IERC20 token_, bytes32 root, uint256 rootTotal) = _claimContext();
        amount = _settle(root, account, cumulativeAmount, proof);
        if (amount != 0) {
            _addClaimed(rootTotal, amount);
            emit Claimed(account, recipient, amount, cumulativeAmount);
            token_.safeTransfer(recipient, amount);
        }
    }

    /// @inheritdoc IRewardsDistributor
    function batchClaim(Claim[] calldata claims) external returns (uint256 total) {
        (IERC20 token_, bytes32 root, uint256 rootTotal) = _claimContext();
        for (uint256 i = 0; i < claims.length; ++i) {
            Claim calldata c = claims[i];
            uint256 amount = _settle(root, c.account, c.cumulativeAmount, c.proof);
            if (amount != 0) {
                address recipient = _recipientOf(c.account);
                emit Claimed(c.account, recipient, amount, c.cumulativeAmount);
                token_.safeTransfer(recipient, amount);
                total += amount;
            }
        }
        // One write of the running total for the whole batch. The transfers above go to the suite's own
        // token, which calls no one back, so nothing can claim in between.
        if (total != 0) _addClaimed(rootTotal, total);
    }

    /// @inheritdoc IRewardsDistributor
    function setClaimRecipient(address recipient) external {
        _getStorage().claimRecipients[msg.sender] = recipient;
        emit ClaimRecipientSet(msg.sender, recipient);
    }

    // ─── Pause ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IRewardsDistributor
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc IRewardsDistributor
    function unpause() external restricted {
        _unpause();
    }

    // ─── Views ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IRewardsDistributor
    function extsload(bytes32 slot) external view returns (bytes32 value) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            value := sload(slot)
        }
    }

    /// @inheritdoc IRewardsDistributor
    function extsload(bytes32 startSlot, uint256 nSlots) external view returns (bytes32[] memory values) {
        values = new bytes32[](nSlots);
        for (uint256 i = 0; i < nSlots; ++i) {
            // A slot number wraps modulo 2**256 like the storage it addresses.
            unchecked {
                uint256 slot = uint256(startSlot) + i;
                bytes32 value;
                // solhint-disable-next-line no-inline-assembly
                assembly {
                    value := sload(slot)
                }
                values[i] = value;
            }
        }
    }

    /// @inheritdoc IRewardsDistributor
    function nonces(address account) public view override(IRewardsDistributor, NoncesUpgradeable) returns (uint256) {
        return super.nonces(account);
    }

    // ─── Internal: claims ─────────────────────────────────────────────────────────────────────

    /**
     * @dev The token and the latest claimable root with its `totalCumulative`; reverts when paused or
     * none is claimable. The latest claimable root is never superseded (see EpochRecord).
     */
    function _claimContext() private view returns (IERC20, bytes32, uint256) {
        RewardsDistributorStorage storage $ = _getStorage();
        Head memory head = $.head;
        if (head.paused) revert EnforcedPause();
        uint256 count = head.nextEpoch;
        if (block.timestamp < head.headClaimableAt) count = _claimableCount(head);
        if (count == 0) revert NoClaimableRoot();
        // count ≥ 1 here.
        unchecked {
            EpochRecord storage record = $.ring[(count - 1) % _RING];
            return (head.token, record.root, record.totalCumulative);
        }
    }

    /// @dev Adds `amount` to Σ claimed, which may never pass the latest claimable root's total.
    function _addClaimed(uint256 rootTotal, uint256 amount) private {
        RewardsDistributorStorage storage $ = _getStorage();
        uint256 total = $.totalClaimed + amount;
        if (total > rootTotal) revert ClaimsExceedRootTotal(total, rootTotal);
        $.totalClaimed = total;
    }

    /// @dev Where `account`'s claims are paid: its chosen recipient, or itself.
    function _recipientOf(address account) private view returns (address) {
        address recipient = _getStorage().claimRecipients[account];
        return recipient == address(0) ? account : recipient;
    }

    /// @dev Verifies the leaf and records the new claimed total; returns what is newly due.
    function _settle(
        bytes32 root,
        address account,
        uint256 cumulativeAmount,
        bytes32[] calldata proof
    ) private returns (uint256) {
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert InvalidProof(account, cumulativeAmount);
        mapping(address => uint256) storage claimed_ = _getStorage().claimed;
        uint256 previous = claimed_[account];
        if (cumulativeAmount <= previous) return 0;
        claimed_[account] = cumulativeAmount;
        // cumulativeAmount > previous.
        unchecked {
            return cumulativeAmount - previous;
        }
    }

    // ─── Upgrades ─────────────────────────────────────────────────────────────────────────────

    /// @dev `restricted`: the deploy library wires `upgradeToAndCall(address,bytes)` to UPGRADER.
    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal override restricted {}
}
