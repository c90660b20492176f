// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";

import {IAccessManagerErrors} from "./IAccessManagerErrors.sol";

/**
 * @title IDeviceRegistry
 * @notice The supply side of the network: one ERC-721 per physical device, with token id
 * `uint256(uint160(deviceAddress))`, where `deviceAddress` is the address of the device's own secp256k1 key.
 *
 * A device joins once, ever: an approved maker attests it (EIP-712 `MakerAttestation(device, deviceClass,
 * makerId)`), the device key binds its owner (EIP-712 `Onboard(owner, nonce, deadline)`), and one call checks
 * both, burns the class's onboarding fee in data credits and mints the token. Owners then assert H3 locations
 * (a fee each), pick a rewards recipient, and may decommission the device, which burns the token for good.
 * Oracles suspend devices within a budget per oracle per window; the guardian suspends without one and lifts an
 * account's suspensions at once; governance reinstates any device and sets the budget.
 *
 * Every state change emits an event that carries the new state, so that an indexer can rebuild the registry
 * (makers, classes, devices, owners, recipients, locations, statuses) from the logs alone. ERC-721 `Transfer`
 * gives ownership; a transfer (not a mint or burn) also resets the rewards recipient to the new owner.
 *
 * Decisions where the spec is silent:
 * - Roles: MAKER_ADMIN manages makers and classes; ADMIN sets credits, the base URI and the suspension budget,
 *   reinstates and unpauses; ORACLE `suspend`s and GUARDIAN `guardianSuspend`s (one selector per role); GUARDIAN
 *   pauses and `liftSuspensions`; UPGRADER upgrades.
 * - Suspensions: one oracle key must not be stronger than the quorum, so `suspend` (the oracle path) is bounded:
 *   each oracle may make at most `perWindow` suspensions in each of its windows of `windowSeconds` (SUITE_ADMIN's
 *   `setSuspensionBudget`; the deploy sets a default). A window opens at the oracle's first suspension after its
 *   previous window closed, so any `windowSeconds`-long span holds at most 2 x `perWindow` of one oracle's
 *   suspensions. The budget counts suspensions made, not suspensions standing: a reinstatement gives nothing back.
 *   Windows rather than reward epochs, because the registry does not know the epochs (the token does) and the
 *   budget should not depend on a second contract. The guardian's `guardianSuspend` stays unbounded (one emergency
 *   key, which can also pause everything). Each device records who suspended it last (`suspendedBy`), and the
 *   guardian can reinstate at once the devices an account suspended (`liftSuspensions`), so a compromised oracle's
 *   damage is undone in one call while governance revokes its role behind its delay.
 * - Fees: the caller pays. The onboarding fee is paid by the maker's `sponsor` account when the maker has one (set
 *   by governance at the maker's request), else by the account that sends the onboarding (the owner, its operator,
 *   a relayer: whoever sends it); the location fee by the account that sends the assertion (the owner or an
 *   operator it approved). No call ever spends the credits of an owner that did not send it, so an approved
 *   operator cannot drain its owner's credits; a caller short of credits gets DataCredits' `InsufficientCredits`
 *   naming it. The owner does not sign: the device's signature binds the owner.
 * - The pause stops onboarding and location assertions only; transfers, recipients and decommissions go on. It
 *   is the suite's one convention, OpenZeppelin's `PausableUpgradeable`: its errors `EnforcedPause()` and
 *   `ExpectedPause()` and its events `Paused(address)` and `Unpaused(address)` are declared there (and in the
 *   registry's ABI), not here, since a contract cannot inherit the same error or event twice.
 * - Only an Active device asserts a location. A suspended device still counts in `devicesOf` (= `balanceOf`).
 * - Maker and class names are `bytes32` (at most 31 bytes), classes at most 64, multipliers 1 to 100,000 bps.
 * - The device nonce only moves on onboarding or `useOnboardingNonce`, which voids a signature never used.
 */
