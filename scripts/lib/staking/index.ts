import { getAddress, isAddress, parseUnits, type ContractTransactionReceipt, type Signer } from "ethers";

import { RewardToken__factory, type Staking, type StakingLens } from "../../../typechain-types";
import { formatBps, formatDate, formatTokens } from "../format";
import { UserError } from "../errors";

/**
 * The typed library behind the `staking:*` tasks: it validates inputs, moves tokens with the
 * approvals it needs and reads what an operator or delegator wants to know. It reads no argv and no
 * env; tests and tasks both call it.
 */

export class StakingInputError extends UserError {
  override readonly name = "StakingInputError";
}

/** Parses a token amount in whole tokens ("1500", "0.25") into wei; it must be positive. */
export function parseTokenAmount(raw: string): bigint {
  let amount: bigint;
  try {
    amount = parseUnits(raw.trim(), 18);
  } catch {
    throw new StakingInputError(`"${raw}" is not a token amount`);
  }
  if (amount <= 0n) throw new StakingInputError(`the amount must be positive, got "${raw}"`);
  return amount;
}

/** Parses a commission in basis points, 0 to 10,000. */
export function parseCommissionBps(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value > 10_000) {
    throw new StakingInputError(`the commission must be 0..10000 basis points, got "${raw}"`);
  }
  return value;
}

/** Checks and checksums an address. */
export function parseAddress(raw: string, what: string): string {
  if (!isAddress(raw)) throw new StakingInputError(`${what} "${raw}" is not an address`);
  return getAddress(raw);
}

async function mined(tx: Promise<{ wait(): Promise<ContractTransactionReceipt | null> }>) {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("the transaction was not mined");
  return receipt;
}

/** Approves Staking for `amount` when the allowance is short. */
async function ensureAllowance(staking: Staking, signer: Signer, amount: bigint): Promise<void> {
  const token = RewardToken__factory.connect(await staking.token(), signer);
  const owner = await signer.getAddress();
  const spender = await staking.getAddress();
  const balance = await token.balanceOf(owner);
  if (balance < amount) {
    throw new StakingInputError(`${owner} holds ${formatTokens(balance)}, less than ${formatTokens(amount)}`);
  }
  if ((await token.allowance(owner, spender)) < amount) await mined(token.approve(spender, amount));
}

function eventArg(staking: Staking, receipt: ContractTransactionReceipt, event: string, arg: string): bigint {
  for (const log of receipt.logs) {
    const parsed = staking.interface.parseLog(log);
    if (parsed?.name === event) return parsed.args.getValue(arg) as bigint;
  }
  throw new Error(`no ${event} event in ${receipt.hash}`);
}

export async function registerOperator(staking: Staking, signer: Signer, commissionBps: number): Promise<string> {
  return (await mined(staking.connect(signer).registerOperator(commissionBps))).hash;
}

/** An operator's self-stake of `amount` wei. */
export async function stake(staking: Staking, signer: Signer, amount: bigint): Promise<string> {
  await ensureAllowance(staking, signer, amount);
  return (await mined(staking.connect(signer).stake(amount))).hash;
}

export async function delegate(staking: Staking, signer: Signer, operator: string, amount: bigint): Promise<string> {
  await ensureAllowance(staking, signer, amount);
  return (await mined(staking.connect(signer).delegate(operator, amount))).hash;
}

export async function unbond(staking: Staking, signer: Signer, amount: bigint): Promise<string> {
  return (await mined(staking.connect(signer).unbond(amount))).hash;
}

/** Withdraws every matured unbond request; returns the amount paid. */
export async function withdraw(staking: Staking, signer: Signer): Promise<bigint> {
  return eventArg(staking, await mined(staking.connect(signer).withdraw()), "Withdrawn", "amount");
}

/** Claims the rewards (and an operator's commission); returns the amount paid. */
export async function claim(staking: Staking, signer: Signer): Promise<bigint> {
  return eventArg(staking, await mined(staking.connect(signer).claimRewards()), "RewardsClaimed", "amount");
}

export interface StakingInfo {
  readonly account: string;
  /** The operator the account's position points at (itself for an operator), or null. */
  readonly operator: string | null;
  readonly isOperator: boolean;
  readonly stake: bigint;
  readonly claimable: bigint;
  readonly unbonding: readonly { readonly amount: bigint; readonly maturity: bigint }[];
  /** The operator's pool when the account is an operator. */
  readonly operatorPool?: { readonly commissionBps: bigint; readonly bonded: bigint; readonly unbonding: bigint };
  readonly nextRewardEpoch: bigint;
  readonly paused: boolean;
}

/**
 * Everything an operator or a delegator wants to know about its stake, in one read: Staking's own
 * views, and `lens` (its `StakingLens`) for the claimable amount and the unbond requests.
 */
export async function stakingInfo(staking: Staking, lens: StakingLens, account: string): Promise<StakingInfo> {
  const [operator] = await staking.positionOf(account);
  const hasOperator = operator !== "0x0000000000000000000000000000000000000000";
  const isOperator = hasOperator && operator === getAddress(account);
  const [requests, amounts] = await lens.unbondRequests(account);
  const info: StakingInfo = {
    account: getAddress(account),
    operator: hasOperator ? operator : null,
    isOperator,
    stake: hasOperator ? await staking.stakeOf(account, operator) : 0n,
    claimable: await lens.claimable(account),
    unbonding: requests.map((r, i) => ({ amount: amounts[i], maturity: r.maturity })),
    nextRewardEpoch: await staking.nextRewardEpoch(),
    paused: await staking.paused(),
  };
  if (!isOperator) return info;
  const pool = await staking.operatorInfo(account);
  return {
    ...info,
    operatorPool: { commissionBps: pool.commissionBps, bonded: pool.bondedTokens, unbonding: pool.unbondingTokens },
  };
}

/** A rendering of `stakingInfo` for people: amounts in tokens, maturities as dates. */
export function formatStakingInfo(info: StakingInfo): string {
  const lines = [
    `account            ${info.account}`,
    `operator           ${info.operator ?? "-"}${info.isOperator ? " (self)" : ""}`,
    `stake              ${formatTokens(info.stake)}`,
    `claimable          ${formatTokens(info.claimable)}`,
    `next reward epoch  ${info.nextRewardEpoch}`,
    `paused             ${info.paused}`,
  ];
  for (const u of info.unbonding) {
    lines.push(`unbonding          ${formatTokens(u.amount)} (matures at ${formatDate(u.maturity)})`);
  }
  if (info.operatorPool !== undefined) {
    lines.push(`commission         ${formatBps(info.operatorPool.commissionBps)}`);
    lines.push(`pool bonded        ${formatTokens(info.operatorPool.bonded)}`);
    lines.push(`pool unbonding     ${formatTokens(info.operatorPool.unbonding)}`);
  }
  return lines.join("\n");
}
