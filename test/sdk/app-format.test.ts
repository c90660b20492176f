import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

import { ROOT } from "./load";

/*
 * The dApp's notation (app/src/format.ts), in `npm test` without a browser. The app is an ES-module
 * package for vite, so the module is transpiled here as vite does and evaluated in Node.
 */
type Format = typeof import("../../app/src/format");

function loadFormat(): Format {
  const source = readFileSync(path.join(ROOT, "app", "src", "format.ts"), "utf8");
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const module = { exports: {} as Format };
  new Function("module", "exports", js)(module, module.exports);
  return module.exports;
}

describe("the dApp's notation (app/src/format.ts)", function () {
  const { formatAmount, formatDate, formatTokens } = loadFormat();
  const wei = (tokens: string) => BigInt(Math.round(Number(tokens) * 1e6)) * 10n ** 12n;

  it("shows token amounts with thousands separators and 2 to 4 fraction digits, cut, never rounded up", function () {
    expect(formatTokens(187_500n * 10n ** 18n, "DPN", 18, "en-US")).to.equal("187,500.00 DPN");
    expect(formatTokens(wei("1250.5"), "DPN", 18, "en-US")).to.equal("1,250.50 DPN");
    expect(formatAmount(1_234_567_899_999n * 10n ** 9n, 18, "en-US")).to.equal("1,234.5678");
    expect(formatAmount(999_999_999_999_999_999n, 18, "en-US")).to.equal("0.9999");
    expect(formatAmount(0n, 18, "en-US")).to.equal("0.00");
    expect(formatAmount(-wei("1234.5"), 18, "en-US")).to.equal("-1,234.50");
  });

  it("never shows a positive dust amount as zero", function () {
    expect(formatAmount(1n, 18, "en-US")).to.equal("< 0.0001");
    expect(formatAmount(10n ** 14n, 18, "en-US")).to.equal("0.0001");
  });

  it("shows whole units (credits) without a fraction, and follows the reader's locale", function () {
    expect(formatTokens(5_000_000n, "DC", 0, "en-US")).to.equal("5,000,000 DC");
    expect(formatAmount(5_000_000n, 0, "de-DE")).to.equal("5.000.000");
    expect(formatAmount(wei("1234.5"), 18, "de-DE")).to.equal("1.234,50");
  });

  it("shows times as dates", function () {
    const text = formatDate(1_796_685_852n, "en-US", "UTC").replace(/\s+/gu, " ");
    expect(text).to.equal("Dec 7, 2026, 11:24 PM");
  });
});
