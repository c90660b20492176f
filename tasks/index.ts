/**
 * Loads every task module: one file per namespace (`suite:` in `suite.ts`, `epoch:` in `epoch.ts`,
 * ...), and `coverage.ts`, which adjusts Hardhat's `coverage`. Task files stay thin: they parse and
 * validate their arguments (`scripts/lib/args`), take their context (`lib/context.ts`: the deployment
 * record, the connected suite, the signer, the io) and make one call into `scripts/lib`. They import
 * that library (and anything built on `typechain-types/`) inside their actions, so that the config
 * loads on a fresh clone before the first compile has generated the types.
 */
import "./coverage";
import "./credits";
import "./epoch";
import "./oracle";
import "./registry";
import "./rewards";
import "./staking";
import "./suite";
import "./wallet";
