import { time } from "@nomicfoundation/hardhat-network-helpers";
import { MaxUint256, Wallet, ZeroAddress, id } from "ethers";
import { ethers } from "hardhat";
import path from "node:path";

import { deploySuite, loadSuiteParams } from "../../scripts/lib/deploy";
import { addMaker, buildOnboardRequest, registryDomain, tokenIdOf } from "../../scripts/lib/registry";
import { gasOf, type GasBench } from "../lib";

/**
 * DeviceRegistry, in the suite as `suite:deploy` deploys it: one onboarding (maker attestation, device
 * signature, fee burn through the real DataCredits and its FEE_BURNER check, mint to an owner with no
 * device yet), a batch of 50 to one owner (per device), and a first location assertion.
 */
const bench: GasBench = async () => {
  const [deployer, alice, bob, carol] = await ethers.getSigners();
  const params = loadSuiteParams(path.join(__dirname, "..", "..", "deploy", "params", "hardhat.json"), {
    deployer: deployer.address,
    now: BigInt(await time.latest()),
  }).params;
  const { registry, credits, token } = await deploySuite(deployer, params);
  const maker = new Wallet(id("bench.maker"));
  const { makerId } = await addMaker(registry.connect(deployer), {
    name: "Bench",
    signer: maker.address,
    sponsor: ZeroAddress,
    classes: [0n],
    quota: 0n,
  });
  // The deployer is the treasury of the hardhat params: it buys each owner's credits.
  await token.approve(await credits.getAddress(), MaxUint256);
  for (const who of [alice, bob, carol]) await credits.mintExactCredits(who.address, 10n ** 10n, MaxUint256);

  const { chainId } = await ethers.provider.getNetwork();
  const domain = registryDomain(chainId, await registry.getAddress());
  const deadline = BigInt(await time.latest()) + 86_400n;
  const request = (index: number, owner: string) =>
    buildOnboardRequest({
      domain,
      maker,
      makerId,
      device: new Wallet(id(`bench.device.${index}`)),
      deviceClass: 0n,
      owner,
      nonce: 0n,
      deadline,
    });

  // Warm the credits' running total, as on a live network.
  await registry.connect(carol).onboard(await request(0, carol.address));

  const onboard = await gasOf(registry.connect(alice).onboard(await request(1, alice.address)));

  const fleet = [];
  for (let i = 0; i < 50; i++) fleet.push(await request(100 + i, bob.address));
  const batch = await gasOf(registry.connect(bob).batchOnboard(fleet), 50);

  const assert = await gasOf(
    registry.connect(alice).assertLocation(tokenIdOf((await request(1, alice.address)).device), 0x8a2a1072b59ffffn),
  );

  return [
    { op: "registry.onboard", gas: onboard },
    { op: "registry.batchOnboard50", gas: batch, per: 50 },
    { op: "registry.assertLocation", gas: assert },
  ];
};

export default bench;