interface IDeviceRegistry is IERC4906, IAccessManagerErrors {
    // ─── Types ────────────────────────────────────────────────────────────────────────────────

    /// @notice The life cycle of a device. `None` is a key that never onboarded.
    enum DeviceStatus {
        None,
        Active,
        Suspended,
        Decommissioned
    }

    /**
     * @notice A manufacturer approved by governance.
     * @dev Field order packs `signer..enabled` in one slot and `sponsor, allowedClasses` in another.
     */
    struct Maker {
        bytes32 name;
        /// @notice The key that signs attestations: an EOA, or an ERC-1271 contract.
        address signer;
        /// @notice The most devices the maker may ever onboard; 0 means no quota.
        uint32 quota;
        /// @notice How many devices it has onboarded so far (decommissions do not lower it).
        uint32 minted;
        /// @notice A disabled maker attests nothing new; the devices it made stay valid.
        bool enabled;
        /// @notice Pays its devices' onboarding fees from its own credits when non-zero; else each caller pays.
        address sponsor;
        /// @notice Bit `c` set: the maker may build class `c`.
        uint64 allowedClasses;
    }

    /// @notice What governance sets for a maker (`minted` and `enabled` are kept apart).
    struct MakerConfig {
        bytes32 name;
        address signer;
        address sponsor;
        uint64 allowedClasses;
        uint32 quota;
    }

    /// @notice A kind of device. Fees are in data credits (0 decimals; 1 DC = $0.00001).
    struct DeviceClass {
        bytes32 name;
        /// @notice The class's reward multiplier, in basis points (10,000 = 1x).
        uint32 multiplierBps;
        uint64 onboardingFee;
        uint64 locationFee;
        /// @notice A disabled class onboards nothing new; its devices stay valid.
        bool enabled;
    }

    /// @notice What governance sets for a class (`enabled` is kept apart).
    struct DeviceClassConfig {
        bytes32 name;
        uint32 multiplierBps;
        uint64 onboardingFee;
        uint64 locationFee;
    }

    /**
     * @notice One onboarding: the maker's attestation and the device's signature. The device's nonce is not
     * passed: the signature must be over the device's current `onboardingNonce`.
     */
    struct OnboardRequest {
        address device;
        uint8 deviceClass;
        uint32 makerId;
        address owner;
        uint256 deadline;
        bytes makerSignature;
        bytes deviceSignature;
    }

    /**
     * @notice The stored record of a device key. It outlives the token.
     * @dev The first eight fields pack one slot (29 of its 32 bytes), the only one that onboarding and assertions
     * touch. `suspendedBy` does not fit the 3 bytes left, so it takes a second slot that only suspensions write: a
     * device's first suspension costs ~22.1k gas more for it (a cold zero slot set), a later one at most ~5k.
     */
    struct DeviceRecord {
        /// @notice The last asserted H3 cell; 0 before the first assertion.
        uint64 location;
        /// @notice The block timestamp of the onboarding; 0 for a key that never onboarded.
        uint40 onboardedAt;
        uint32 makerId;
        uint32 assertionCount;
        /// @notice The device key's next `Onboard` nonce.
        uint32 nonce;
        /// @notice The reason code of the last suspension (kept after reinstatement).
        uint16 suspensionReason;
        uint8 deviceClass;
        DeviceStatus status;
        /// @notice The account (an oracle or the guardian) that made the last suspension (kept after reinstatement).
        address suspendedBy;
    }

    /// @notice The oracles' suspension budget: each oracle may make `perWindow` suspensions per window.
    struct SuspensionBudget {
        uint32 perWindow;
        /// @notice The length of an oracle's window, in seconds (at least 1).
        uint32 windowSeconds;
    }

