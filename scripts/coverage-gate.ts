/** `npm run coverage:gate`: fails unless coverage/coverage-summary.json meets the suite's gate. */
import { existsSync, readFileSync } from "node:fs";

import { checkCoverage, type CoverageSummary } from "./lib/coverage";

const file = process.argv[2] ?? "coverage/coverage-summary.json";
if (!existsSync(file)) {
  process.stderr.write(`coverage gate: ${file} not found: run npm run coverage first\n`);
  process.exit(1);
}
const verdict = checkCoverage(JSON.parse(readFileSync(file, "utf8")) as CoverageSummary);
process.stdout.write(`coverage: lines ${verdict.lines.toFixed(2)}%, branches ${verdict.branches.toFixed(2)}%\n`);
if (verdict.failures.length > 0) {
  process.stderr.write(`coverage gate: ${verdict.failures.join("; ")}\n`);
  process.exit(1);
}
