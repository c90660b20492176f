/*
 * Run by `npm run build:sdk` after tsc (and so by `npm pack`'s `prepack`): writes each of the SDK's
 * ABIs to `dist/abi/<Name>.json`, plain JSON that any client or code generator reads without
 * JavaScript. Not part of the package's code.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { SUITE_ABIS } from "./abis";

const dir = path.resolve(__dirname, "..", "..", "..", "dist", "abi");
mkdirSync(dir, { recursive: true });
for (const [name, abi] of Object.entries(SUITE_ABIS)) {
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(abi, null, 2)}\n`);
}
process.stderr.write(`wrote ${Object.keys(SUITE_ABIS).length} ABIs to ${path.relative(process.cwd(), dir)}/` + "\n");
