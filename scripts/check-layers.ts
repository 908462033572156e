/**
 * `npm run lint`'s layering check: prints every import that points the wrong way (and every
 * `process.env` read outside src/config/env.ts) and exits 1 if there is any. The rules are in
 * scripts/layers.ts. Usage: `node --import tsx scripts/check-layers.ts [project root]`.
 */
import { resolve } from "node:path";
import { CHECKED, checkTree } from "./layers.ts";

const root = resolve(process.argv[2] ?? ".");
const violations = await checkTree(root);
for (const v of violations) console.error(`${v.file}:${v.line}: ${v.message}`);
if (violations.length > 0) {
  console.error(`layers: ${violations.length} import(s) against the layering rules (scripts/layers.ts)`);
  process.exit(1);
}
console.log(`layers: ${CHECKED.join("/, ")}/ keep the layering rules`);
