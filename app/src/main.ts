/**
 * The operator dApp: one page over any EIP-1193 wallet (`window.ethereum`), built on the SDK's
 * browser entry. It reads the deployment record of the wallet's chain from `./deployments/` and the
 * epoch files from `./epochs/` (or the `deployments` and `epochs` query parameters), and shows every
 * contract error as the decoded custom error, never as hex.
 */
import { BrowserProvider, getAddress, parseEther, type Eip1193Provider, type JsonRpcSigner } from "ethers";

import {
  buyCreditsWithPermit,
  claimRewards,
  claimStatus,
  connectSuite,
  delegateTo,
  describeError,
  devicesOf,
  endOf,
  fetchEpochClaim,
  quoteCredits,
  stakeAsOperator,
  stakingInfo,
  suiteTokens,
  unbondStake,
  watchAssetRequest,
  type EpochClaim,
  type SuiteContracts,
  type TokenInfo,
} from "../../scripts/lib/sdk/browser";

import { formatAmount, formatTokens, timeElement } from "./format";

declare global {
  interface Window {
    ethereum?: Eip1193Provider & { on?(event: string, listener: (...args: unknown[]) => void): void };
  }
}

const query = new URLSearchParams(location.search);
const DEPLOYMENTS = query.get("deployments") ?? new URL("deployments", location.href).href;
const EPOCHS = query.get("epochs") ?? new URL("epochs", location.href).href;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`no #${id}`);
  return element as T;
};
const input = (id: string): string => $<HTMLInputElement>(id).value.trim();

interface Session {
  readonly provider: BrowserProvider;
  readonly signer: JsonRpcSigner;
  readonly account: string;
  readonly suite: SuiteContracts;
  /** The reward token and the data credits, as the chain names them (symbol, decimals). */
  readonly token: TokenInfo;
  readonly credits: TokenInfo;
  /** The epoch clock, to show when an epoch ended. */
  readonly genesis: bigint;
  readonly epochLength: bigint;
  claim: EpochClaim | null;
}
let session: Session | undefined;

function status(text: string): void {
  $("status").textContent = text;
}

function showError(error: unknown): void {
  const box = $("error");
  box.textContent = describeError(error);
  box.hidden = false;
}

/** Runs one user action: clears the error, disables the buttons, reports failures decoded. */
async function action(label: string, run: () => Promise<string | void>): Promise<void> {
  const buttons = [...document.querySelectorAll("button")];
  buttons.forEach((b) => (b.disabled = true));
  $("error").hidden = true;
  document.body.dataset.busy = "true";
  status(`${label}…`);
  try {
    const done = await run();
    status(done ?? `${label}: done.`);
  } catch (error) {
    showError(error);
    status(`${label}: failed.`);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
    if (session !== undefined) await refreshClaim(session).catch(showError);
    delete document.body.dataset.busy;
  }
}

/** A reward-token amount as the page shows every one: `1,250.00 DPN`. */
function tokens(amount: bigint): string {
  const { symbol, decimals } = need().token;
  return formatTokens(amount, symbol, decimals);
}

/** A credit amount: `5,000,000 DC`. */
function credits(amount: bigint): string {
  const { symbol, decimals } = need().credits;
  return formatTokens(amount, symbol, decimals);
}

