// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// solhint-disable-next-line max-line-length
import {AccessManagedUpgradeable} from "@openzeppelin/contracts-upgradeable/access/manager/AccessManagedUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";
import {IDataCredits} from "../interfaces/IDataCredits.sol";
import {SuitePausable} from "../utils/SuitePausable.sol";

/**
 * @title DataCredits
 * @notice Non-transferable data credits at 1 DC = $0.00001, minted by burning the reward token at the
 * feed's USD price, delegated into escrow for routers and burned for usage and protocol fees.
 * @dev UUPS behind an ERC-1967 proxy, with ERC-7201 namespaced storage. Privileged functions are
 * `restricted` by the suite's AccessManager (see `DATA_CREDITS_ROLES` in the deploy library).
 * The storage words are laid out for the hot paths: a mint reads one configuration word and writes
 * the token word (with tokens burned), the breaker word (with credits minted) and the recipient's
 * balance; a usage burn reads the router's flag and writes the escrow word and the burned word.
 * The design decisions are listed in `IDataCredits`.
 * Overriders must never let credits leave an account other than through `delegate` (into escrow) or
 * a burn, nor let any path pay tokens out: credits never move between accounts nor turn back into tokens.
 */
contract DataCredits is IDataCredits, Initializable, AccessManagedUpgradeable, SuitePausable, UUPSUpgradeable {
    // ─── Types ────────────────────────────────────────────────────────────────────────────────

    /**
     * @dev The escrow of one (payer, router) pair, its pending undelegation and the router's last
     * usage id for this payer, in one word. Credits ever minted stay below 2**72, so every escrow does.
     */
    struct Escrow {
        uint72 amount;
        uint72 pending;
        uint40 unlockAt;
        uint64 lastUsageId;
    }

    /// @custom:storage-location erc7201:depin.storage.DataCredits
    struct DataCreditsStorage {
        // Word 0, read by every mint (and by every `whenNotPaused`: see `_pause`).
        address priceFeed;
        uint32 maxStaleness;
        uint8 feedDecimals;
        bool paused;
        bool hasSequencer;
        uint32 mintWindow;
        // Word 1, written by every mint.
        address token;
        uint96 tokensBurned;
        // Word 2, written by every mint: the breaker's buckets and limit, and the credits minted ever.
        uint40 bucket;
        uint48 prevBucketMinted;
        uint48 bucketMinted;
        uint48 maxMintPerWindow;
        uint72 creditsMinted;
        // Word 3, read only when a sequencer feed is set.
        address sequencerUptimeFeed;
        uint32 sequencerGracePeriod;
        uint32 undelegateNotice;
        // Word 4: credits burned by routers and by fees.
        uint128 usageBurned;
        uint128 feeBurned;
        // Word 5: credits moved into and out of escrow, ever (escrow held = delegated - undelegated - usageBurned).
        uint128 delegated;
        uint128 undelegated;
        mapping(address account => uint256) balances;
        mapping(address payer => mapping(address router => Escrow)) escrows;
        mapping(address router => bool) routers;
    }

    // ─── Constants ────────────────────────────────────────────────────────────────────────────

    // keccak256(abi.encode(uint256(keccak256("depin.storage.DataCredits")) - 1)) & ~bytes32(uint256(0xff))
    // The suite's one ERC-7201 naming: `_STORAGE_LOCATION` and `_getStorage()` (see docs/conventions.md).
    bytes32 private constant _STORAGE_LOCATION = 0x68986a8740df951a3ee5e2f4c18a57f03b2d0cb4d8c726deaabf4bde2da02e00;

    /// @dev 1 DC = $0.00001 = 10**-5 USD, and the token has 18 decimals: credits = tokens * answer / 10**(13 + d).
    uint256 private constant _UNIT_EXPONENT = 13;
    uint8 private constant _MAX_FEED_DECIMALS = 36;
    uint8 private constant _TOKEN_DECIMALS = 18;

    // ─── Constructor and initializer ──────────────────────────────────────────────────────────

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /**
     * @notice Initializes the proxy: authority, token and parameters.
     * @param authority The suite's AccessManager.
     * @param token_ The reward token (18 decimals, ERC20Burnable and EIP-2612).
     * @param params The feed, sequencer, breaker and notice parameters (see `InitParams`).
     */
    function initialize(address authority, address token_, InitParams calldata params) external initializer {
        __AccessManaged_init(authority);
        __Pausable_init();
        if (token_.code.length == 0 || IERC20Metadata(token_).decimals() != _TOKEN_DECIMALS) {
            revert InvalidToken(token_);
        }
        _getStorage().token = token_;
        _setPriceFeed(params.priceFeed);
        _setMaxStaleness(params.maxStaleness);
        _setSequencerUptimeFeed(params.sequencerUptimeFeed, params.sequencerGracePeriod);
        _setCircuitBreaker(params.maxMintPerWindow, params.mintWindow);
        _setUndelegateNotice(params.undelegateNotice);
    }

    // ─── Non-transferable ERC-20 surface ──────────────────────────────────────────────────────

    /// @inheritdoc IDataCredits
    function name() external pure returns (string memory) {
        return "DePIN Data Credits";
    }

    /// @inheritdoc IDataCredits
    function symbol() external pure returns (string memory) {
        return "DC";
    }

    /// @inheritdoc IDataCredits
    function decimals() external pure returns (uint8) {
        return 0;
    }

    /// @inheritdoc IDataCredits
    function totalSupply() external view returns (uint256) {
        DataCreditsStorage storage $ = _getStorage();
        return uint256($.creditsMinted) - $.usageBurned - $.feeBurned;
    }

    /// @inheritdoc IDataCredits
    function balanceOf(address account) external view returns (uint256) {
        DataCreditsStorage storage $ = _getStorage();
        if (account == address(this)) return uint256($.delegated) - $.undelegated - $.usageBurned;
        return $.balances[account];
    }

    /// @inheritdoc IDataCredits
    function allowance(address, address) external pure returns (uint256) {
        return 0;
    }

    /// @inheritdoc IDataCredits
    function transfer(address, uint256) external pure returns (bool) {
        revert CreditsNonTransferable();
    }

    /// @inheritdoc IDataCredits
    function transferFrom(address, address, uint256) external pure returns (bool) {
        revert CreditsNonTransferable();
    }

    /// @inheritdoc IDataCredits
    function approve(address, uint256) external pure returns (bool) {
        revert CreditsNonTransferable();
    }

    // ─── Minting ──────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IDataCredits
    function mintWithTokens(address to, uint256 tokenAmount, uint256 minCredits) external returns (uint256 credits) {
        return _mintWithTokens(to, tokenAmount, minCredits);
    }

    /// @inheritdoc IDataCredits
    function mintWithTokensPermit(
        address to,
        uint256 tokenAmount,
        uint256 minCredits,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 credits) {
        _tryPermit(tokenAmount, deadline, v, r, s);
        return _mintWithTokens(to, tokenAmount, minCredits);
    }

    /// @inheritdoc IDataCredits
    function mintExactCredits(address to, uint256 credits, uint256 maxTokens) external returns (uint256 tokens) {
        return _mintExactCredits(to, credits, maxTokens);
    }

    /// @inheritdoc IDataCredits
    function mintExactCreditsPermit(
        address to,
        uint256 credits,
        uint256 maxTokens,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 tokens) {
        _tryPermit(maxTokens, deadline, v, r, s);
        return _mintExactCredits(to, credits, maxTokens);
    }

    // ─── Usage ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IDataCredits
    function delegate(address router, uint256 amount) external whenNotPaused {
        DataCreditsStorage storage $ = _getStorage();
        if (amount == 0) revert ZeroAmount();
        if (!$.routers[router]) revert RouterNotRegistered(router);
        uint256 balance = $.balances[msg.sender];
        if (amount > balance) revert InsufficientCredits(msg.sender, balance, amount);

        // `amount <= balance` was checked above. Every balance and escrow is at most `creditsMinted`
        // (< 2**72), so the casts below are exact.
        unchecked {
            $.balances[msg.sender] = balance - amount;
        }
        $.escrows[msg.sender][router].amount += uint72(amount);
        $.delegated += uint128(amount);
        emit Delegated(msg.sender, router, amount);
        emit Transfer(msg.sender, address(this), amount);
    }

    /// @inheritdoc IDataCredits
    function requestUndelegate(address router, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Escrow storage escrow = _getStorage().escrows[msg.sender][router];
        uint256 held = escrow.amount;
        if (amount > held) revert InsufficientEscrow(msg.sender, router, held, amount);
        uint256 unlockAt = block.timestamp + _getStorage().undelegateNotice;
        // `amount` is at most the escrow, below 2**72 (see `delegate`); timestamps fit in 40 bits.
        escrow.pending = uint72(amount);
        escrow.unlockAt = uint40(unlockAt);
        emit UndelegationRequested(msg.sender, router, amount, unlockAt);
    }

    /// @inheritdoc IDataCredits
    function completeUndelegate(address router) external returns (uint256 amount) {
        DataCreditsStorage storage $ = _getStorage();
        Escrow memory escrow = $.escrows[msg.sender][router];
        if (escrow.unlockAt == 0) revert NoUndelegationPending(msg.sender, router);
        if (block.timestamp < escrow.unlockAt) revert NoticeNotOver(escrow.unlockAt, block.timestamp);

        amount = Math.min(escrow.pending, escrow.amount);
        // `amount` is at most the escrow amount, so the subtraction cannot underflow and fits in 72 bits.
        escrow.amount = uint72(escrow.amount - amount);
        escrow.pending = 0;
        escrow.unlockAt = 0;
        $.escrows[msg.sender][router] = escrow;
        $.balances[msg.sender] += amount;
        $.undelegated += uint128(amount);
        emit Undelegated(msg.sender, router, amount);
        emit Transfer(address(this), msg.sender, amount);
    }

    /// @inheritdoc IDataCredits
    function burnForUsage(address payer, uint256 amount, uint64 usageId) external {
        DataCreditsStorage storage $ = _getStorage();
        if (!$.routers[msg.sender]) revert RouterNotRegistered(msg.sender);
        if (amount == 0) revert ZeroAmount();
        Escrow memory escrow = $.escrows[payer][msg.sender];
        if (usageId <= escrow.lastUsageId) {
            revert UsageIdAlreadyUsed(payer, msg.sender, usageId, escrow.lastUsageId);
        }
        if (amount > escrow.amount) revert InsufficientEscrow(payer, msg.sender, escrow.amount, amount);

        // `amount <= escrow.amount` was checked above, so the subtraction cannot underflow; escrows
        // and `amount` are below 2**72 (see `delegate`), so the casts are exact.
        unchecked {
            escrow.amount -= uint72(amount);
        }
        escrow.lastUsageId = usageId;
        $.escrows[payer][msg.sender] = escrow;
        $.usageBurned += uint128(amount);
        emit UsageBurned(payer, msg.sender, usageId, amount);
        emit Transfer(address(this), address(0), amount);
    }

    /// @inheritdoc IDataCredits
    function burnFee(address payer, uint256 amount, bytes32 reason) external restricted {
        DataCreditsStorage storage $ = _getStorage();
        uint256 balance = $.balances[payer];
        if (amount > balance) revert InsufficientCredits(payer, balance, amount);
        // `amount <= balance` was checked above; it is below 2**72 (see `delegate`), so the cast is exact.
        unchecked {
            $.balances[payer] = balance - amount;
        }
        $.feeBurned += uint128(amount);
        emit FeeBurned(payer, amount, reason);
        emit Transfer(payer, address(0), amount);
    }

    // ─── Governance ───────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IDataCredits
    function setPriceFeed(address feed) external restricted {
        _setPriceFeed(feed);
    }

    /// @inheritdoc IDataCredits
    function setMaxStaleness(uint32 maxStaleness_) external restricted {
        _setMaxStaleness(maxStaleness_);
    }

    /// @inheritdoc IDataCredits
    function setSequencerUptimeFeed(address feed, uint32 gracePeriod) external restricted {
        _setSequencerUptimeFeed(feed, gracePeriod);
    }

    /// @inheritdoc IDataCredits
    function setCircuitBreaker(uint48 maxMintPerWindow, uint32 mintWindow) external restricted {
        _setCircuitBreaker(maxMintPerWindow, mintWindow);
    }

    /// @inheritdoc IDataCredits
    function setUndelegateNotice(uint32 undelegateNotice_) external restricted {
        _setUndelegateNotice(undelegateNotice_);
    }

    /// @inheritdoc IDataCredits
    function registerRouter(address router) external restricted {
        DataCreditsStorage storage $ = _getStorage();
        if ($.routers[router]) revert RouterAlreadyRegistered(router);
        $.routers[router] = true;
        emit RouterRegistered(router);
    }

    /// @inheritdoc IDataCredits
    function removeRouter(address router) external restricted {
        DataCreditsStorage storage $ = _getStorage();
        if (!$.routers[router]) revert RouterNotRegistered(router);
        $.routers[router] = false;
        emit RouterRemoved(router);
    }

    /// @inheritdoc IDataCredits
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc IDataCredits
    function unpause() external restricted {
        _unpause();
    }

    // ─── Views ────────────────────────────────────────────────────────────────────────────────

    /// @inheritdoc IDataCredits
    function token() external view returns (address) {
        return _getStorage().token;
    }

    /// @inheritdoc IDataCredits
    function price() external view returns (Price memory) {
        return _price(_getStorage());
    }

    /// @inheritdoc IDataCredits
    function quoteCredits(uint256 tokenAmount) external view returns (uint256) {
        return _creditsFor(tokenAmount, _price(_getStorage()));
    }

    /// @inheritdoc IDataCredits
    function quoteTokens(uint256 credits) external view returns (uint256) {
        return _tokensFor(credits, _price(_getStorage()));
    }

    /// @inheritdoc IDataCredits
    function mintableCredits() external view returns (uint256) {
        (, , , uint256 available) = _window(_getStorage());
        return available;
    }

    /// @inheritdoc IDataCredits
    function tokensBurned() external view returns (uint256) {
        return _getStorage().tokensBurned;
    }

    /// @inheritdoc IDataCredits
    function creditsMinted() external view returns (uint256) {
        return _getStorage().creditsMinted;
    }

    /// @inheritdoc IDataCredits
    function creditsBurned() external view returns (uint256) {
        DataCreditsStorage storage $ = _getStorage();
        return uint256($.usageBurned) + $.feeBurned;
    }

    /// @inheritdoc IDataCredits
    function escrowOf(address payer, address router) external view returns (uint256) {
        return _getStorage().escrows[payer][router].amount;
    }

    /// @inheritdoc IDataCredits
    function pendingUndelegation(
        address payer,
        address router
    ) external view returns (uint256 amount, uint256 unlockAt) {
        Escrow memory escrow = _getStorage().escrows[payer][router];
        return (escrow.pending, escrow.unlockAt);
    }

    /// @inheritdoc IDataCredits
    function isRouter(address router) external view returns (bool) {
        return _getStorage().routers[router];
    }

    /// @inheritdoc IDataCredits
    function lastUsageId(address payer, address router) external view returns (uint64) {
        return _getStorage().escrows[payer][router].lastUsageId;
    }

    /// @inheritdoc IDataCredits
    function paused() public view override(IDataCredits, SuitePausable) returns (bool) {
        return SuitePausable.paused();
    }

    /// @inheritdoc IDataCredits
    function priceFeed() external view returns (address) {
        return _getStorage().priceFeed;
    }

    /// @inheritdoc IDataCredits
    function maxStaleness() external view returns (uint256) {
        return _getStorage().maxStaleness;
    }

    /// @inheritdoc IDataCredits
    function sequencerUptimeFeed() external view returns (address feed, uint256 gracePeriod) {
        DataCreditsStorage storage $ = _getStorage();
        return ($.sequencerUptimeFeed, $.sequencerGracePeriod);
    }

    /// @inheritdoc IDataCredits
    function circuitBreaker() external view returns (uint256 maxMintPerWindow, uint256 mintWindow) {
        DataCreditsStorage storage $ = _getStorage();
        return ($.maxMintPerWindow, $.mintWindow);
    }

    /// @inheritdoc IDataCredits
    function undelegateNotice() external view returns (uint256) {
        return _getStorage().undelegateNotice;
    }

    // ─── Internal: minting ────────────────────────────────────────────────────────────────────

    function _mintWithTokens(address to, uint256 tokenAmount, uint256 minCredits) private returns (uint256 credits) {
        _requireNotPaused();
        DataCreditsStorage storage $ = _getStorage();
        Price memory p = _price($);
        credits = _creditsFor(tokenAmount, p);
        if (credits == 0) revert ZeroCredits(tokenAmount);
        if (credits < minCredits) revert CreditsBelowMinimum(credits, minCredits);
        _mint($, to, tokenAmount, credits, p);
    }

    function _mintExactCredits(address to, uint256 credits, uint256 maxTokens) private returns (uint256 tokens) {
        _requireNotPaused();
        DataCreditsStorage storage $ = _getStorage();
        if (credits == 0) revert ZeroCredits(0);
        Price memory p = _price($);
        tokens = _tokensFor(credits, p);
        if (tokens > maxTokens) revert TokensAboveMaximum(tokens, maxTokens);
        _mint($, to, tokens, credits, p);
    }

    /**
     * @dev Checks → effects → events → interactions: the breaker and the totals are written before the
     * token burns the caller's tokens (the token is the suite's own, and the burn calls nothing back).
     */
    function _mint(DataCreditsStorage storage $, address to, uint256 tokens, uint256 credits, Price memory p) private {
        if (to == address(0)) revert InvalidRecipient(to);
        (uint256 bucket, uint256 prev, uint256 current, uint256 available) = _window($);
        if (credits > available) revert MintLimitExceeded(credits, available);

        // `credits <= available <= maxMintPerWindow - (prev + current) < 2**48`, so the bucket's sum
        // and the casts fit; the additions to `creditsMinted` and `tokensBurned` are checked.
        uint72 minted = $.creditsMinted + uint72(credits);
        uint256 bucketMinted = current + credits;
        uint96 burned = SafeCast.toUint96(uint256($.tokensBurned) + tokens);
        // The four fields of the breaker word are written together, with no check in between: one write.
        $.bucket = uint40(bucket);
        $.prevBucketMinted = uint48(prev);
        $.bucketMinted = uint48(bucketMinted);
        $.creditsMinted = minted;
        $.tokensBurned = burned;
        $.balances[to] += credits;

        emit Transfer(address(0), to, credits);
        emit CreditsMinted(msg.sender, to, tokens, credits, p.answer);

        ERC20Burnable($.token).burnFrom(msg.sender, tokens);
    }

    /// @dev Tries the permit; a failure (most often a permit already used by a front-runner) is ignored.
    function _tryPermit(uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) private {
        // solhint-disable-next-line no-empty-blocks
        try IERC20Permit(_getStorage().token).permit(msg.sender, address(this), value, deadline, v, r, s) {} catch {}
    }

    /**
     * @dev The breaker's bucket now, the credits counted for the previous and the current bucket, and
     * the credits that may still be minted: `maxMintPerWindow - (prev + current)`, or 0 past the limit.
     */
    function _window(
        DataCreditsStorage storage $
    ) private view returns (uint256 bucket, uint256 prev, uint256 current, uint256 available) {
        bucket = block.timestamp / $.mintWindow;
        uint256 stored = $.bucket;
        if (bucket == stored) {
            prev = $.prevBucketMinted;
            current = $.bucketMinted;
        } else if (bucket == stored + 1) {
            prev = $.bucketMinted;
        }
        uint256 used = prev + current;
        uint256 max = $.maxMintPerWindow;
        available = used >= max ? 0 : max - used;
    }

    // ─── Internal: price ──────────────────────────────────────────────────────────────────────

    function _creditsFor(uint256 tokenAmount, Price memory p) private pure returns (uint256) {
        return Math.mulDiv(tokenAmount, p.answer, 10 ** (_UNIT_EXPONENT + p.decimals));
    }

    function _tokensFor(uint256 credits, Price memory p) private pure returns (uint256) {
        return Math.mulDiv(credits, 10 ** (_UNIT_EXPONENT + p.decimals), p.answer, Math.Rounding.Ceil);
    }

    /// @dev Reads and validates the price: sequencer first (when set), then every field of the round.
    function _price(DataCreditsStorage storage $) private view returns (Price memory) {
        if ($.hasSequencer) _checkSequencer($.sequencerUptimeFeed, $.sequencerGracePeriod);
        IAggregatorV3 feed = IAggregatorV3($.priceFeed);
        (uint80 roundId, int256 answer, , uint256 updatedAt, uint80 answeredInRound) = feed.latestRoundData();
        if (answer <= 0) revert InvalidPrice(answer);
        if (updatedAt == 0) revert PriceNotUpdated(roundId);
        if (updatedAt > block.timestamp) revert PriceFromFuture(updatedAt, block.timestamp);
        uint256 staleness = $.maxStaleness;
        if (block.timestamp - updatedAt > staleness) revert StalePrice(updatedAt, staleness, block.timestamp);
        if (answeredInRound < roundId) revert IncompleteRound(roundId, answeredInRound);
        return Price({answer: uint256(answer), decimals: $.feedDecimals});
    }

    /// @dev Chainlink's L2 sequencer-uptime semantics: answer 0 is up, 1 is down; `startedAt` is when it changed.
    function _checkSequencer(address sequencerFeed, uint256 gracePeriod) private view {
        (, int256 status, uint256 startedAt, , ) = IAggregatorV3(sequencerFeed).latestRoundData();
        if (status != 0) revert SequencerDown(status);
        if (startedAt == 0) revert SequencerStatusUnknown();
        if (block.timestamp <= startedAt + gracePeriod) {
            revert SequencerGracePeriodNotOver(startedAt, gracePeriod, block.timestamp);
        }
    }

    // ─── Internal: parameters ─────────────────────────────────────────────────────────────────

    function _setPriceFeed(address feed) private {
        if (feed == address(0)) revert InvalidPriceFeed(feed);
        uint8 feedDecimals = IAggregatorV3(feed).decimals();
        if (feedDecimals > _MAX_FEED_DECIMALS) revert UnsupportedFeedDecimals(feedDecimals);
        DataCreditsStorage storage $ = _getStorage();
        $.priceFeed = feed;
        $.feedDecimals = feedDecimals;
        emit PriceFeedSet(feed, feedDecimals);
    }

    function _setMaxStaleness(uint32 maxStaleness_) private {
        if (maxStaleness_ == 0) revert InvalidMaxStaleness(maxStaleness_);
        _getStorage().maxStaleness = maxStaleness_;
        emit MaxStalenessSet(maxStaleness_);
    }

    function _setSequencerUptimeFeed(address feed, uint32 gracePeriod) private {
        DataCreditsStorage storage $ = _getStorage();
        $.sequencerUptimeFeed = feed;
        $.sequencerGracePeriod = gracePeriod;
        $.hasSequencer = feed != address(0);
        emit SequencerUptimeFeedSet(feed, gracePeriod);
    }

    /// @dev Counts everything of the last two buckets as the previous bucket of the new numbering.
    function _setCircuitBreaker(uint48 maxMintPerWindow, uint32 mintWindow) private {
        if (mintWindow == 0) revert InvalidMintWindow(mintWindow);
        DataCreditsStorage storage $ = _getStorage();
        uint256 recent;
        if ($.mintWindow != 0) {
            (, uint256 prev, uint256 current, ) = _window($);
            recent = prev + current;
        }
        $.maxMintPerWindow = maxMintPerWindow;
        $.mintWindow = mintWindow;
        // Timestamps divided by a window of at least 1 s fit in 40 bits.
        $.bucket = uint40(block.timestamp / mintWindow);
        $.prevBucketMinted = uint48(Math.min(recent, type(uint48).max));
        $.bucketMinted = 0;
        emit CircuitBreakerSet(maxMintPerWindow, mintWindow);
    }

    function _setUndelegateNotice(uint32 undelegateNotice_) private {
        _getStorage().undelegateNotice = undelegateNotice_;
        emit UndelegateNoticeSet(undelegateNotice_);
    }

    // ─── Internal: pause, upgrades and storage ────────────────────────────────────────────────

    /// @dev `SuitePausable`'s flag: word 0 of the namespace, which every mint reads anyway for the feed.
    function _pausedFlag() internal view override returns (bool) {
        return _getStorage().paused;
    }

    /// @dev Written only by `SuitePausable`'s `_pause` and `_unpause`.
    function _setPausedFlag(bool value) internal override {
        _getStorage().paused = value;
    }

    /// @dev `restricted`: the UPGRADER role, through `upgradeToAndCall`.
    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal override restricted {}

    function _getStorage() private pure returns (DataCreditsStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := _STORAGE_LOCATION
        }
    }
}
