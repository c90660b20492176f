/**
 * `npm run demo`: the whole life of the network on the in-process chain, printed as a readable
 * summary. Every step goes through the deploy library, the contracts and the epoch pipeline, exactly
 * as the tasks do; only time is advanced by the caller (the in-process chain can travel in time).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { formatEther, parseEther, type Signer } from "ethers";

import { endOf } from "../clock";
import { runSuiteDeploy } from "../deploy/run";
import type { Suite } from "../deploy/suite";
import { runEpoch } from "../epochs/chain";
import { readEpochFile } from "../epochs";
import { claimAll, delegateTo, setUpNetwork, slashOperator, writeSyntheticActivity } from "./scenario";

export interface DemoActors {
  readonly deployer: Signer;
  /** Device owners; the first two are also operators. */
  readonly owners: readonly Signer[];
  readonly delegator: Signer;
}

export interface DemoRequest {
  readonly actors: DemoActors;
  readonly chainId: number;
  readonly paramsFile: string;
  /** Advances the chain to `timestamp` (the in-process chain's `evm_setNextBlockTimestamp` + mine). */
  readonly advanceTo: (timestamp: bigint) => Promise<void>;
  readonly print: (line: string) => void;
  readonly epochs?: number;
}

export interface InvariantCheck {
  readonly name: string;
  readonly holds: boolean;
  readonly detail: string;
}

const tokens = (wei: bigint) => `${Number(formatEther(wei)).toLocaleString("en-US", { maximumFractionDigits: 2 })} DPN`;
const credits = (amount: bigint) => `${amount.toLocaleString("en-US")} DC`;

/** Why a device earned 0, in words (the epoch file's `reason`, docs/epoch-files.md). */
const REASONS: Record<string, string> = {
  "unknown-device": "not in the registry",
  decommissioned: "decommissioned",
  suspended: "suspended",
  "onboarded-late": "onboarded after the epoch ended",
  "no-location": "no asserted location",
  "no-activity": "no activity reported",
  "zero-weight": "no uptime, coverage proofs or data in the activity file",
  "no-stake": "a stake factor of 0: the owner stakes less than the pipeline's minimum per device",
  "rounded-down": "a weight too small to earn a whole wei",
};

