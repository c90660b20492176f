import path from "node:path";
import { Worker } from "node:worker_threads";

import type { HashReply, HashRequest } from "../types";

/**
 * Hash while reading: the readers hand each chunk of bytes they read to a worker thread
 * (`hashWorker.ts`, transferred, not copied), which computes `snapshotHash` and `activityHash` from
 * those bytes on the other core while this thread parses them. The compute then finds the hashes
 * known (`attachInputHash`) instead of encoding a million rows again. Any failure (a file not in
 * canonical form, a worker that does not start) gives `null`, and the compute hashes the parsed
 * input itself: the same value, later. At 1M devices this takes the 1.7 to 2.9 s of "hashed the
 * inputs" off the main thread (CPU, load average 8), for about 120 MB more peak RSS (the worker's
 * heap; more under ts-node, which the worker loads too). Used for inputs of 32 MiB and more
 * (`pipeline.ts`): below that the worker's start costs more than it saves.
 */
/** At most this many bytes wait for the worker: a reader faster than it waits rather than queue a whole file. */
const MAX_IN_FLIGHT = 8 << 20;

export class HashWhileReading {
  private readonly _worker: Worker | undefined;
  private readonly _replies = new Map<string, (hash: string | null) => void>();
  private readonly _results = new Map<string, Promise<string | null>>();
  private _broken = false;
  /** Bytes sent and not yet taken by the worker; the reader waits above `MAX_IN_FLIGHT`. */
  private _inFlight = 0;
  private _drained: () => void = () => undefined;

  constructor(enabled = true) {
    this._broken = !enabled;
    const entry = path.join(__dirname, "hashWorker");
    // An eval'd entry: it loads the worker module however this one was loaded (compiled .js, or
    // TypeScript through ts-node, which the worker registers when the process did).
    const code = [
      `const entry = ${JSON.stringify(entry)};`,
      `if (${JSON.stringify(__filename.endsWith(".ts"))} && require.extensions[".ts"] === undefined)`,
      `  require("ts-node").register({ transpileOnly: true });`,
      `require(entry);`,
    ].join("\n");
    if (!enabled) return;
    this._worker = new Worker(code, { eval: true });
    this._worker.unref();
    this._worker.on("message", (reply: HashReply) => {
      if ("done" in reply) {
        this._inFlight -= reply.done;
        if (this._inFlight <= MAX_IN_FLIGHT) this._drained();
      } else {
        this._replies.get(reply.which)?.(reply.hash);
      }
    });
    const fail = (): void => {
      this._broken = true;
      this._drained();
      for (const resolve of this._replies.values()) resolve(null);
    };
    this._worker.on("error", fail);
    this._worker.on("exit", fail);
  }

  /** What a reader calls with each chunk it read (the chunk's memory is handed to the worker). */
  feed(which: "snapshot" | "activity"): (chunk: Buffer, length: number) => Promise<void> | undefined {
    return (chunk, length) => {
      if (this._broken) return undefined;
      const bytes = chunk.buffer as ArrayBuffer;
      const whole = chunk.byteOffset === 0 && chunk.byteLength === bytes.byteLength;
      const message: HashRequest = whole
        ? { kind: "bytes", which, bytes, length }
        : {
            kind: "bytes",
            which,
            bytes: chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + length) as ArrayBuffer,
            length,
          };
      this._worker?.postMessage(message, [message.bytes]);
      this._inFlight += length;
      if (this._inFlight <= MAX_IN_FLIGHT) return undefined;
      return new Promise<void>((resolve) => (this._drained = resolve));
    };
  }

  /** The hash of everything fed for `which`, or null. Call once the reader has finished. */
  result(which: "snapshot" | "activity"): Promise<string | null> {
    let result = this._results.get(which);
    if (result === undefined) {
      result = new Promise<string | null>((resolve) => {
        this._replies.set(which, resolve);
        if (this._broken) resolve(null);
        else this._worker?.postMessage({ kind: "end", which } satisfies HashRequest);
      });
      this._results.set(which, result);
    }
    return result;
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    if (this._worker === undefined) return;
    this._worker.removeAllListeners("exit");
    await this._worker.terminate();
  }
}
