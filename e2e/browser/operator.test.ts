import { expect } from "chai";
import { HDNodeWallet, JsonRpcProvider, Mnemonic, Wallet, ZeroAddress, formatEther, parseEther } from "ethers";
import { execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import hre from "hardhat";
import { chromium, type BrowserContext, type Page } from "playwright-core";

import { deploySuite, loadSuiteParams, type SuiteParams } from "../../scripts/lib/deploy";
import { writeDeployment } from "../../scripts/lib/deployments";
import { setGovernedPrice } from "../../scripts/lib/credits";
import { formatTokens } from "../../scripts/lib/format";
import { addMaker } from "../../scripts/lib/registry";
import {
  buyCreditsWithPermit,
  connectSuite,
  loadEpochClaim,
  signOnboarding,
  onboard,
  stakeAsOperator,
  tokenIdOf,
  type SuiteContracts,
} from "../../scripts/lib/sdk";
import { runEpoch } from "../../test/sdk/epoch";
import {
  INJECTED_PROVIDER,
  freePort,
  rpc,
  serveStatic,
  startHardhatNode,
  stopChild,
  walletBackend,
  type WalletCall,
} from "./harness";

const ROOT = path.resolve(__dirname, "..", "..");
const CHROMIUM = "/usr/bin/chromium";
/** Where the screenshot is kept (gitignored). */
const ARTIFACTS = path.join(ROOT, "test-artifacts");
const MNEMONIC = "test test test test test test test test test test test junk";
const CELL = 0x8a2a1072b59ffffn;

/*
 * The dApp's notation, computed here independently of app/src/format.ts, for the browser's en-US
 * locale and UTC zone: tokens with 2 to 4 fraction digits (cut) and thousands separators, whole
 * credits with separators, times as medium dates. Whitespace is normalized (ICU puts a narrow
 * no-break space before AM/PM).
 */
const AMOUNT = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
  roundingMode: "trunc",
} as Intl.NumberFormatOptions);
const dpn = (wei: bigint): string => `${AMOUNT.format(formatEther(wei) as unknown as number)} DPN`;
const dc = (credits: bigint): string => `${new Intl.NumberFormat("en-US").format(credits)} DC`;
const DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const spaces = (text: string | null): string => (text ?? "").replace(/\s+/gu, " ");
const date = (unixSeconds: bigint): string => spaces(DATE.format(new Date(Number(unixSeconds) * 1000)));

function account(provider: JsonRpcProvider, index: number): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(MNEMONIC), `m/44'/60'/0'/0/${index}`).connect(provider);
}