    /// @notice An oracle's use of its suspension budget, in one slot.
    struct OracleSuspensions {
        /// @notice When its current (or last) window opened; the window is over at `windowStart + windowSeconds`.
        uint40 windowStart;
        /// @notice Its suspensions in that window; an oracle whose window is over has its whole budget.
        uint32 count;
    }

    /// @notice What `deviceInfo` returns: the record with its owner and effective rewards recipient.
    struct DeviceInfo {
        /// @notice The token's holder; zero once decommissioned.
        address owner;
        /// @notice Who the epoch pipeline pays: the recipient the owner set, or else the owner.
        address rewardsRecipient;
        uint32 makerId;
        uint8 deviceClass;
        DeviceStatus status;
        uint40 onboardedAt;
        uint64 location;
        uint32 assertionCount;
        uint16 suspensionReason;
        /// @notice Who made the last suspension (an oracle or the guardian); zero if none ever did.
        address suspendedBy;
    }

    // ─── Errors ───────────────────────────────────────────────────────────────────────────────

    /// @notice The data credits address is zero.
    /// @notice From DataCredits' `burnFee` (declared here for the ABI, same signature): the caller paying a fee
    /// holds `balance` credits, fewer than the `needed` fee.
    error InsufficientCredits(address account, uint256 balance, uint256 needed);
    error InvalidCredits(address credits);
    /// @notice A maker's signing key is zero.
    error InvalidMakerSigner(address signer);
    /// @notice A maker or class name is empty.
    error EmptyName();
    /// @notice A class multiplier is zero or above `MAX_MULTIPLIER_BPS`.
    error InvalidMultiplier(uint32 multiplierBps);
    /// @notice No more classes fit the 64-bit `allowedClasses` bitmap.
    error TooManyDeviceClasses(uint256 max);
    /// @notice No maker has this id.
    error UnknownMaker(uint32 makerId);
    /// @notice No class has this id.
    error UnknownDeviceClass(uint8 deviceClass);
    /// @notice The maker is disabled: it attests nothing new.
    error MakerDisabled(uint32 makerId);
    /// @notice The class is disabled: nothing new onboards in it.
    error DeviceClassDisabled(uint8 deviceClass);
    /// @notice The maker may not build this class.
    error DeviceClassNotAllowed(uint32 makerId, uint8 deviceClass);
    /// @notice The maker has onboarded its whole quota.
    error MakerQuotaExceeded(uint32 makerId, uint32 quota);
    /// @notice The device key has already onboarded, at some point: it never onboards again.
    error DeviceAlreadyOnboarded(address device);
    /// @notice The device's signature is past its deadline.
    error OnboardingExpired(uint256 deadline, uint256 timestamp);
    /// @notice The maker's signature is not the maker's signer's over this attestation (domain, fields, high-s).
    error InvalidMakerSignature(uint32 makerId, address device);
    /// @notice The device's signature is not the device key's over `Onboard(owner, current nonce, deadline)`.
    error InvalidDeviceSignature(address device);
    /// @notice A batch is empty.
    error EmptyBatch();
    /// @notice The token id names no device key that ever onboarded.
    error UnknownDevice(uint256 tokenId);
    /// @notice The operation needs the device in another status.
    error InvalidDeviceStatus(uint256 tokenId, DeviceStatus status);
    /// @notice The value is not a well-formed H3 cell index.
    error InvalidH3Cell(uint64 h3Cell);
    /**
     * @notice `oracle` has made its whole `budget` of suspensions in its window of `windowSeconds`, which is over at
     * `windowEnd` (when it may suspend again, unless the budget is 0, which closes the oracle path).
     */
    error SuspensionBudgetExceeded(address oracle, uint256 budget, uint256 windowSeconds, uint256 windowEnd);
    /// @notice A suspension window must last at least one second.
    error InvalidSuspensionWindow(uint256 windowSeconds);

    // ─── Events ───────────────────────────────────────────────────────────────────────────────

