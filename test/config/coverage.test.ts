import { expect } from "chai";

import { checkCoverage } from "../../scripts/lib/coverage";

const metric = (covered: number, total: number) => ({
  covered,
  total,
  pct: total === 0 ? 100 : (covered / total) * 100,
});

describe("coverage gate", function () {
  it("passes at 98% of lines and 90% of branches", function () {
    const verdict = checkCoverage({ total: { lines: metric(98, 100), branches: metric(9, 10) } });
    expect(verdict.failures).to.deep.equal([]);
    expect(verdict.lines).to.equal(98);
    expect(verdict.branches).to.equal(90);
  });

  it("names each threshold that is missed", function () {
    const verdict = checkCoverage({ total: { lines: metric(979, 1000), branches: metric(89, 100) } });
    expect(verdict.failures).to.deep.equal(["lines 97.90% < 98%", "branches 89.00% < 90%"]);
  });

  it("fails a summary without a total", function () {
    expect(checkCoverage({}).failures).to.deep.equal(["the coverage summary has no total"]);
  });
});
