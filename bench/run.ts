/**
 * `npm run bench`: measures start-up, command round trips, a burst, the crypto store, the pure
 * parsers and the period map, then overwrites BENCHMARKS.md and prints it. Needs PostgreSQL
 * (DATABASE_URL) and python3 for the cached Synapse virtualenv; everything runs on 127.0.0.1.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fanoutFailedSection, fanoutSection, measureFanout } from "./alerts.ts";
import { Cleanup } from "./cleanup.ts";
import { cpuRows, measureCpu } from "./cpu.ts";
import { flushRows, measurePipeline, pipelineRows } from "./pipeline.ts";
import { benchFlush } from "./cryptoStore.ts";
import { benchDigest } from "./digest.ts";
import { keysRows, keysSizes, measureKeys } from "./keys/measure.ts";
import { measureE2e } from "./e2e.ts";
import { e2eSections } from "./e2eReport.ts";
import { benchMap } from "./map.ts";
import { benchParsers } from "./parsers.ts";
import { load1, machine, ms, type Section, writeReport } from "./report.ts";

const WATCHDOG_MS = 10 * 60_000;
const FANOUT = { rooms: 20, runs: 7, replies: 20 };
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "BENCHMARKS.md");
const say = (s: string): void => {
  process.stderr.write(`[bench] ${s}\n`);
};

/** `--only cpu,flush`: just those sections, printed, BENCHMARKS.md left alone. */
function onlyArg(argv: string[]): Set<string> | undefined {
  const i = argv.indexOf("--only");
  const list = i >= 0 ? argv[i + 1] : undefined;
  return list ? new Set(list.split(",")) : undefined;
}

const CPU_BURST = 200;
const PIPELINE = { commands: 10_000, sequential: 300, statusEvery: 10 };

async function only(names: Set<string>): Promise<Section[]> {
  const sections: Section[] = [];
  if (names.has("pipeline")) {
    const commands = Number(process.env.BENCH_PIPELINE_N ?? PIPELINE.commands);
    const r = await measurePipeline(say, { ...PIPELINE, commands });
    sections.push({
      title: "Pipeline, homeserver cut at the HTTP client (in-process)",
      rows: pipelineRows(r),
    });
    sections.push({ title: "Crypto store flushes in the pipeline burst", rows: flushRows(r) });
  }
  const cleanup = new Cleanup();
  cleanup.onSignals(say);
  try {
    if (names.has("cpu")) {
      const r = await measureCpu(cleanup, say, { n: CPU_BURST, profileDir: process.env.BENCH_CPU_PROFILE });
      sections.push({ title: "Bot CPU per command (through Synapse)", rows: cpuRows(r) });
    }
  } finally {
    await cleanup.run(say);
  }
  if (names.has("flush"))
    sections.push({ title: "Crypto store flush (in-process, PostgreSQL)", rows: await benchFlush() });
  return sections;
}

async function main(): Promise<void> {
  const names = onlyArg(process.argv.slice(2));
  if (names) {
    for (const s of await only(names)) {
      process.stdout.write(`\n## ${s.title}\n`);
      for (const r of s.rows) process.stdout.write(`| ${r.metric} | ${r.value} | ${r.how} |\n`);
    }
    return;
  }
  const started = performance.now();
  const date = new Date();
  const loadAtStart = load1();
  const cleanup = new Cleanup();
  cleanup.onSignals(say);
  const watchdog = setTimeout(() => {
    say(`still running after ${ms(WATCHDOG_MS)}: giving up`);
    void cleanup.run(say).finally(() => process.exit(1));
  }, WATCHDOG_MS);
  watchdog.unref();

  const sections: Section[] = [];
  try {
    const e2e = await measureE2e(cleanup, say, { sequential: 50, burst: 100, restarts: 3 });
    sections.push(...e2eSections(e2e));
    // Its own Synapse and bot; a failure (e.g. a build without alerts) is reported, not invented.
    try {
      sections.push(fanoutSection(await measureFanout(cleanup, say, FANOUT)));
    } catch (err) {
      say(`alert fan-out not measured: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      sections.push(fanoutFailedSection(FANOUT.rooms, err));
      process.exitCode = 1;
    }
  } finally {
    await cleanup.run(say);
  }
  say("crypto store flush micro-benchmark");
  const flushRows = await benchFlush();
  sections.push({ title: "Crypto store flush (in-process, PostgreSQL)", rows: flushRows });
  say("parsers");
  sections.push(benchParsers());
  say("period map");
  sections.push(await benchMap());
  say("digest over a big database");
  sections.push({ title: "Digest (in-process, PostgreSQL)", rows: await benchDigest(say) });
  clearTimeout(watchdog);
  // After the watchdog: minutes of key generation of its own (each start it measures is bounded).
  const keySizes = keysSizes(process.env.TEARLINE_BENCH_KEYS);
  if (keySizes.length > 0) {
    say(`a year of keys: ${keySizes.join(", ")} inbound group sessions`);
    sections.push({
      title: "A year of keys (crypto store start-up and memory)",
      rows: keysRows(await measureKeys(say, keySizes)),
    });
  }

  const text = await writeReport(out, {
    date,
    machine: machine(),
    runtimeMs: performance.now() - started,
    load: { start: loadAtStart, end: load1() },
    sections,
    notes: [
      "Latencies are wall-clock on one machine with Synapse, PostgreSQL, the bot and the officer sharing its cores; compare runs on the same machine only.",
      "p50/p95 are nearest-rank percentiles. The bot runs with TEARLINE_LOG_LEVEL=debug to log its crypto store flushes; that costs a few log lines per command.",
      "Synapse runs with SQLite and rate limits off (the test harness); a production homeserver on PostgreSQL behaves differently.",
    ],
  });
  process.stdout.write(text);
  say(`wrote ${out} in ${ms(performance.now() - started)}`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : JSON.stringify(err)}`);
    process.exit(1);
  },
);
