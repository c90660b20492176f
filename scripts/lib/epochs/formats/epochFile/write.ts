import { writeAtomically } from "../../../atomic";
import type { AccountAmount, EpochResult } from "../../types";
import {
  ACCOUNT_COLUMNS,
  DEVICE_COLUMNS,
  TREE_OPEN,
  TREE_VALUES,
  accountLine,
  deviceLines,
  headerLines,
  valueLine,
} from "./layout";

/** Writes the epoch file atomically: nothing exists under `file` until the whole file is on disk. */
export async function writeEpochFile(file: string, result: EpochResult): Promise<void> {
  await writeAtomically(file, async (sink) => {
    for (const line of headerLines(result)) await sink.write(`${line}\n`);
    await sink.write(`"accountColumns": ${JSON.stringify(ACCOUNT_COLUMNS)},\n"accounts": [\n`);
    const na = result.accounts.length;
    for (let i = 0; i < na; i++) {
      await sink.write(`${accountLine(result.accounts[i] as AccountAmount)}${i + 1 < na ? "," : ""}\n`);
    }
    await sink.write(`],\n"deviceColumns": ${JSON.stringify(DEVICE_COLUMNS)},\n"devices": [\n`);
    for (const text of deviceLines(result.devices)) {
      const pending = sink.write(text);
      if (pending !== undefined) await pending;
    }
    await sink.write("],\n");
    if (result.tree === null) {
      await sink.write(`"tree": null\n}\n`);
      return;
    }
    const { tree, treeIndex } = result.tree;
    await sink.write(`${TREE_OPEN}\n`);
    for (let i = 0; i < tree.length; i++) await sink.write(`"${tree[i]}"${i + 1 < tree.length ? "," : ""}\n`);
    await sink.write(`${TREE_VALUES}\n`);
    for (let i = 0; i < na; i++) {
      const a = result.accounts[i] as AccountAmount;
      await sink.write(`${valueLine(a.account, a.cumulative, treeIndex[i] as number)}${i + 1 < na ? "," : ""}\n`);
    }
    await sink.write("]}\n}\n");
  });
}
