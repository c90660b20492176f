/**
 * `npm run bench:epoch`: the epoch pipeline at network scale. For 10k, 100k and 1M devices it
 * generates a synthetic snapshot and two epochs of activity (seeded; kept in bench/out/epoch/ and
 * reused), then times `computeEpochFiles` for epoch 0 and for epoch 1 on top of epoch 0, each in its
 * own child process: wall time of the whole process (startup, parsing, compute, tree, writing), CPU
 * time, peak RSS, and the epoch file's size. It fails when a 1M-device run misses its targets
 * (≤ 12 s wall, ≤ 1 GiB peak RSS). The machine's load average is printed with the table: on a shared
 * machine compare runs in alternation, and trust CPU time more than wall time.
 *
 *   npx ts-node --transpile-only bench/epoch/run.ts [--sizes 10000,100000,1000000] [--fresh]
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { loadavg } from "node:os";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const OUT = path.join(ROOT, "bench", "out", "epoch");
const TARGET_DEVICES = 1_000_000;
const TARGET_WALL_SECONDS = 12;
const TARGET_RSS_BYTES = 1024 ** 3;

interface ChildResult {
  seconds: number;
  cpuSeconds: number;
  maxRssBytes: number;
  bytes: number;
  accounts: number;
  devices: number;
}

function runChild(script: string, args: string[]): Promise<{ stdout: string; wall: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(__dirname, script), ...args],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) resolve({ stdout, wall });
      else reject(new Error(`${script} ${args.join(" ")} exited with ${code}`));
    });
  });
}

function label(devices: number): string {
  return devices >= 1_000_000 ? `${devices / 1_000_000}m` : devices >= 1_000 ? `${devices / 1_000}k` : String(devices);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sizesAt = argv.indexOf("--sizes");
  const sizes = sizesAt >= 0 ? (argv[sizesAt + 1] ?? "").split(",").map(Number) : [10_000, 100_000, 1_000_000];
  if (sizes.some((n) => !Number.isSafeInteger(n) || n <= 0))
    throw new Error("--sizes takes a comma-separated list of device counts");
  const fresh = argv.includes("--fresh");

  const rows: string[][] = [];
  let failed = false;
  for (const devices of sizes) {
    const dir = path.join(OUT, label(devices));
    if (fresh) await rm(dir, { recursive: true, force: true });
    if (!existsSync(path.join(dir, "activity-1.csv"))) {
      process.stderr.write(`generating ${devices} devices into ${path.relative(ROOT, dir)}\n`);
      await runChild("generate.ts", [String(devices), dir]);
    }
    const out = path.join(dir, "out");
    await rm(out, { recursive: true, force: true });
    for (const epoch of [0, 1]) {
      process.stderr.write(`computing epoch ${epoch} of ${devices} devices\n`);
      const args = [
        String(epoch),
        path.join(dir, `snapshot-${epoch}.ndjson`),
        path.join(dir, `activity-${epoch}.csv`),
        out,
      ];
      if (epoch === 1) args.push(path.join(out, "epoch-0.json"));
      const { stdout, wall } = await runChild("compute.ts", args);
      const r = JSON.parse(stdout.trim().split("\n").pop() as string) as ChildResult;
      const gated = devices === TARGET_DEVICES;
      const over = gated && (wall > TARGET_WALL_SECONDS || r.maxRssBytes > TARGET_RSS_BYTES);
      failed ||= over;
      rows.push([
        devices.toLocaleString("en-US"),
        String(epoch),
        r.accounts.toLocaleString("en-US"),
        wall.toFixed(1),
        r.seconds.toFixed(1),
        r.cpuSeconds.toFixed(1),
        (r.maxRssBytes / 1024 ** 2).toFixed(0),
        (r.bytes / 1024 ** 2).toFixed(1),
        gated ? (over ? "OVER" : "ok") : "",
      ]);
    }
  }
  const header = [
    "devices",
    "epoch",
    "accounts",
    "wall s",
    "in-process s",
    "cpu s",
    "peak RSS MiB",
    "file MiB",
    "1M target",
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padStart(widths[i] as number)).join(" | ")} |`;
  process.stdout.write(`${line(header)}\n|${widths.map((w) => "-".repeat(w + 1) + ":").join("|")}|\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  process.stdout.write(
    `targets at 1M devices: wall ≤ ${TARGET_WALL_SECONDS} s, peak RSS ≤ ${TARGET_RSS_BYTES / 1024 ** 2} MiB; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}\n`,
  );
  if (failed) {
    process.stderr.write("bench:epoch: a 1M-device run missed its target\n");
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:epoch: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