    /// @notice The data credits contract that burns the fees changed.
    event CreditsSet(address indexed previous, address indexed current);
    /// @notice The base of `tokenURI` changed (an ERC-4906 `BatchMetadataUpdate` over every id follows).
    event BaseURISet(string baseURI);
    /**
     * @notice A maker was added (first event for its id: it starts enabled, with nothing minted) or its
     * configuration was replaced; the event carries the whole configuration.
     */
    event MakerConfigured(
        uint32 indexed makerId,
        bytes32 name,
        address signer,
        address sponsor,
        uint64 allowedClasses,
        uint32 quota
    );
    /// @notice A maker was enabled or disabled.
    event MakerEnabledSet(uint32 indexed makerId, bool enabled);
    /// @notice A class was added (first event for its id: it starts enabled) or its configuration was replaced.
    event DeviceClassConfigured(
        uint8 indexed deviceClass,
        bytes32 name,
        uint32 multiplierBps,
        uint64 onboardingFee,
        uint64 locationFee
    );
    /// @notice A class was enabled or disabled.
    event DeviceClassEnabledSet(uint8 indexed deviceClass, bool enabled);
    /**
     * @notice A device onboarded. The ERC-721 `Transfer` from zero to `owner` follows it in the same
     * transaction; `onboardedAt` is the block's timestamp. `payer` (the maker's sponsor, else the caller) burned
     * `fee` credits.
     */
    event DeviceOnboarded(
        uint256 indexed tokenId,
        address indexed owner,
        uint32 indexed makerId,
        uint8 deviceClass,
        address payer,
        uint256 fee
    );
    /// @notice A device key burned its `Onboard` nonce, voiding any signature over it.
    event OnboardingNonceUsed(address indexed device, uint256 nonce);
    /// @notice `batchOnboard` skipped a device key that had onboarded already; nothing changed for it, no fee.
    event OnboardingSkipped(address indexed device);
    /// @notice An H3 cell was asserted for a device; `assertionCount` is the new count. The caller paid the class's
    /// location fee (DataCredits logs the burn).
    event LocationAsserted(uint256 indexed tokenId, uint64 h3Cell, uint32 assertionCount);
    /// @notice The rewards recipient was set; zero means "the owner" (also emitted when a transfer resets it).
    event RewardsRecipientSet(uint256 indexed tokenId, address indexed recipient);
    /// @notice A device was suspended by `by` (an oracle or the guardian), with a reason code.
    event DeviceSuspended(uint256 indexed tokenId, uint16 reasonCode, address indexed by);
    /// @notice A suspended device was reinstated, by governance (`reinstate`) or the guardian (`liftSuspensions`).
    event DeviceReinstated(uint256 indexed tokenId);
    /// @notice Each oracle may now make `perWindow` suspensions per window of `windowSeconds`.
    event SuspensionBudgetSet(uint32 perWindow, uint32 windowSeconds);
    /// @notice The guardian lifted `lifted` suspensions made by `suspender` (a `DeviceReinstated` for each precedes).
    event SuspensionsLifted(address indexed suspender, uint256 lifted);
    /// @notice A device was decommissioned and its token burned; the key never onboards again.
    event DeviceDecommissioned(uint256 indexed tokenId, address indexed owner);

    // ─── Governance (restricted) ──────────────────────────────────────────────────────────────

    /**
     * @notice Sets the data credits contract that burns the fees.
     * @dev `restricted`: SUITE_ADMIN. Reverts with `InvalidCredits` for zero. The new contract must give this
     * registry its FEE_BURNER right before the next fee.
     */
    function setCredits(address credits) external;

    /**
     * @notice Sets the base of `tokenURI`; emits `BaseURISet` and ERC-4906 `BatchMetadataUpdate(0, max)`.
     * @dev `restricted`: SUITE_ADMIN.
     */
    function setBaseURI(string calldata baseURI) external;

