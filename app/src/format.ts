/*
 * How the dApp shows numbers and times, in one place: amounts in whole tokens with their decimals
 * and the reader's thousands separators, times as dates in the reader's time zone. Every amount and
 * time the page shows goes through these; the raw values stay in `data-*` attributes.
 */

/** The fraction digits shown: at least 2 (a token amount reads as one), at most 4, cut, never rounded up. */
const MIN_FRACTION = 2;
const MAX_FRACTION = 4;

/** The locale's decimal separator. */
function decimalSeparator(locale?: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
}

/**
 * `value` in units of `10^decimals`, with thousands separators: 2 to 4 fraction digits for a token
 * (`1,234.5678`, `187,500.00`), none for a whole-unit balance such as credits (`5,000,000`). A positive
 * amount too small to show is `< 0.0001`, never `0.00`.
 */
export function formatAmount(value: bigint, decimals: number, locale?: string): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const unit = 10n ** BigInt(decimals);
  const whole = magnitude / unit;
  const shown = Math.min(decimals, MAX_FRACTION);
  let fraction = (magnitude % unit).toString().padStart(decimals, "0").slice(0, shown).replace(/0+$/, "");
  fraction = fraction.padEnd(Math.min(decimals, MIN_FRACTION), "0");
  const separator = decimalSeparator(locale);
  if (magnitude > 0n && whole === 0n && /^0*$/.test(fraction)) {
    return `${negative ? "> -" : "< "}0${separator}${"1".padStart(shown, "0")}`;
  }
  const grouped = new Intl.NumberFormat(locale, { useGrouping: true }).format(whole);
  return `${negative ? "-" : ""}${grouped}${fraction === "" ? "" : `${separator}${fraction}`}`;
}

/** A token amount (wei) with its symbol: `1,250.00 DPN`. */
export function formatTokens(wei: bigint, symbol: string, decimals = 18, locale?: string): string {
  return `${formatAmount(wei, decimals, locale)} ${symbol}`;
}

/** A Unix time (seconds) as a date and time in the reader's time zone: `Dec 14, 2026, 10:12 PM`. */
export function formatDate(unixSeconds: bigint, locale?: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(
    new Date(Number(unixSeconds) * 1000),
  );
}

/** A `<time>` element for a Unix time: the date as text, the exact instant in `datetime`. */
export function timeElement(unixSeconds: bigint): HTMLTimeElement {
  const element = document.createElement("time");
  element.dateTime = new Date(Number(unixSeconds) * 1000).toISOString();
  element.textContent = formatDate(unixSeconds);
  return element;
}
