import { UserError } from "../errors";

/**
 * Pure bigint arithmetic of DataCredits, with the contract's own rounding, so that a dApp can quote
 * a mint before sending it. 1 DC = $0.00001; the token has 18 decimals; a feed answer is USD per whole
 * token with `decimals` decimals. Credits round down and tokens round up, as on-chain.
 */

/** log10 of (token unit / credit's USD value) = 18 - 5: `credits = tokens * answer / 10^(13 + decimals)`. */
export const UNIT_EXPONENT = 13n;
/** The most feed decimals DataCredits normalises. */
export const MAX_FEED_DECIMALS = 36;

export class QuoteError extends UserError {
  override readonly name = "QuoteError";
}

function unit(decimals: number): bigint {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_FEED_DECIMALS) {
    throw new QuoteError(`feed decimals must be an integer in 0..${MAX_FEED_DECIMALS}, got ${decimals}`);
  }
  return 10n ** (UNIT_EXPONENT + BigInt(decimals));
}

function positive(answer: bigint): bigint {
  if (answer <= 0n) throw new QuoteError(`price answer must be positive, got ${answer}`);
  return answer;
}

/** The credits `tokens` (wei) buy at `answer` with `decimals`: `floor(tokens * answer / 10^(13 + decimals))`. */
export function creditsForTokens(tokens: bigint, answer: bigint, decimals: number): bigint {
  if (tokens < 0n) throw new QuoteError(`token amount must not be negative, got ${tokens}`);
  return (tokens * positive(answer)) / unit(decimals);
}

/** The tokens (wei) `credits` cost at `answer` with `decimals`, rounded up. */
export function tokensForCredits(credits: bigint, answer: bigint, decimals: number): bigint {
  if (credits < 0n) throw new QuoteError(`credit amount must not be negative, got ${credits}`);
  const numerator = credits * unit(decimals);
  const a = positive(answer);
  return (numerator + a - 1n) / a;
}

/**
 * Parses a USD price such as "0.5" or "12.345" into a feed answer with `decimals` decimals. Refuses
 * more fractional digits than `decimals` (no silent rounding), signs, exponents and zero.
 */
export function parseUsdPrice(text: string, decimals: number): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (match === null) throw new QuoteError(`price must be a plain decimal number of USD, got "${text}"`);
  const fraction = match[2] ?? "";
  if (fraction.length > decimals) {
    throw new QuoteError(`price "${text}" has more than ${decimals} fractional digits`);
  }
  const answer = BigInt(match[1] + fraction.padEnd(decimals, "0"));
  if (answer === 0n) throw new QuoteError("price must be positive");
  return answer;
}

/** Formats a feed answer with `decimals` decimals as USD, e.g. 50000000n, 8 → "0.5". */
export function formatUsdPrice(answer: bigint, decimals: number): string {
  const digits = answer.toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return fraction === "" ? whole : `${whole}.${fraction}`;
}

/**
 * Whether the governed feed accepts moving from `previous` to `next` with `maxDeviationBps`: the same
 * bound as `GovernedPriceFeed.updateAnswer`, `|next - previous| * 10_000 <= previous * maxDeviationBps`.
 */
export function withinDeviation(previous: bigint, next: bigint, maxDeviationBps: bigint): boolean {
  const move = next > previous ? next - previous : previous - next;
  return move * 10_000n <= previous * maxDeviationBps;
}

/**
 * Whether the governed feed's window bound accepts `next`, given the range `low`..`high` of the prices in
 * force in the window (`windowRange()`) and `maxWindowMoveBps`: the same check as
 * `GovernedPriceFeed.updateAnswer`. A price within the range is always accepted; one outside it must keep
 * the new high within `maxWindowMoveBps` of the new low, `high * 10_000 <= low * (10_000 + maxWindowMoveBps)`.
 */
export function withinWindow(low: bigint, high: bigint, next: bigint, maxWindowMoveBps: bigint): boolean {
  if (next > high) return next * 10_000n <= low * (10_000n + maxWindowMoveBps);
  if (next < low) return high * 10_000n <= next * (10_000n + maxWindowMoveBps);
  return true;
}
