import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import type { JSONSchemaType } from "ajv";

import { writeJsonAtomicallySync } from "../atomic";

import { getCreateAddress, type Provider, type Signer, type TransactionResponse } from "ethers";
import { UserError } from "../errors";
import { schemaParser } from "../schema";

/**
 * A deployment journal: what a deploy has sent, so that a deploy killed at any point can be run
 * again without deploying anything twice.
 *
 * Before each contract creation the journal records the deployer's nonce and the address that
 * nonce will create (`pending`); after the receipt it records `deployed`. On a re-run, a `pending`
 * entry is settled from the chain: code at the predicted address means the creation landed; a
 * nonce still unused means it never did, and it is sent again with the same nonce. Calls are not
 * journaled: each call of the deploy library reads the chain first and sends only what differs.
 */
export interface JournalEntry {
  readonly status: "pending" | "deployed";
  readonly address: string;
  readonly nonce: number;
  readonly txHash?: string;
  readonly block?: number;
}

export interface Journal {
  get(name: string): JournalEntry | undefined;
  set(name: string, entry: JournalEntry): void;
  entries(): Readonly<Record<string, JournalEntry>>;
}

export class DeployError extends UserError {
  override readonly name = "DeployError";
}

/** A journal that lives in memory: tests and the in-process chain, where nothing survives the run. */
export function memoryJournal(): Journal {
  const entries: Record<string, JournalEntry> = {};
  return {
    get: (name) => entries[name],
    set: (name, entry) => {
      entries[name] = entry;
    },
    entries: () => ({ ...entries }),
  };
}

/** `file` relative to the working directory when it lies inside it (as a user would type it), else as is. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

const HASH = "^0x[0-9a-fA-F]{64}$";

/** A journal file: contract name → entry. */
const JOURNAL_SCHEMA: JSONSchemaType<Record<string, JournalEntry>> = {
  type: "object",
  required: [],
  additionalProperties: {
    type: "object",
    properties: {
      status: { type: "string", enum: ["pending", "deployed"] },
      address: { type: "string", format: "address", messages: { format: "must be an address" } },
      nonce: { type: "integer", minimum: 0 },
      txHash: { type: "string", nullable: true, pattern: HASH, messages: { pattern: "must be a transaction hash" } },
      block: { type: "integer", nullable: true, minimum: 0 },
    },
    required: ["status", "address", "nonce"],
    additionalProperties: false,
  },
  messages: { type: "must be an object of contract name → entry" },
};
const journalFile = schemaParser(JOURNAL_SCHEMA, { error: DeployError });

/** A journal kept in a JSON file, rewritten atomically after every change. Throws `DeployError` for a malformed file. */
export function fileJournal(file: string): Journal {
  const entries: Record<string, JournalEntry> = existsSync(file)
    ? { ...journalFile.text(readFileSync(file, "utf8"), displayPath(file)) }
    : {};
  return {
    get: (name) => entries[name],
    set: (name, entry) => {
      entries[name] = entry;
      writeJsonAtomicallySync(file, entries);
    },
    entries: () => ({ ...entries }),
  };
}

function provider(signer: Signer): Provider {
  if (signer.provider === null) throw new DeployError("the deployer signer has no provider");
  return signer.provider;
}

/**
 * Waits until every transaction the deployer already has in the mempool is mined, so that the
 * chain state the library reads before each call is final. Throws after `timeoutMs`.
 */
export async function settlePending(signer: Signer, timeoutMs = 120_000, pollMs = 500): Promise<void> {
  const from = await signer.getAddress();
  const chain = provider(signer);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [latest, pending] = await Promise.all([
      chain.getTransactionCount(from, "latest"),
      chain.getTransactionCount(from, "pending"),
    ]);
    if (pending <= latest) return;
    if (Date.now() > deadline) {
      throw new DeployError(`${pending - latest} transaction(s) of ${from} are still pending after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * Creates the contract `name` once. `send` receives the nonce to use and sends the creation.
 * Returns the contract's address, from the journal when it was created before.
 */
export async function deployOnce(
  signer: Signer,
  journal: Journal,
  name: string,
  send: (nonce: number) => Promise<TransactionResponse>,
): Promise<string> {
  const from = await signer.getAddress();
  const chain = provider(signer);
  const entry = journal.get(name);

  if (entry !== undefined) {
    const code = await chain.getCode(entry.address);
    if (code !== "0x") {
      if (entry.status === "pending") journal.set(name, { ...entry, status: "deployed" });
      return entry.address;
    }
    if (entry.status === "deployed") {
      throw new DeployError(
        `the journal records ${name} at ${entry.address}, but there is no code there: the chain was reset (a restarted node?): run suite:deploy with --reset to move the journal aside and deploy afresh`,
      );
    }
    const latest = await chain.getTransactionCount(from, "latest");
    if (latest > entry.nonce) {
      throw new DeployError(
        `nonce ${entry.nonce} of ${from} was used, but ${name} is not at ${entry.address}: the creation failed or was replaced`,
      );
    }
    if (latest < entry.nonce) {
      throw new DeployError(`the journal expects nonce ${entry.nonce} for ${name}, but ${from} is at ${latest}`);
    }
    // The nonce is unused: the creation never landed, so send it again with the same nonce.
  }

  const nonce = entry?.nonce ?? (await chain.getTransactionCount(from, "pending"));
  const address = getCreateAddress({ from, nonce });
  journal.set(name, { status: "pending", address, nonce });
  const tx = await send(nonce);
  journal.set(name, { status: "pending", address, nonce, txHash: tx.hash });
  const receipt = await tx.wait();
  if (receipt === null || receipt.contractAddress?.toLowerCase() !== address.toLowerCase()) {
    throw new DeployError(`the creation of ${name} did not land at ${address}`);
  }
  journal.set(name, { status: "deployed", address, nonce, txHash: tx.hash, block: receipt.blockNumber });
  return address;
}

/** A TypeChain factory: anything that can build a creation transaction. */
interface CreationFactory<A extends unknown[]> {
  getDeployTransaction(...args: A): Promise<{ data: string }>;
}

/** `deployOnce` for a TypeChain factory and its constructor arguments. */
export async function createOnce<A extends unknown[]>(
  signer: Signer,
  journal: Journal,
  name: string,
  factory: CreationFactory<A>,
  ...args: A
): Promise<string> {
  return deployOnce(signer, journal, name, async (nonce) =>
    signer.sendTransaction({ ...(await factory.getDeployTransaction(...args)), nonce }),
  );
}
