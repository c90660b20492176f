import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import path from "node:path";

import { grantRoles } from "../../scripts/lib/deploy/authority";
import { formatDate, jsonLine } from "../../scripts/lib/format";
import { tokenIdOf } from "../../scripts/lib/registry";
import {
  CELL,
  LOCATION_FEES,
  ONBOARD_FEES,
  STARTING_CREDITS,
  deviceKey,
  makerKey,
  withMakerFixture,
} from "../fixtures/registry";
import { runTask, useDeploymentRoot } from "../helpers/run-task";

/** The tasks send from signer 0, the fixture's deployer: it gets MAKER_ADMIN and credits. */
async function withSenderFixture() {
  const f = await withMakerFixture();
  await grantRoles(f.manager, [{ role: "MAKER_ADMIN", account: f.deployer.address }]);
  await f.credits.credit(f.deployer.address, STARTING_CREDITS);
  return f;
}

/**
 * The registry tasks, run through Hardhat against a deployment record written to a temporary project
 * root (the tasks read `<root>/deployments/<chainId>.json`). Keys come from files. Output and exit
 * codes are captured.
 */
describe("registry tasks", function () {
  const root = useDeploymentRoot("registry-tasks", async () => {
    const { registry } = await loadFixture(withSenderFixture);
    return { DeviceRegistry: await registry.getAddress() };
  });
  let makerFile: string;
  let deviceFile: string;

  beforeEach(function () {
    makerFile = path.join(root(), "maker.key");
    deviceFile = path.join(root(), "device.key");
    writeFileSync(makerFile, `${makerKey.privateKey}\n`);
    writeFileSync(deviceFile, deviceKey(7).privateKey.slice(2));
  });

  it("adds a maker, onboards a device from key files, asserts its location and describes it", async function () {
    const { registry, credits, deployer, makerId } = await loadFixture(withSenderFixture);
    const added = await runTask("registry:add-maker", { name: "Globex", signer: deployer.address, classes: "0,2" });
    expect(added.exitCode).to.equal(undefined);
    expect(added.out).to.match(new RegExp(`^tx 0x[0-9a-f]{64}\\nmaker id ${makerId + 1n}\\n$`));
    const maker = await registry.maker(makerId + 1n);
    expect(maker.signer).to.equal(deployer.address);
    expect(maker.enabled).to.equal(true);

    const tokenId = tokenIdOf(deviceKey(7).address);
    const onboarded = await runTask("registry:onboard", {
      makerKeyFile: makerFile,
      deviceKeyFile: deviceFile,
      makerId,
      deviceClass: 0n,
      ttl: 3600n,
    });
    expect(onboarded.err).to.equal("");
    expect(onboarded.out).to.contain(`token id ${tokenId} (device ${deviceKey(7).address})`);
    expect(await registry.ownerOf(tokenId)).to.equal(deployer.address);

    const asserted = await runTask("registry:assert-location", {
      tokenId,
      cell: CELL.toString(16),
    });
    expect(asserted.err).to.equal("");
    expect((await registry.deviceInfo(tokenId)).location).to.equal(CELL);
    expect(await credits.balanceOf(deployer.address)).to.equal(STARTING_CREDITS - ONBOARD_FEES[0] - LOCATION_FEES[0]);

    const info = await runTask("registry:info", { device: deviceKey(7).address });
    const described = JSON.parse(info.out) as Record<string, string>;
    expect(described.owner).to.equal(deployer.address);
    expect(described.location).to.equal(CELL.toString(16));
    expect(described.status).to.equal("Active");
    expect(described.deviceClass).to.equal("0 (hotspot, 10,000 bps)");
    // Times as ISO-8601 dates in UTC, to the second.
    const { onboardedAt } = await registry.deviceInfo(tokenId);
    expect(described.onboardedAt).to.equal(formatDate(onboardedAt));
    expect(described.onboardedAt).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("fails with one line and a non-zero exit on bad input and on a refused transaction", async function () {
    const { registry, makerId } = await loadFixture(withSenderFixture);
    const someone = deviceKey(8).address;
    for (const [name, args, reason] of [
      ["registry:add-maker", { name: "X", signer: "nobody", classes: "0" }, "--signer"],
      ["registry:add-maker", { name: "X", signer: someone, classes: "0,64" }, "--classes"],
      [
        "registry:onboard",
        { makerKeyFile: "/nonexistent", deviceKeyFile: deviceFile, makerId: 1n, deviceClass: 0n, ttl: 60n },
        "cannot read the maker key file",
      ],
      [
        "registry:onboard",
        { makerKeyFile: makerFile, deviceKeyFile: makerFile + ".x", makerId: 1n, deviceClass: 0n, ttl: 60n },
        "cannot read the device key file",
      ],
      ["registry:assert-location", { tokenId: 1n, cell: "not-a-cell" }, "cell"],
      ["registry:suspend", { tokenId: 1n, reason: 1n, as: "mayor" }, '--as must be "oracle" or "guardian"'],
      ["registry:info", { tokenId: 1n, device: someone }, "give exactly one of --token-id and --device"],
      // --account is an address, as in every task, and one the task can sign with.
      ["registry:suspend", { tokenId: 1n, reason: 1n, account: "0" }, '--account must be an address, not "0"'],
      [
        "registry:add-maker",
        { name: "X", signer: someone, classes: "0", account: someone },
        `--account ${someone} is not one of the 20 configured accounts`,
      ],
      // The device does not exist: the registry refuses, and the task says so in one line.
      ["registry:assert-location", { tokenId: tokenIdOf(someone), cell: CELL.toString(16) }, "ERC721NonexistentToken"],
    ] as const) {
      const result = await runTask(name, args);
      expect(result.exitCode, `${name} ${jsonLine(args)}`).to.equal(1);
      expect(result.out).to.equal("");
      expect(result.err, name).to.contain(reason);
      expect(result.err.startsWith(`${name}: `)).to.equal(true);
      expect(result.err.trimEnd().split("\n")).to.have.length(1);
    }
    expect(await registry.makerCount()).to.equal(makerId);
  });
});
