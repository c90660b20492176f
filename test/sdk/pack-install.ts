import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/*
 * Packs the package as `npm pack` does (its `prepack` builds it) and installs the tarball into an
 * empty folder with npm, offline: the test that a dApp needs nothing from the repository.
 */

/** What `npm pack --json` reports of one tarball. */
export interface PackResult {
  readonly filename: string;
  readonly integrity: string;
  readonly files: readonly { readonly path: string }[];
}

export interface PackedManifest {
  readonly name: string;
  readonly version: string;
  readonly license?: string;
  readonly engines?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly files?: readonly string[];
}

interface LockEntry {
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly [key: string]: unknown;
}

/** `npm <args>` in `cwd`, its standard output returned; npm's own log goes to stderr. */
export function npm(cwd: string, args: readonly string[]): string {
  return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs `npm pack --json` in `root` (lifecycle scripts included) and returns its report. */
export function pack(root: string, destination: string, extra: readonly string[] = []): PackResult {
  const out = npm(root, ["pack", "--json", "--pack-destination", destination, ...extra]);
  return (JSON.parse(out) as PackResult[])[0];
}

/** The `package.json` inside a tarball, read with `tar`. */
export function manifestOf(tarball: string, scratch: string): PackedManifest {
  execFileSync("tar", ["-xzf", tarball, "-C", scratch, "package/package.json"]);
  return JSON.parse(readFileSync(path.join(scratch, "package", "package.json"), "utf8")) as PackedManifest;
}

/**
 * The lock entries, from the repository's `package-lock.json`, of everything `manifest`'s
 * dependencies and peer dependencies need, at the paths (and so the versions) `npm ci` installed
 * them in the repository, found by Node's resolution over the lock's paths.
 */
export function lockedDependencies(root: string, manifest: PackedManifest): Record<string, LockEntry> {
  const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const resolve = (from: string, name: string): string | undefined => {
    for (let dir = from; ;) {
      const candidate = `${dir === "" ? "" : `${dir}/`}node_modules/${name}`;
      if (lock.packages[candidate] !== undefined) return candidate;
      if (dir === "") return undefined;
      const cut = dir.lastIndexOf("/node_modules/");
      dir = cut < 0 ? "" : dir.slice(0, cut);
    }
  };
  const entries: Record<string, LockEntry> = {};
  const queue: [string, string][] = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).map(
    (name) => ["", name],
  );
  while (queue.length > 0) {
    const [from, name] = queue.shift()!;
    const at = resolve(from, name);
    if (at === undefined)
      throw new Error(`the repository's lock has no ${name} (needed from ${from || "the package"})`);
    if (entries[at] !== undefined) continue;
    // The repository installs them for its own development: the consumer installs them for real.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { dev, devOptional, peer, ...entry } = lock.packages[at];
    entries[at] = entry;
    for (const dep of Object.keys(entry.dependencies ?? {})) queue.push([at, dep]);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
      if (resolve(at, dep) !== undefined) queue.push([at, dep]);
    }
  }
  return entries;
}

/**
 * Makes `dir` a project whose only dependency is the tarball (copied into it), with a lock that pins
 * the tarball's dependencies to the repository's locked versions, and installs it with
 * `npm ci --offline`: npm takes every package from its cache, which the repository's `npm ci`
 * filled, and downloads nothing. Install scripts are skipped (the package and its dependencies have
 * none that matter; a consumer would run them).
 */
export function installOffline(
  root: string,
  dir: string,
  tarball: string,
  integrity: string,
  manifest: PackedManifest,
) {
  const file = `file:${path.basename(tarball)}`;
  writeFileSync(path.join(dir, path.basename(tarball)), readFileSync(tarball));
  const consumer = { name: "sdk-consumer", version: "1.0.0", private: true, dependencies: { [manifest.name]: file } };
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(consumer, null, 2)}\n`);
  const lock = {
    name: consumer.name,
    version: consumer.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: consumer.name, version: consumer.version, dependencies: consumer.dependencies },
      [`node_modules/${manifest.name}`]: {
        version: manifest.version,
        resolved: file,
        integrity,
        license: manifest.license,
        dependencies: manifest.dependencies,
        peerDependencies: manifest.peerDependencies,
        engines: manifest.engines,
      },
      ...lockedDependencies(root, manifest),
    },
  };
  writeFileSync(path.join(dir, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
  npm(dir, ["ci", "--offline", "--ignore-scripts"]);
}
