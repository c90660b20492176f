/**
 * `npm run schema:params`: writes `deploy/params/schema.json` from `PARAMS_SCHEMA`
 * (scripts/lib/deploy/params-schema.ts). `test/deploy/params-schema.test.ts` fails while the
 * committed file differs from what this writes.
 */
import path from "node:path";

import { writeFileAtomicallySync } from "./lib/atomic";
import { paramsSchemaJson } from "./lib/deploy/params-schema";

const file = path.join(__dirname, "..", "deploy", "params", "schema.json");
writeFileAtomicallySync(file, paramsSchemaJson());
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
