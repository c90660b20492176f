import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import {
  ActivityFormatError,
  EpochFileError,
  EpochInputMismatchError,
  SnapshotFormatError,
  computeEpoch,
  computeEpochFiles,
  proofFor,
  readActivity,
  readEpochFile,
  readSnapshot,
  writeActivity,
  writeSnapshot,
  type EpochResult,
  type Snapshot,
} from "../../scripts/lib/epochs";
import { writeAtomically } from "../../scripts/lib/atomic";
import { epochComputeCommand, rewardsProofCommand } from "../../scripts/lib/epochs/commands";
import { addr, filesIn, smallActivity, smallSnapshot, tempDir } from "./helpers";

/** Runs `fn` and returns what it threw (failing when it did not throw). */
async function thrown(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  expect.fail("expected an error");
}

interface Inputs {
  dir: string;
  snapshot: string;
  activity: string;
  out: string;
}

async function writeInputs(snapshot: Snapshot = smallSnapshot(), csv?: string): Promise<Inputs> {
  const dir = tempDir();
  const inputs = {
    dir,
    snapshot: path.join(dir, "snapshot.ndjson"),
    activity: path.join(dir, "activity.csv"),
    out: path.join(dir, "out"),
  };
  await writeSnapshot(inputs.snapshot, snapshot);
  if (csv === undefined) await writeActivity(inputs.activity, smallActivity());
  else writeFileSync(inputs.activity, csv);
  return inputs;
}

const HEADER = "device,uptime_seconds,coverage_proofs,data_bytes";

