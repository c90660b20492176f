import { Signature, type Signer } from "ethers";

import type { DataCredits, GovernedPriceFeed, RewardToken } from "../../../typechain-types";
import { formatBps, formatCredits, formatDate, formatDuration, formatTokens, formatUsd } from "../format";
import { QuoteError, creditsForTokens, tokensForCredits, withinDeviation, withinWindow } from "./quote";

export * from "./quote";

/** A validated price, as DataCredits reads it. */
export interface CreditsPrice {
  readonly answer: bigint;
  readonly decimals: number;
}

/** What one account holds. */
export interface CreditsBalance {
  readonly credits: bigint;
  readonly tokens: bigint;
  /** Credits in escrow per router asked for. */
  readonly escrow: Readonly<Record<string, bigint>>;
}

/** The price DataCredits would use now; rejects as a mint would (stale, bad round, sequencer down). */
export async function readPrice(credits: DataCredits): Promise<CreditsPrice> {
  const price = await credits.price();
  return { answer: price.answer, decimals: Number(price.decimals) };
}

/** Quotes both ways at the current price, with the contract's rounding (credits down, tokens up). */
export async function quote(
  credits: DataCredits,
  amount: { tokens: bigint } | { credits: bigint },
): Promise<{ tokens: bigint; credits: bigint; price: CreditsPrice }> {
  const price = await readPrice(credits);
  if ("tokens" in amount) {
    return { tokens: amount.tokens, credits: creditsForTokens(amount.tokens, price.answer, price.decimals), price };
  }
  return { credits: amount.credits, tokens: tokensForCredits(amount.credits, price.answer, price.decimals), price };
}

/** The EIP-712 types of an EIP-2612 permit. */
export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** Signs an EIP-2612 permit of `value` tokens for `spender`, valid until `deadline`. */
export async function signTokenPermit(
  token: RewardToken,
  owner: Signer,
  spender: string,
  value: bigint,
  deadline: bigint,
): Promise<Signature> {
  const ownerAddress = await owner.getAddress();
  const [domain, nonce] = await Promise.all([token.eip712Domain(), token.nonces(ownerAddress)]);
  const signature = await owner.signTypedData(
    {
      name: domain.name,
      version: domain.version,
      chainId: domain.chainId,
      verifyingContract: domain.verifyingContract,
    },
    PERMIT_TYPES,
    { owner: ownerAddress, spender, value, nonce, deadline },
  );
  return Signature.from(signature);
}

export interface MintRequest {
  /** Receives the credits. */
  readonly to: string;
  /** Tokens (wei) to burn. */
  readonly tokens: bigint;
  /** The fewest credits accepted; by default the quote at the current price. */
  readonly minCredits?: bigint;
  /** Unix time after which the permit is void. */
  readonly deadline: bigint;
}

/**
 * Mints credits for `request.to` by burning the buyer's tokens in one transaction (permit + mint).
 * Returns the credits minted, read from the `CreditsMinted` event.
 */
export async function mintWithPermit(
  credits: DataCredits,
  token: RewardToken,
  buyer: Signer,
  request: MintRequest,
): Promise<{ credits: bigint; hash: string }> {
  if (request.tokens <= 0n) throw new QuoteError("token amount must be positive");
  const minCredits = request.minCredits ?? (await quote(credits, { tokens: request.tokens })).credits;
  if (minCredits === 0n) throw new QuoteError(`${formatTokens(request.tokens)} buy no credit at the current price`);
  const spender = await credits.getAddress();
  const sig = await signTokenPermit(token, buyer, spender, request.tokens, request.deadline);
  const tx = await credits
    .connect(buyer)
    .mintWithTokensPermit(request.to, request.tokens, minCredits, request.deadline, sig.v, sig.r, sig.s);
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("mint transaction was not mined");
  for (const log of receipt.logs) {
    const parsed = credits.interface.parseLog(log);
    if (parsed?.name === "CreditsMinted") return { credits: parsed.args.credits as bigint, hash: tx.hash };
  }
  throw new Error("the mint emitted no CreditsMinted event");
}

/** Moves `amount` of the payer's credits into escrow for `router`. Checks the balance first. */
export async function delegateCredits(
  credits: DataCredits,
  payer: Signer,
  router: string,
  amount: bigint,
): Promise<{ escrow: bigint; hash: string }> {
  if (amount <= 0n) throw new QuoteError("amount must be positive");
  const payerAddress = await payer.getAddress();
  const [balance, registered] = await Promise.all([credits.balanceOf(payerAddress), credits.isRouter(router)]);
  if (!registered) throw new QuoteError(`${router} is not a registered router`);
  if (balance < amount)
    throw new QuoteError(`${payerAddress} holds ${formatCredits(balance)}, fewer than ${formatCredits(amount)}`);
  const tx = await credits.connect(payer).delegate(router, amount);
  await tx.wait();
  return { escrow: await credits.escrowOf(payerAddress, router), hash: tx.hash };
}

/** The spendable credits, the tokens and the escrow with each of `routers` of `account`. */
export async function readBalances(
  credits: DataCredits,
  token: RewardToken,
  account: string,
  routers: readonly string[] = [],
): Promise<CreditsBalance> {
  const [creditBalance, tokens, ...escrows] = await Promise.all([
    credits.balanceOf(account),
    token.balanceOf(account),
    ...routers.map((router) => credits.escrowOf(account, router)),
  ]);
  const escrow: Record<string, bigint> = {};
  routers.forEach((router, i) => (escrow[router] = escrows[i]));
  return { credits: creditBalance, tokens, escrow };
}

/**
 * Posts `answer` to the governed feed as the ORACLE. Checks the feed's bounds first and fails with a
 * one-line reason instead of a revert. Returns the new round id.
 */
export async function setGovernedPrice(
  feed: GovernedPriceFeed,
  oracle: Signer,
  answer: bigint,
  now: bigint,
): Promise<{ roundId: bigint; hash: string }> {
  if (answer <= 0n) throw new QuoteError("price must be positive");
  const [round, maxDeviationBps, minInterval, window, range, decimals] = await Promise.all([
    feed.latestRoundData(),
    feed.maxDeviationBps(),
    feed.minInterval(),
    feed.maxWindowMove(),
    feed.windowRange(),
    feed.decimals(),
  ]);
  const usd = (value: bigint) => formatUsd(value, Number(decimals));
  if (now < round.updatedAt + minInterval) {
    throw new QuoteError(
      `the feed accepts its next update from ${formatDate(round.updatedAt + minInterval)} (the chain is at ${formatDate(now)})`,
    );
  }
  if (!withinDeviation(round.answer, answer, maxDeviationBps)) {
    throw new QuoteError(
      `${usd(answer)} moves the price from ${usd(round.answer)} by more than ${formatBps(maxDeviationBps)}`,
    );
  }
  // The range as of the latest block: a later block can only narrow it, so this check errs on the safe side.
  if (!withinWindow(range.low, range.high, answer, window.maxWindowMoveBps)) {
    throw new QuoteError(
      `${usd(answer)} takes the window's prices (${usd(range.low)} to ${usd(range.high)}) more than ` +
        `${formatBps(window.maxWindowMoveBps)} apart (window ${formatDuration(window.moveWindow)})`,
    );
  }
  const tx = await feed.connect(oracle).updateAnswer(answer);
  await tx.wait();
  return { roundId: await feed.latestRound(), hash: tx.hash };
}
