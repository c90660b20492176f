import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import fc from "fast-check";

import { buildStandardTree, processProof, proofAt, standardLeaf } from "../../scripts/lib/epochs";

const ENCODING = ["address", "uint256"];

/** Random distinct accounts with uint256 amounts (mixed case, zero and max included). */
function valuesArb(min: number, max: number) {
  return fc
    .uniqueArray(fc.uint8Array({ minLength: 20, maxLength: 20 }), {
      minLength: min,
      maxLength: max,
      selector: (b) => Buffer.from(b).toString("hex"),
    })
    .chain((accounts) =>
      fc.tuple(
        fc.constant(accounts),
        fc.array(
          fc.oneof(
            fc.constant(0n),
            fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
            fc.bigInt({ min: 0n, max: 10n ** 24n }),
          ),
          {
            minLength: accounts.length,
            maxLength: accounts.length,
          },
        ),
        fc.boolean(),
      ),
    )
    .map(([accounts, amounts, upper]) =>
      accounts.map((a, i) => {
        const hex = Buffer.from(a).toString("hex");
        return [`0x${upper ? hex.toUpperCase() : hex}`, amounts[i] as bigint] as const;
      }),
    );
}

async function expectSameTree(values: readonly (readonly [string, bigint])[]): Promise<void> {
  const library = StandardMerkleTree.of(
    values.map(([a, v]) => [a, v.toString()]),
    ENCODING,
  );
  const built = await buildStandardTree(values);
  const dump = library.dump();
  expect(built.root).to.equal(library.root);
  expect(built.tree).to.deep.equal(dump.tree);
  expect(Array.from(built.treeIndex)).to.deep.equal(dump.values.map((v) => v.treeIndex));
  for (let i = 0; i < values.length; i++) {
    const proof = proofAt(built.tree, built.treeIndex[i] as number);
    expect(proof).to.deep.equal(library.getProof(i));
    const [account, amount] = values[i] as readonly [string, bigint];
    expect(await processProof(await standardLeaf(account, amount), proof)).to.equal(library.root);
  }
  // The dump we would write loads in the library, which validates every node.
  const loaded = StandardMerkleTree.load({
    format: "standard-v1",
    leafEncoding: ENCODING,
    tree: [...built.tree],
    values: values.map(([a, v], i) => ({ value: [a, v.toString()], treeIndex: built.treeIndex[i] as number })),
  });
  expect(loaded.root).to.equal(built.root);
}

describe("epochs › merkle", function () {
  describe("buildStandardTree", function () {
    it("builds the library's tree for 1 and 2 leaves", async function () {
      await expectSameTree([["0x1111111111111111111111111111111111111111", 5n]]);
      await expectSameTree([
        ["0x1111111111111111111111111111111111111111", 5n],
        ["0x2222222222222222222222222222222222222222", 7n],
      ]);
    });

    it("builds the library's tree, layout and proofs for random small trees", async function () {
      await fc.assert(
        fc.asyncProperty(valuesArb(1, 40), (values) => expectSameTree(values)),
        { seed: 7, numRuns: 60 },
      );
    });

    it("builds the library's tree for random mid-size trees", async function () {
      await fc.assert(
        fc.asyncProperty(valuesArb(300, 900), async (values) => {
          const library = StandardMerkleTree.of(
            values.map(([a, v]) => [a, v.toString()]),
            ENCODING,
          );
          const built = await buildStandardTree(values);
          expect(built.tree).to.deep.equal(library.dump().tree);
          expect(Array.from(built.treeIndex)).to.deep.equal(library.dump().values.map((v) => v.treeIndex));
        }),
        { seed: 11, numRuns: 4 },
      );
    });

    it("refuses an empty list, as the library does", async function () {
      let error: unknown;
      try {
        await buildStandardTree([]);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(RangeError);
      expect(() => StandardMerkleTree.of([], ENCODING)).to.throw();
    });
  });
});
