import { time } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import * as ethersLib from "ethers";
import { Wallet, ZeroAddress, parseEther } from "ethers";
import hre, { ethers } from "hardhat";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import * as viem from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

import { deploySuite, loadSuiteParams, type Suite, type SuiteParams } from "../../scripts/lib/deploy";
import { writeDeployment } from "../../scripts/lib/deployments";
import { addMaker } from "../../scripts/lib/registry";
import { runEpoch } from "./epoch";
import { ROOT, buildAndLoadSdk, type Sdk } from "./load";

/*
 * docs/sdk.md against the code: every helper and export its tables name is exported by the built
 * package, and every ```ts block of its examples runs as it is, in order, against a suite on the
 * in-process chain, with the free variables the document lists.
 */

const DOC = readFileSync(path.join(ROOT, "docs", "sdk.md"), "utf8");
const CELL = 0x8a2a1072b59ffffn;

/** The examples: the ```ts blocks of the document, in order. */
function examples(): string[] {
  return [...DOC.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** The names the first column of a table (found by its header) documents. */
function tableNames(header: string): string[] {
  const start = DOC.indexOf(header);
  expect(start, `docs/sdk.md has a table "${header}"`).to.be.greaterThan(-1);
  const rows = DOC.slice(start).split("\n").slice(2);
  const names: string[] = [];
  for (const row of rows) {
    if (!row.startsWith("|")) break;
    const first = row.split("|")[1];
    for (const [, span] of first.matchAll(/`([^`]+)`/g)) names.push(/^[A-Za-z_$][\w$]*/.exec(span)![0]);
  }
  return names;
}

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<void>;

describe("docs/sdk.md (the documented calls, run against the built package)", function () {
  let sdk: Sdk;
  let deployed: Suite;
  let params: SuiteParams;
  let dir: string;
  const maker = Wallet.createRandom();
  const device = Wallet.createRandom();
  const viemAccount = privateKeyToAccount(generatePrivateKey());
  let makerId: bigint;
  let logs: string[];

  before(async function () {
    this.timeout(180_000);
    ({ sdk } = buildAndLoadSdk());
    const [deployer, oracle, signer, delegator] = await ethers.getSigners();
    const file = loadSuiteParams(path.join(ROOT, "deploy", "params", "localhost.json"), {
      deployer: deployer.address,
      oracle: oracle.address,
      now: BigInt(await time.latest()),
    });
    // An hour-long epoch 0, so that every example before the claim lands in it.
    params = { ...file.params, token: { ...file.params.token, epochLength: 3600n } };
    const block = (await ethers.provider.getBlockNumber()) + 1;
    deployed = await deploySuite(deployer, params);
    dir = mkdtempSync(path.join(tmpdir(), "sdk-docs-"));
    writeDeployment(dir, { chainId: Number(hardhat.id), block, contracts: deployed.addresses });
    for (const who of [signer.address, delegator.address, viemAccount.address]) {
      await (await deployed.token.connect(deployer).transfer(who, parseEther("5000"))).wait();
    }
    await (await deployer.sendTransaction({ to: viemAccount.address, value: parseEther("1") })).wait();
    ({ makerId } = await addMaker(deployed.registry.connect(deployer), {
      name: "Acme",
      signer: maker.address,
      sponsor: ZeroAddress,
      classes: [0n],
      quota: 0n,
    }));
  });

  after(function () {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("names in its tables only what the package exports", function () {
    const names = [...tableNames("| helper | what it does |"), ...tableNames("| export | what it is |")];
    expect(names).to.include.members(["connectSuite", "stakingInfo", "SUITE_ABIS", "PERMIT_TYPES"]);
    const missing = names.filter((name) => (sdk as Record<string, unknown>)[name] === undefined);
    expect(missing, "documented but not exported").to.deep.equal([]);
  });

  /** Runs one example with the document's free variables; returns what it logged. */
  async function run(code: string): Promise<string[]> {
    const [, , signer, delegator] = await ethers.getSigners();
    const transport = viem.custom(hre.network.provider);
    const free: Record<string, unknown> = {
      signer,
      delegator,
      deployments: dir,
      maker,
      device,
      makerId,
      epochFile: path.join(dir, "epoch-0.json"),
      publicClient: viem.createPublicClient({ chain: hardhat, transport }),
      walletClient: viem.createWalletClient({ chain: hardhat, transport, account: viemAccount }),
      record: sdk.readDeployment(dir, hardhat.id),
    };
    const modules: Record<string, unknown> = { "depin-suite": sdk, ethers: ethersLib, viem };
    const load = (name: string) => {
      if (!(name in modules)) throw new Error(`the example imports ${name}, which the test does not provide`);
      return modules[name];
    };
    const js = ts.transpileModule(code, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    logs = [];
    const console = { log: (...args: unknown[]) => logs.push(args.map(String).join(" ")) };
    await new AsyncFunction("require", "exports", "console", ...Object.keys(free), js)(
      load,
      {},
      console,
      ...Object.values(free),
    );
    return logs;
  }

  it("has examples", function () {
    expect(examples()).to.have.length.greaterThan(5);
  });

  it("runs every example, in order, and each does what the document says", async function () {
    this.timeout(120_000);
    const [, oracle, signer] = await ethers.getSigners();
    const suite = await sdk.connectSuite(ethers.provider, undefined, dir);
    for (const code of examples()) {
      if (code.includes("loadEpochClaim")) {
        // The oracle's side before a claim: the device has a location, epoch 0 has ended, its root
        // is posted and its challenge window has passed.
        await (await deployed.registry.connect(signer).assertLocation(sdk.tokenIdOf(device.address), CELL)).wait();
        await time.increaseTo((await suite.token.genesis()) + (await suite.token.epochLength()));
        await runEpoch(
          ethers.provider,
          { ...deployed, registry: deployed.addresses.DeviceRegistry, fromBlock: suite.record.block },
          oracle,
          0n,
          [{ device: device.address.toLowerCase(), uptimeSeconds: 20n, coverageProofs: 10n, dataBytes: 2400n }],
          params.pipeline,
          dir,
        );
        await time.increase(params.rewards.challengeWindow + 1n);
      }
      const printed = await run(code).catch((error: Error) => {
        throw new Error(`docs/sdk.md example failed: ${error.message}\n${code}`);
      });
      expect(printed, code).to.not.deep.equal([]);
      if (code.includes("describeError")) {
        expect(printed.at(-1)).to.match(/^InsufficientStake\(requested: [\d,.]+ tokens, available: [\d,.]+ tokens\)$/);
      }
    }
    // What the examples did, read back from the chain.
    expect(await suite.credits.balanceOf(signer.address)).to.be.greaterThan(0n);
    expect(await suite.registry.ownerOf(sdk.tokenIdOf(device.address))).to.equal(signer.address);
    expect((await sdk.stakingInfo(suite, signer.address)).operatorPool?.bonded).to.equal(parseEther("1200"));
    expect(await suite.rewardsLens.claimed(signer.address)).to.be.greaterThan(0n);
    expect(await suite.credits.balanceOf(viemAccount.address)).to.equal(5_000_000n); // 100 tokens × $0.5 / $0.00001
  });
});
