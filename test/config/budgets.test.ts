import { expect } from "chai";

import { compareWithBudgets, formatGasTable } from "../../bench/budgets";

describe("bench budgets", function () {
  const budgets = { "a.op": { max: 100, note: "a" }, "b.op": { max: 50, note: "b" } };

  it("passes when every operation is within its budget and every budget is measured", function () {
    const report = compareWithBudgets(
      [
        { op: "a.op", gas: 100n },
        { op: "b.op", gas: 10n, per: 5 },
      ],
      budgets,
    );
    expect(report.problems).to.deep.equal([]);
    expect(report.rows.map((r) => r.max)).to.deep.equal([100, 50]);
  });

  it("reports an operation over budget, one without a budget, a stale budget and a duplicate", function () {
    const report = compareWithBudgets(
      [
        { op: "a.op", gas: 101n },
        { op: "c.op", gas: 1n },
        { op: "c.op", gas: 1n },
      ],
      budgets,
    );
    expect(report.problems).to.deep.equal([
      'operation "a.op" used 101 gas, over its budget of 100',
      'operation "c.op" has no budget in bench/gas-budgets.json',
      'operation "c.op" is measured twice',
      'operation "c.op" has no budget in bench/gas-budgets.json',
      'budget "b.op" names no measured operation',
    ]);
  });

  it("prints one aligned row per operation with its headroom", function () {
    const table = formatGasTable([{ op: "a.op", gas: 90n, max: 100 }]).split("\n");
    expect(table).to.have.length(3);
    expect(table[2]).to.match(/^a\.op\s+90\s+100\s+10$/);
  });
});
