import { expect } from "chai";

import { TaskInputError, asInput, inRange, parseAddress, parseAmount, parseChoice } from "../../scripts/lib/args";
import { runCommand } from "../../scripts/lib/cli";
import { UserError } from "../../scripts/lib/errors";

/** Runs `runCommand` with stderr captured; returns what it printed and the exit code it set. */
async function run(action: () => Promise<void>, describe?: (error: unknown) => string | undefined) {
  const err: string[] = [];
  const write = process.stderr.write;
  const before = process.exitCode;
  process.stderr.write = ((chunk: string) => err.push(chunk) > 0) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    await runCommand("x:task", action, describe);
  } finally {
    process.stderr.write = write;
  }
  const exitCode = process.exitCode;
  process.exitCode = before;
  return { err: err.join(""), exitCode };
}

describe("lib › cli", function () {
  describe("runCommand", function () {
    it("prints a UserError as one line naming the task, and exits 1", async function () {
      const result = await run(async () => {
        throw new TaskInputError('--to must be an address, not "x"\nsecond line');
      });
      expect(result).to.deep.equal({ err: 'x:task: --to must be an address, not "x"\n', exitCode: 1 });
    });

    it("prints a decoded contract revert as one line, and exits 1", async function () {
      const revert = Object.assign(new Error("execution reverted"), { shortMessage: "execution reverted" });
      const result = await run(
        async () => {
          throw revert;
        },
        (error) => (error === revert ? "NotAnOperator(account: 0x01)" : undefined),
      );
      expect(result).to.deep.equal({ err: "x:task: NotAnOperator(account: 0x01)\n", exitCode: 1 });
    });

    it("prints any other error (a bug) with its stack, and exits 1", async function () {
      const bug = new TypeError("cannot read properties of undefined");
      const result = await run(async () => {
        throw bug;
      });
      expect(result.exitCode).to.equal(1);
      expect(result.err).to.equal(`x:task: ${bug.stack}\n`);
      expect(result.err.split("\n").length).to.be.greaterThan(2);
      expect(result.err).to.contain("TypeError: cannot read properties of undefined\n    at ");
    });

    it("leaves the exit code alone on success", async function () {
      expect(await run(async () => {})).to.deep.equal({ err: "", exitCode: undefined });
    });
  });

  describe("args", function () {
    it("parses amounts with or without thousands separators, to the token's decimals", function () {
      expect(parseAmount("1,000.5", "--amount")).to.equal(1_000_500_000_000_000_000_000n);
      expect(parseAmount("1000.5", "--amount")).to.equal(1_000_500_000_000_000_000_000n);
      expect(parseAmount("0.000001", "--amount", 6)).to.equal(1n);
      expect(() => parseAmount("0.0000001", "--amount", 6)).to.throw(
        TaskInputError,
        "more than the token's 6 decimals",
      );
      for (const bad of ["-1", "1e3", "1,00", "10,0000", ".5", "abc", ""]) {
        expect(() => parseAmount(bad, "--amount"), bad).to.throw(TaskInputError, "--amount must be a decimal amount");
      }
      expect(() => parseAmount("0.0", "--amount")).to.throw(TaskInputError, "--amount must be positive");
    });

    it("parses addresses, ranges and choices, each refusal a UserError naming the option", function () {
      expect(parseAddress("0x000000000000000000000000000000000000dead", "--to")).to.equal(
        "0x000000000000000000000000000000000000dEaD",
      );
      expect(() => parseAddress("0x12", "--to")).to.throw(UserError, '--to must be an address, not "0x12"');
      expect(inRange(5n, "--n", 0n, 5n)).to.equal(5n);
      expect(() => inRange(6n, "--n", 0n, 5n)).to.throw(TaskInputError, "--n must be at most 5, not 6");
      expect(() => inRange(0n, "--n", 1n)).to.throw(TaskInputError, "--n must be at least 1, not 0");
      expect(() => parseChoice("mayor", "--as", ["oracle", "guardian"])).to.throw(
        TaskInputError,
        '--as must be "oracle" or "guardian", not "mayor"',
      );
      expect(() => asInput(() => JSON.parse("{"))).to.throw(TaskInputError);
    });
  });
});
