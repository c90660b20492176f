/**
 * The life of a small network, as steps that the demo (`npm run demo`) and the end-to-end test share:
 * makers and devices, credits, locations, stake, synthetic activity, epochs through the real pipeline,
 * claims and a slash. Every step goes through the contracts' public functions and the typed library.
 */
import { writeFile } from "node:fs/promises";

import { MaxUint256, Wallet, ZeroAddress, id, keccak256, toUtf8Bytes, type Signer } from "ethers";

import type { Suite } from "../deploy/suite";
import { proofFor, type EpochFile } from "../epochs";
import { addMaker, buildOnboardRequest, registryDomain, tokenIdOf } from "../registry";

/** One device of the scenario: its key, class and owner. */
export interface ScenarioDevice {
  readonly key: Wallet;
  readonly deviceClass: bigint;
  readonly owner: Signer;
}

export interface OwnerPlan {
  readonly owner: Signer;
  /** Device classes to onboard for this owner, one entry per device. */
  readonly classes: readonly bigint[];
  /** Tokens to self-stake as an operator (0: not an operator). */
  readonly selfStake: bigint;
}

/** A deterministic device key for the scenario. */
export function scenarioDeviceKey(label: string, index: number): Wallet {
  return new Wallet(id(`depin.scenario.${label}.${index}`));
}

/** A valid resolution-9 H3 cell per index (the base cell and digits vary; every digit past 9 is 7). */
export function scenarioCell(index: number): bigint {
  const resolution = 9n;
  const baseCell = BigInt(index % 122);
  let cell = (1n << 59n) | (resolution << 52n) | (baseCell << 45n);
  for (let digit = 1n; digit <= 15n; digit++) {
    const value = digit <= resolution ? BigInt((index + Number(digit)) % 7) : 7n;
    cell |= value << ((15n - digit) * 3n);
  }
  return cell;
}

/**
 * Adds a maker (`makerAdmin` holds MAKER_ADMIN), has `treasury` buy every owner's credits, onboards
 * each owner's devices with the maker's attestation and the device's signature, asserts every
 * location, and registers and stakes the operators (`treasury` funds their tokens).
 */
export async function setUpNetwork(
  suite: Suite,
  actors: { readonly makerAdmin: Signer; readonly treasury: Signer },
  plans: readonly OwnerPlan[],
  label = "demo",
): Promise<ScenarioDevice[]> {
  const { registry, credits, token, staking } = suite;
  const maker = scenarioDeviceKey(`${label}.maker`, 0);
  const classCount = Number(await registry.deviceClassCount());
  const { makerId } = await addMaker(registry.connect(actors.makerAdmin), {
    name: "Demo Devices Inc.",
    signer: maker.address,
    sponsor: ZeroAddress,
    classes: Array.from({ length: classCount }, (_, i) => BigInt(i)),
    quota: 0n,
  });

  const creditsAddress = await credits.getAddress();
  await (await token.connect(actors.treasury).approve(creditsAddress, MaxUint256)).wait();
  const { chainId } = await registry.runner!.provider!.getNetwork();
  const domain = registryDomain(chainId, await registry.getAddress());
  const latest = await registry.runner!.provider!.getBlock("latest");
  const deadline = BigInt(latest!.timestamp) + 86_400n;

  const devices: ScenarioDevice[] = [];
  let index = 0;
  for (const plan of plans) {
    const owner = await plan.owner.getAddress();
    // $1,000 of credits each: enough for every fee of the plan.
    await (await credits.connect(actors.treasury).mintExactCredits(owner, 100_000_000n, MaxUint256)).wait();
    for (const deviceClass of plan.classes) {
      const key = scenarioDeviceKey(label, index);
      const request = await buildOnboardRequest({
        domain,
        maker,
        makerId,
        device: key,
        deviceClass,
        owner,
        nonce: 0n,
        deadline,
      });
      await (await registry.connect(plan.owner).onboard(request)).wait();
      await (await registry.connect(plan.owner).assertLocation(tokenIdOf(key.address), scenarioCell(index))).wait();
      devices.push({ key, deviceClass, owner: plan.owner });
      index += 1;
    }
    if (plan.selfStake > 0n) {
      await (await token.connect(actors.treasury).transfer(owner, plan.selfStake)).wait();
      await (await token.connect(plan.owner).approve(await staking.getAddress(), MaxUint256)).wait();
      await (await staking.connect(plan.owner).registerOperator(1_000)).wait();
      await (await staking.connect(plan.owner).stake(plan.selfStake)).wait();
    }
  }
  return devices;
}

/** Has `delegator` (funded by `treasury`) delegate `amount` tokens to `operator`. */
export async function delegateTo(suite: Suite, treasury: Signer, delegator: Signer, operator: string, amount: bigint) {
  await (await suite.token.connect(treasury).transfer(await delegator.getAddress(), amount)).wait();
  await (await suite.token.connect(delegator).approve(await suite.staking.getAddress(), MaxUint256)).wait();
  await (await suite.staking.connect(delegator).delegate(operator, amount)).wait();
}

/**
 * Writes a deterministic activity CSV for `devices` in `epoch`: skewed uptime, coverage and data,
 * with every seventh device silent (left out of the file).
 */
export async function writeSyntheticActivity(
  file: string,
  devices: readonly ScenarioDevice[],
  epoch: bigint,
  epochLength: bigint,
) {
  const lines = ["device,uptime_seconds,coverage_proofs,data_bytes"];
  devices.forEach((device, i) => {
    const seed = BigInt(keccak256(toUtf8Bytes(`${device.key.address}:${epoch}`)));
    if ((i + Number(epoch)) % 7 === 6) return;
    const uptime = epochLength - (seed % (epochLength / 4n));
    const proofs = (seed >> 16n) % 130n;
    const bytes = ((seed >> 32n) % 5_000_000n) * BigInt(1 + (i % 3));
    lines.push(`${device.key.address},${uptime},${proofs},${bytes}`);
  });
  await writeFile(file, lines.join("\n") + "\n");
}

/** Claims every account of an epoch file through `claim` (anyone may submit; tokens go to the account). */
export async function claimAll(suite: Suite, submitter: Signer, file: EpochFile): Promise<bigint> {
  let paid = 0n;
  for (const { account } of file.accounts) {
    const { cumulativeAmount, proof } = await proofFor(file, account);
    const before = await suite.rewardsLens.claimed(account);
    await (await suite.distributor.connect(submitter).claim(account, cumulativeAmount, [...proof])).wait();
    paid += (await suite.rewardsLens.claimed(account)) - before;
  }
  return paid;
}

/** Slashes `operator` by `bps` (the caller holds SLASHER) with an evidence hash; returns what was burned. */
export async function slashOperator(suite: Suite, slasher: Signer, operator: string, bps: bigint, evidence: string) {
  const supplyBefore = await suite.token.totalSupply();
  await (await suite.staking.connect(slasher).slash(operator, bps, id(evidence))).wait();
  return supplyBefore - (await suite.token.totalSupply());
}
