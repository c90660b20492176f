import type { GasMeasurement } from "./lib";

/** `bench/gas-budgets.json`: operation → the most gas it may use, with a note on what it covers. */
export type Budgets = Record<string, { readonly max: number; readonly note: string }>;

export interface GasRow {
  readonly op: string;
  readonly gas: bigint;
  readonly per?: number;
  readonly max?: number;
}

export interface GasReport {
  readonly rows: GasRow[];
  readonly problems: string[];
}

/** Pure: pairs each measurement with its budget and lists what is over, unbudgeted or stale. */
export function compareWithBudgets(measured: readonly GasMeasurement[], budgets: Budgets): GasReport {
  const rows: GasRow[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const m of measured) {
    if (seen.has(m.op)) problems.push(`operation "${m.op}" is measured twice`);
    seen.add(m.op);
    const budget = budgets[m.op];
    rows.push({ ...m, max: budget?.max });
    if (budget === undefined) problems.push(`operation "${m.op}" has no budget in bench/gas-budgets.json`);
    else if (m.gas > BigInt(budget.max))
      problems.push(`operation "${m.op}" used ${m.gas} gas, over its budget of ${budget.max}`);
  }
  for (const op of Object.keys(budgets)) {
    if (!seen.has(op)) problems.push(`budget "${op}" names no measured operation`);
  }
  return { rows, problems };
}

export function formatGasTable(rows: readonly GasRow[]): string {
  const header = ["operation", "gas", "budget", "headroom"];
  const body = rows.map((row) => [
    row.per === undefined ? row.op : `${row.op} (per item of ${row.per})`,
    row.gas.toString(),
    row.max === undefined ? "-" : row.max.toString(),
    row.max === undefined ? "-" : (BigInt(row.max) - row.gas).toString(),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