export async function runDemo(request: DemoRequest): Promise<{ suite: Suite; checks: InvariantCheck[] }> {
  const { actors, print } = request;
  const epochs = BigInt(request.epochs ?? 3);
  const [alice, bob, carol] = actors.owners;
  const names = new Map<string, string>();
  const introduce = async (signer: Signer, name: string, role: string) => {
    const address = await signer.getAddress();
    names.set(address.toLowerCase(), `${name} (${address.slice(0, 8)}…)`);
    print(`   ${name.padEnd(9)} ${address}  ${role}`);
  };
  /** An account by the name the demo introduced it with. */
  const who = (address: string) => names.get(address.toLowerCase()) ?? address;

  print("The accounts (Hardhat's first five test accounts):");
  await introduce(
    actors.deployer,
    "deployer",
    "deploys the suite; also governance, guardian, the one oracle and the treasury",
  );
  await introduce(alice, "alice", "owns 4 devices; an operator who stakes 4,000 DPN on herself");
  await introduce(bob, "bob", "owns 3 devices; an operator who stakes 1,500 DPN on himself");
  await introduce(carol, "carol", "owns 2 devices and stakes nothing, so her devices earn nothing");
  await introduce(
    actors.delegator,
    "dave",
    "owns no device; delegates 1,000 DPN to bob and shares his stakers' rewards",
  );

  print("1. Deploy the suite (deploy/params/hardhat.json)");
  const { suite, sent, record } = await runSuiteDeploy({
    deployer: actors.deployer,
    chainId: request.chainId,
    paramsFile: request.paramsFile,
    deploymentsDir: tmpdir(),
    persist: false,
    log: () => undefined,
  });
  print(
    `   ${sent} transactions; ${Object.entries(suite.addresses)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );

  print("2-5. Add a maker; buy credits; onboard hotspots, dashcams and sensors for three owners; assert locations");
  const devices = await setUpNetwork(suite, { makerAdmin: actors.deployer, treasury: actors.deployer }, [
    { owner: alice, classes: [0n, 0n, 1n, 2n], selfStake: parseEther("4000") },
    { owner: bob, classes: [1n, 1n, 0n], selfStake: parseEther("1500") },
    { owner: carol, classes: [2n, 2n], selfStake: 0n },
  ]);
  for (const owner of actors.owners) {
    const address = await owner.getAddress();
    print(
      `   ${who(address)}: ${await suite.registry.devicesOf(address)} devices, ${credits(await suite.credits.balanceOf(address))} left after fees`,
    );
  }
  print(
    `   credits minted ${credits(await suite.credits.creditsMinted())} for ${tokens(await suite.credits.tokensBurned())} burned`,
  );

  print("6. Stake and delegate");
  await delegateTo(suite, actors.deployer, actors.delegator, await bob.getAddress(), parseEther("1000"));
  const genesis = await suite.token.genesis();
  const epochLength = await suite.token.epochLength();
  for (const operator of [alice, bob]) {
    const address = await operator.getAddress();
    print(
      `   operator ${who(address)}: ${tokens(await suite.stakingLens.operatorStakeAt(address, endOf({ genesis, epochLength }, 0n)))} at the end of epoch 0`,
    );
  }

  const dir = await mkdtemp(path.join(tmpdir(), "depin-demo-"));
  try {
    return await runEpochsAndFinish(dir);
  } finally {
    // The epoch files were only for this run.
    await rm(dir, { recursive: true, force: true });
  }

  async function runEpochsAndFinish(dir: string): Promise<{ suite: Suite; checks: InvariantCheck[] }> {
    print(
      `7-9. Run ${epochs} epochs of synthetic activity through the pipeline, distribute and claim (files in ${dir}, removed at the end)`,
    );
    let lastFile = "";
    for (let epoch = 0n; epoch < epochs; epoch++) {
      await request.advanceTo(endOf({ genesis, epochLength }, epoch));
      const activity = path.join(dir, `activity-${epoch}.csv`);
      await writeSyntheticActivity(activity, devices, epoch, epochLength);
      const { epochFile, publish } = await runEpoch({
        record,
        oracle: actors.deployer,
        epoch,
        activityFile: activity,
        outDir: dir,
      });
      const file = await readEpochFile(epochFile, { devices: "keep" });
      await request.advanceTo(
        BigInt((await suite.token.runner!.provider!.getBlock("latest"))!.timestamp) +
          (await suite.rewardsLens.challengeWindow()),
      );
      const paid = await claimAll(suite, actors.deployer, file);
      print(
        `   epoch ${epoch}: root ${publish.root.slice(0, 10)}… ${publish.outcome}; ${file.accounts.length} accounts earned ${tokens(file.epochTotal)} of the operators' ${tokens(await suite.rewardsLens.operatorsShareOf(epoch))}; claimed ${tokens(paid)}`,
      );
      // Every owner that earned nothing this epoch, with the epoch file's reason for each of its devices.
      const earned = new Set(file.accounts.filter((a) => a.epochAmount > 0n).map((a) => a.account.toLowerCase()));
      const zero = new Map<string, Map<string, number>>();
      for (const d of file.devices ?? []) {
        if (d.reward !== 0n || d.beneficiary === null || earned.has(d.beneficiary.toLowerCase())) continue;
        const reasons = zero.get(d.beneficiary) ?? new Map<string, number>();
        const reason = d.reason === "zero-weight" && d.stakeFactor === 0n ? "no-stake" : (d.reason ?? "rounded-down");
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        zero.set(d.beneficiary, reasons);
      }
      for (const [account, reasons] of zero) {
        const why = [...reasons].map(([r, n]) => `${n} device${n === 1 ? "" : "s"}: ${REASONS[r] ?? r}`).join("; ");
        print(`     ${who(account)} earned 0 DPN (${why})`);
      }
      lastFile = epochFile;
    }
    for (const staker of [alice, bob, actors.delegator]) {
      const address = await staker.getAddress();
      const claimable = await suite.stakingLens.claimable(address);
      if (claimable > 0n) await (await suite.staking.connect(staker).claimRewards()).wait();
      print(`   staker ${who(address)} claimed ${tokens(claimable)} of staking rewards`);
    }

    print("10. Slash an operator");
    const bobAddress = await bob.getAddress();
    const burned = await slashOperator(suite, actors.deployer, bobAddress, 1_000n, "demo: spoofed coverage");
    print(`   slashed ${who(bobAddress)} by 10% for spoofed coverage: ${tokens(burned)} burned`);

    print("11. Final balances and invariants");
    for (const account of [...actors.owners, actors.delegator]) {
      const address = await account.getAddress();
      print(
        `   ${who(address)}: ${tokens(await suite.token.balanceOf(address))}, ${credits(await suite.credits.balanceOf(address))}`,
      );
    }
    const operators = [await alice.getAddress(), await bob.getAddress()];
    const checks = await checkInvariants(suite, await readEpochFile(lastFile), operators);
    for (const check of checks) print(`   ${check.holds ? "ok  " : "FAIL"} ${check.name}: ${check.detail}`);
    return { suite, checks };
  }
}