describe("epochs › files", function () {
  describe("writeSnapshot / readSnapshot", function () {
    it("round-trips a snapshot, lowercased and sorted, and writes no temporary file", async function () {
      const original = smallSnapshot();
      const shuffled: Snapshot = {
        ...original,
        devices: [...original.devices]
          .reverse()
          .map((d) => ({ ...d, device: d.device.toUpperCase().replace("0X", "0x") })),
      };
      const dir = tempDir();
      const file = path.join(dir, "s.ndjson");
      await writeSnapshot(file, shuffled);
      expect(filesIn(dir)).to.deep.equal(["s.ndjson"]);
      const read = await readSnapshot(file);
      expect(read.header).to.deep.equal(original.header);
      expect(read.devices).to.deep.equal(original.devices);
      expect(read.stakes).to.deep.equal(original.stakes);
    });

    it("reads device and stake lines the same from their bytes (as written) and through JSON (any other spelling), mixed", async function () {
      const a = await writeInputs();
      const lines = readFileSync(a.snapshot, "utf8").split("\n");
      // Every other device and stake line respelled (spaces, a CRLF ending, an upper-case owner): the string path.
      const respelled = lines.map((line, i) => {
        if (i === 0 || i % 2 === 1 || !line.startsWith('["')) return line;
        const fields = JSON.parse(line) as unknown[];
        if (fields.length === 2) return `[ ${JSON.stringify(fields[0])} , ${JSON.stringify(fields[1])} ]`;
        if (fields.length !== 8) return line;
        return `[ ${fields.map((f, k) => (k === 1 ? JSON.stringify((f as string).toUpperCase().replace("0X", "0x")) : JSON.stringify(f))).join(" , ")} ]\r`;
      });
      const b = await writeInputs();
      writeFileSync(b.snapshot, respelled.join("\n"));
      expect(readFileSync(b.snapshot, "utf8")).to.not.equal(readFileSync(a.snapshot, "utf8"));
      const canonical = await readSnapshot(a.snapshot);
      const mixed = await readSnapshot(b.snapshot);
      expect(mixed.devices).to.deep.equal(canonical.devices);
      expect(mixed.stakes).to.deep.equal(canonical.stakes);
      const first = await computeEpochFiles({
        epoch: 0n,
        snapshotFile: a.snapshot,
        activityFile: a.activity,
        outDir: a.out,
      });
      const again = await computeEpochFiles({
        epoch: 0n,
        snapshotFile: b.snapshot,
        activityFile: b.activity,
        outDir: b.out,
      });
      expect(readFileSync(again.file)).to.deep.equal(readFileSync(first.file));
    });

    it("refuses a truncated snapshot, a repeated device and a line that is not JSON, with the line", async function () {
      const { snapshot } = await writeInputs();
      const lines = readFileSync(snapshot, "utf8").split("\n");
      const cases: [string, RegExp][] = [
        [lines.slice(0, -2).join("\n"), /truncated: the header announces 7 devices and 2 stakes, found 7 and 1/],
        [
          [...lines.slice(0, 2), lines[1], ...lines.slice(2)].join("\n"),
          /:3: device 0x0{36}d001 is out of order or repeated/,
        ],
        [[...lines.slice(0, 4), `${lines[4]?.slice(0, 20)}`, ...lines.slice(5)].join("\n"), /:5: is not valid JSON/],
        ["", /is empty/],
        ['{"format":"other"}\n', /:1: not a snapshot file/],
      ];
      for (const [text, message] of cases) {
        writeFileSync(snapshot, text);
        const error = await thrown(() => readSnapshot(snapshot));
        expect(error).to.be.instanceOf(SnapshotFormatError);
        expect(error.message).to.match(message);
        expect(error.message).not.to.contain("\n");
      }
    });
  });

  describe("readActivity", function () {
    const device = addr(0xd001);
    const cases: [string, string, number, RegExp][] = [
      [
        "a wrong header",
        `device,uptime,coverage_proofs,data_bytes\n${device},1,1,1\n`,
        1,
        /the header must be exactly/,
      ],
      ["an empty file", "", 1, /the file is empty/],
      ["a non-address device", `${HEADER}\n${device},1,1,1\n0x1234,1,1,1\n`, 3, /device "0x1234" is not an address/],
      ["a bad checksum", `${HEADER}\n0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD,1,1,1\n`, 2, /is not an address/],
      ["a negative value", `${HEADER}\n${device},-5,1,1\n`, 2, /uptime_seconds is negative: -5/],
      ["a decimal value", `${HEADER}\n${device},1,1.5,1\n`, 2, /coverage_proofs is not a non-negative integer: "1.5"/],
      ["a word", `${HEADER}\n${device},1,1,lots\n`, 2, /data_bytes is not a non-negative integer: "lots"/],
      ["an empty value", `${HEADER}\n${device},,1,1\n`, 2, /uptime_seconds is not a non-negative integer: ""/],
      ["a missing field", `${HEADER}\n${device},1,1\n`, 2, /expected 4 fields, found 3/],
      [
        "a device listed twice, in another case",
        `${HEADER}\n${device},1,1,1\n${addr(0xd002)},1,1,1\n${device.toUpperCase().replace("0X", "0x")},2,2,2\n`,
        4,
        /listed twice \(first on line 2\)/,
      ],
    ];
    for (const [what, csv, line, message] of cases) {
      it(`refuses ${what} with ActivityFormatError at line ${line}, and epoch:compute writes nothing`, async function () {
        const inputs = await writeInputs(smallSnapshot(), csv);
        const error = await thrown(() => readActivity(inputs.activity));
        expect(error).to.be.instanceOf(ActivityFormatError);
        expect((error as ActivityFormatError).line).to.equal(line);
        expect(error.message).to.match(message);
        expect(error.message).to.match(new RegExp(`activity\\.csv:${line}: `));

        const err: string[] = [];
        const code = await epochComputeCommand(
          { epoch: "0", snapshot: inputs.snapshot, activity: inputs.activity, out: inputs.out },
          { out: () => expect.fail("nothing on stdout"), err: (l) => err.push(l) },
        );
        expect(code).to.equal(1);
        const last = err[err.length - 1] as string;
        expect(last).to.match(message);
        expect(last).not.to.contain("\n");
        expect(filesIn(inputs.out)).to.deep.equal([]);
      });
    }

    it("accepts spaces, CRLF, blank lines, a BOM and any case, and sorts the rows", async function () {
      const csv = `\uFEFF${HEADER}\r\n ${addr(0xd002).toUpperCase().replace("0X", "0x")} , 7 ,8, 9\r\n\r\n${addr(0xd001)},1,2,3\r\n`;
      const inputs = await writeInputs(smallSnapshot(), csv);
      const activity = await readActivity(inputs.activity);
      expect(
        activity.rows.map((r) => [r.device, r.uptimeSeconds, r.coverageProofs, r.dataBytes, r.line]),
      ).to.deep.equal([
        [addr(0xd001), 1n, 2n, 3n, 4],
        [addr(0xd002), 7n, 8n, 9n, 2],
      ]);
    });
  });

  describe("computeEpochFiles", function () {
    it("counts unknown and ineligible devices, by reason, and never fails on them", async function () {
      const inputs = await writeInputs();
      const { result } = await computeEpochFiles({
        epoch: 0n,
        snapshotFile: inputs.snapshot,
        activityFile: inputs.activity,
        outDir: inputs.out,
      });
      const r = result.report;
      expect(r.activityDevices).to.equal(8);
      expect(r.unknownDevices).to.equal(1);
      expect(r.ineligible).to.deep.equal({ decommissioned: 1, suspended: 1, "onboarded-late": 1, "no-location": 1 });
      expect(r.rewardedDevices).to.equal(3);
      const reasons = Object.fromEntries([...result.devices].map((d) => [d.device, d.reason]));
      expect(reasons).to.deep.equal({
        [addr(0xd001)]: null,
        [addr(0xd002)]: null,
        [addr(0xd003)]: "suspended",
        [addr(0xd004)]: "no-location",
        [addr(0xd005)]: "onboarded-late",
        [addr(0xd006)]: "decommissioned",
        [addr(0xd007)]: null,
        [addr(0xd0ff)]: "unknown-device",
      });
      // Owner 2 holds 3 devices (suspended ones count) and stakes 15 of the 30 tokens they need.
      expect([...result.devices].find((d) => d.device === addr(0xd007))?.stakeFactor).to.equal(5n * 10n ** 17n);
      // Device 2 pays its recipient.
      expect(result.accounts.map((a) => a.account)).to.deep.equal([addr(0xa001), addr(0xa002), addr(0xb001)]);
    });

    it("pays the owner of a device whose recipient is the zero address", async function () {
      const base = smallSnapshot();
      const snapshot: Snapshot = {
        ...base,
        devices: base.devices.map((d) => (d.device === addr(0xd002) ? { ...d, recipient: addr(0) } : d)),
      };
      const result = await computeEpoch(0n, snapshot, { source: "activity", rows: smallActivity() });
      expect([...result.devices].find((d) => d.device === addr(0xd002))?.beneficiary).to.equal(addr(0xa001));
      expect(result.accounts.map((a) => a.account)).to.deep.equal([addr(0xa001), addr(0xa002)]);
    });

    it("writes the same bytes whether the inputs are hashed while read (the worker) or after", async function () {
      // Canonical files (the worker hashes both) and a non-canonical activity (the worker gives up on
      // it and the compute hashes the parsed rows): each with the worker forced on and off.
      const rows = smallActivity().reverse();
      const loose = `${HEADER}\r\n${rows
        .map(
          (r) =>
            ` ${r.device.toUpperCase().replace("0X", "0x")} ,${r.uptimeSeconds},${r.coverageProofs},${r.dataBytes}`,
        )
        .join("\r\n")}`;
      for (const csv of [undefined, loose]) {
        const inputs = await writeInputs(smallSnapshot(), csv);
        const files = [];
        for (const hashWorker of [true, false]) {
          const messages: string[] = [];
          const { file } = await computeEpochFiles({
            epoch: 0n,
            snapshotFile: inputs.snapshot,
            activityFile: inputs.activity,
            outDir: path.join(inputs.dir, String(hashWorker)),
            hashWorker,
            onProgress: (message) => messages.push(message),
          });
          files.push(readFileSync(file));
          const expected = !hashWorker
            ? "not the snapshot, not the activity"
            : csv === undefined
              ? "the snapshot, the activity"
              : "the snapshot, not the activity";
          expect(messages).to.include(`hashed the inputs while reading: ${expected}`);
        }
        expect(files[0]).to.deep.equal(files[1]);
      }
    });

    it("writes byte-identical files for the same inputs, however they are formatted", async function () {
      const a = await writeInputs();
      const first = await computeEpochFiles({
        epoch: 0n,
        snapshotFile: a.snapshot,
        activityFile: a.activity,
        outDir: a.out,
      });
      const again = await computeEpochFiles({
        epoch: 0n,
        snapshotFile: a.snapshot,
        activityFile: a.activity,
        outDir: path.join(a.dir, "again"),
      });
      expect(readFileSync(again.file)).to.deep.equal(readFileSync(first.file));

      // The same activity with other whitespace, address case, row order and line endings.
      const rows = smallActivity().reverse();
      const csv = `${HEADER}\r\n${rows
        .map(
          (r) =>
            ` ${r.device.toUpperCase().replace("0X", "0x")} ,${r.uptimeSeconds}, ${r.coverageProofs},${r.dataBytes}`,
        )
        .join("\r\n\r\n")}`;
      const b = await writeInputs(smallSnapshot(), csv);
      const other = await computeEpochFiles({
        epoch: 0n,
        snapshotFile: b.snapshot,
        activityFile: b.activity,
        outDir: b.out,
      });
      expect(other.result.inputHash).to.equal(first.result.inputHash);
      expect(readFileSync(other.file)).to.deep.equal(readFileSync(first.file));

      // A value changed changes the input hash.
      const changed = smallActivity(2);
      const c = await writeInputs();
      await writeActivity(c.activity, changed);
      const third = await computeEpochFiles({
        epoch: 0n,
        snapshotFile: c.snapshot,
        activityFile: c.activity,
        outDir: c.out,
      });
      expect(third.result.inputHash).not.to.equal(first.result.inputHash);
    });

    it("adds to the previous epoch's cumulative amounts, and the file's proofs verify with the library", async function () {
      const inputs = await writeInputs();
      const zero = await computeEpochFiles({
        epoch: 0n,
        snapshotFile: inputs.snapshot,
        activityFile: inputs.activity,
        outDir: inputs.out,
      });
      const snapshot1 = path.join(inputs.dir, "snapshot-1.ndjson");
      const activity1 = path.join(inputs.dir, "activity-1.csv");
      await writeSnapshot(snapshot1, smallSnapshot(1n));
      await writeActivity(activity1, smallActivity(3));
      const one = await computeEpochFiles({
        epoch: 1n,
        snapshotFile: snapshot1,
        activityFile: activity1,
        previousFile: zero.file,
        outDir: inputs.out,
      });
      const before = new Map(zero.result.accounts.map((a) => [a.account, a.cumulative]));
      for (const a of one.result.accounts) expect(a.cumulative).to.equal((before.get(a.account) ?? 0n) + a.epochAmount);
      expect(one.result.totalCumulative).to.equal(zero.result.totalCumulative + one.result.epochTotal);

      const json = JSON.parse(readFileSync(one.file, "utf8")) as {
        tree: Parameters<typeof StandardMerkleTree.load>[0];
        root: string;
      };
      const tree = StandardMerkleTree.load(json.tree);
      expect(tree.root).to.equal(json.root);
      const file = await readEpochFile(one.file, { devices: "keep" });
      expect(file.devices?.length).to.equal(8);
      for (const a of one.result.accounts) {
        const claim = await proofFor(file, a.account.toUpperCase().replace("0X", "0x"));
        expect(claim.cumulativeAmount).to.equal(a.cumulative.toString());
        expect(claim.proof).to.deep.equal(tree.getProof([a.account, a.cumulative.toString()]));
        expect(
          StandardMerkleTree.verify(
            json.root,
            ["address", "uint256"],
            [claim.account, claim.cumulativeAmount],
            [...claim.proof],
          ),
        ).to.equal(true);
      }

      const out: string[] = [];
      const code = await rewardsProofCommand(
        { file: one.file, account: addr(0xa001) },
        { out: (l) => out.push(l), err: () => undefined },
      );
      expect(code).to.equal(0);
      expect(JSON.parse(out[0] as string)).to.deep.equal(await proofFor(file, addr(0xa001)));
      const err: string[] = [];
      expect(
        await rewardsProofCommand(
          { file: one.file, account: addr(0x999) },
          { out: () => undefined, err: (l) => err.push(l) },
        ),
      ).to.equal(1);
      expect(err).to.deep.equal([`rewards:proof: ${one.file}: account ${addr(0x999)} has no amount in epoch 1`]);
    });

    it("writes an epoch in which nobody earns with the zero root and no tree, and reads it back", async function () {
      const inputs = await writeInputs(smallSnapshot(), "device,uptime_seconds,coverage_proofs,data_bytes\n");
      const { file, result } = await computeEpochFiles({
        epoch: 0n,
        snapshotFile: inputs.snapshot,
        activityFile: inputs.activity,
        outDir: inputs.out,
      });
      expect(result.root).to.equal(`0x${"00".repeat(32)}`);
      expect(result.tree).to.equal(null);
      expect(result.report.eligibleWithoutActivity).to.equal(3);
      expect(result.report.unallocated).to.equal(result.report.pool);
      const read = await readEpochFile(file, { devices: "keep" });
      expect(read.accounts).to.deep.equal([]);
      expect(read.tree).to.equal(null);
      expect(read.devices?.every((d) => d.reward === 0n && d.reason !== null)).to.equal(true);
    });

    describe("refuses a previous epoch that does not belong", function () {
      let zero: { file: string; result: EpochResult };
      let inputs: Inputs;
      before(async function () {
        inputs = await writeInputs();
        zero = await computeEpochFiles({
          epoch: 0n,
          snapshotFile: inputs.snapshot,
          activityFile: inputs.activity,
          outDir: inputs.out,
        });
      });

      const cases: [string, (s: Snapshot) => Snapshot, bigint, RegExp][] = [
        ["of another chain", (s) => ({ ...s, header: { ...s.header, chainId: 1n } }), 1n, /is of chain 31337, not 1/],
        [
          "of another distributor",
          (s) => ({
            ...s,
            header: { ...s.header, contracts: { ...s.header.contracts, rewardsDistributor: addr(0xe4) } },
          }),
          1n,
          /is of distributor 0x0{38}e3, not 0x0{38}e4/,
        ],
        [
          "of another registry",
          (s) => ({ ...s, header: { ...s.header, contracts: { ...s.header.contracts, deviceRegistry: addr(0xe5) } } }),
          1n,
          /is of deviceRegistry 0x0{38}e1, not 0x0{38}e5/,
        ],
        ["of an epoch other than epoch − 1", (s) => s, 2n, /is of epoch 0, not 1/],
        ["given for epoch 0", (s) => s, 0n, /epoch 0 has no previous epoch/],
      ];
      for (const [what, change, epoch, message] of cases) {
        it(`refuses a previous file ${what}, and writes nothing`, async function () {
          const snapshotFile = path.join(inputs.dir, `s-${epoch}-${what.length}.ndjson`);
          await writeSnapshot(snapshotFile, change(smallSnapshot(epoch)));
          const out = path.join(inputs.dir, `out-${what.length}`);
          const error = await thrown(() =>
            computeEpochFiles({
              epoch,
              snapshotFile,
              activityFile: inputs.activity,
              previousFile: zero.file,
              outDir: out,
            }),
          );
          expect(error).to.be.instanceOf(EpochInputMismatchError);
          expect(error.message).to.match(message);
          expect(filesIn(out)).to.deep.equal([]);
        });
      }

      it("refuses a snapshot of another epoch", async function () {
        const error = await thrown(() =>
          computeEpochFiles({
            epoch: 3n,
            snapshotFile: inputs.snapshot,
            activityFile: inputs.activity,
            outDir: path.join(inputs.dir, "x"),
          }),
        );
        expect(error).to.be.instanceOf(EpochInputMismatchError);
        expect(error.message).to.equal("the snapshot is of epoch 0, not 3");
      });
    });
  });

  describe("readEpochFile", function () {
    let file: string;
    let text: string;
    before(async function () {
      const inputs = await writeInputs();
      file = (
        await computeEpochFiles({
          epoch: 0n,
          snapshotFile: inputs.snapshot,
          activityFile: inputs.activity,
          outDir: inputs.out,
        })
      ).file;
      text = readFileSync(file, "utf8");
    });

    function tampered(edit: (text: string) => string): string {
      const dir = tempDir();
      const out = path.join(dir, "epoch-0.json");
      writeFileSync(out, edit(text));
      return out;
    }

    it("accepts the file as written", async function () {
      const read = await readEpochFile(file);
      expect(read.accounts.length).to.equal(3);
    });

    const firstAccount = (t: string): string => t.split('"accounts": [\n')[1]?.split("\n")[0] as string;
    const cases: [string, (t: string) => string, RegExp][] = [
      ["a truncated file", (t) => t.slice(0, Math.floor(t.length * 0.8)), /truncated|line \d+:/],
      ["a file cut at a line end", (t) => t.split("\n").slice(0, -3).join("\n"), /truncated/],
      [
        "another root",
        (t) => t.replace(/"root": "0x[0-9a-f]{2}/, '"root": "0x00'),
        /root is not the root of the accounts/,
      ],
      [
        "a raised amount",
        (t) => {
          const line = firstAccount(t);
          return t.replace(
            line,
            line.replace(/","(\d)/, (_m, d: string) => `","${d === "9" ? "1" : String(Number(d) + 1)}`),
          );
        },
        /do not add up|not the sum of its devices|not the root/,
      ],
      [
        "a raised total",
        (t) => t.replace(/"totalCumulative": "(\d)/, '"totalCumulative": "9$1'),
        /do not add up to totalCumulative/,
      ],
      [
        "a device's reward changed",
        (t) =>
          t.replace(
            /(\["0x0{36}d001","0x0{36}a001",")(\d)/,
            (_m, p: string, d: string) => `${p}${d === "9" ? "1" : String(Number(d) + 1)}`,
          ),
        /reward is not coverageReward \+ dataReward/,
      ],
      ["a reformatted file", (t) => JSON.stringify(JSON.parse(t), null, 2), /line 2: not in the line layout/],
      ["another format", (t) => t.replace("depin-epoch/v1", "depin-epoch/v0"), /not an epoch file/],
      ["a report without its dust", (t) => t.replace(/"dust":"\d+",/, ""), /report.dust is missing/],
      ["content after the end", (t) => `${t}{}\n`, /unexpected content after the end/],
    ];
    for (const [what, edit, message] of cases) {
      it(`refuses ${what} with EpochFileError`, async function () {
        const error = await thrown(() => readEpochFile(tampered(edit)));
        expect(error).to.be.instanceOf(EpochFileError);
        expect(error.message).to.match(message);
        expect(error.message).not.to.contain("\n");
      });
    }
  });

  describe("writeAtomically", function () {
    it("leaves neither the target nor a temporary file when the producer fails", async function () {
      const dir = tempDir();
      const target = path.join(dir, "epoch-9.json");
      const error = await thrown(() =>
        writeAtomically(target, async (sink) => {
          await sink.write("x".repeat(3 << 20));
          throw new Error("killed half way");
        }),
      );
      expect(error.message).to.equal("killed half way");
      expect(existsSync(target)).to.equal(false);
      expect(filesIn(dir)).to.deep.equal([]);
    });

    it("keeps the previous file whole until the new one replaces it", async function () {
      const dir = tempDir();
      mkdirSync(dir, { recursive: true });
      const target = path.join(dir, "f.json");
      writeFileSync(target, "old");
      await thrown(() =>
        writeAtomically(target, async () => {
          throw new Error("no");
        }),
      );
      expect(readFileSync(target, "utf8")).to.equal("old");
      await writeAtomically(target, async (sink) => {
        await sink.write("new");
      });
      expect(readFileSync(target, "utf8")).to.equal("new");
    });
  });
});
