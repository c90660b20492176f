/**
 * How amounts, times and durations appear to people, in every task and in decoded errors: token
 * amounts in tokens with all their decimals (trailing zeros dropped, nothing rounded away) and
 * thousands separators, whole credits with separators, times as ISO-8601 dates in UTC, durations in
 * seconds with a rough reading. Output for machines (JSON) keeps integers as decimal strings (wei).
 * Pure: no Node or browser API beyond `Date`, so the SDK's browser build can use it.
 */

/** The token's decimals (ERC-20 `decimals()` of RewardToken). */
export const TOKEN_DECIMALS = 18;

/** "1234567" → "1,234,567"; a leading "-" is kept. */
export function groupThousands(digits: string): string {
  const negative = digits.startsWith("-");
  const body = negative ? digits.slice(1) : digits;
  const grouped = body.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return negative ? `-${grouped}` : grouped;
}

/** An integer with `decimals` decimals, grouped, every significant decimal kept: (1234500000000000000000n, 18) → "1,234.5". */
export function formatUnits(value: bigint, decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0) throw new RangeError(`decimals must be a whole number: ${decimals}`);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = groupThousands(digits.slice(0, digits.length - decimals));
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

/** A token amount given in wei, for people: 1500250000000000000000n → "1,500.25 tokens". */
export function formatTokens(wei: bigint, decimals: number = TOKEN_DECIMALS): string {
  const unit = wei === 10n ** BigInt(decimals) ? "token" : "tokens";
  return `${formatUnits(wei, decimals)} ${unit}`;
}

/** Whole data credits, for people: 30000n → "30,000 DC". */
export function formatCredits(credits: bigint): string {
  return `${groupThousands(credits.toString())} DC`;
}

/** A USD feed answer with `decimals` decimals: (51000000n, 8) → "$0.51". */
export function formatUsd(answer: bigint, decimals: number): string {
  return answer < 0n ? `-$${formatUnits(-answer, decimals)}` : `$${formatUnits(answer, decimals)}`;
}

/** Basis points: 500n → "500 bps". */
export function formatBps(bps: bigint | number): string {
  return `${groupThousands(bps.toString())} bps`;
}

/** The largest unix time a `Date` holds (year 275760). */
const MAX_DATE_SECONDS = 8_640_000_000_000n;

/** A unix time in seconds as an ISO-8601 date in UTC, to the second: 1700000000n → "2023-11-14T22:13:20Z". */
export function formatDate(seconds: bigint | number): string {
  const value = BigInt(seconds);
  if (value < 0n || value > MAX_DATE_SECONDS) return `${value} (unix time)`;
  return new Date(Number(value) * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/** A duration in seconds with a rough reading: 86400n → "86,400 s (1 d)", 5400n → "5,400 s (1 h 30 min)", 20n → "20 s". */
export function formatDuration(seconds: bigint | number): string {
  const value = BigInt(seconds);
  const text = `${groupThousands(value.toString())} s`;
  if (value < 60n) return text;
  const parts: string[] = [];
  let rest = value;
  for (const [unit, size] of [
    ["d", 86_400n],
    ["h", 3_600n],
    ["min", 60n],
  ] as const) {
    if (rest >= size) {
      parts.push(`${groupThousands((rest / size).toString())} ${unit}`);
      rest %= size;
    }
  }
  if (rest > 0n) parts.push(`${rest} s`);
  return `${text} (${parts.slice(0, 2).join(" ")})`;
}

/** One JSON line for machines: bigints as decimal strings. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