    /**
     * @notice Adds a maker, enabled, and returns its id (ids start at 1).
     * @dev `restricted`: MAKER_ADMIN. Reverts with `EmptyName` or `InvalidMakerSigner`.
     */
    function addMaker(MakerConfig calldata config) external returns (uint32 makerId);

    /**
     * @notice Replaces a maker's configuration; keeps `minted` and `enabled`.
     * @dev `restricted`: MAKER_ADMIN. Rotating `signer` voids the attestations of the old key that were not
     * used yet. Lowering `quota` below `minted` stops new onboardings only.
     */
    function updateMaker(uint32 makerId, MakerConfig calldata config) external;

    /**
     * @notice Enables or disables a maker. A disabled maker attests nothing new; its devices stay valid.
     * @dev `restricted`: MAKER_ADMIN.
     */
    function setMakerEnabled(uint32 makerId, bool enabled) external;

    /**
     * @notice Adds a device class, enabled, and returns its id (ids start at 0, at most 64 classes).
     * @dev `restricted`: MAKER_ADMIN. Reverts with `EmptyName`, `InvalidMultiplier` or `TooManyDeviceClasses`.
     */
    function addDeviceClass(DeviceClassConfig calldata config) external returns (uint8 deviceClass);

    /**
     * @notice Replaces a class's name, multiplier and fees. New fees apply to the next onboarding or assertion.
     * @dev `restricted`: MAKER_ADMIN.
     */
    function updateDeviceClass(uint8 deviceClass, DeviceClassConfig calldata config) external;

    /**
     * @notice Enables or disables a class. A disabled class onboards nothing new; its devices stay valid.
     * @dev `restricted`: MAKER_ADMIN.
     */
    function setDeviceClassEnabled(uint8 deviceClass, bool enabled) external;

    /**
     * @notice Sets the oracles' suspension budget: each oracle may make `perWindow` suspensions in each of its
     * windows of `windowSeconds`. Emits `SuspensionBudgetSet`.
     * @dev `restricted`: SUITE_ADMIN. Reverts with `InvalidSuspensionWindow` for a zero window. A `perWindow` of 0
     * closes the oracle path (every `suspend` reverts); so does a proxy upgraded from a version without a budget
     * until this is called. A change applies at once to every oracle's current window: its end moves with the new
     * length, and a lower budget may leave an oracle with no room until that end. The guardian is not bounded.
     */
    function setSuspensionBudget(uint32 perWindow, uint32 windowSeconds) external;

    /**
     * @notice Suspends an Active device with a reason code (e.g. 1 = location spoofing), recording the oracle as
     * its `suspendedBy`; emits `DeviceSuspended` and `MetadataUpdate`. Counts against the oracle's budget.
     * @dev `restricted`: ORACLE. `guardianSuspend` is the guardian's twin, because the AccessManager maps one
     * function to one role. Reverts, in order, with `UnknownDevice`, with `SuspensionBudgetExceeded` when the
     * oracle has made `perWindow` suspensions in its current window (a window opens at its first suspension after
     * the last one closed), and with `InvalidDeviceStatus` unless the device is Active. A reverted call uses no
     * budget.
     */
    function suspend(uint256 tokenId, uint16 reasonCode) external;

    /**
     * @notice The guardian's `suspend`: the same effect, a separate selector for the GUARDIAN role, and no budget.
     * @dev `restricted`: GUARDIAN.
     */
    function guardianSuspend(uint256 tokenId, uint16 reasonCode) external;

