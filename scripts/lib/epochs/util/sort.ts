/**
 * Sorting by lowercase 0x-address at a million rows. A comparison sort of a million 42-character
 * strings costs seconds; this distributes the items into 65,536 buckets by their first two bytes
 * (addresses are hashes, so buckets hold a dozen items each) and sorts each bucket by comparison.
 * The result is exactly that of a stable comparison sort, whatever the distribution (a skewed one
 * only makes it slower).
 */
export function sortByAddress<T>(items: T[], key: (item: T) => string, tiebreak?: (a: T, b: T) => number): T[] {
  const compare = (a: T, b: T): number => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : tiebreak === undefined ? 0 : tiebreak(a, b);
  };
  const n = items.length;
  if (n < 4096) return items.sort(compare);
  const buckets = new Uint16Array(n);
  const starts = new Int32Array(65_537);
  for (let i = 0; i < n; i++) {
    const b = prefix(key(items[i] as T));
    buckets[i] = b;
    starts[b + 1]++;
  }
  for (let b = 0; b < 65_536; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number);
  const next = starts.slice(0, 65_536);
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) {
    const b = buckets[i] as number;
    out[next[b]++] = items[i] as T;
  }
  for (let b = 0; b < 65_536; b++) {
    const from = starts[b] as number;
    const to = starts[b + 1] as number;
    if (to - from < 2) continue;
    if (to - from <= 32) {
      // Insertion sort: stable, and fastest for the dozen items of a bucket.
      for (let i = from + 1; i < to; i++) {
        const item = out[i] as T;
        let j = i - 1;
        while (j >= from && compare(out[j] as T, item) > 0) {
          out[j + 1] = out[j] as T;
          j--;
        }
        out[j + 1] = item;
      }
    } else {
      const part = out.slice(from, to).sort(compare);
      for (let i = from; i < to; i++) out[i] = part[i - from] as T;
    }
  }
  for (let i = 0; i < n; i++) items[i] = out[i] as T;
  return items;
}

/** The first two bytes of a lowercase 0x-address; anything else lands in bucket 0 and is compared. */
function prefix(address: string): number {
  const v = parseInt(address.slice(2, 6), 16);
  return Number.isNaN(v) || address.length < 6 ? 0 : v;
}

/**
 * Inputs that a reader of this library already normalised, sorted and validated (`readSnapshot`,
 * `readActivity`), so that the compute need not check a million addresses again. Objects only, held
 * weakly; nothing outside the library can mark one.
 */
const prepared = new WeakSet<object>();

export function markPrepared<T extends object>(value: T): T {
  prepared.add(value);
  return value;
}

export function isPrepared(value: object): boolean {
  return prepared.has(value);
}
