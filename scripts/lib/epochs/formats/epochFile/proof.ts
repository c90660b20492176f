import { EpochFileError } from "../../errors";
import { proofAt } from "../../merkle";
import type { AccountAmount, AccountProof, EpochFile, StandardTreeDump } from "../../types";
import { normalizeAddress } from "../../util/address";
import { sharedKeccak } from "../../util/keccak";

/**
 * The proof of `account` (any case) in a file read by `readEpochFile`. Throws `EpochFileError`
 * when the account has no leaf.
 */
export async function proofFor(file: EpochFile, account: string): Promise<AccountProof> {
  const keccak = await sharedKeccak();
  const lower = normalizeAddress(account, keccak);
  if (lower === undefined) throw new EpochFileError(file.source, `${account} is not an address`);
  const i = binarySearch(file.accounts, lower);
  if (i < 0 || file.tree === null)
    throw new EpochFileError(file.source, `account ${account} has no amount in epoch ${file.epoch}`);
  const a = file.accounts[i] as AccountAmount;
  const value = file.tree.values[i] as StandardTreeDump["values"][number];
  return {
    account: value.value[0],
    cumulativeAmount: a.cumulative.toString(),
    proof: proofAt(file.tree.tree, value.treeIndex),
  };
}

function binarySearch(accounts: readonly AccountAmount[], account: string): number {
  let lo = 0;
  let hi = accounts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const a = (accounts[mid] as AccountAmount).account;
    if (a === account) return mid;
    if (a < account) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
