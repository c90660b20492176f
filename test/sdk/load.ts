import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

/** The SDK's types: those of the source entry, which `tsc -p tsconfig.build.json` compiles to `dist/`. */
export type Sdk = typeof import("../../scripts/lib/sdk");

export const ROOT = path.resolve(__dirname, "..", "..");
/** The built entry `package.json` `main` points at. */
export const DIST_ENTRY = path.join(ROOT, "dist", "scripts", "lib", "sdk", "index.js");

/**
 * Builds the package (`tsc -p tsconfig.build.json`, what `npm run build:sdk` runs) and loads it the
 * way a dApp does: by the package's name when `package.json` declares `exports`, else by its built
 * `main` entry. Never the TypeScript sources.
 */
export function buildAndLoadSdk(): { sdk: Sdk; via: string } {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; exports?: unknown };
  const via = pkg.exports === undefined ? DIST_ENTRY : pkg.name;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { sdk: require(via) as Sdk, via };
}
