import type { AccountIndex, Snapshot } from "./types";
import { ZERO_ADDRESS } from "./util/address";

/** Numbers addresses in the order they are first seen, and gives one shared string per address. */
export class AccountNumbering {
  private readonly _ids = new Map<string, number>();
  readonly accounts: string[] = [];

  /** The number of `address`, given a new one when it is first seen. */
  idOf(address: string): number {
    let id = this._ids.get(address);
    if (id === undefined) {
      id = this.accounts.length;
      this._ids.set(address, id);
      this.accounts.push(address);
    }
    return id;
  }
}

/** The beneficiary's number: the recipient's unless there is none (null or the zero address). */
export function beneficiaryId(owner: number, recipient: number, recipientAddress: string | null): number {
  return recipientAddress === null || recipientAddress === ZERO_ADDRESS ? owner : recipient;
}

const indexes = new WeakMap<Snapshot, AccountIndex>();

/** Records the index a reader built for `snapshot` (which it must describe exactly). */
export function attachAccountIndex<T extends Snapshot>(snapshot: T, index: AccountIndex): T {
  indexes.set(snapshot, index);
  return snapshot;
}

/** The account index of `snapshot`: the reader's, else built now (and kept). */
export function accountIndexOf(snapshot: Snapshot): AccountIndex {
  const known = indexes.get(snapshot);
  if (known !== undefined) return known;
  const numbering = new AccountNumbering();
  const n = snapshot.devices.length;
  const owner = new Int32Array(n);
  const beneficiary = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const d = snapshot.devices[i];
    if (d === undefined) continue;
    owner[i] = numbering.idOf(d.owner);
    beneficiary[i] =
      d.recipient === null ? owner[i] : beneficiaryId(owner[i], numbering.idOf(d.recipient), d.recipient);
  }
  const staker = Int32Array.from(snapshot.stakes, (s) => numbering.idOf(s.owner));
  const index = { accounts: numbering.accounts, owner, beneficiary, staker };
  indexes.set(snapshot, index);
  return index;
}