async function refresh(s: Session): Promise<void> {
  const network = await s.provider.getNetwork();
  $("network").textContent = `${network.name === "unknown" ? "chain" : network.name} ${network.chainId}`;
  $("account").textContent = s.account;
  const [tokenBalance, creditBalance, staking, devices] = await Promise.all([
    s.suite.token.balanceOf(s.account),
    s.suite.credits.balanceOf(s.account),
    stakingInfo(s.suite, s.account),
    devicesOf(s.suite, s.account),
  ]);
  $("tokenBalance").textContent = tokens(tokenBalance);
  $("tokenBalance").dataset.amount = tokenBalance.toString();
  $("creditBalance").textContent = credits(creditBalance);
  $("creditBalance").dataset.amount = creditBalance.toString();
  $("stakeInfo").textContent =
    staking.operator === null
      ? "Not staked."
      : `Staked ${tokens(staking.stake)} ${staking.isOperator ? "as an operator" : `with ${staking.operator}`}` +
        `, staking rewards ${tokens(staking.claimable)}.`;
  $("stakeInfo").dataset.stake = staking.stake.toString();
  $("unbonding").replaceChildren(
    ...staking.unbonding.map((u) => {
      const item = document.createElement("li");
      item.dataset.amount = u.amount.toString();
      item.append(`Unbonding ${tokens(u.amount)}, withdrawable from `, timeElement(u.maturity), ".");
      return item;
    }),
  );
  const body = $("devices").querySelector("tbody")!;
  body.replaceChildren(
    ...devices.map((d) => {
      const row = document.createElement("tr");
      for (const text of [d.device, d.className, d.statusName, d.h3Cell ?? "no location"]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }),
  );
  if (devices.length === 0) body.innerHTML = "<tr><td colspan=4>No devices.</td></tr>";
  await refreshClaim(s);
}

/** Loads the epoch file (the one typed in, else the latest claimable epoch's) and shows what is due. */
async function loadClaim(s: Session): Promise<void> {
  let url = input("epochUrl");
  if (url === "") {
    const latest = await s.suite.rewardsLens.latestClaimable();
    if (!latest.exists) {
      s.claim = null;
      $("epochInfo").textContent = "(no epoch is claimable yet)";
      return;
    }
    url = `${EPOCHS}/epoch-${latest.epoch}.json`;
  }
  s.claim = await fetchEpochClaim(url, s.account);
  if (s.claim === null) {
    $("epochInfo").textContent = "(nothing for this account)";
    return;
  }
  const ended = endOf({ genesis: s.genesis, epochLength: s.epochLength }, s.claim.epoch);
  $("epochInfo").replaceChildren(`(epoch ${s.claim.epoch}, ended `, timeElement(ended), ")");
}

async function refreshClaim(s: Session): Promise<void> {
  if (s.claim === null || s.claim === undefined) {
    $("claimable").textContent = tokens(0n);
    $("claim").toggleAttribute("disabled", true);
    return;
  }
  const state = await claimStatus(s.suite, s.claim);
  $("claimable").textContent = tokens(state.due);
  $("claimable").dataset.due = state.due.toString();
  if (!state.current) $("epochInfo").textContent = `(epoch ${s.claim.epoch} is not the latest claimable root)`;
  $("claim").toggleAttribute("disabled", state.due === 0n);
}

async function connect(): Promise<string> {
  const ethereum = window.ethereum;
  if (ethereum === undefined) throw new Error("no wallet: install an EIP-1193 wallet extension");
  await ethereum.request({ method: "eth_requestAccounts" });
  const provider = new BrowserProvider(ethereum, undefined, { pollingInterval: 1000 });
  const signer = await provider.getSigner();
  const account = getAddress(await signer.getAddress());
  const suite = await connectSuite(signer, undefined, DEPLOYMENTS);
  const [[token, credits], genesis, epochLength] = await Promise.all([
    suiteTokens(suite),
    suite.token.genesis(),
    suite.token.epochLength(),
  ]);
  session = { provider, signer, account, suite, token, credits, genesis, epochLength, claim: null };
  $("main").hidden = false;
  $("connect").textContent = "Connected";
  ethereum.on?.("accountsChanged", () => location.reload());
  ethereum.on?.("chainChanged", () => location.reload());
  await loadClaim(session).catch(showError);
  await refresh(session);
  await updateQuote();
  return `Connected to ${account}.`;
}

async function updateQuote(): Promise<void> {
  if (session === undefined) return;
  try {
    const quoted = await quoteCredits(session.suite, parseEther(input("buyAmount")));
    $("buyQuote").textContent = formatAmount(quoted, session.credits.decimals);
  } catch {
    $("buyQuote").textContent = "–";
  }
}

function need(): Session {
  if (session === undefined) throw new Error("connect a wallet first");
  return session;
}

$("connect").addEventListener("click", () => void action("Connecting", connect));

$("watchToken").addEventListener(
  "click",
  () =>
    void action("Adding the token to the wallet", async () => {
      const s = need();
      const [token] = await suiteTokens(s.suite);
      const request = watchAssetRequest(token);
      const added = await window.ethereum!.request(request);
      return added === true ? `${token.symbol} added to the wallet.` : "The wallet declined the token.";
    }),
);

$("loadEpoch").addEventListener(
  "click",
  () =>
    void action("Loading the epoch file", async () => {
      await loadClaim(need());
    }),
);

$("claim").addEventListener(
  "click",
  () =>
    void action("Claiming rewards", async () => {
      const s = need();
      if (s.claim === null) throw new Error("no epoch file with a claim for this account is loaded");
      const { paid } = await claimRewards(s.suite, s.signer, s.claim);
      await refresh(s);
      return `Claimed ${tokens(paid)}.`;
    }),
);

$("buyAmount").addEventListener("input", () => void updateQuote());
$("buy").addEventListener(
  "click",
  () =>
    void action("Buying credits", async () => {
      const s = need();
      const bought = await buyCreditsWithPermit(s.suite, s.signer, { tokens: parseEther(input("buyAmount")) });
      await refresh(s);
      return `Bought ${credits(bought.credits)}.`;
    }),
);

$("stake").addEventListener(
  "click",
  () =>
    void action("Staking", async () => {
      const s = need();
      const info = await stakeAsOperator(s.suite, s.signer, parseEther(input("stakeAmount")));
      await refresh(s);
      return `Staked; your stake is ${tokens(info.stake)}.`;
    }),
);

$("delegate").addEventListener(
  "click",
  () =>
    void action("Delegating", async () => {
      const s = need();
      const info = await delegateTo(s.suite, s.signer, input("delegateOperator"), parseEther(input("delegateAmount")));
      await refresh(s);
      return `Delegated; your stake is ${tokens(info.stake)}.`;
    }),
);

$("unbond").addEventListener(
  "click",
  () =>
    void action("Unbonding", async () => {
      const s = need();
      await unbondStake(s.suite, s.signer, parseEther(input("unbondAmount")));
      await refresh(s);
      return "Unbonding started.";
    }),
);
