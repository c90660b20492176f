import { expect } from "chai";

import { computeEpoch } from "../../scripts/lib/epochs";
import { syntheticActivity, syntheticSnapshot } from "../../bench/epoch/synthetic";

describe("epochs › synthetic", function () {
  it("generates the same network for the same seed, with the shape the benchmark needs", async function () {
    const a = syntheticSnapshot({ devices: 5_000, seed: 3 });
    const b = syntheticSnapshot({ devices: 5_000, seed: 3 });
    expect(a).to.deep.equal(b);
    expect(syntheticActivity(a, 3)).to.deep.equal(syntheticActivity(b, 3));
    expect(syntheticSnapshot({ devices: 5_000, seed: 4 }).devices[0]).not.to.deep.equal(a.devices[0]);

    const fleets = new Map<string, number>();
    for (const d of a.devices) if (d.status !== "decommissioned") fleets.set(d.owner, (fleets.get(d.owner) ?? 0) + 1);
    const sizes = [...fleets.values()];
    expect(a.devices.length).to.equal(5_000);
    expect(Math.min(...sizes)).to.equal(1);
    expect(Math.max(...sizes)).to.be.within(20, 500);
    expect(new Set(a.devices.map((d) => d.classMultiplierBps)).size).to.equal(4);

    const result = await computeEpoch(0n, a, { source: "synthetic", rows: syntheticActivity(a, 3) });
    const r = result.report;
    expect(r.unknownDevices).to.equal(25);
    expect(r.eligibleWithoutActivity).to.be.greaterThan(0);
    for (const count of Object.values(r.ineligible)) expect(count).to.be.greaterThan(0);
    const factors = [...result.devices].map((d) => d.stakeFactor).filter((f) => f > 0n);
    expect(factors.some((f) => f < 10n ** 18n)).to.equal(true);
    // About one account per five devices.
    expect(result.accounts.length).to.be.within(600, 1_300);
  });
});
