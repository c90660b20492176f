/**
 * The in-process chain's clock, made independent of the machine's. Hardhat stamps each new block with
 * `max(previous + 1, wall clock + offset)`, and a reverted snapshot (every `loadFixture`) keeps the wall
 * clock's progress: a fixture made ten minutes earlier comes back ten minutes older than its next block.
 * A test that reads `time.latest()` and sets a deadline or a genesis a few seconds or minutes ahead then
 * passed or failed with the machine's speed (the review saw `GenesisNotReached` fail whenever the suite
 * took more than about 17 minutes).
 *
 * Installed once for every `hardhat test` run (a mocha root hook in `hardhat.config.ts`), this pins every
 * block that nothing else timed to exactly one second after the latest one: before a transaction, a
 * mined block or a gas estimate, unless the test set the next block's time itself
 * (`time.setNextBlockTimestamp`, `time.increaseTo`) or moved the clock (`time.increase`), the next
 * block's timestamp is set to `latest + 1`. Chain time then moves only as the tests move it, and a
 * suite runs the same on a busy machine as on an idle one. Separate nodes (`test/node/`, `e2e/`) are
 * not touched.
 */
import type { EIP1193Provider, RequestArguments } from "hardhat/types";

/** Methods that mine a block in automine mode. */
const MINES = new Set(["eth_sendTransaction", "eth_sendRawTransaction", "evm_mine", "hardhat_mine"]);
/** Methods run against the pending block, whose time should be the one the next block will have. */
const PENDING = new Set(["eth_estimateGas"]);
/** Methods by which a test times the next block itself. */
const TIMED = new Set(["evm_setNextBlockTimestamp", "evm_increaseTime"]);

interface Adapter {
  _provider: EIP1193Provider;
  __chainClock?: true;
}

/** Wraps the in-process network's provider so that untimed blocks follow one second after the latest. */
export function installChainClock(provider: unknown): void {
  const adapter = provider as Adapter;
  if (adapter.__chainClock === true || adapter._provider === undefined) return;
  const inner = adapter._provider;
  /** The test timed the next block: leave it alone until a block is mined. */
  let timed = false;

  async function pin(): Promise<void> {
    const block = (await inner.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as {
      timestamp: string;
    };
    await inner.request({ method: "evm_setNextBlockTimestamp", params: [Number(BigInt(block.timestamp) + 1n)] });
  }

  async function request(args: RequestArguments): Promise<unknown> {
    const { method } = args;
    if (TIMED.has(method)) {
      timed = true;
      return inner.request(args);
    }
    if (method === "evm_revert" || method === "hardhat_reset") {
      timed = false;
      return inner.request(args);
    }
    const explicitMine = method === "evm_mine" && Array.isArray(args.params) && args.params.length > 0;
    if (MINES.has(method)) {
      if (!timed && !explicitMine) await pin();
      timed = false;
      return inner.request(args);
    }
    if (PENDING.has(method) && !timed) await pin();
    return inner.request(args);
  }

  adapter._provider = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === "request") return request;
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  adapter.__chainClock = true;
}

/** The mocha root hooks that install it for the in-process `hardhat` network. */
export const mochaHooks = {
  beforeAll(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const hre = require("hardhat") as typeof import("hardhat");
    if (hre.network.name === "hardhat") installChainClock(hre.network.provider);
  },
};