    /**
     * @notice Reinstates to Active each listed device whose current suspension `suspender` made; returns how many.
     * Emits `DeviceReinstated` and `MetadataUpdate` for each, then `SuspensionsLifted(suspender, lifted)`.
     * @dev `restricted`: GUARDIAN, with no delay: it undoes a compromised oracle's suspensions in one call while
     * governance revokes its role. A listed device that is not Suspended by `suspender` now (reinstated already,
     * suspended again by another account, decommissioned, never onboarded, or an id above 160 bits) is skipped,
     * not fatal, so that a list built from the logs still lifts the rest whatever happened in between; compare
     * the returned count with the list. It lifts whatever `suspender` suspended, the guardian's own suspensions
     * included (the emergency key may undo its own mistake; it could as well not have suspended). It gives the
     * oracle no budget back. Reverts with `EmptyBatch` for an empty list.
     */
    function liftSuspensions(address suspender, uint256[] calldata tokenIds) external returns (uint256 lifted);

    /**
     * @notice Reinstates a Suspended device to Active, whoever suspended it; emits `DeviceReinstated` and
     * `MetadataUpdate`. The device keeps its `suspendedBy` and `suspensionReason`.
     * @dev `restricted`: SUITE_ADMIN. Reverts with `UnknownDevice`, or `InvalidDeviceStatus` unless the device is
     * Suspended. It gives no oracle any budget back.
     */
    function reinstate(uint256 tokenId) external;

    /**
     * @notice Pauses onboarding and location assertions. Transfers, decommissions and recipients stay open.
     * Emits `Paused(account)`.
     * @dev `restricted`: GUARDIAN, with no delay. Reverts with `EnforcedPause` when already paused.
     */
    function pause() external;

    /**
     * @notice Resumes onboarding and location assertions. Emits `Unpaused(account)`.
     * @dev `restricted`: SUITE_ADMIN (governance), so that the guardian alone can stop but never restart.
     * Reverts with `ExpectedPause` when not paused.
     */
    function unpause() external;

    // ─── Owners and devices ───────────────────────────────────────────────────────────────────

    /**
     * @notice Onboards one device: checks the maker's attestation and the device's signature, burns the class's
     * onboarding fee and mints token `uint160(device)` to `request.owner` with `_safeMint`. Returns the token id.
     * @dev Checks, in order: not paused, deadline, maker and class known; then (`DeviceOnboardingLib`) maker
     * enabled, class enabled, class allowed to the maker, quota, device never onboarded, maker signature, device
     * signature over its current nonce. A zero owner is refused (`ERC721InvalidReceiver`).
     * Both signatures go through `SignatureChecker` (EOA or ERC-1271); it rejects high-s ECDSA signatures.
     * The payer is the maker's `sponsor` when set, else the caller (`msg.sender`), whoever it is: the owner, an
     * operator it approved, a relayer. The owner's credits are never spent by a call it did not send, so anyone
     * may send a signed request, at its own expense (a caller short of credits gets DataCredits'
     * `InsufficientCredits` naming it). The owner does not sign: the device key binds it, so the device's holder
     * chose it, and a contract owner can still refuse the token in `onERC721Received`.
     * Effects and the fee burn come before the mint's receiver callback, so a re-entering receiver finds the key
     * used and cannot onboard it twice or skip a fee.
     */
    function onboard(OnboardRequest calldata request) external returns (uint256 tokenId);

    /**
     * @notice Onboards a fleet in one transaction, with the same checks and payer per device. A device whose key
     * has onboarded already is skipped: its entry of `tokenIds` is 0 and `OnboardingSkipped(device)` is emitted;
     * every other failure reverts the whole batch.
     * @dev Skipping keeps a batch from being griefed: anyone holding one of its signed requests (a sponsored maker's
     * are free to send) could otherwise onboard that device alone first and revert the batch with
     * `DeviceAlreadyOnboarded`. The skip is checked first, on the key alone: a used key's request is skipped
     * whatever else it holds (another owner, an expired deadline, a bad signature), since it could onboard nothing;
     * so is a key listed twice (its second entry), and a decommissioned key. A skipped device burns no fee and
     * changes no state. Token id 0 never names a device: the zero address cannot sign. Reverts with `EmptyBatch`
     * for an empty list; a batch whose every device is skipped succeeds and returns only zeros. `onboard` alone
     * still reverts with `DeviceAlreadyOnboarded`.
     */
    function batchOnboard(OnboardRequest[] calldata requests) external returns (uint256[] memory tokenIds);