describe("operator dApp in Chromium", function () {
  this.timeout(300_000);

  let node: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let web: { server: Server; url: string } | undefined;
  let work: string | undefined;
  let provider: JsonRpcProvider;
  let suite: SuiteContracts;
  let params: SuiteParams;
  let owner: HDNodeWallet;
  let page: Page;
  const calls: WalletCall[] = [];
  const device = Wallet.createRandom();

  const killNode = (): void => {
    node?.kill("SIGKILL");
  };

  async function advance(seconds: bigint): Promise<void> {
    await rpc(nodeUrl, "evm_increaseTime", [Number(seconds)]);
    await rpc(nodeUrl, "evm_mine");
  }
  let nodeUrl = "";

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Debian's chromium is missing at ${CHROMIUM} (apt-get install chromium); .ci/run installs it`);
    }
    work = mkdtempSync(path.join(tmpdir(), "operator-dapp-"));
    const deploymentsDir = path.join(work, "deployments");
    const epochsDir = path.join(work, "epochs");
    mkdirSync(epochsDir, { recursive: true });

    // The chain: a hardhat node on a free loopback port, the suite deployed with the localhost params.
    const coverage = (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;
    const started = await startHardhatNode(ROOT, work, await freePort(), coverage);
    node = started.child;
    // Should mocha itself die, the node must not outlive it.
    process.once("exit", killNode);
    nodeUrl = started.url;
    provider = new JsonRpcProvider(nodeUrl, undefined, { staticNetwork: true, pollingInterval: 100, cacheTimeout: -1 });
    const deployer = account(provider, 0);
    const oracle = account(provider, 1);
    owner = account(provider, 2);
    const latest = await provider.getBlock("latest");
    const file = loadSuiteParams(path.join(ROOT, "deploy", "params", "localhost.json"), {
      deployer: deployer.address,
      oracle: oracle.address,
      now: BigInt(latest!.timestamp),
    });
    // An hour-long epoch, however slow the machine; the test moves the node's clock with evm_increaseTime.
    params = { ...file.params, token: { ...file.params.token, epochLength: 3600n } };
    const deployed = await deploySuite(deployer, params);
    const { chainId } = await provider.getNetwork();
    writeDeployment(deploymentsDir, {
      chainId: Number(chainId),
      block: latest!.number + 1,
      contracts: deployed.addresses,
    });

    // Epoch 0: the owner buys credits, onboards a device and asserts its location, stakes the
    // pipeline's minimum; the oracle computes the epoch and posts its root once it has ended.
    suite = await connectSuite(owner, chainId, deploymentsDir);
    await (await deployed.token.transfer(owner.address, parseEther("5000"))).wait();
    const maker = Wallet.createRandom();
    const { makerId } = await addMaker(deployed.registry, {
      name: "Acme",
      signer: maker.address,
      sponsor: ZeroAddress,
      classes: [0n],
      quota: 0n,
    });
    await buyCreditsWithPermit(suite, owner, { tokens: parseEther("200") });
    const deadline = BigInt(latest!.timestamp) + 3600n;
    const request = await signOnboarding(
      suite,
      { maker, device },
      { deviceClass: 0n, makerId, owner: owner.address, deadline },
    );
    await onboard(suite, owner, request);
    await (await suite.registry.assertLocation(tokenIdOf(device.address), CELL)).wait();
    await stakeAsOperator(suite, owner, params.pipeline.minStakePerDevice, 500);
    await advance(params.token.epochLength);
    await runEpoch(
      provider,
      { ...deployed, registry: deployed.addresses.DeviceRegistry, fromBlock: latest!.number + 1 },
      oracle,
      0n,
      [{ device: device.address.toLowerCase(), uptimeSeconds: 3600n, coverageProofs: 50n, dataBytes: 24_000n }],
      params.pipeline,
      epochsDir,
    );
    await advance(params.rewards.challengeWindow + 1n);
    // An hour has passed on the node: the oracle refreshes the price, or DataCredits refuses it as stale.
    const now = BigInt((await provider.getBlock("latest"))!.timestamp);
    const { answer } = await deployed.governedFeed!.latestRoundData();
    await setGovernedPrice(deployed.governedFeed!, oracle, answer, now);

    // The app: built by vite, served on loopback with the deployment record and the epoch files.
    const vite = path.join(path.dirname(require.resolve("vite/package.json")), "bin", "vite.js");
    execFileSync(process.execPath, [vite, "build", "--config", "app/vite.config.ts"], {
      cwd: ROOT,
      stdio: "ignore",
    });
    web = await serveStatic({
      "/": path.join(ROOT, "app", "dist"),
      "/deployments": deploymentsDir,
      "/epochs": epochsDir,
    });

    // The browser: Debian's chromium, headless, a fresh profile, the test wallet injected.
    context = await chromium.launchPersistentContext(path.join(work, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      locale: "en-US",
      timezoneId: "UTC",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    await context.exposeFunction("__wallet", walletBackend(owner, nodeUrl, chainId, calls));
    await context.addInitScript({ content: INJECTED_PROVIDER });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
  });

  after(async function () {
    await context?.close().catch(() => undefined);
    await new Promise<void>((resolve) => (web === undefined ? resolve() : web.server.close(() => resolve())));
    provider?.destroy();
    await stopChild(node);
    process.removeListener("exit", killNode);
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  async function done(pattern: RegExp): Promise<void> {
    await page.waitForFunction(() => document.body.dataset.busy === undefined);
    const error = (await page.locator("#error").isVisible()) ? await page.locator("#error").textContent() : null;
    expect(error, "the dApp showed an error").to.equal(null);
    expect(await page.locator("#status").textContent()).to.match(pattern);
  }

  async function clickAndWait(selector: string): Promise<void> {
    await page.waitForFunction(() => document.body.dataset.busy === undefined);
    await page.click(selector);
    await page.waitForFunction(() => document.body.dataset.busy === undefined);
  }

  it("connects, claims after an epoch, buys credits with a permit and stakes, as the chain records", async function () {
    const token = suite.token;
    const who = owner.address;
    await page.goto(`${web!.url}/`);
    await clickAndWait("#connect");
    await done(new RegExp(`^Connected to ${who}\\.$`));
    expect(await page.locator("#network").textContent()).to.equal("chain 31337");
    expect(await page.locator("#tokenBalance").textContent()).to.equal(dpn(await token.balanceOf(who)));
    expect(await page.locator("#creditBalance").textContent()).to.equal(dc(await suite.credits.balanceOf(who)));
    const row = await page.locator("#devices tbody tr").allTextContents();
    expect(row).to.deep.equal([`${device.address}hotspotactive8a2a1072b59ffff`]);

    // Claim: the dApp found the latest claimable epoch's file and shows what is due.
    const claim = (await loadEpochClaim(path.join(work!, "epochs", "epoch-0.json"), who))!;
    expect(claim.cumulativeAmount).to.equal(parseEther("187500"));
    expect(await page.locator("#claimable").getAttribute("data-due")).to.equal(claim.cumulativeAmount.toString());
    expect(await page.locator("#claimable").textContent()).to.equal("187,500.00 DPN");
    const epochEnd = (await token.genesis()) + (await token.epochLength());
    expect(spaces(await page.locator("#epochInfo").textContent())).to.equal(`(epoch 0, ended ${date(epochEnd)})`);
    const beforeClaim = await token.balanceOf(who);
    await clickAndWait("#claim");
    await done(/^Claimed 187,500\.00 DPN\.$/);
    expect(await token.balanceOf(who)).to.equal(beforeClaim + claim.cumulativeAmount);
    expect(await suite.rewardsLens.claimed(who)).to.equal(claim.cumulativeAmount);
    expect(await page.locator("#claimable").textContent()).to.equal("0.00 DPN");

    // Buy credits: one EIP-712 permit signature, one transaction.
    const [tokensBefore, creditsBefore] = await Promise.all([token.balanceOf(who), suite.credits.balanceOf(who)]);
    const signed = calls.filter((c) => c.method === "eth_signTypedData_v4").length;
    const sent = calls.filter((c) => c.method === "eth_sendTransaction").length;
    await page.fill("#buyAmount", "100");
    await clickAndWait("#buy");
    await done(/^Bought 5,000,000 DC\.$/);
    expect(await token.balanceOf(who)).to.equal(tokensBefore - parseEther("100"));
    expect(await suite.credits.balanceOf(who)).to.equal(creditsBefore + 5_000_000n);
    expect(calls.filter((c) => c.method === "eth_signTypedData_v4").length).to.equal(signed + 1);
    expect(calls.filter((c) => c.method === "eth_sendTransaction").length).to.equal(sent + 1);
    expect(await page.locator("#creditBalance").textContent()).to.equal(dc(creditsBefore + 5_000_000n));

    // Stake on top of the operator's stake.
    const bonded = (await suite.staking.operatorInfo(who)).bondedTokens;
    const tokensBeforeStake = await token.balanceOf(who);
    await page.fill("#stakeAmount", "250");
    await clickAndWait("#stake");
    await done(/^Staked; your stake is 1,250\.00 DPN\.$/);
    expect((await suite.staking.operatorInfo(who)).bondedTokens).to.equal(bonded + parseEther("250"));
    expect(await token.balanceOf(who)).to.equal(tokensBeforeStake - parseEther("250"));

    // Unbond part of it: the chain holds an unbonding request of that amount.
    await page.fill("#unbondAmount", "50");
    await clickAndWait("#unbond");
    await done(/^Unbonding started\.$/);
    const [requests, amounts] = await suite.stakingLens.unbondRequests(who);
    expect(amounts).to.deep.equal([parseEther("50")]);
    // Shown with its maturity as a date.
    const maturity = requests[0].maturity;
    expect(await page.locator("#unbonding time").getAttribute("datetime")).to.equal(
      new Date(Number(maturity) * 1000).toISOString(),
    );
    expect(spaces(await page.locator("#unbonding li").textContent())).to.equal(
      `Unbonding ${dpn(parseEther("50"))}, withdrawable from ${date(maturity)}.`,
    );
    expect((await suite.staking.operatorInfo(who)).bondedTokens).to.equal(bonded + parseEther("200"));

    // A revert is shown as the decoded custom error.
    await page.fill("#unbondAmount", "100000");
    await clickAndWait("#unbond");
    const message = await page.locator("#error").textContent();
    expect(message).to.equal(
      `InsufficientStake(requested: 100,000 tokens, available: ${formatTokens(bonded + parseEther("200"))})`,
    );
    expect(message).to.not.match(/0x[0-9a-fA-F]{8}/);
    expect((await suite.staking.operatorInfo(who)).bondedTokens).to.equal(bonded + parseEther("200"));
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "operator-dapp-error.png"), fullPage: true });

    // Add the token to the wallet (EIP-747).
    await clickAndWait("#watchToken");
    const watch = calls.filter((c) => c.method === "wallet_watchAsset");
    expect(watch.map((c) => c.params)).to.deep.equal([
      { type: "ERC20", options: { address: await token.getAddress(), symbol: "DPN", decimals: 18 } },
    ]);

    await page.screenshot({ path: path.join(ARTIFACTS, "operator-dapp.png"), fullPage: true });
  });
});
