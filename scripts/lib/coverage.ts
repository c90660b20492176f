/** The coverage gate: istanbul's json-summary against the suite's thresholds. Pure. */

export interface CoverageThresholds {
  /** Minimum percentage of lines covered. */
  readonly lines: number;
  /** Minimum percentage of branches covered. */
  readonly branches: number;
}

/** The suite's gate on `contracts/` (mocks excluded by `.solcover.js`). */
export const COVERAGE_GATE: CoverageThresholds = { lines: 98, branches: 90 };

interface Metric {
  readonly total: number;
  readonly covered: number;
  readonly pct: number | "Unknown";
}

export type CoverageSummary = Record<string, { readonly lines: Metric; readonly branches: Metric }>;

export interface CoverageVerdict {
  readonly lines: number;
  readonly branches: number;
  readonly failures: string[];
}

function percent(metric: Metric): number {
  return metric.total === 0 ? 100 : (metric.covered / metric.total) * 100;
}

/** Compares the summary's totals with the thresholds; `failures` is empty when the gate passes. */
export function checkCoverage(summary: CoverageSummary, gate: CoverageThresholds = COVERAGE_GATE): CoverageVerdict {
  const total = summary.total;
  if (total === undefined) return { lines: 0, branches: 0, failures: ["the coverage summary has no total"] };
  const lines = percent(total.lines);
  const branches = percent(total.branches);
  const failures: string[] = [];
  if (lines < gate.lines) failures.push(`lines ${lines.toFixed(2)}% < ${gate.lines}%`);
  if (branches < gate.branches) failures.push(`branches ${branches.toFixed(2)}% < ${gate.branches}%`);
  return { lines, branches, failures };
}
