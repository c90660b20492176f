import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const LIB = path.join(ROOT, "scripts", "lib");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(path.join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [path.join(dir, entry.name)]
        : [],
  );
}

/**
 * The typed library ships in the package (`package.json` "files": `dist/scripts`): test-only code
 * (synthetic networks, the reference merkle tree) lives under `test/` or `bench/`, and nothing under
 * `scripts/lib/` may import it.
 */
describe("the shipped library (scripts/lib)", function () {
  it("imports nothing from test/ or bench/", function () {
    const offenders: string[] = [];
    for (const file of sources(LIB)) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)) {
        const spec = match[1];
        if (!spec.startsWith(".")) continue;
        const target = path.relative(ROOT, path.resolve(path.dirname(file), spec));
        if (target.startsWith(`test${path.sep}`) || target.startsWith(`bench${path.sep}`)) {
          offenders.push(`${path.relative(ROOT, file)} → ${spec}`);
        }
      }
    }
    expect(offenders).to.deep.equal([]);
  });

  it("holds no synthetic-data generator or reference tree", function () {
    const names = sources(LIB).map((file) => path.relative(LIB, file));
    expect(names.filter((name) => /(^|\/)(synthetic|tree)\.ts$/.test(name))).to.deep.equal([]);
  });
});