/** PROTOCOL.md's invariants that the chain's views can check at any moment. */
export async function checkInvariants(
  suite: Suite,
  lastFile: { accounts: readonly { account: string }[] },
  operators: readonly string[],
): Promise<InvariantCheck[]> {
  const { token, credits, staking, distributor, rewardsLens } = suite;
  const supply = await token.totalSupply();
  const cap = await token.cap();
  const minted = await token.emissionMinted();
  const budget = await token.emissionBudget();
  const [exists, epoch, , totalCumulative] = await rewardsLens.latestClaimable();
  let claimed = 0n;
  for (const { account } of lastFile.accounts) claimed += await rewardsLens.claimed(account);
  const owed = exists ? totalCumulative - claimed : 0n;
  const distributorBalance = await token.balanceOf(await distributor.getAddress());
  const operatorsEmission = exists
    ? (await Promise.all(Array.from({ length: Number(epoch) + 1 }, (_, e) => rewardsLens.operatorsShareOf(e)))).reduce(
        (a, b) => a + b,
        0n,
      )
    : 0n;
  let bonded = 0n;
  for (const operator of operators) bonded += (await staking.operatorInfo(operator)).bondedTokens;
  const stakeHeld = bonded + (await staking.totalUnbonding()) + (await staking.rewardReserve());
  const stakingBalance = await token.balanceOf(await staking.getAddress());
  return [
    { name: "total supply ≤ cap", holds: supply <= cap, detail: `${tokens(supply)} ≤ ${tokens(cap)}` },
    {
      name: "minted through emission ≤ emission of ended epochs",
      holds: minted <= budget,
      detail: `${tokens(minted)} ≤ ${tokens(budget)}`,
    },
    {
      name: "distributor balance ≥ claimable total − claimed",
      holds: distributorBalance >= owed,
      detail: `${tokens(distributorBalance)} ≥ ${tokens(owed)}`,
    },
    {
      name: "Σ claimed ≤ claimable total ≤ operators' emission",
      holds: claimed <= totalCumulative && totalCumulative <= operatorsEmission,
      detail: `${tokens(claimed)} ≤ ${tokens(totalCumulative)} ≤ ${tokens(operatorsEmission)}`,
    },
    {
      name: "credits in existence = minted − burned",
      holds: (await credits.totalSupply()) === (await credits.creditsMinted()) - (await credits.creditsBurned()),
      detail: `${(await credits.totalSupply()).toLocaleString("en-US")} DC`,
    },
    {
      name: "Staking holds its active stake, unbonding stake and reward reserve",
      holds: stakingBalance >= stakeHeld,
      detail: `${tokens(stakingBalance)} ≥ ${tokens(stakeHeld)}`,
    },
  ];
}
