import { writeAtomically, type TextSink } from "../../../atomic";
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
    await writeChunked(sink, na, (i) => accountLine(result.accounts[i] as AccountAmount));
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
    await writeChunked(sink, tree.length, (i) => `"${tree[i]}"`);
    await sink.write(`${TREE_VALUES}\n`);
    await writeChunked(sink, na, (i) => {
      const a = result.accounts[i] as AccountAmount;
      return valueLine(a.account, a.cumulative, treeIndex[i] as number);
    });
    await sink.write("]}\n}\n");
  });
}

/**
 * `count` lines of a JSON list (`line(i)`, a comma after each but the last), handed to the sink
 * 4,096 at a time rather than one call per line (768k lines at 1M devices).
 */
async function writeChunked(sink: TextSink, count: number, line: (i: number) => string): Promise<void> {
  for (let from = 0; from < count; from += 4096) {
    const to = Math.min(count, from + 4096);
    let text = "";
    for (let i = from; i < to; i++) text += line(i) + (i + 1 < count ? ",\n" : "\n");
    const pending = sink.write(text);
    if (pending !== undefined) await pending;
  }
}
