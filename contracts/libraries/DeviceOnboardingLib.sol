// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IDeviceRegistry} from "../interfaces/IDeviceRegistry.sol";

/**
 * @title DeviceOnboardingLib
 * @notice The DeviceRegistry's onboarding checks: maker and class state, quota, one onboarding per key, and the
 * two EIP-712 signatures (the maker's attestation and the device's consent), through `SignatureChecker`; and the
 * writes of the maker and class configurations those checks read, with their validation and events.
 * @dev An external (linked) library, so that the registry stays under the 24,576-byte code limit at the suite's
 * optimizer settings (the registry's optimizer inlined each configuration write at every call site). It is
 * stateless and has no `selfdestruct`; it only touches the storage the registry passes, reverts with the
 * registry's own errors and emits the registry's own events (a linked library runs in the registry's context).
 * Overriders must never let it skip a check, or write anything but the request's device record and its maker's
 * count on onboarding, and the maker or class passed on configuration.
 */
library DeviceOnboardingLib {
    /// @notice The maker's attestation of one device it built.
    bytes32 internal constant MAKER_ATTESTATION_TYPEHASH = keccak256(
        "MakerAttestation(address device,uint8 deviceClass,uint32 makerId)"
    );
    /// @notice The device key's consent to be onboarded to `owner`.
    bytes32 internal constant ONBOARD_TYPEHASH = keccak256("Onboard(address owner,uint256 nonce,uint256 deadline)");
    /// @notice The largest class multiplier: 10x.
    uint32 internal constant MAX_MULTIPLIER_BPS = 100_000;

    /**
     * @notice Checks one onboarding request against the maker, the class and the device key's record, then records
     * it: the key is spent (`onboardedAt`, the nonce bumped, status Active) and the maker's count bumps. Reverts
     * with the registry's error for the first check that fails, in the order the code reads.
     * @param m The request's maker (known: the registry checked the id).
     * @param c The request's class (known: the registry checked the id).
     * @param record The device key's record.
     * @param r The request.
     * @param domainSeparator The registry's EIP-712 domain separator (its chain id and address).
     */
    function checkAndRecord(
        IDeviceRegistry.Maker storage m,
        IDeviceRegistry.DeviceClass storage c,
        IDeviceRegistry.DeviceRecord storage record,
        IDeviceRegistry.OnboardRequest calldata r,
        bytes32 domainSeparator
    ) external {
        if (!m.enabled) revert IDeviceRegistry.MakerDisabled(r.makerId);
        if (!c.enabled) revert IDeviceRegistry.DeviceClassDisabled(r.deviceClass);
        if (m.allowedClasses & (uint64(1) << r.deviceClass) == 0) {
            revert IDeviceRegistry.DeviceClassNotAllowed(r.makerId, r.deviceClass);
        }
        uint32 quota = m.quota;
        if (quota != 0 && m.minted >= quota) revert IDeviceRegistry.MakerQuotaExceeded(r.makerId, quota);
        if (record.onboardedAt != 0) revert IDeviceRegistry.DeviceAlreadyOnboarded(r.device);
        uint32 nonce = record.nonce;

        // SignatureChecker: ERC-1271 for contract signers; for EOAs, ECDSA that rejects high-s signatures.
        bytes32 digest = MessageHashUtils.toTypedDataHash(
            domainSeparator,
            keccak256(abi.encode(MAKER_ATTESTATION_TYPEHASH, r.device, r.deviceClass, r.makerId))
        );
        if (!SignatureChecker.isValidSignatureNowCalldata(m.signer, digest, r.makerSignature)) {
            revert IDeviceRegistry.InvalidMakerSignature(r.makerId, r.device);
        }
        digest = MessageHashUtils.toTypedDataHash(
            domainSeparator,
            keccak256(abi.encode(ONBOARD_TYPEHASH, r.owner, nonce, r.deadline))
        );
        if (!SignatureChecker.isValidSignatureNowCalldata(r.device, digest, r.deviceSignature)) {
            revert IDeviceRegistry.InvalidDeviceSignature(r.device);
        }

        ++m.minted;
        record.onboardedAt = uint40(block.timestamp);
        record.makerId = r.makerId;
        record.nonce = nonce + 1;
        record.deviceClass = r.deviceClass;
        record.status = IDeviceRegistry.DeviceStatus.Active;
    }

    /**
     * @notice Writes a maker's configuration (keeping `minted` and `enabled`) and emits `MakerConfigured`.
     * Reverts with `EmptyName` or `InvalidMakerSigner`.
     * @param m The maker's record.
     * @param makerId The maker's id, for the event.
     * @param config The configuration.
     */
    function writeMaker(
        IDeviceRegistry.Maker storage m,
        uint32 makerId,
        IDeviceRegistry.MakerConfig calldata config
    ) external {
        if (config.name == bytes32(0)) revert IDeviceRegistry.EmptyName();
        if (config.signer == address(0)) revert IDeviceRegistry.InvalidMakerSigner(address(0));
        m.name = config.name;
        m.signer = config.signer;
        m.sponsor = config.sponsor;
        m.allowedClasses = config.allowedClasses;
        m.quota = config.quota;
        emit IDeviceRegistry.MakerConfigured(
            makerId,
            config.name,
            config.signer,
            config.sponsor,
            config.allowedClasses,
            config.quota
        );
    }

    /**
     * @notice Writes a class's name, multiplier and fees (keeping `enabled`) and emits `DeviceClassConfigured`.
     * Reverts with `EmptyName`, or `InvalidMultiplier` for 0 or above `MAX_MULTIPLIER_BPS`.
     * @param c The class's record.
     * @param id The class's id, for the event.
     * @param config The configuration.
     */
    function writeDeviceClass(
        IDeviceRegistry.DeviceClass storage c,
        uint8 id,
        IDeviceRegistry.DeviceClassConfig calldata config
    ) external {
        if (config.name == bytes32(0)) revert IDeviceRegistry.EmptyName();
        if (config.multiplierBps == 0 || config.multiplierBps > MAX_MULTIPLIER_BPS) {
            revert IDeviceRegistry.InvalidMultiplier(config.multiplierBps);
        }
        c.name = config.name;
        c.multiplierBps = config.multiplierBps;
        c.onboardingFee = config.onboardingFee;
        c.locationFee = config.locationFee;
        emit IDeviceRegistry.DeviceClassConfigured(
            id,
            config.name,
            config.multiplierBps,
            config.onboardingFee,
            config.locationFee
        );
    }
}