    /**
     * @notice Burns the caller's current `Onboard` nonce, voiding any onboarding signature over it that was not
     * used. Meant for a device key that signed for the wrong owner. Anyone may burn only their own nonce.
     */
    function useOnboardingNonce() external returns (uint256 nonce);

    /**
     * @notice Asserts an H3 cell for an Active device: burns the class's location fee from the caller's credits,
     * bumps the count, emits `LocationAsserted` and ERC-4906 `MetadataUpdate`.
     * @dev By the owner or an approved operator (`ERC721InsufficientApproval` otherwise). The caller pays, not the
     * owner: an operator approved for one device (or for all) spends its own credits, so it can assert as often as
     * it pays for, and never burns the owner's (a caller short of credits gets DataCredits' `InsufficientCredits`
     * naming it). The cell must pass `isValidH3Cell`. Reverts with `InvalidDeviceStatus` unless Active, and
     * `EnforcedPause` while paused.
     */
    function assertLocation(uint256 tokenId, uint64 h3Cell) external;

    /**
     * @notice Sets who the epoch pipeline pays for a device; zero resets it to the owner.
     * @dev By the owner or an approved operator. A transfer resets it, so a buyer never pays a seller's recipient.
     */
    function setRewardsRecipient(uint256 tokenId, address recipient) external;

    /**
     * @notice Decommissions a device for good: burns its token. The key never onboards again.
     * @dev By the owner or an approved operator, whatever the status (a suspended device too).
     */
    function decommission(uint256 tokenId) external;

    // ─── Views ────────────────────────────────────────────────────────────────────────────────

    /// @notice The data credits contract that burns the fees.
    function credits() external view returns (address);

    /// @notice Whether onboarding and location assertions are paused.
    function paused() external view returns (bool);

    /// @notice The oracles' suspension budget: `perWindow` suspensions per window of `windowSeconds`, each oracle.
    function suspensionBudget() external view returns (SuspensionBudget memory);

    /// @notice An oracle's current (or last) window and its suspensions in it.
    function oracleSuspensions(address oracle) external view returns (OracleSuspensions memory);

    /// @notice How many makers exist; their ids are 1 through this count.
    function makerCount() external view returns (uint32);

    /// @notice A maker's configuration and counters. Reverts with `UnknownMaker`.
    function maker(uint32 makerId) external view returns (Maker memory);

    /// @notice How many classes exist; their ids are 0 through this count minus 1.
    function deviceClassCount() external view returns (uint8);

    /// @notice A class's configuration. Reverts with `UnknownDeviceClass`.
    function deviceClass(uint8 deviceClass) external view returns (DeviceClass memory);

    /// @notice A device's owner, recipient, class, maker, status, onboarding time and location.
    /// @dev Reverts with `UnknownDevice` for a key that never onboarded; a decommissioned device has owner zero.
    function deviceInfo(uint256 tokenId) external view returns (DeviceInfo memory);

    /**
     * @notice How many device tokens `owner` holds, whatever their status (suspended ones count; decommissioned
     * ones are burned). The epoch pipeline's `heldDevices`; equal to `balanceOf`.
     */
    function devicesOf(address owner) external view returns (uint256);

    /// @notice The nonce the device's next `Onboard` signature must carry.
    function onboardingNonce(address device) external view returns (uint256);

    /**
     * @notice Whether `h3Cell` is a well-formed H3 cell index: reserved bit 0, mode 1, mode bits 0, resolution
     * 0-15, base cell below 122, digits 0-6 up to the resolution and 7 past it. Stricter than the spec (mode and
     * resolution only). Pentagon deleted sub-sequences are not checked.
     */
    function isValidH3Cell(uint64 h3Cell) external pure returns (bool);
}
