// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// solhint-disable-next-line max-line-length
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {ERC721Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC721/ERC721Upgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {IERC165} from "@openzeppelin/contracts/interfaces/IERC165.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts/proxy/utils/UUPSUpgradeable.sol";

import {IDataCredits} from "../interfaces/IDataCredits.sol";
import {IDeviceRegistry} from "../interfaces/IDeviceRegistry.sol";
import {DeviceOnboardingLib} from "../libraries/DeviceOnboardingLib.sol";
import {DeviceSuspensionLib} from "../libraries/DeviceSuspensionLib.sol";
import {SuitePausable} from "../utils/SuitePausable.sol";

/**
 * @title DeviceRegistry
 * @notice The network's device registry: one ERC-721 per device key, onboarded once with a maker's attestation
 * and the device's own signature, with fees in data credits, H3 locations, classes, statuses and rewards
 * recipients. See `IDeviceRegistry` for the rules.
 * @dev UUPS behind an ERC-1967 proxy, ERC-7201 storage (`depin.storage.DeviceRegistry`), every privileged
 * function `restricted` by the suite's AccessManager (the deploy library's `DEVICE_REGISTRY_ROLES`), upgrades
 * included. Each user function runs checks, then effects, then events, then interactions: the fee burn (a
 * trusted, restricted DataCredits call) and last the untrusted `onERC721Received` callback of `_safeMint`.
 *
 * Overriders must never break: a device key's record is written once with `onboardedAt != 0` and never
 * cleared, so a key never onboards twice; a token exists exactly for each onboarded, non-decommissioned key;
 * every fee is burned before the token it pays for is minted; and every state change emits its event.
 */
contract DeviceRegistry is
    ERC721Upgradeable,
    EIP712Upgradeable,
    AccessManagedUpgradeable,
    SuitePausable,
    UUPSUpgradeable,
    IDeviceRegistry
{
    // ─── Constants ────────────────────────────────────────────────────────────────────────────

    /// @notice The EIP-712 domain's name and version.
    string private constant _DOMAIN_NAME = "DeviceRegistry";
    string private constant _DOMAIN_VERSION = "1";

    /// @notice The maker's attestation of one device it built.
    bytes32 public constant MAKER_ATTESTATION_TYPEHASH = DeviceOnboardingLib.MAKER_ATTESTATION_TYPEHASH;
    /// @notice The device key's consent to be onboarded to `owner`.
    bytes32 public constant ONBOARD_TYPEHASH = DeviceOnboardingLib.ONBOARD_TYPEHASH;

    /// @notice The `reason` of the fee burns, for DataCredits' records.
    bytes32 public constant ONBOARD_FEE_REASON = keccak256("ONBOARD");
    bytes32 public constant LOCATION_FEE_REASON = keccak256("ASSERT_LOCATION");

    /// @notice The largest class multiplier: 10x.
    uint32 public constant MAX_MULTIPLIER_BPS = DeviceOnboardingLib.MAX_MULTIPLIER_BPS;
    /// @notice Classes fit a maker's 64-bit `allowedClasses` bitmap.
    uint256 public constant MAX_DEVICE_CLASSES = 64;

    // H3 index layout (https://h3geo.org/docs/core-library/h3Indexing): bit 63 reserved, 59-62 mode,
    // 56-58 mode-dependent, 52-55 resolution, 45-51 base cell, then 15 digits of 3 bits each.
    uint64 private constant _H3_DIGITS_MASK = 0x1fffffffffff;
    /// @dev The lowest bit of each of the 15 digits.
    uint64 private constant _H3_DIGIT_LOW_BITS = 0x49249249249;
    uint64 private constant _H3_BASE_CELLS = 122;

    // ─── Storage ──────────────────────────────────────────────────────────────────────────────

    /// @custom:storage-location erc7201:depin.storage.DeviceRegistry
    struct DeviceRegistryStorage {
        /// @dev One slot: read once per onboarding or assertion (the pause flag too: see `_pause`).
        address credits;
        bool paused;
        uint32 makerCount;
        uint8 deviceClassCount;
        string baseURI;
        mapping(uint32 makerId => Maker) makers;
        mapping(uint8 deviceClass => DeviceClass) classes;
        mapping(address device => DeviceRecord) devices;
        /// @dev Zero means "the owner", so the default costs no storage.
        mapping(uint256 tokenId => address) recipients;
        /// @dev One slot, read once per oracle suspension. Appended after the first version's fields.
        SuspensionBudget suspensionBudget;
        mapping(address oracle => OracleSuspensions) oracleSuspensions;
    }

    // keccak256(abi.encode(uint256(keccak256("depin.storage.DeviceRegistry")) - 1)) & ~bytes32(uint256(0xff))
    // The suite's one ERC-7201 naming: `_STORAGE_LOCATION` and `_getStorage()` (see docs/conventions.md).
    bytes32 private constant _STORAGE_LOCATION = 0xbfcb113717b75b883a577dd88c43c14b46af50ce90e62821f7ab7cd0d10dc900;

    function _getStorage() private pure returns (DeviceRegistryStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := _STORAGE_LOCATION
        }
    }

    // ─── Constructor and initializer ──────────────────────────────────────────────────────────

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @notice Initializes the proxy: authority, credits, token name and symbol, base URI and the first classes.
     * @param authority The suite's AccessManager.
     * @param credits_ The DataCredits contract that burns the fees (this registry needs its FEE_BURNER role).
     * @param name_ The ERC-721 name.
     * @param symbol_ The ERC-721 symbol.
     * @param baseURI_ The base of `tokenURI`.
     * @param classes The device classes to add, ids 0, 1, ... in order (they start enabled).
     * @param suspensionBudget_ The oracles' suspension budget (see `setSuspensionBudget`).
     */
    function initialize(
        address authority,
        address credits_,
        string memory name_,
        string memory symbol_,
        string memory baseURI_,
        DeviceClassConfig[] calldata classes,
        SuspensionBudget calldata suspensionBudget_
    ) external initializer {
        __ERC721_init(name_, symbol_);
        __EIP712_init(_DOMAIN_NAME, _DOMAIN_VERSION);
        __AccessManaged_init(authority);
        __Pausable_init();
        _setCredits(credits_);
        _setBaseURI(baseURI_);
        _setSuspensionBudget(suspensionBudget_.perWindow, suspensionBudget_.windowSeconds);
        for (uint256 i = 0; i < classes.length; ++i) {
            _addDeviceClass(classes[i]);
        }
    }

    // ─── Governance functions ─────────────────────────────────────────────────────────────────

    /// @inheritdoc IDeviceRegistry
    function setCredits(address credits_) external restricted {
        _setCredits(credits_);
    }

    /// @inheritdoc IDeviceRegistry
    function setBaseURI(string memory baseURI_) external restricted {
        _setBaseURI(baseURI_);
        emit BatchMetadataUpdate(0, type(uint256).max);
    }

    /// @inheritdoc IDeviceRegistry
    function addMaker(MakerConfig calldata config) external restricted returns (uint32 makerId) {
        DeviceRegistryStorage storage $ = _getStorage();
        makerId = $.makerCount + 1;
        $.makerCount = makerId;
        Maker storage m = $.makers[makerId];
        m.enabled = true;
        DeviceOnboardingLib.writeMaker(m, makerId, config);
    }

    /// @inheritdoc IDeviceRegistry
    function updateMaker(uint32 makerId, MakerConfig calldata config) external restricted {
        DeviceOnboardingLib.writeMaker(_knownMaker(makerId), makerId, config);
    }

    /// @inheritdoc IDeviceRegistry
    function setMakerEnabled(uint32 makerId, bool enabled) external restricted {
        _knownMaker(makerId).enabled = enabled;
        emit MakerEnabledSet(makerId, enabled);
    }

    /// @inheritdoc IDeviceRegistry
    function addDeviceClass(DeviceClassConfig calldata config) external restricted returns (uint8) {
        return _addDeviceClass(config);
    }

    /// @inheritdoc IDeviceRegistry
    function updateDeviceClass(uint8 deviceClass_, DeviceClassConfig calldata config) external restricted {
        DeviceOnboardingLib.writeDeviceClass(_knownDeviceClass(deviceClass_), deviceClass_, config);
    }

    /// @inheritdoc IDeviceRegistry
    function setDeviceClassEnabled(uint8 deviceClass_, bool enabled) external restricted {
        _knownDeviceClass(deviceClass_).enabled = enabled;
        emit DeviceClassEnabledSet(deviceClass_, enabled);
    }

    /// @inheritdoc IDeviceRegistry
    function setSuspensionBudget(uint32 perWindow, uint32 windowSeconds) external restricted {
        _setSuspensionBudget(perWindow, windowSeconds);
    }

    /// @inheritdoc IDeviceRegistry
    function suspend(uint256 tokenId, uint16 reasonCode) external restricted {
        DeviceRegistryStorage storage $ = _getStorage();
        DeviceSuspensionLib.suspendWithinBudget(
            $.suspensionBudget,
            $.oracleSuspensions[msg.sender],
            $.devices,
            tokenId,
            reasonCode
        );
    }

    /// @inheritdoc IDeviceRegistry
    function guardianSuspend(uint256 tokenId, uint16 reasonCode) external restricted {
        DeviceSuspensionLib.suspend(_getStorage().devices, tokenId, reasonCode);
    }

    /// @inheritdoc IDeviceRegistry
    function liftSuspensions(address suspender, uint256[] calldata tokenIds) external restricted returns (uint256) {
        return DeviceSuspensionLib.lift(_getStorage().devices, suspender, tokenIds);
    }

    /// @inheritdoc IDeviceRegistry
    function reinstate(uint256 tokenId) external restricted {
        DeviceSuspensionLib.reinstate(_getStorage().devices, tokenId);
    }

    /// @inheritdoc IDeviceRegistry
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc IDeviceRegistry
    function unpause() external restricted {
        _unpause();
    }

    // ─── User functions ───────────────────────────────────────────────────────────────────────

    /// @inheritdoc IDeviceRegistry
    function onboard(OnboardRequest calldata request) external whenNotPaused returns (uint256) {
        return _onboard(_getStorage(), request);
    }

    /// @inheritdoc IDeviceRegistry
    function batchOnboard(
        OnboardRequest[] calldata requests
    ) external whenNotPaused returns (uint256[] memory tokenIds) {
        if (requests.length == 0) revert EmptyBatch();
        DeviceRegistryStorage storage $ = _getStorage();
        tokenIds = new uint256[](requests.length);
        for (uint256 i = 0; i < requests.length; ++i) {
            OnboardRequest calldata r = requests[i];
            // A key onboarded already (by a front-runner, or earlier in this batch) is skipped, not fatal: its id
            // stays 0, which names no device (the zero key cannot sign). Every other failure reverts the batch.
            if ($.devices[r.device].onboardedAt != 0) {
                emit OnboardingSkipped(r.device);
                continue;
            }
            tokenIds[i] = _onboard($, r);
        }
    }

    /// @inheritdoc IDeviceRegistry
    function useOnboardingNonce() external returns (uint256 nonce) {
        DeviceRecord storage record = _getStorage().devices[msg.sender];
        nonce = record.nonce;
        record.nonce = uint32(nonce) + 1;
        emit OnboardingNonceUsed(msg.sender, nonce);
    }

    /// @inheritdoc IDeviceRegistry
    function assertLocation(uint256 tokenId, uint64 h3Cell) external whenNotPaused {
        address owner = _requireOwned(tokenId);
        _checkAuthorized(owner, msg.sender, tokenId);
        if (!isValidH3Cell(h3Cell)) revert InvalidH3Cell(h3Cell);
        DeviceRegistryStorage storage $ = _getStorage();
        DeviceRecord storage record = $.devices[address(uint160(tokenId))];
        if (record.status != DeviceStatus.Active) revert InvalidDeviceStatus(tokenId, record.status);
        uint256 fee = $.classes[record.deviceClass].locationFee;

        uint32 count = record.assertionCount + 1;
        record.location = h3Cell;
        record.assertionCount = count;

        emit LocationAsserted(tokenId, h3Cell, count);
        emit MetadataUpdate(tokenId);

        // The caller pays, so an approved operator spends its own credits, never the owner's.
        if (fee > 0) IDataCredits($.credits).burnFee(msg.sender, fee, LOCATION_FEE_REASON);
    }

    /// @inheritdoc IDeviceRegistry
    function setRewardsRecipient(uint256 tokenId, address recipient) external {
        address owner = _requireOwned(tokenId);
        _checkAuthorized(owner, msg.sender, tokenId);
        _getStorage().recipients[tokenId] = recipient;
        emit RewardsRecipientSet(tokenId, recipient);
    }

    /// @inheritdoc IDeviceRegistry
    function decommission(uint256 tokenId) external {
        address owner = _requireOwned(tokenId);
        _checkAuthorized(owner, msg.sender, tokenId);
        _getStorage().devices[address(uint160(tokenId))].status = DeviceStatus.Decommissioned;
        emit DeviceDecommissioned(tokenId, owner);
        emit MetadataUpdate(tokenId);
        _burn(tokenId);
    }

    // ─── Views ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IDeviceRegistry
    function credits() external view returns (address) {
        return _getStorage().credits;
    }

    /// @inheritdoc IDeviceRegistry
    function paused() public view override(IDeviceRegistry, SuitePausable) returns (bool) {
        return SuitePausable.paused();
    }

    /// @inheritdoc IDeviceRegistry
    function suspensionBudget() external view returns (SuspensionBudget memory) {
        return _getStorage().suspensionBudget;
    }

    /// @inheritdoc IDeviceRegistry
    function oracleSuspensions(address oracle) external view returns (OracleSuspensions memory) {
        return _getStorage().oracleSuspensions[oracle];
    }

    /// @inheritdoc IDeviceRegistry
    function makerCount() external view returns (uint32) {
        return _getStorage().makerCount;
    }

    /// @inheritdoc IDeviceRegistry
    function maker(uint32 makerId) external view returns (Maker memory) {
        return _knownMaker(makerId);
    }

    /// @inheritdoc IDeviceRegistry
    function deviceClassCount() external view returns (uint8) {
        return _getStorage().deviceClassCount;
    }

    /// @inheritdoc IDeviceRegistry
    function deviceClass(uint8 deviceClass_) external view returns (DeviceClass memory) {
        return _knownDeviceClass(deviceClass_);
    }

    /// @inheritdoc IDeviceRegistry
    function deviceInfo(uint256 tokenId) external view returns (DeviceInfo memory info) {
        DeviceRecord storage record = _knownDevice(tokenId);
        address owner = _ownerOf(tokenId);
        address recipient = _getStorage().recipients[tokenId];
        info = DeviceInfo({
            owner: owner,
            rewardsRecipient: recipient == address(0) ? owner : recipient,
            makerId: record.makerId,
            deviceClass: record.deviceClass,
            status: record.status,
            onboardedAt: record.onboardedAt,
            location: record.location,
            assertionCount: record.assertionCount,
            suspensionReason: record.suspensionReason,
            suspendedBy: record.suspendedBy
        });
    }

    /// @inheritdoc IDeviceRegistry
    function devicesOf(address owner) external view returns (uint256) {
        return balanceOf(owner);
    }

    /// @inheritdoc IDeviceRegistry
    function onboardingNonce(address device) external view returns (uint256) {
        return _getStorage().devices[device].nonce;
    }

    /// @inheritdoc IDeviceRegistry
    function isValidH3Cell(uint64 h3Cell) public pure returns (bool) {
        // Reserved bit 0, mode 1 (a cell), mode-dependent bits 0: the top 8 bits are exactly 0b0000_1000.
        if (h3Cell >> 56 != 0x08) return false;
        if ((h3Cell >> 45) & 0x7f >= _H3_BASE_CELLS) return false;
        uint64 resolution = (h3Cell >> 52) & 0xf;
        uint64 unusedBits = (15 - resolution) * 3;
        uint64 digits = h3Cell & _H3_DIGITS_MASK;
        // Every digit past the resolution is 7 (all three bits set).
        uint64 unusedMask = (uint64(1) << unusedBits) - 1;
        if (digits & unusedMask != unusedMask) return false;
        // No digit up to the resolution is 7: a digit is 7 when its three bits are set.
        uint64 sevens = digits & (digits >> 1) & (digits >> 2) & _H3_DIGIT_LOW_BITS;
        return sevens >> unusedBits == 0;
    }

    /// @notice ERC-721, ERC-721 metadata, ERC-165 and ERC-4906 (`0x49064906`).
    function supportsInterface(bytes4 interfaceId) public view override(ERC721Upgradeable, IERC165) returns (bool) {
        return interfaceId == bytes4(0x49064906) || super.supportsInterface(interfaceId);
    }

    // ─── Internal ─────────────────────────────────────────────────────────────────────────────

    function _onboard(DeviceRegistryStorage storage $, OnboardRequest calldata r) private returns (uint256 tokenId) {
        // Checks.
        if (block.timestamp > r.deadline) revert OnboardingExpired(r.deadline, block.timestamp);
        if (r.makerId == 0 || r.makerId > $.makerCount) revert UnknownMaker(r.makerId);
        if (r.deviceClass >= $.deviceClassCount) revert UnknownDeviceClass(r.deviceClass);
        Maker storage m = $.makers[r.makerId];
        DeviceClass storage c = $.classes[r.deviceClass];
        // The maker's sponsor pays when it has one, else the caller: never an owner that did not send the call.
        address sponsor = m.sponsor;
        address payer = sponsor == address(0) ? msg.sender : sponsor;
        uint256 fee = c.onboardingFee;
        // The library checks the rest and the signatures, then spends the key and counts the maker's device.
        DeviceOnboardingLib.checkAndRecord(m, c, $.devices[r.device], r, _domainSeparatorV4());
        tokenId = uint256(uint160(r.device));

        emit DeviceOnboarded(tokenId, r.owner, r.makerId, r.deviceClass, payer, fee);

        // Interactions: the trusted fee burn, then the mint and its untrusted receiver callback.
        if (fee > 0) IDataCredits($.credits).burnFee(payer, fee, ONBOARD_FEE_REASON);
        _safeMint(r.owner, tokenId);
    }

    function _setSuspensionBudget(uint32 perWindow, uint32 windowSeconds) private {
        if (windowSeconds == 0) revert InvalidSuspensionWindow(0);
        _getStorage().suspensionBudget = SuspensionBudget(perWindow, windowSeconds);
        emit SuspensionBudgetSet(perWindow, windowSeconds);
    }

    /// @dev A transfer between holders resets the rewards recipient; so does a burn (decommission).
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0)) {
            DeviceRegistryStorage storage $ = _getStorage();
            if ($.recipients[tokenId] != address(0)) {
                delete $.recipients[tokenId];
                if (to != address(0)) emit RewardsRecipientSet(tokenId, address(0));
            }
        }
    }

    function _setCredits(address credits_) private {
        if (credits_ == address(0)) revert InvalidCredits(address(0));
        DeviceRegistryStorage storage $ = _getStorage();
        emit CreditsSet($.credits, credits_);
        $.credits = credits_;
    }

    function _setBaseURI(string memory baseURI_) private {
        _getStorage().baseURI = baseURI_;
        emit BaseURISet(baseURI_);
    }

    function _addDeviceClass(DeviceClassConfig calldata config) private returns (uint8 id) {
        DeviceRegistryStorage storage $ = _getStorage();
        uint256 count = $.deviceClassCount;
        if (count >= MAX_DEVICE_CLASSES) revert TooManyDeviceClasses(MAX_DEVICE_CLASSES);
        id = uint8(count);
        $.deviceClassCount = id + 1;
        DeviceClass storage c = $.classes[id];
        c.enabled = true;
        DeviceOnboardingLib.writeDeviceClass(c, id, config);
    }

    function _knownMaker(uint32 makerId) private view returns (Maker storage) {
        DeviceRegistryStorage storage $ = _getStorage();
        if (makerId == 0 || makerId > $.makerCount) revert UnknownMaker(makerId);
        return $.makers[makerId];
    }

    function _knownDeviceClass(uint8 deviceClass_) private view returns (DeviceClass storage) {
        DeviceRegistryStorage storage $ = _getStorage();
        if (deviceClass_ >= $.deviceClassCount) revert UnknownDeviceClass(deviceClass_);
        return $.classes[deviceClass_];
    }

    function _knownDevice(uint256 tokenId) private view returns (DeviceRecord storage record) {
        if (tokenId > type(uint160).max) revert UnknownDevice(tokenId);
        record = _getStorage().devices[address(uint160(tokenId))];
        if (record.onboardedAt == 0) revert UnknownDevice(tokenId);
    }

    function _baseURI() internal view override returns (string memory) {
        return _getStorage().baseURI;
    }

    /// @dev Constant name and version: no storage reads when hashing a signature.
    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Name() internal pure override returns (string memory) {
        return _DOMAIN_NAME;
    }

    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Version() internal pure override returns (string memory) {
        return _DOMAIN_VERSION;
    }

    /// @dev `SuitePausable`'s flag: word 0 of the namespace, which every onboarding and assertion reads anyway.
    function _pausedFlag() internal view override returns (bool) {
        return _getStorage().paused;
    }

    /// @dev Written only by `SuitePausable`'s `_pause` and `_unpause`.
    function _setPausedFlag(bool value) internal override {
        _getStorage().paused = value;
    }

    /// @dev The `restricted` modifier is the whole check: the UPGRADER role, wired by the deploy library.
    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal override restricted {}
}
