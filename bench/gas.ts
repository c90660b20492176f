/**
 * `npm run bench`: measures the suite's key operations on the in-process chain, prints the gas
 * table, and compares it with the committed budgets in `bench/gas-budgets.json`. Exits non-zero
 * when an operation is over budget, or when an operation and the budgets do not list each other.
 * Each capability adds its operations as a module of `bench/ops/`.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { network } from "hardhat";

import { compareWithBudgets, formatGasTable, type Budgets } from "./budgets";
import type { GasBench, GasMeasurement } from "./lib";

async function main(): Promise<void> {
  const dir = path.join(__dirname, "ops");
  const modules = readdirSync(dir)
    .filter((file) => file.endsWith(".ts"))
    .sort();
  const measured: GasMeasurement[] = [];
  for (const file of modules) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bench = (require(path.join(dir, file)) as { default: GasBench }).default;
    const snapshot = (await network.provider.send("evm_snapshot", [])) as string;
    measured.push(...(await bench()));
    await network.provider.send("evm_revert", [snapshot]);
  }
  const budgets = JSON.parse(readFileSync(path.join(__dirname, "gas-budgets.json"), "utf8")) as Budgets;
  const report = compareWithBudgets(measured, budgets);
  process.stdout.write(formatGasTable(report.rows) + "\n");
  if (report.problems.length > 0) {
    for (const problem of report.problems) process.stderr.write(`bench: ${problem}\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
