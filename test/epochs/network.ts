import { parseEther } from "ethers";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { paramsToJson } from "../../scripts/lib/deploy";
import { writeDeployment, type DeploymentRecord } from "../../scripts/lib/deployments";
import { delegateTo, setUpNetwork, writeSyntheticActivity } from "../../scripts/lib/demo/scenario";
import { deploySuiteFixture } from "../fixtures/suite";

/**
 * The deployed suite (`deploy/params/hardhat.json`: the deployer is the one oracle, epochs of a day,
 * a 60 s challenge window) with three owners, devices of the three classes, credits, locations and
 * stake, and its deployment record (params included, as `suite:deploy` writes it).
 */
export async function withNetworkFixture() {
  const s = await deploySuiteFixture();
  const devices = await setUpNetwork(s, { makerAdmin: s.deployer, treasury: s.deployer }, [
    { owner: s.alice, classes: [0n, 1n, 2n, 0n], selfStake: parseEther("4000") },
    { owner: s.bob, classes: [1n, 1n], selfStake: parseEther("500") },
    { owner: s.carol, classes: [2n, 0n], selfStake: 0n },
  ]);
  await delegateTo(s, s.deployer, s.stranger, s.bob.address, parseEther("700"));
  const record: DeploymentRecord = {
    chainId: Number(s.chainId),
    block: 0,
    contracts: s.addresses,
    params: paramsToJson(s.params),
  };
  return { ...s, devices, record };
}

export type Network = Awaited<ReturnType<typeof withNetworkFixture>>;

/** A fresh folder holding the network's deployment record, for the tasks' `--deployments`. */
export function deploymentsDir(s: Network): string {
  const dir = mkdtempSync(path.join(tmpdir(), "epoch-deployments-"));
  writeDeployment(dir, s.record);
  return dir;
}

/** Writes `activity-<E>.csv` (the network's synthetic activity) for each epoch in `[from, through]` into `dir`. */
export async function writeActivities(s: Network, dir: string, from: bigint, through: bigint): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let e = from; e <= through; e++) {
    await writeSyntheticActivity(path.join(dir, `activity-${e}.csv`), s.devices, e, s.params.token.epochLength);
  }
}

/** The end of epoch `epoch`. */
export function endOf(s: Network, epoch: bigint): bigint {
  return s.params.token.genesis + (epoch + 1n) * s.params.token.epochLength;
}
