/**
 * `node --import tsx bench/keys/cli.ts [--sizes 1000,10000,30000] [--runs 1] [--keep]`: the "a year of
 * keys" benchmark on its own (bench/run.ts runs it with its defaults), printing its rows.
 */
import { parseArgs } from "node:util";
import { keysRows, keysSizes, measureKeys } from "./measure.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,10000,30000" },
    runs: { type: "string", default: "1" },
    keep: { type: "boolean", default: false },
  },
});
const sizes = keysSizes(values.sizes);
const say = (s: string): void => void process.stderr.write(`[keys] ${s}\n`);
const started = performance.now();
measureKeys(say, sizes, { runs: Number(values.runs), keep: values.keep }).then(
  (results) => {
    for (const r of keysRows(results)) process.stdout.write(`| ${r.metric} | ${r.value} | ${r.how} |\n`);
    process.stdout.write(`${JSON.stringify(results)}\n`);
    say(`done in ${Math.round((performance.now() - started) / 1000)} s`);
    process.exit(0);
  },
  (err: unknown) => {
    say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
