import { expect } from "chai";
import { HDNodeWallet, JsonRpcProvider, Mnemonic, ZeroAddress, parseEther } from "ethers";
import hre from "hardhat";
import { execFileSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  parseEventLogs,
  parseSignature,
  type Address,
  type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

import { freePort, startHardhatNode, stopChild } from "../../e2e/browser/harness";
import { deploySuite, loadSuiteParams } from "../../scripts/lib/deploy";
import { writeDeployment } from "../../scripts/lib/deployments";
import { PUBLIC_NETWORKS } from "../../scripts/lib/env";
import { addMaker } from "../../scripts/lib/registry";
import { ROOT, type Sdk } from "./load";
import { installOffline, manifestOf, pack, type PackResult, type PackedManifest } from "./pack-install";

/** The chain ids whose records the package may ship: the public networks', never a local chain's. */
const PUBLIC_CHAIN_IDS = Object.values(PUBLIC_NETWORKS)
  .map((n) => n.chainId)
  .filter((id): id is NonNullable<typeof id> => id !== undefined);

/** What the tarball may hold: the built SDK, its ABIs, public records, and npm's own files. */
/** The accounts of a `hardhat node` (the operator's side of the viem test). */
const MNEMONIC = "test test test test test test test test test test test junk";

const ALLOWED = new RegExp(
  "^(package\\.json|README\\.md|LICENSE" +
    "|dist/(scripts|typechain-types)/.+\\.(js|d\\.ts|js\\.map)" +
    "|dist/abi/\\w+\\.json" +
    `|deployments/(${PUBLIC_CHAIN_IDS.join("|")})\\.json)$`,
);

describe("the packed package (npm pack, installed offline into an empty folder)", function () {
  let work: string;
  let consumer: string;
  let packed: PackResult;
  let manifest: PackedManifest;
  /** The package as the consumer's `require("depin-suite")` loads it. */
  let pkg: Sdk;

  before(function () {
    this.timeout(240_000);
    work = mkdtempSync(path.join(tmpdir(), "sdk-pack-"));
    consumer = path.join(work, "consumer");
    mkdirSync(consumer);
    // `npm pack` runs `prepack`: the contracts' compile (nothing to do under `hardhat test`) and the build.
    packed = pack(ROOT, work);
    const tarball = path.join(work, packed.filename);
    manifest = manifestOf(tarball, work);
    installOffline(ROOT, consumer, tarball, packed.integrity, manifest);
    pkg = createRequire(path.join(consumer, "package.json"))(manifest.name) as Sdk;
  });

  after(function () {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  /** Runs `node` in the consumer's folder and returns what it printed. */
  const node = (args: readonly string[]): string =>
    execFileSync(process.execPath, args, { cwd: consumer, encoding: "utf8", env: { ...process.env, NODE_PATH: "" } });

  describe("the tarball", function () {
    it("holds the built SDK, its ABIs and public records only: no local deployment, journal or source", function () {
      const files = packed.files.map((f) => f.path);
      const stray = files.filter((f) => !ALLOWED.test(f));
      expect(stray, `files the package must not ship: ${stray.join(", ")}`).to.deep.equal([]);
      expect(files).to.include.members([
        "dist/scripts/lib/sdk/index.js",
        "dist/scripts/lib/sdk/index.d.ts",
        "dist/scripts/lib/sdk/browser.js",
        ...Object.keys(pkg.SUITE_ABIS).map((name) => `dist/abi/${name}.json`),
      ]);
    });

    it("leaves out local chains' records, journals, epoch files and tarballs, whatever the folders hold", function () {
      // The same `files` field, packed from a folder that holds everything a developer's checkout can.
      const dir = path.join(work, "files-check");
      const write = (file: string) => {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), "{}\n");
      };
      mkdirSync(dir);
      writeFileSync(path.join(dir, "package.json"), readFileSync(path.join(ROOT, "package.json")));
      const local = [
        "deployments/31337.json",
        "deployments/1337.json",
        "deployments/31337.tokenlist.json",
        "deployments/.journal/31337/0.json",
        "epochs/epoch-0.json",
        "depin-suite-0.0.1.tgz",
        "scripts/lib/sdk/index.ts",
        ".env",
      ];
      const shipped = [
        `deployments/${PUBLIC_CHAIN_IDS[0]}.json`,
        "dist/scripts/lib/sdk/index.js",
        "dist/abi/Staking.json",
      ];
      [...local, ...shipped].forEach(write);
      const files = pack(dir, work, ["--dry-run", "--ignore-scripts"]).files.map((f) => f.path);
      expect(files).to.include.members(shipped);
      expect(files.filter((f) => local.includes(f))).to.deep.equal([]);
    });

    it("declares its runtime dependencies, with ethers as a peer the dApp brings", function () {
      expect(manifest.dependencies).to.have.keys("@openzeppelin/merkle-tree", "hash-wasm");
      expect(manifest.peerDependencies).to.have.keys("ethers");
      // Installed into the consumer's own node_modules, not reached through the repository's.
      const resolveFrom = createRequire(path.join(consumer, "package.json"));
      for (const name of ["ethers", "@openzeppelin/merkle-tree", "hash-wasm", manifest.name]) {
        expect(realpathSync(resolveFrom.resolve(name))).to.satisfy((p: string) => p.startsWith(realpathSync(consumer)));
      }
    });
  });

  describe("importing it", function () {
    it("works from CommonJS and from an ES module, both entries, with nothing else installed", function () {
      const names = [
        "connectSuite",
        "stakingInfo",
        "loadEpochClaim",
        "SUITE_ABIS",
        "ONBOARD_TYPES",
        "RewardToken__factory",
      ];
      const cjs = node([
        "-e",
        `const sdk = require("depin-suite"); const browser = require("depin-suite/browser");
         const abi = require("depin-suite/abi/DeviceRegistry.json");
         console.log(JSON.stringify([${names.map((n) => `typeof sdk.${n}`).join(",")}, typeof browser.connectSuite, abi.length]));`,
      ]);
      const esm = node([
        "--input-type=module",
        "--no-warnings",
        "-e",
        `import { ${names.join(", ")} } from "depin-suite";
         import { connectSuite as inBrowser, fetchEpochClaim } from "depin-suite/browser";
         import abi from "depin-suite/abi/DeviceRegistry.json" with { type: "json" };
         console.log(JSON.stringify([${names.map((n) => `typeof ${n}`).join(",")}, typeof inBrowser, abi.length, typeof fetchEpochClaim]));`,
      ]);
      const abiLength = pkg.SUITE_ABIS.DeviceRegistry.length;
      const kinds = ["function", "function", "function", "object", "object", "function"];
      expect(JSON.parse(cjs)).to.deep.equal([...kinds, "function", abiLength]);
      expect(JSON.parse(esm)).to.deep.equal([...kinds, "function", abiLength, "function"]);
    });

    it("type-checks a TypeScript dApp against the shipped declarations (lib checks on)", function () {
      this.timeout(60_000);
      writeFileSync(
        path.join(consumer, "dapp.ts"),
        `import { JsonRpcProvider } from "ethers";
import { SUITE_ABIS, SUITE_TYPED_DATA, connectSuite, stakingInfo, type StakingInfo } from "depin-suite";
import { connectSuite as connectInBrowser } from "depin-suite/browser";

export async function main(): Promise<StakingInfo> {
  const suite = await connectSuite(new JsonRpcProvider("http://127.0.0.1:8545"), 31337n, "deployments");
  const kind: "function" | "event" | "error" | "constructor" = SUITE_ABIS.Staking[0].type;
  void [kind, SUITE_TYPED_DATA.Onboard.types.Onboard, connectInBrowser];
  return stakingInfo(suite, await suite.token.getAddress());
}
`,
      );
      const tsc = require.resolve("typescript/bin/tsc", { paths: [ROOT] });
      node([
        tsc,
        "--noEmit",
        "--strict",
        "--module",
        "node16",
        "--target",
        "es2022",
        "--skipLibCheck",
        "false",
        "dapp.ts",
      ]);
    });
  });

  describe("its ABIs and EIP-712 types", function () {
    it("are the compiler's whole ABIs, as values and as JSON files", function () {
      for (const [name, abi] of Object.entries(pkg.SUITE_ABIS)) {
        const artifact = hre.artifacts.readArtifactSync(name);
        expect(abi, name).to.deep.equal(artifact.abi);
        const file = path.join(consumer, "node_modules", manifest.name, "dist", "abi", `${name}.json`);
        expect(JSON.parse(readFileSync(file, "utf8")), `${name}.json`).to.deep.equal(artifact.abi);
      }
      // Errors a call bubbles up from another contract are there, for a client that decodes with one ABI.
      const errors = (name: keyof Sdk["SUITE_ABIS"]) =>
        pkg.SUITE_ABIS[name].filter((f) => f.type === "error").map((f) => (f as { name: string }).name);
      expect(errors("DataCredits")).to.include.members(["ERC20InsufficientAllowance", "AccessManagedUnauthorized"]);
      expect(errors("Staking")).to.include("ERC20InsufficientBalance");
      // The distributor's views ship as the lens's ABI.
      expect(Object.keys(pkg.SUITE_ABIS)).to.include("RewardsLens");
      // Staking's heavy views are served by its lens, whose ABI ships beside it.
      expect(Object.keys(pkg.SUITE_ABIS)).to.include("StakingLens");
      const lensViews = pkg.SUITE_ABIS.StakingLens.filter((f) => f.type === "function").map(
        (f) => (f as { name: string }).name,
      );
      expect(lensViews).to.include.members(["claimable", "unbondRequests", "operatorStakeAt", "totalStakeAt"]);
    });

    it("name every signed message, its types and its domain", function () {
      expect(Object.keys(pkg.SUITE_TYPED_DATA)).to.deep.equal(["MakerAttestation", "Onboard", "ClaimTo", "Permit"]);
      const encodeType = (types: Record<string, readonly { name: string; type: string }[]>, primary: string) =>
        `${primary}(${types[primary].map((f) => `${f.type} ${f.name}`).join(",")})`;
      const solidity = readFileSync(path.join(ROOT, "contracts", "rewards", "RewardsDistributor.sol"), "utf8");
      expect(solidity.replace(/"\s*\n\s*"/g, "")).to.include(`"${encodeType(pkg.CLAIM_TO_TYPES, "ClaimTo")}"`);
      expect(encodeType(pkg.PERMIT_TYPES, "Permit")).to.equal(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
      );
      expect(pkg.SUITE_DOMAINS).to.deep.equal({
        DeviceRegistry: { name: "DeviceRegistry", version: "1" },
        RewardsDistributor: { name: "RewardsDistributor", version: "1" },
        RewardToken: { version: "1" },
      });
    });
  });

  describe("a viem client over JSON-RPC, with the package's exports only", function () {
    let node: ChildProcess | undefined;
    let url: string;
    let provider: JsonRpcProvider | undefined;
    let recordDir: string;
    const buyer = privateKeyToAccount(generatePrivateKey());
    const maker = privateKeyToAccount(generatePrivateKey());
    const device = privateKeyToAccount(generatePrivateKey());
    let makerId: bigint;
    const killNode = (): void => void node?.kill("SIGKILL");

    before(async function () {
      this.timeout(120_000);
      // A hardhat node on a free loopback port, as a dApp meets a chain; stopped by its PID in `after`.
      const started = await startHardhatNode(ROOT, work, await freePort());
      node = started.child;
      process.once("exit", killNode);
      url = started.url;
      // The operator's side, with the repository's deploy library: the suite, a maker, the buyer's gas and tokens.
      provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
      const wallet = (index: number) =>
        HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(MNEMONIC), `m/44'/60'/0'/0/${index}`).connect(provider!);
      const [deployer, oracle] = [wallet(0), wallet(1)];
      const latest = (await provider.getBlock("latest"))!;
      const { params } = loadSuiteParams(path.join(ROOT, "deploy", "params", "localhost.json"), {
        deployer: deployer.address,
        oracle: oracle.address,
        now: BigInt(latest.timestamp),
      });
      const suite = await deploySuite(deployer, params);
      recordDir = path.join(work, "deployments");
      writeDeployment(recordDir, { chainId: hardhat.id, block: latest.number + 1, contracts: suite.addresses });
      await (await deployer.sendTransaction({ to: buyer.address, value: parseEther("1") })).wait();
      await (await suite.token.connect(deployer).transfer(buyer.address, parseEther("1000"))).wait();
      ({ makerId } = await addMaker(suite.registry.connect(deployer), {
        name: "Acme",
        signer: maker.address,
        sponsor: ZeroAddress,
        classes: [0n],
        quota: 0n,
      }));
    });

    after(async function () {
      provider?.destroy();
      await stopChild(node);
      process.removeListener("exit", killNode);
    });

    const clients = () => {
      const transport = http(url);
      return {
        chain: createPublicClient({ chain: hardhat, transport, pollingInterval: 50 }),
        wallet: createWalletClient({ chain: hardhat, transport, account: buyer }),
      };
    };

    it("buys credits with an EIP-2612 permit and onboards a device with its Onboard signature", async function () {
      const { chain, wallet } = clients();
      const { SUITE_ABIS: abi } = pkg;
      const record = pkg.readDeployment(recordDir, hardhat.id);
      const token = getAddress(record.contracts.RewardToken);
      const credits = getAddress(record.contracts.DataCredits);
      const registry = getAddress(record.contracts.DeviceRegistry);
      const deadline = (await chain.getBlock()).timestamp + 3600n;

      // The permit, under the token's own domain (ERC-5267).
      const [, name, version, chainId, verifyingContract] = await chain.readContract({
        address: token,
        abi: abi.RewardToken,
        functionName: "eip712Domain",
      });
      expect(version).to.equal(pkg.PERMIT_DOMAIN_VERSION);
      const tokens = parseEther("200");
      const permit = async (value: bigint) =>
        parseSignature(
          await buyer.signTypedData({
            domain: { name, version, chainId, verifyingContract },
            types: pkg.PERMIT_TYPES,
            primaryType: "Permit",
            message: {
              owner: buyer.address,
              spender: credits,
              value,
              nonce: await chain.readContract({
                address: token,
                abi: abi.RewardToken,
                functionName: "nonces",
                args: [buyer.address],
              }),
              deadline,
            },
          }),
        );
      const price = await chain.readContract({ address: credits, abi: abi.DataCredits, functionName: "price" });
      const quoted = pkg.creditsForTokens(tokens, price.answer, price.decimals);

      // A permit for less than the amount: DataCredits' ABI alone decodes the token's error.
      const short = await permit(1n);
      const refused = await chain
        .simulateContract({
          account: buyer,
          address: credits,
          abi: abi.DataCredits,
          functionName: "mintWithTokensPermit",
          args: [buyer.address, tokens, quoted, deadline, Number(short.v), short.r, short.s],
        })
        .catch((e: unknown) => e);
      const revert =
        refused instanceof BaseError ? refused.walk((e) => e instanceof ContractFunctionRevertedError) : null;
      expect(revert).to.be.instanceOf(ContractFunctionRevertedError);
      expect((revert as ContractFunctionRevertedError).data?.errorName).to.equal("ERC20InsufficientAllowance");

      const signed = await permit(tokens);
      const bought = await chain.waitForTransactionReceipt({
        hash: await wallet.writeContract({
          address: credits,
          abi: abi.DataCredits,
          functionName: "mintWithTokensPermit",
          args: [buyer.address, tokens, quoted, deadline, Number(signed.v), signed.r, signed.s],
        }),
      });
      expect(bought.status).to.equal("success");
      const minted = parseEventLogs({ abi: abi.DataCredits, logs: bought.logs, eventName: "CreditsMinted" });
      expect(minted.map((e) => e.args.credits)).to.deep.equal([quoted]);
      const balanceOf = (owner: Address) =>
        chain.readContract({ address: credits, abi: abi.DataCredits, functionName: "balanceOf", args: [owner] });
      expect(await balanceOf(buyer.address)).to.equal(quoted);

      // The onboarding: the maker's attestation and the device's consent, under the registry's domain.
      const domain = {
        name: pkg.REGISTRY_DOMAIN_NAME,
        version: pkg.REGISTRY_DOMAIN_VERSION,
        chainId: hardhat.id,
        verifyingContract: registry,
      };
      const nonce = await chain.readContract({
        address: registry,
        abi: abi.DeviceRegistry,
        functionName: "onboardingNonce",
        args: [device.address],
      });
      const request = {
        device: device.address,
        deviceClass: 0,
        makerId: Number(makerId),
        owner: buyer.address,
        deadline,
        makerSignature: await maker.signTypedData({
          domain,
          types: pkg.MAKER_ATTESTATION_TYPES,
          primaryType: "MakerAttestation",
          message: { device: device.address, deviceClass: 0, makerId },
        }),
        deviceSignature: await device.signTypedData({
          domain,
          types: pkg.ONBOARD_TYPES,
          primaryType: "Onboard",
          message: { owner: buyer.address, nonce, deadline },
        }),
      };
      const onboarded = await chain.waitForTransactionReceipt({
        hash: await wallet.writeContract({
          address: registry,
          abi: abi.DeviceRegistry,
          functionName: "onboard",
          args: [request],
        }),
      });
      expect(onboarded.status).to.equal("success");
      const tokenId = BigInt(device.address);
      expect(
        await chain.readContract({
          address: registry,
          abi: abi.DeviceRegistry,
          functionName: "ownerOf",
          args: [tokenId],
        }),
      ).to.equal(buyer.address);
      // The buyer, who sent it, paid the hotspot class's fee in credits.
      expect(await balanceOf(buyer.address)).to.equal(quoted - 4_000_000n);
      expect(pkg.tokenIdOf(device.address as Hex)).to.equal(tokenId);
    });
  });
});
