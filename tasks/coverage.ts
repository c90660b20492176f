/**
 * `npm run coverage` on Hardhat's default hardfork (Osaka): solidity-coverage then sends every transaction
 * with 2**24 gas (the EIP-7825 per-transaction cap), and the instrumented suite's proxy deployments need
 * more, so every fixture ran out of gas. Coverage runs on Prague instead, which has no per-transaction cap;
 * the contracts target Cancun, so nothing they use changes. Tests, bench and deployments keep the default.
 */
import { task } from "hardhat/config";

/** The hardfork of the in-process chain while coverage is measured. */
export const COVERAGE_HARDFORK = "prague";

task("coverage").setAction(async (args: Record<string, unknown>, hre, runSuper) => {
  hre.config.networks.hardhat.hardfork = COVERAGE_HARDFORK;
  return runSuper(args);
});
