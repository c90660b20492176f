/**
 * `npm run coverage` on Hardhat's default hardfork (Osaka): solidity-coverage then sends every transaction
 * with 2**24 gas (the EIP-7825 per-transaction cap), and the instrumented suite's proxy deployments need
 * more, so every fixture ran out of gas. Coverage runs on Prague instead, which has no per-transaction cap;
 * the contracts target Cancun, so nothing they use changes. Tests, bench and deployments keep the default.
 *
 * Coverage also compiles every file on the legacy pipeline, the distributor's `viaIR` override removed.
 * With any `viaIR` file in the config solidity-coverage instruments *every* contract for the IR pipeline and
 * watches every PUSH, DUP and SWAP of every executed step for its probes (instead of PUSH1 only), and solc
 * then runs the IR optimizer over the instrumented distributor; both made the run slower, and neither
 * changes which source lines and branches run. The 24 KiB limit that `viaIR` works around does not apply
 * here: solidity-coverage's network allows unlimited contract size. Tests, bench and deployments keep
 * `viaIR`.
 */
import { task } from "hardhat/config";

/** The hardfork of the in-process chain while coverage is measured. */
export const COVERAGE_HARDFORK = "prague";

task("coverage").setAction(async (args: Record<string, unknown>, hre, runSuper) => {
  hre.config.networks.hardhat.hardfork = COVERAGE_HARDFORK;
  for (const compiler of [...hre.config.solidity.compilers, ...Object.values(hre.config.solidity.overrides)]) {
    delete (compiler.settings as { viaIR?: boolean }).viaIR;
  }
  return runSuper(args);
});
