// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IDeviceRegistry} from "../interfaces/IDeviceRegistry.sol";

/**
 * @title DeviceOnboardingLib
 * @notice The DeviceRegistry's onboarding checks: maker and class state, quota, one onboarding per key, and the
 * two EIP-712 signatures (the maker's attestation and the device's consent), through `SignatureChecker`.
 * @dev An external (linked) library, so that the registry stays under the 24,576-byte code limit at the suite's
 * optimizer settings. It is stateless and has no `selfdestruct`; it only touches the storage the registry
 * passes and reverts with the registry's own errors. Overriders must never let it skip a check, or write
 * anything but the request's device record and its maker's count.
 */
library DeviceOnboardingLib {
    /// @notice The maker's attestation of one device it built.
    bytes32 internal constant MAKER_ATTESTATION_TYPEHASH = keccak256(
        "MakerAttestation(address device,uint8 deviceClass,uint32 makerId)"
    );
    /// @notice The device key's consent to be onboarded to `owner`.
    bytes32 internal constant ONBOARD_TYPEHASH = keccak256("Onboard(address owner,uint256 nonce,uint256 deadline)");

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
}
