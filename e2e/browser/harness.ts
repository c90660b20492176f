import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import path from "node:path";

import { getBytes, type TypedDataField, type Wallet, type HDNodeWallet } from "ethers";

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A JSON-RPC call to `url`, returning the raw `{ result }` or `{ error }` of the node. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<RpcReply> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await response.json()) as RpcReply;
}

export type RpcReply =
  { result: unknown; error?: undefined } | { error: { code: number; message: string; data?: unknown } };

/**
 * `hardhat node` on `127.0.0.1:port`, run from the repository with a config of its own in `dir`: the
 * default chain (31337) and accounts, as the project's `hardhat` network has them, without loading the
 * project's config (its `.env`, its tasks, ts-node). Under `hardhat coverage` the suite's factories
 * carry instrumented bytecode, larger than EIP-170 allows and costlier to deploy, so
 * `unlimitedContractSize` sets the limits solidity-coverage sets on its own network (unlimited code
 * size, a huge block gas limit, no base fee). Resolves once the node answers.
 */
export async function startHardhatNode(
  root: string,
  dir: string,
  port: number,
  unlimitedContractSize = false,
): Promise<{ child: ChildProcess; url: string }> {
  const cli = require.resolve("hardhat/internal/cli/cli.js", { paths: [root] });
  const config = path.join(dir, "hardhat.config.js");
  const hardhat = unlimitedContractSize
    ? { allowUnlimitedContractSize: true, blockGasLimit: 0x1fffffffffffff, initialBaseFeePerGas: 0 }
    : {};
  writeFileSync(config, `module.exports = ${JSON.stringify({ networks: { hardhat } })};\n`);
  const args = [cli, "node", "--config", config, "--hostname", "127.0.0.1", "--port", String(port)];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, HARDHAT_NETWORK: undefined },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with ${child.exitCode}: ${stderr}`);
    try {
      const reply = await rpc(url, "eth_chainId");
      if (reply.error === undefined) return { child, url };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`hardhat node did not answer on ${url} within 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Stops a child we started: SIGTERM, then SIGKILL if it has not exited after two seconds. */
export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 2_000);
  await exited;
  clearTimeout(timer);
}

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/**
 * A static server on loopback: `mounts` maps URL prefixes to folders ("/" for the built app). Paths
 * are resolved inside their folder; anything else is a 404.
 */
export function serveStatic(mounts: Readonly<Record<string, string>>): Promise<{ server: Server; url: string }> {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createHttpServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const prefix = prefixes.find((p) => pathname === p || pathname.startsWith(p.endsWith("/") ? p : `${p}/`));
    if (prefix !== undefined) {
      const dir = path.resolve(mounts[prefix]);
      let file = path.resolve(dir, `.${pathname.slice(prefix.length).replace(/^\/?/, "/")}`);
      if (file.startsWith(dir) && existsSync(file) && statSync(file).isDirectory())
        file = path.join(file, "index.html");
      if (file.startsWith(dir) && existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
        res.end(readFileSync(file));
        return;
      }
    }
    res.writeHead(404).end("not found");
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` });
    }),
  );
}

/** What the injected wallet was asked, for assertions. */
export interface WalletCall {
  readonly method: string;
  readonly params: unknown;
}

/**
 * The Node half of the injected EIP-1193 wallet: answers what a wallet extension answers from the
 * test account's key (accounts, chain id, transactions signed and sent to the node, EIP-712 and
 * personal signatures, `wallet_watchAsset`) and forwards every other call to the node unchanged, so
 * that reverts come back with the node's error object and revert data, as through a real wallet.
 */
export function walletBackend(wallet: Wallet | HDNodeWallet, nodeUrl: string, chainId: bigint, calls: WalletCall[]) {
  const failure = (error: unknown): RpcReply => {
    const e = error as { code?: unknown; message?: string; data?: unknown; info?: { error?: { data?: unknown } } };
    return {
      error: {
        code: typeof e.code === "number" ? e.code : -32603,
        message: e.message ?? String(error),
        data: e.data ?? e.info?.error?.data,
      },
    };
  };
  return async (method: string, params: unknown[]): Promise<RpcReply> => {
    calls.push({ method, params });
    try {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return { result: [wallet.address.toLowerCase()] };
        case "eth_chainId":
          return { result: `0x${chainId.toString(16)}` };
        case "net_version":
          return { result: chainId.toString() };
        case "wallet_watchAsset":
          return { result: true };
        case "wallet_switchEthereumChain":
          return { result: null };
        case "eth_sendTransaction": {
          const tx = params[0] as { from?: string; to?: string; data?: string; value?: string; gas?: string };
          if (tx.from !== undefined && tx.from.toLowerCase() !== wallet.address.toLowerCase()) {
            return { error: { code: 4100, message: `the wallet does not hold ${tx.from}` } };
          }
          const sent = await wallet.sendTransaction({
            to: tx.to,
            data: tx.data,
            value: tx.value === undefined ? 0n : BigInt(tx.value),
            gasLimit: tx.gas === undefined ? undefined : BigInt(tx.gas),
          });
          return { result: sent.hash };
        }
        case "eth_signTypedData_v4": {
          const [address, json] = params as [string, string];
          if (address.toLowerCase() !== wallet.address.toLowerCase()) {
            return { error: { code: 4100, message: `the wallet does not hold ${address}` } };
          }
          const typed = JSON.parse(json) as {
            domain: Record<string, unknown>;
            types: Record<string, TypedDataField[]>;
            message: Record<string, unknown>;
          };
          const types = { ...typed.types };
          delete types.EIP712Domain;
          return { result: await wallet.signTypedData(typed.domain, types, typed.message) };
        }
        case "personal_sign": {
          const [message] = params as [string];
          return { result: await wallet.signMessage(getBytes(message)) };
        }
        default:
          return await rpc(nodeUrl, method, params);
      }
    } catch (error) {
      return failure(error);
    }
  };
}

/** The page half: `window.ethereum`, calling the exposed `__wallet` binding and throwing RPC errors as wallets do. */
export const INJECTED_PROVIDER = `
(() => {
  const listeners = {};
  window.ethereum = {
    isTestWallet: true,
    async request({ method, params }) {
      const reply = await window.__wallet(method, params ?? []);
      if (reply.error) {
        const error = new Error(reply.error.message);
        error.code = reply.error.code;
        error.data = reply.error.data;
        throw error;
      }
      return reply.result;
    },
    on(event, listener) { (listeners[event] ??= []).push(listener); },
    removeListener(event, listener) { listeners[event] = (listeners[event] ?? []).filter((l) => l !== listener); },
  };
})();
`;
