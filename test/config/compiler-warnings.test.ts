import { expect } from "chai";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** A diagnostic of solc's standard-JSON output. */
interface SolcDiagnostic {
  readonly severity: "error" | "warning" | "info";
  readonly formattedMessage?: string;
  readonly message: string;
}

const ARTIFACTS = path.join(__dirname, "..", "..", "artifacts");
/** solidity-coverage's injected probes (`c_0x…` statements, `c_mod…` modifiers), never in the suite's sources. */
const INSTRUMENTATION = /\bc_(0x[0-9a-f]+|mod[0-9a-f]+)\b/;

/** Every `.dbg.json` under `dir`: each names the build-info of the compilation that produced its artifact. */
function debugFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...debugFiles(full));
    else if (entry.endsWith(".dbg.json")) found.push(full);
  }
  return found;
}

/**
 * The compiler's own warnings are treated as errors: every artifact of `contracts/` (mocks included) comes from a
 * compilation whose solc output holds no warning. It reads the build-info files behind the current artifacts
 * (`npx hardhat compile` writes them), so it sees every compilation job, the viaIR override included.
 */
describe("Compiler", function () {
  describe("solc output", function () {
    it("has no warnings for any contract of the suite", function () {
      const root = path.join(ARTIFACTS, "contracts");
      expect(existsSync(root), "compile first: no artifacts/contracts").to.equal(true);
      const buildInfos = new Set<string>();
      for (const file of debugFiles(root)) {
        const { buildInfo } = JSON.parse(readFileSync(file, "utf8")) as { buildInfo: string };
        buildInfos.add(path.resolve(path.dirname(file), buildInfo));
      }
      expect(buildInfos.size).to.be.gte(1);
      const warnings: string[] = [];
      for (const file of buildInfos) {
        const { output } = JSON.parse(readFileSync(file, "utf8")) as { output: { errors?: SolcDiagnostic[] } };
        for (const diagnostic of output.errors ?? []) {
          const text = diagnostic.formattedMessage ?? diagnostic.message;
          // Under `npm run coverage` the sources are instrumented, and solc warns about the injected probes.
          if (diagnostic.severity !== "info" && !INSTRUMENTATION.test(text)) warnings.push(text);
        }
      }
      expect(warnings, "solc warnings").to.deep.equal([]);
    });
  });
});
