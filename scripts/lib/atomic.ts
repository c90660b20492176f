import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";

/**
 * The project's one atomic writer. Every file the tooling writes (epoch files, snapshots, activity,
 * the deploy journal, deployment records, token lists, the demo's outputs) goes through this module:
 * the content lands in a temporary file in the target's folder, is flushed to disk, and is then
 * renamed over the target. A reader therefore sees the old file or the new one, never half of one,
 * whatever kills the process; on an error the temporary file is removed and the error rethrown.
 */

function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
}

/**
 * What a producer writes through: text is batched into large chunks before it reaches the disk.
 * `write` returns a promise only when it flushed a chunk; await it then (`await sink.write(x)`
 * works in every case, but a hot loop can skip the await when nothing is returned).
 */
export interface TextSink {
  write(text: string): Promise<void> | undefined;
}

const CHUNK_CHARS = 1 << 20;

/**
 * Writes `target` atomically: `produce` streams the content into a temporary file in the same
 * folder, which is flushed to disk and then renamed over `target`. Until the rename nothing exists
 * under `target`, so a crash, a kill or an error in `produce` never leaves a half file there; on an
 * error the temporary file is removed and the error rethrown. A missing folder is created.
 */
export async function writeAtomically(target: string, produce: (sink: TextSink) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  const handle = await open(temp, "wx");
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = async (): Promise<void> => {
    if (pendingChars === 0) return;
    const text = pending.join("");
    pending = [];
    pendingChars = 0;
    await handle.write(text);
  };
  try {
    await produce({
      write(text: string): Promise<void> | undefined {
        pending.push(text);
        pendingChars += text.length;
        return pendingChars >= CHUNK_CHARS ? flush() : undefined;
      },
    });
    await flush();
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Writes `data` to `target` atomically (see `writeAtomically`). */
export async function writeFileAtomically(target: string, data: string | Uint8Array): Promise<void> {
  if (typeof data === "string") {
    await writeAtomically(target, async (sink) => {
      await sink.write(data);
    });
    return;
  }
  await mkdir(path.dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  const handle = await open(temp, "wx");
  try {
    await handle.write(data);
    await handle.sync();
    await handle.close();
    await rename(temp, target);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * The synchronous twin of `writeFileAtomically`, for the few writers that must finish before the
 * next statement runs (the deploy journal records a step before the next transaction is sent).
 */
export function writeFileAtomicallySync(target: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  const fd = openSync(temp, "wx");
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, target);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Writes `value` as indented JSON with a final newline, atomically. */
export function writeJsonAtomicallySync(target: string, value: unknown): void {
  writeFileAtomicallySync(target, `${JSON.stringify(value, null, 2)}\n`);
}
