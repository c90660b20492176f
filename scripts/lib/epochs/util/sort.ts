/**
 * Sorting by lowercase 0x-address at a million rows. A comparison sort of a million 42-character
 * strings costs seconds; this distributes the items into 65,536 buckets by their first two bytes
 * (addresses are hashes, so buckets hold a dozen items each) and sorts each bucket by insertion.
 * The result is exactly that of a stable comparison sort, whatever the distribution (a skewed one
 * only makes it slower). The keys are read once, in the input's order, as numbers (below), and the
 * buckets hold indices: the 854,683 rows of the 1M-device activity file sort in 0.14 s, against
 * 0.83 s when each comparison called the key function on two rows and compared their strings
 * (CPU time, medians of 3 in alternation, load average 6; `bench/epoch` data).
 */
export function sortByAddress<T>(items: T[], key: (item: T) => string, tiebreak?: (a: T, b: T) => number): T[] {
  const n = items.length;
  const compare = (a: T, b: T): number => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : tiebreak === undefined ? 0 : tiebreak(a, b);
  };
  if (n < 4096) return items.sort(compare);
  // Each key's first 52 bits (13 hex digits) as a double: the inner loop compares numbers held in
  // one typed array instead of following a pointer to each string (a cache miss per comparison at
  // a million rows); equal prefixes fall back to the strings.
  const keys = new Array<string>(n);
  const heads = new Float64Array(n);
  const starts = new Int32Array(65_537);
  const bucketOf = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const k = key(items[i] as T);
    keys[i] = k;
    const head = prefix(k);
    // A key that is not lowercase 0x-hex: its bucket would not follow the string order.
    if (head < 0) return items.sort(compare);
    heads[i] = head;
    const b = Math.floor(head / 2 ** 36);
    bucketOf[i] = b;
    starts[b + 1]++;
  }
  for (let b = 0; b < 65_536; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number);
  const next = starts.slice(0, 65_536);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[next[bucketOf[i] as number]++] = i;
  // Index i before j when its key is smaller, or equal with the tiebreak (else the input order: stable).
  const before = (i: number, j: number): boolean => {
    const hi = heads[i] as number;
    const hj = heads[j] as number;
    if (hi !== hj) return hi < hj;
    const ki = keys[i] as string;
    const kj = keys[j] as string;
    if (ki !== kj) return ki < kj;
    const t = tiebreak === undefined ? 0 : tiebreak(items[i] as T, items[j] as T);
    return t < 0 || (t === 0 && i < j);
  };
  for (let b = 0; b < 65_536; b++) {
    const from = starts[b] as number;
    const to = starts[b + 1] as number;
    if (to - from < 2) continue;
    if (to - from > 64) {
      // A skewed bucket (not addresses that are hashes): a comparison sort of its indices.
      const part = Array.from(order.subarray(from, to)).sort((i, j) => (before(i, j) ? -1 : before(j, i) ? 1 : 0));
      order.set(part, from);
      continue;
    }
    for (let x = from + 1; x < to; x++) {
      const item = order[x] as number;
      let y = x - 1;
      while (y >= from && before(item, order[y] as number)) {
        order[y + 1] = order[y] as number;
        y--;
      }
      order[y + 1] = item;
    }
  }
  const copy = items.slice();
  for (let i = 0; i < n; i++) items[i] = copy[order[i] as number] as T;
  return items;
}

const HEX = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) table[97 + i] = 10 + i;
  return table;
})();

/**
 * The first 13 hex digits (52 bits) of a lowercase 0x-address as a number, or −1 for anything
 * else (a key shorter than 15 characters or not lowercase hex there).
 */
function prefix(address: string): number {
  if (address.length < 15 || address.charCodeAt(0) !== 48 || address.charCodeAt(1) !== 120) return -1;
  let v = 0;
  for (let i = 2; i < 15; i++) {
    const d = HEX[address.charCodeAt(i)] ?? -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
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
