import { time } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet, ZeroAddress, id } from "ethers";
import { ethers } from "hardhat";

import { RegistryMockDataCredits__factory } from "../../typechain-types";
import { defaultTokenParams, deployCore, grantRoles } from "../../scripts/lib/deploy";
import { defaultDeviceRegistryParams, deployDeviceRegistry } from "../../scripts/lib/deploy/registry";
import { addMaker, buildOnboardRequest, registryDomain, tokenIdOf } from "../../scripts/lib/registry";
import { gasOf, type GasBench } from "../lib";

/**
 * DeviceRegistry: one onboarding (maker attestation, device signature, fee burn, mint to an owner with no device
 * yet), a batch of 50 to one owner (per device), and a first location assertion. The fee path runs through
 * `RegistryMockDataCredits`: a balance debit, a running total and an event, without the real contract's
 * AccessManager check (about 12,800 gas more per burn).
 */
const bench: GasBench = async () => {
  const [deployer, treasury, makerAdmin, alice, bob, carol] = await ethers.getSigners();
  const { manager } = await deployCore(deployer, {
    token: defaultTokenParams(BigInt(await time.latest()), treasury.address),
  });
  const credits = await new RegistryMockDataCredits__factory(deployer).deploy();
  const registry = await deployDeviceRegistry(
    deployer,
    manager,
    await credits.getAddress(),
    defaultDeviceRegistryParams(),
  );
  await grantRoles(manager, [{ role: "MAKER_ADMIN", account: makerAdmin.address }]);
  const maker = new Wallet(id("bench.maker"));
  const { makerId } = await addMaker(registry.connect(makerAdmin), {
    name: "Bench",
    signer: maker.address,
    sponsor: ZeroAddress,
    classes: [0n],
    quota: 0n,
  });
  for (const who of [alice, bob, carol]) await credits.credit(who.address, 10n ** 12n);

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
