/**
 * Loads every task module of this folder. Task files stay thin: they parse and validate their
 * arguments and make one call into `scripts/lib`. They import that library (and anything built on
 * `typechain-types/`) inside their actions, so that the config loads on a fresh clone before the
 * first compile has generated the types.
 */
import { readdirSync } from "node:fs";
import path from "node:path";

for (const file of readdirSync(__dirname).sort()) {
  if (file === "index.ts" || !file.endsWith(".ts")) continue;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(__dirname, file));
}
