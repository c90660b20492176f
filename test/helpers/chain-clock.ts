/**
 * The in-process chain's clock, made independent of the machine's. Hardhat stamps each new block with
 * `max(previous + 1, wall clock + offset)`, and a reverted snapshot (every `loadFixture`) keeps the wall
 * clock's progress: a fixture made ten minutes earlier comes back ten minutes older than its next block.
 * A test that reads `time.latest()` and sets a deadline or a genesis a few seconds or minutes ahead then
 * passed or failed with the machine's speed (the review saw `GenesisNotReached` fail whenever the suite
 * took more than about 17 minutes).
 *
 * Installed once for every `hardhat test` run (the test-environment subtask in `hardhat.config.ts`, before
 * any test file loads), this pins every
 * block that nothing else timed to exactly one second after the latest one: before a transaction, a
 * mined block or a gas estimate, unless the test set the next block's time itself
 * (`time.setNextBlockTimestamp`, `time.increaseTo`) or moved the clock (`time.increase`), the next
 * block's timestamp is set to `latest + 1`. Chain time then moves only as the tests move it, and a
 * suite runs the same on a busy machine as on an idle one. Separate nodes (`test/node/`, `e2e/`) are
 * not touched.
 */
import type { EIP1193Provider, HardhatRuntimeEnvironment, RequestArguments } from "hardhat/types";

/** Methods that mine a block in automine mode. */
const MINES = new Set(["eth_sendTransaction", "eth_sendRawTransaction", "evm_mine", "hardhat_mine"]);
/** Methods run against the pending block, whose time should be the one the next block will have. */
const PENDING = new Set(["eth_estimateGas"]);
/** Methods by which a test times the next block itself. */
const TIMED = new Set(["evm_setNextBlockTimestamp", "evm_increaseTime"]);

type Provider = EIP1193Provider & {
  send?: (method: string, params?: unknown[]) => Promise<unknown>;
  sendAsync?: (payload: { id?: unknown; jsonrpc?: string; method: string; params?: unknown[] }, cb: Callback) => void;
};
type Callback = (error: unknown, response?: unknown) => void;

/**
 * Returns the network's provider wrapped so that untimed blocks follow one second after the latest. Every
 * way in (`request`, `send`, `sendAsync`) goes through the same check; everything else is the provider's.
 */
export function withChainClock(inner: Provider): Provider {
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

  const send = (method: string, params?: unknown[]) => request({ method, params });
  const sendAsync = (payload: { id?: unknown; jsonrpc?: string; method: string; params?: unknown[] }, cb: Callback) => {
    request({ method: payload.method, params: payload.params }).then(
      (result) => cb(null, { id: payload.id, jsonrpc: "2.0", result }),
      (error: unknown) => cb(error),
    );
  };
  return new Proxy(inner, {
    get(target, property) {
      if (property === "request") return request;
      if (property === "send") return send;
      if (property === "sendAsync") return sendAsync;
      if (property === "__chainClock") return true;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Installs it on the in-process `hardhat` network of `hre`, once. */
export function installChainClock(hre: HardhatRuntimeEnvironment): void {
  if (hre.network.name !== "hardhat") return;
  const current = hre.network.provider as unknown as Provider & { __chainClock?: boolean };
  if (current.__chainClock === true) return;
  hre.network.provider = withChainClock(current) as unknown as typeof hre.network.provider;
}
