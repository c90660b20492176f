import { expect } from "chai";
import { ErrorFragment } from "ethers";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const ARTIFACTS = path.join(__dirname, "..", "..", "artifacts", "contracts");

/** Every artifact of `contracts/` but the test-only mocks, as [source/contract name, ABI]. */
function suiteAbis(dir = ARTIFACTS): [string, readonly unknown[]][] {
  const found: [string, readonly unknown[]][] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (path.relative(ARTIFACTS, full) !== "mocks") found.push(...suiteAbis(full));
    } else if (entry.endsWith(".json") && !entry.endsWith(".dbg.json")) {
      const { abi } = JSON.parse(readFileSync(full, "utf8")) as { abi: readonly unknown[] };
      found.push([path.relative(ARTIFACTS, full), abi]);
    }
  }
  return found;
}

/** An error as a caller decodes it: its name, its types and its arguments' names (what they mean). */
function meaning(fragment: ErrorFragment): string {
  return `${fragment.name}(${fragment.inputs.map((input) => `${input.type} ${input.name}`.trim()).join(", ")})`;
}

/**
 * Errors whose argument names differ between contracts while the error means the same thing, listed by
 * hand with the reason: they pass the name check, and nothing else may. Empty: the recut named every
 * shared error's arguments alike.
 */
const SAME_MEANING: Readonly<Record<string, { readonly variants: readonly string[]; readonly why: string }>> = {};

/**
 * One meaning per error name, across the suite: a dApp or an indexer that decodes a revert with any of the
 * suite's ABIs must read the same error, with the same arguments, whichever contract raised it. Reads the
 * compiled artifacts of every non-mock contract, interface and library (`npx hardhat compile` writes them).
 */
describe("Error names", function () {
  const byName = new Map<string, Map<string, string[]>>();
  const bySelector = new Map<string, Map<string, string[]>>();
  const note = (index: Map<string, Map<string, string[]>>, key: string, value: string, where: string) => {
    const values = index.get(key) ?? new Map<string, string[]>();
    values.set(value, [...(values.get(value) ?? []), where]);
    index.set(key, values);
  };
  /** Two or more meanings under one key, but for a listed same-meaning pair of argument names. */
  const listed = (values: Map<string, string[]>) => {
    const names = new Set([...values.keys()].map((v) => v.slice(0, v.indexOf("("))));
    const [name] = [...names];
    const allowed = names.size === 1 ? SAME_MEANING[name]?.variants : undefined;
    return allowed !== undefined && [...values.keys()].every((v) => allowed.includes(v));
  };
  const clashes = (index: Map<string, Map<string, string[]>>) =>
    [...index.entries()]
      .filter(([, values]) => values.size > 1 && !listed(values))
      .map(
        ([key, values]) =>
          `${key}: ${[...values.entries()].map(([v, where]) => `${v} in ${where.join(", ")}`).join(" / ")}`,
      );

  before(function () {
    expect(existsSync(ARTIFACTS), "compile first: no artifacts/contracts").to.equal(true);
    for (const [where, abi] of suiteAbis()) {
      for (const item of abi) {
        if ((item as { type?: string }).type !== "error") continue;
        const fragment = ErrorFragment.from(item as never);
        note(byName, fragment.name, meaning(fragment), where);
        note(bySelector, fragment.selector, meaning(fragment), where);
      }
    }
    expect(byName.size, "errors found").to.be.greaterThan(0);
  });

  it("gives every error name one signature, with the same argument names, in every contract", function () {
    expect(clashes(byName), "error names with two meanings").to.deep.equal([]);
  });

  it("never lets one selector name two different errors", function () {
    expect(clashes(bySelector), "selectors shared by different errors").to.deep.equal([]);
  });

  it("lists as same-meaning only errors that still differ in their argument names", function () {
    for (const [name, { variants }] of Object.entries(SAME_MEANING)) {
      expect([...(byName.get(name)?.keys() ?? [])].sort(), name).to.deep.equal([...variants].sort());
    }
  });

  it("keeps Staking's EpochNotOver (a time) apart from the distributor's EpochNotEnded (a count)", function () {
    expect([...(byName.get("EpochNotOver")?.keys() ?? [])]).to.deep.equal([
      "EpochNotOver(uint256 epoch, uint256 endsAt)",
    ]);
    const ended = [...(byName.get("EpochNotEnded")?.keys() ?? [])];
    expect(
      ended.filter((variant) => variant.includes("endsAt")),
      "EpochNotEnded with a time",
    ).to.deep.equal([]);
  });
});
