import { expect } from "chai";
import { parseEther } from "ethers";

import {
  formatBps,
  formatCredits,
  formatDate,
  formatDuration,
  formatTokens,
  formatUnits,
  formatUsd,
  groupThousands,
  jsonLine,
} from "../../scripts/lib/format";
import { describeError, suiteErrorInterface } from "../../scripts/lib/sdk/errors";

/** A reverted call as a JSON-RPC node reports it: the custom error's data. */
function reverted(name: string, args: readonly unknown[]) {
  return { code: -32000, message: "execution reverted", data: suiteErrorInterface().encodeErrorResult(name, args) };
}

describe("scripts/lib/format", function () {
  it("writes token amounts in tokens, with every decimal and thousands separators", function () {
    expect(formatTokens(0n)).to.equal("0 tokens");
    expect(formatTokens(parseEther("1"))).to.equal("1 token");
    expect(formatTokens(parseEther("1500.25"))).to.equal("1,500.25 tokens");
    expect(formatTokens(1n)).to.equal("0.000000000000000001 tokens");
    expect(formatTokens(187_499_999_999_999_999_994_100n)).to.equal("187,499.9999999999999941 tokens");
    expect(formatTokens(-parseEther("1234567"))).to.equal("-1,234,567 tokens");
    expect(formatUnits(123_456_789n, 2)).to.equal("1,234,567.89");
    expect(formatUnits(5n, 0)).to.equal("5");
    expect(groupThousands("999")).to.equal("999");
    expect(groupThousands("1000")).to.equal("1,000");
  });

  it("writes credits, dollars, basis points, dates in UTC and durations", function () {
    expect(formatCredits(30_000n)).to.equal("30,000 DC");
    expect(formatUsd(51_000_000n, 8)).to.equal("$0.51");
    expect(formatUsd(123_456_000_000n, 8)).to.equal("$1,234.56");
    expect(formatBps(10_000n)).to.equal("10,000 bps");
    expect(formatDate(0n)).to.equal("1970-01-01T00:00:00Z");
    expect(formatDate(1_700_000_000n)).to.equal("2023-11-14T22:13:20Z");
    expect(formatDate(2n ** 255n)).to.equal(`${2n ** 255n} (unix time)`);
    expect(formatDuration(20n)).to.equal("20 s");
    expect(formatDuration(300n)).to.equal("300 s (5 min)");
    expect(formatDuration(5_400n)).to.equal("5,400 s (1 h 30 min)");
    expect(formatDuration(86_400n)).to.equal("86,400 s (1 d)");
    expect(jsonLine({ wei: 10n ** 24n, n: 1 })).to.equal('{"wei":"1000000000000000000000000","n":1}');
  });
});

describe("scripts/lib/sdk/errors: decoded errors for people", function () {
  it("prints InsufficientStake's amounts in tokens", function () {
    expect(describeError(reverted("InsufficientStake", [parseEther("5000"), parseEther("900.5")]))).to.equal(
      "InsufficientStake(requested: 5,000 tokens, available: 900.5 tokens)",
    );
  });

  it("prints StalePrice's times as dates and its staleness as a duration", function () {
    expect(describeError(reverted("StalePrice", [1_700_000_000n, 3_600n, 1_700_007_200n]))).to.equal(
      "StalePrice(updatedAt: 2023-11-14T22:13:20Z, maxStaleness: 3,600 s (1 h), timestamp: 2023-11-15T00:13:20Z)",
    );
  });

  it("tells tokens from credits, and the distributor's ring and claims in tokens and dates", function () {
    const account = "0x00000000000000000000000000000000000000AA";
    expect(describeError(reverted("InsufficientCredits", [account, 4_000_000n, 5_000_000n]))).to.equal(
      `InsufficientCredits(account: ${account}, balance: 4,000,000 DC, needed: 5,000,000 DC)`,
    );
    expect(describeError(reverted("ERC20InsufficientBalance", [account, parseEther("1"), parseEther("2.5")]))).to.equal(
      `ERC20InsufficientBalance(sender: ${account}, balance: 1 token, needed: 2.5 tokens)`,
    );
    expect(describeError(reverted("TooManyPendingRoots", [64n, 1_700_000_000n]))).to.equal(
      "TooManyPendingRoots(epoch: 64, retryAt: 2023-11-14T22:13:20Z)",
    );
    expect(describeError(reverted("CommissionStepTooLarge", [500n, 1_500n, 500n]))).to.equal(
      "CommissionStepTooLarge(current: 500 bps, requested: 1,500 bps, maxStepBps: 500 bps)",
    );
  });

  it("shows the distributor's EpochNotEnded with a count and Staking's EpochNotOver with a date", function () {
    expect(describeError(reverted("EpochNotEnded", [5n, 3n]))).to.equal("EpochNotEnded(epoch: 5, endedEpochs: 3)");
    expect(describeError(reverted("EpochNotOver", [5n, 1_700_000_000n]))).to.equal(
      "EpochNotOver(epoch: 5, endsAt: 2023-11-14T22:13:20Z)",
    );
  });
});
