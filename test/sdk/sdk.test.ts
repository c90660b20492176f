import { time } from "@nomicfoundation/hardhat-network-helpers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { expect } from "chai";
import { Wallet, ZeroAddress, parseEther } from "ethers";
import { ethers } from "hardhat";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

import { deploySuite, loadSuiteParams, type Suite, type SuiteParams } from "../../scripts/lib/deploy";
import { writeDeployment } from "../../scripts/lib/deployments";
import { addMaker } from "../../scripts/lib/registry";
import { runEpoch } from "./epoch";
import { ROOT, buildAndLoadSdk, type Sdk } from "./load";

const PARAMS = path.join(ROOT, "deploy", "params", "localhost.json");
const CELL = 0x8a2a1072b59ffffn;

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    try {
      const body = readFileSync(path.join(dir, path.basename(req.url ?? "")));
      res.writeHead(200, { "content-type": "application/json" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` });
    }),
  );
}

describe("SDK (the built package)", function () {
  let sdk: Sdk;
  let dir: string;
  let deployed: Suite;
  let params: SuiteParams;
  let chainId: bigint;
  let http: { server: Server; url: string };
  const maker = Wallet.createRandom();
  const device = Wallet.createRandom();

  before(async function () {
    this.timeout(180_000);
    ({ sdk } = buildAndLoadSdk());
    const [deployer, oracle] = await ethers.getSigners();
    const file = loadSuiteParams(PARAMS, {
      deployer: deployer.address,
      oracle: oracle.address,
      now: BigInt(await time.latest()),
    });
    // An hour-long epoch 0, so that every setup step lands in it however slow the machine; the test
    // then moves the chain's clock past its end.
    params = { ...file.params, token: { ...file.params.token, epochLength: 3600n } };
    const block = (await ethers.provider.getBlockNumber()) + 1;
    deployed = await deploySuite(deployer, params);
    chainId = (await ethers.provider.getNetwork()).chainId;
    dir = mkdtempSync(path.join(tmpdir(), "sdk-deployments-"));
    writeDeployment(dir, { chainId: Number(chainId), block, contracts: deployed.addresses });
    http = await serve(dir);
  });

  after(function () {
    http?.server.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function owner() {
    const [deployer, , who] = await ethers.getSigners();
    const suite = await sdk.connectSuite(who, undefined, dir);
    if ((await suite.token.balanceOf(who.address)) === 0n) {
      await (await deployed.token.connect(deployer).transfer(who.address, parseEther("10000"))).wait();
    }
    return { who, suite };
  }

  describe("connectSuite", function () {
    it("binds every contract of the record of the runner's chain", async function () {
      const { who, suite } = await owner();
      expect(suite.chainId).to.equal(chainId);
      expect(await suite.token.getAddress()).to.equal(deployed.addresses.RewardToken);
      expect(await suite.distributor.getAddress()).to.equal(deployed.addresses.RewardsDistributor);
      expect(await suite.registry.credits()).to.equal(deployed.addresses.DataCredits);
      expect(await suite.token.symbol()).to.equal("DPN");
      expect(suite.token.runner).to.equal(who);
    });

    it("reads the record from a URL and from a list of records", async function () {
      const fromUrl = await sdk.connectSuite(ethers.provider, chainId, http.url);
      expect(await fromUrl.staking.getAddress()).to.equal(deployed.addresses.Staking);
      const fromList = await sdk.connectSuite(ethers.provider, undefined, [fromUrl.record]);
      expect(await fromList.credits.getAddress()).to.equal(deployed.addresses.DataCredits);
    });

    it("throws DeploymentError when the runner is on another chain or the chain has no record", async function () {
      const err = await sdk.connectSuite(ethers.provider, 1n, dir).catch((e: Error) => e);
      expect(err).to.be.instanceOf(sdk.DeploymentError);
      expect((err as Error).message).to.equal(`the runner is on chain ${chainId}, not on chain 1`);
      const none = await sdk.connectSuite(ethers.provider, undefined, []).catch((e: Error) => e);
      expect((none as Error).message).to.equal(`no deployment of the suite on chain ${chainId}`);
    });

    it("defaults to the package's own deployments folder", function () {
      expect(sdk.packageDeploymentsDir()).to.equal(path.join(ROOT, "deployments"));
    });
  });

  describe("buyCreditsWithPermit", function () {
    it("burns the tokens and mints the quoted credits with one transaction", async function () {
      const { who, suite } = await owner();
      const tokens = parseEther("200");
      const quoted = await sdk.quoteCredits(suite, tokens);
      const [tokensBefore, creditsBefore, nonce] = await Promise.all([
        suite.token.balanceOf(who.address),
        suite.credits.balanceOf(who.address),
        ethers.provider.getTransactionCount(who.address),
      ]);
      const { credits } = await sdk.buyCreditsWithPermit(suite, who, { tokens });
      expect(credits).to.equal(quoted);
      expect(quoted).to.equal(10_000_000n); // 200 tokens × $0.5 / $0.00001
      expect(await suite.token.balanceOf(who.address)).to.equal(tokensBefore - tokens);
      expect(await suite.credits.balanceOf(who.address)).to.equal(creditsBefore + quoted);
      expect(await ethers.provider.getTransactionCount(who.address)).to.equal(nonce + 1);
    });
  });

  describe("onboarding", function () {
    it("gives typed data that the maker and the device sign, and the registry accepts", async function () {
      const [deployer] = await ethers.getSigners();
      const { who, suite } = await owner();
      const { makerId } = await addMaker(deployed.registry.connect(deployer), {
        name: "Acme",
        signer: maker.address,
        sponsor: ZeroAddress,
        classes: [0n],
        quota: 0n,
      });
      const deadline = (await sdk.chainTime(suite)) + 3600n;
      const input = { device: device.address, deviceClass: 0n, makerId, owner: who.address, deadline };
      const typed = await sdk.onboardingTypedData(suite, input);
      expect(typed.maker.primaryType).to.equal("MakerAttestation");
      expect(typed.device.message).to.deep.equal({ owner: who.address, nonce: 0n, deadline });
      const makerSignature = await maker.signTypedData(typed.maker.domain, typed.maker.types, typed.maker.message);
      const deviceSignature = await device.signTypedData(typed.device.domain, typed.device.types, typed.device.message);
      const signed = await sdk.signOnboarding(suite, { maker, device }, input);
      expect(signed.makerSignature).to.equal(makerSignature);
      expect(signed.deviceSignature).to.equal(deviceSignature);
      const tokenId = await sdk.onboard(suite, who, { ...input, makerSignature, deviceSignature });
      expect(tokenId).to.equal(sdk.tokenIdOf(device.address));
      expect(await suite.registry.ownerOf(tokenId)).to.equal(who.address);
      await (await suite.registry.assertLocation(tokenId, CELL)).wait();
    });
  });

  describe("devicesOf", function () {
    it("lists the owner's devices from the registry's events with class, status and cell", async function () {
      const { who, suite } = await owner();
      const devices = await sdk.devicesOf(suite, who.address);
      expect(devices).to.have.length(1);
      expect(devices[0]).to.include({
        device: device.address,
        className: "hotspot",
        statusName: "active",
        h3Cell: "8a2a1072b59ffff",
        beneficiary: who.address,
      });
      expect(await sdk.devicesOf(suite, maker.address)).to.deep.equal([]);
    });
  });

  describe("staking", function () {
    it("stakes as an operator, takes a delegation and unbonds", async function () {
      const [deployer, , , delegator] = await ethers.getSigners();
      const { who, suite } = await owner();
      const balance = await suite.token.balanceOf(who.address);
      const info = await sdk.stakeAsOperator(suite, who, parseEther("1000"), 500);
      expect(info.isOperator).to.equal(true);
      expect(info.stake).to.equal(parseEther("1000"));
      expect(await suite.token.balanceOf(who.address)).to.equal(balance - parseEther("1000"));
      await (await deployed.token.connect(deployer).transfer(delegator.address, parseEther("300"))).wait();
      const d = await sdk.delegateTo(
        await sdk.connectSuite(delegator, undefined, dir),
        delegator,
        who.address,
        parseEther("300"),
      );
      expect(d.operator).to.equal(who.address);
      expect((await suite.staking.operatorInfo(who.address)).bondedTokens).to.equal(parseEther("1300"));
      const after = await sdk.unbondStake(suite, who, parseEther("100"));
      expect(after.stake).to.equal(parseEther("900"));
      expect(after.unbonding.map((u) => u.amount)).to.deep.equal([parseEther("100")]);
    });
  });

  describe("describeError", function () {
    it("decodes a custom error with its arguments, never raw hex", async function () {
      const { who, suite } = await owner();
      const error = await suite.staking
        .connect(who)
        .unbond(parseEther("5000"))
        .catch((e: unknown) => e);
      const message = sdk.describeError(error);
      expect(message).to.equal("InsufficientStake(requested: 5,000 tokens, available: 900 tokens)");
      const transfer = await suite.credits
        .connect(who)
        .transfer(ZeroAddress, 1n)
        .catch((e: unknown) => e);
      expect(sdk.describeError(transfer)).to.equal("CreditsNonTransferable()");
    });

    it("names an undeclared error by its selector, and a wallet's refusal in words", function () {
      expect(sdk.describeError({ code: -32000, message: "reverted", data: "0xdeadbeef00" })).to.equal(
        "the contract reverted with an error the suite does not declare (selector 0xdeadbeef)",
      );
      const rejected = Object.assign(new Error("user rejected action"), { code: "ACTION_REJECTED" });
      expect(sdk.describeError(rejected)).to.equal("the request was rejected in the wallet");
    });
  });

  describe("epoch claims", function () {
    let epochDir: string;
    before(async function () {
      const [, oracle, who] = await ethers.getSigners();
      const suite = await sdk.connectSuite(ethers.provider, undefined, dir);
      epochDir = mkdtempSync(path.join(tmpdir(), "sdk-epochs-"));
      await time.increaseTo((await suite.token.genesis()) + (await suite.token.epochLength()));
      await runEpoch(
        ethers.provider,
        { ...deployed, registry: deployed.addresses.DeviceRegistry, fromBlock: suite.record.block },
        oracle,
        0n,
        [{ device: device.address.toLowerCase(), uptimeSeconds: 20n, coverageProofs: 10n, dataBytes: 2400n }],
        params.pipeline,
        epochDir,
      );
      expect(who.address).to.not.equal(oracle.address);
    });
    after(() => rmSync(epochDir, { recursive: true, force: true }));

    it("reads the same claim from a path, a URL and the text, with a proof StandardMerkleTree verifies", async function () {
      const [, , who] = await ethers.getSigners();
      const file = path.join(epochDir, "epoch-0.json");
      const fromPath = await sdk.loadEpochClaim(file, who.address);
      const server = await serve(epochDir);
      try {
        const fromUrl = await sdk.loadEpochClaim(`${server.url}/epoch-0.json`, who.address);
        const fetched = await sdk.fetchEpochClaim(`${server.url}/epoch-0.json`, who.address);
        expect(fromUrl?.proof).to.deep.equal(fromPath?.proof);
        expect(fetched?.cumulativeAmount).to.equal(fromPath?.cumulativeAmount);
      } finally {
        server.server.close();
      }
      const fromText = sdk.epochClaimFromText(readFileSync(file, "utf8"), who.address, file);
      expect(fromText).to.deep.equal(fromPath);
      expect(fromPath?.cumulativeAmount).to.equal(parseEther("187500")); // the whole operators' pool: one device
      expect(
        StandardMerkleTree.verify(
          fromPath!.root,
          ["address", "uint256"],
          [who.address, fromPath!.cumulativeAmount.toString()],
          [...fromPath!.proof],
        ),
      ).to.equal(true);
      expect(await sdk.loadEpochClaim(file, maker.address)).to.equal(null);
    });

    it("refuses to claim before the root is claimable, then pays once", async function () {
      const [, , who, stranger] = await ethers.getSigners();
      const suite = await sdk.connectSuite(stranger, undefined, dir);
      const claim = (await sdk.loadEpochClaim(path.join(epochDir, "epoch-0.json"), who.address))!;
      const early = await sdk.claimRewards(suite, stranger, claim).catch((e: Error) => e);
      expect(early).to.be.instanceOf(sdk.EpochClaimError);
      expect((early as Error).message).to.equal("no root is claimable yet: wait for the challenge window to end");
      await time.increase(params.rewards.challengeWindow + 1n);
      expect((await sdk.claimStatus(suite, claim)).due).to.equal(claim.cumulativeAmount);
      const before = await suite.token.balanceOf(who.address);
      const { paid } = await sdk.claimRewards(suite, stranger, claim);
      expect(paid).to.equal(claim.cumulativeAmount);
      expect(await suite.token.balanceOf(who.address)).to.equal(before + claim.cumulativeAmount);
      expect((await sdk.claimRewards(suite, stranger, claim)).paid).to.equal(0n);
      expect((await sdk.claimStatus(suite, claim)).due).to.equal(0n);
    });
  });

  describe("wallet metadata", function () {
    it("builds a token list that the Uniswap token-list schema accepts", async function () {
      const suite = await sdk.connectSuite(ethers.provider, undefined, dir);
      const tokens = await sdk.suiteTokens(suite);
      const list = sdk.buildTokenList("DePIN Suite", tokens, { timestamp: new Date(0) });
      const schema = JSON.parse(
        readFileSync(
          path.join(path.dirname(require.resolve("@uniswap/token-lists/package.json")), "src", "tokenlist.schema.json"),
          "utf8",
        ),
      ) as object;
      const ajv = new Ajv({ allErrors: true });
      addFormats(ajv);
      const validate = ajv.compile(schema);
      expect(validate(list), JSON.stringify(validate.errors)).to.equal(true);
      expect(list.tokens.map((t) => [t.symbol, t.decimals])).to.have.deep.members([
        ["DPN", 18],
        ["DC", 0],
      ]);
      expect(validate({ ...list, name: "not/valid" })).to.equal(false);
      const request = sdk.watchAssetRequest(tokens[0]);
      expect(request).to.deep.equal({
        method: "wallet_watchAsset",
        params: { type: "ERC20", options: { address: deployed.addresses.RewardToken, symbol: "DPN", decimals: 18 } },
      });
    });

    it("gives a device's NFT metadata from its on-chain info", async function () {
      const suite = await sdk.connectSuite(ethers.provider, undefined, dir);
      const metadata = await sdk.deviceMetadata(suite, sdk.tokenIdOf(device.address), { image: "ipfs://x" });
      expect(metadata.name).to.match(/^hotspot 0x/);
      expect(metadata.image).to.equal("ipfs://x");
      expect(metadata.attributes).to.deep.include.members([
        { trait_type: "class", value: "hotspot" },
        { trait_type: "status", value: "active" },
        { trait_type: "H3 cell", value: "8a2a1072b59ffff" },
      ]);
    });
  });
});
