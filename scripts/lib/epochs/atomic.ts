import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";

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
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
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
