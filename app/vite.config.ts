import { existsSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { defineConfig, type Plugin } from "vite";

const APP = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(APP, "..");

/**
 * Serves a folder of JSON files under a URL prefix, read on each request, so that records written
 * while the server runs are seen. Names are reduced to their base name: nothing outside the folder
 * is reachable.
 */
function serveFolder(prefix: string, dir: string) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith(`${prefix}/`)) return next();
    const file = path.join(dir, path.basename(url.pathname));
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end("not found");
      return;
    }
    res.setHeader("content-type", "application/json");
    res.setHeader("cache-control", "no-store");
    res.end(readFileSync(file));
  };
}

/**
 * `/deployments/<chainId>.json` from the repository's `deployments/` (what `suite:deploy` writes) and
 * `/epochs/epoch-<E>.json` from `epochs/` (where the oracle's `epoch:compute --out` writes), both in
 * `npm run app` (dev) and `vite preview`. `APP_DEPLOYMENTS_DIR` and `APP_EPOCHS_DIR` point them
 * elsewhere.
 */
function suiteFiles(): Plugin {
  const deployments = process.env.APP_DEPLOYMENTS_DIR ?? path.join(ROOT, "deployments");
  const epochs = process.env.APP_EPOCHS_DIR ?? path.join(ROOT, "epochs");
  return {
    name: "suite-files",
    configureServer(server) {
      server.middlewares.use(serveFolder("/deployments", deployments));
      server.middlewares.use(serveFolder("/epochs", epochs));
    },
    configurePreviewServer(server) {
      server.middlewares.use(serveFolder("/deployments", deployments));
      server.middlewares.use(serveFolder("/epochs", epochs));
    },
  };
}

export default defineConfig({
  root: APP,
  base: "./",
  plugins: [suiteFiles()],
  server: { host: "127.0.0.1", port: 5173, strictPort: true, fs: { allow: [ROOT] } },
  preview: { host: "127.0.0.1", port: 4173 },
  build: { outDir: path.join(APP, "dist"), emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 4096 },
});
