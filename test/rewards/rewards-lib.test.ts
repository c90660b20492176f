import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEther } from "ethers";
import { ethers } from "hardhat";

import { formatDate } from "../../scripts/lib/format";
import { RewardsError } from "../../scripts/lib/rewards/errors";
import { claimToTypedData } from "../../scripts/lib/rewards/signature";
import { buildRewardsTree, proofFor, rewardLeafHash, treeTotal } from "../fixtures/rewards-tree";
import { deployRewardsFixture } from "../fixtures/rewards";
import { EPOCH, endEpoch } from "./helpers";
import { runTask } from "../helpers/run-task";

const A = "0x00000000000000000000000000000000000000a1";
const B = "0x00000000000000000000000000000000000000b2";

describe("rewards library", function () {
  describe("buildRewardsTree", function () {
    it("builds StandardMerkleTree leaves that hash as the contract does", function () {
      const tree = buildRewardsTree([
        { account: A, cumulativeAmount: 5n },
        { account: B, cumulativeAmount: 7n },
      ]);
      expect(tree.leafHash([ethers.getAddress(A), "5"])).to.equal(rewardLeafHash(A, 5n));
      expect(treeTotal(tree)).to.equal(12n);
      const proof = proofFor(tree, B.toUpperCase().replace("0X", "0x"));
      expect(proof.cumulativeAmount).to.equal(7n);
    });

    it("refuses an account listed twice, a bad address and a negative amount", function () {
      expect(() =>
        buildRewardsTree([
          { account: A, cumulativeAmount: 1n },
          { account: A, cumulativeAmount: 2n },
        ]),
      ).to.throw(RewardsError, "listed twice");
      expect(() => buildRewardsTree([{ account: "0x12", cumulativeAmount: 1n }])).to.throw(
        RewardsError,
        "not an address",
      );
      expect(() => buildRewardsTree([{ account: A, cumulativeAmount: -1n }])).to.throw(RewardsError, "out of range");
      expect(() => buildRewardsTree([])).to.throw(RewardsError, "at least one");
    });

    it("refuses a proof for an account the tree does not hold", function () {
      const tree = buildRewardsTree([{ account: A, cumulativeAmount: 1n }]);
      expect(() => proofFor(tree, B)).to.throw(RewardsError, "no leaf");
    });
  });

  describe("claimToTypedData", function () {
    it("binds the message to the chain and the distributor", function () {
      const data = claimToTypedData(A, 31337n, {
        account: A,
        recipient: B,
        cumulativeAmount: 1n,
        nonce: 0n,
        deadline: 9n,
      });
      expect(data.domain).to.deep.equal({
        name: "RewardsDistributor",
        version: "1",
        chainId: 31337n,
        verifyingContract: A,
      });
      expect(data.primaryType).to.equal("ClaimTo");
    });
  });
});

describe("rewards tasks", function () {
  describe("epoch:distribute", function () {
    it("distributes an ended epoch of the recorded distributor, once", async function () {
      const { distributor, lens, genesis } = await loadFixture(deployRewardsFixture);
      const dir = mkdtempSync(path.join(tmpdir(), "deployments-"));
      writeFileSync(
        path.join(dir, "31337.json"),
        JSON.stringify({
          chainId: 31337,
          block: 0,
          contracts: { RewardsDistributor: await distributor.getAddress(), RewardsLens: await lens.getAddress() },
        }),
      );
      const early = await runTask("epoch:distribute", { epoch: 0n, deployments: dir });
      expect(early.exitCode).to.equal(1);
      expect(early.err).to.equal(
        `epoch:distribute: epoch 0 has not ended: it ends at ${formatDate(genesis + EPOCH)}\n`,
      );
      await endEpoch(genesis, 0n);
      const done = await runTask("epoch:distribute", { epoch: 0n, deployments: dir });
      expect(done.exitCode).to.equal(undefined);
      expect(JSON.parse(done.out)).to.include({ epoch: "0", emission: parseEther("250000").toString() });
      expect(await lens.isDistributed(0)).to.equal(true);
      const again = await runTask("epoch:distribute", { epoch: 0n, deployments: dir });
      expect(again.exitCode).to.equal(undefined);
      expect(again.err).to.match(
        /^epoch:distribute: epoch 0 was distributed already \(250,000 tokens: .*\): nothing sent\n$/,
      );
      expect(JSON.parse(again.out)).to.include({ outcome: "already-distributed", epoch: "0" });
      const bad = await runTask("epoch:distribute", { epoch: -1n, deployments: dir });
      expect(bad.exitCode).to.equal(1);
      expect(bad.err).to.equal("epoch:distribute: --epoch must be at least 0, not -1\n");
    });
  });
});
