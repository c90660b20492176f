import { createReadStream } from "node:fs";

/**
 * Yields the lines of a UTF-8 file, 1-based, without their line terminator (`\n` or `\r\n`).
 * Reads in 1 MiB chunks, so a file of any size streams in constant memory.
 */
export async function* readLines(file: string): AsyncGenerator<{ text: string; line: number }> {
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  let rest = "";
  let line = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    let end = text.indexOf("\n", start);
    while (end !== -1) {
      line++;
      yield { text: stripCr(text.slice(start, end)), line };
      start = end + 1;
      end = text.indexOf("\n", start);
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) {
    line++;
    yield { text: stripCr(rest), line };
  }
}

function stripCr(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}
