import { createReadStream } from "node:fs";

/** One line of a file: its text without the terminator, and its 1-based number. */
export interface Line {
  readonly text: string;
  readonly line: number;
}

/**
 * Yields the lines of a UTF-8 file in batches (one per 1 MiB chunk read), 1-based, without their
 * line terminator (`\n` or `\r\n`). A file of any size streams in constant memory, and the
 * consumer pays one await per chunk rather than one per line.
 */
export async function* readLineBatches(file: string): AsyncGenerator<Line[]> {
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  let rest = "";
  let line = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    const batch: Line[] = [];
    let start = 0;
    let end = text.indexOf("\n", start);
    while (end !== -1) {
      line++;
      batch.push({ text: stripCr(text.slice(start, end)), line });
      start = end + 1;
      end = text.indexOf("\n", start);
    }
    rest = text.slice(start);
    if (batch.length > 0) yield batch;
  }
  if (rest.length > 0) {
    line++;
    yield [{ text: stripCr(rest), line }];
  }
}

function stripCr(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}
