/**
 * `npm run bench`: measures start-up, command round trips, a burst, Tearline against an echo bot,
 * many rooms, the alert fan-out, the crypto store, the pure parsers and the period map, then
 * overwrites BENCHMARKS.md and prints it. `npm run bench -- --only peer,rooms` runs only the named
 * parts (e2e, peer, rooms, fanout, cpu, pipeline, flush, parsers, map, digest, keys) and prints them without touching
 * BENCHMARKS.md (`--out <file>` writes them there). Needs PostgreSQL (DATABASE_URL) and python3
 * for the cached Synapse virtualenv; everything runs on 127.0.0.1.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fanoutFailedSection, fanoutSection, measureFanout } from "./alerts.ts";
import { buildBot } from "../test/support/botProcess.ts";
import { Cleanup } from "./cleanup.ts";
import { cpuRows, measureCpu } from "./cpu.ts";
import { boundsSection } from "./bounds.ts";
import { flushRows, measurePipeline, type PipelineResult, pipelineRows } from "./pipeline.ts";
import { benchFlush } from "./cryptoStore.ts";
import { benchStatements } from "./statements.ts";
import { benchDigest } from "./digest.ts";
import { keysRows, keysSizes, measureKeys } from "./keys/measure.ts";
import { measureE2e } from "./e2e.ts";
import { e2eSections } from "./e2eReport.ts";
import { benchMap } from "./map.ts";
import { benchParsers } from "./parsers.ts";
import { measurePeer } from "./peer.ts";
import { peerSections } from "./peerReport.ts";
import { load1, machine, ms, render, type Section, writeReport } from "./report.ts";

// Generous: the Synapse parts (e2e, peer, rooms, fan-out, cpu) take 5–15 minutes on a busy 2-core machine.
const WATCHDOG_MS = 30 * 60_000;
const FANOUT = { rooms: 20, runs: 7, replies: 20 };
const PEER = { sequential: 50, burst: 100, rounds: 2, rooms: 10, perRoom: 20 };
const PARTS = [
  "e2e",
  "peer",
  "rooms",
  "fanout",
  "cpu",
  "pipeline",
  "flush",
  "statements",
  "parsers",
  "map",
  "digest",
  "keys",
] as const;
type Part = (typeof PARTS)[number];

/** `--only a,b` → those parts (all by default); `--out file` → where the report goes. */
function parseArgs(argv: string[]): { parts: Set<Part>; out: string | undefined } {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = arg("--only");
  const whole = join(dirname(fileURLToPath(import.meta.url)), "..", "BENCHMARKS.md");
  if (only === undefined) return { parts: new Set(PARTS), out: arg("--out") ?? whole };
  const parts = only.split(",").map((p) => p.trim());
  const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(", ")}; known: ${PARTS.join(", ")}`);
  return { parts: new Set(parts as Part[]), out: arg("--out") };
}
const say = (s: string): void => {
  process.stderr.write(`[bench] ${s}\n`);
};

const CPU_BURST = 200;
// 10,000 is the issue's figure (BENCH_PIPELINE_N=2000 makes a quicker run); the second pipeline,
// over PostgreSQL's Unix socket, takes 2,000.
const PIPELINE = { commands: 10_000, sequential: 300, statusEvery: 10 };
const PIPELINE_SOCKET_COMMANDS = 2_000;
const PG_SOCKET_DIR = "/var/run/postgresql";

async function main(): Promise<void> {
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

  const { parts, out } = parseArgs(process.argv.slice(2));
  say("building the bot (npm run build)");
  buildBot();
  const sections: Section[] = [];
  try {
    if (parts.has("e2e")) {
      const e2e = await measureE2e(cleanup, say, { sequential: 50, burst: 100, restarts: 3 });
      sections.push(...e2eSections(e2e));
    }
    if (parts.has("peer") || parts.has("rooms")) {
      // One Synapse, officer and pair of bots for both: benchmark 3 compares with 2's bursts.
      const peer = await measurePeer(cleanup, say, { ...PEER, rooms: parts.has("rooms") ? PEER.rooms : 0 });
      sections.push(...peerSections(peer));
      await cleanup.run(say);
    }
    // Its own Synapse and bot; a failure (e.g. a build without alerts) is reported, not invented.
    if (parts.has("fanout"))
      try {
        sections.push(fanoutSection(await measureFanout(cleanup, say, FANOUT)));
      } catch (err) {
        say(`alert fan-out not measured: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        sections.push(fanoutFailedSection(FANOUT.rooms, err));
        process.exitCode = 1;
      }
    if (parts.has("cpu")) {
      const r = await measureCpu(cleanup, say, { n: CPU_BURST, profileDir: process.env.BENCH_CPU_PROFILE });
      sections.push({ title: "Bot CPU per command (through Synapse)", rows: cpuRows(r) });
    }
  } finally {
    await cleanup.run(say);
  }
  let pipeline: PipelineResult | undefined;
  if (parts.has("pipeline")) {
    const commands = Number(process.env.BENCH_PIPELINE_N ?? PIPELINE.commands);
    const r = await measurePipeline(say, { ...PIPELINE, commands });
    pipeline = r;
    sections.push({
      title: "Pipeline, homeserver cut at the HTTP client (in-process)",
      rows: pipelineRows(r),
    });
    sections.push({ title: "Crypto store flushes in the pipeline burst", rows: flushRows(r) });
    // The same on PostgreSQL's Unix socket, where this machine has one (DATABASE_URL may name it).
    if (existsSync(`${PG_SOCKET_DIR}/.s.PGSQL.5432`) && !r.database.includes("Unix socket")) {
      const url = `postgres://postgres@localhost/test?host=${PG_SOCKET_DIR}`;
      const s = await measurePipeline(say, {
        ...PIPELINE,
        commands: PIPELINE_SOCKET_COMMANDS,
        databaseUrl: url,
      });
      sections.push({
        title: "Pipeline again, PostgreSQL over its Unix socket instead of TCP",
        rows: pipelineRows(s).filter(
          (row) => !row.metric.startsWith("crypto-only") && !row.metric.startsWith("bot requests"),
        ),
      });
    }
  }
  if (parts.has("flush")) {
    say("crypto store flush micro-benchmark");
    const flushRows = await benchFlush();
    sections.push({ title: "Crypto store flush (in-process, PostgreSQL)", rows: flushRows });
  }
  if (parts.has("statements")) {
    say("short statements, unnamed against named");
    const statements = await benchStatements(say);
    sections.push({
      title: "Short SQL statements, as drizzle sends them and as the bot does",
      rows: statements.rows,
    });
    if (pipeline) sections.push(boundsSection(pipeline, statements.named));
  }
  if (parts.has("parsers")) {
    say("parsers");
    sections.push(benchParsers());
  }
  if (parts.has("map")) {
    say("period map");
    sections.push(await benchMap());
  }
  if (parts.has("digest")) {
    say("digest over a big database");
    sections.push({ title: "Digest (in-process, PostgreSQL)", rows: await benchDigest(say) });
  }
  clearTimeout(watchdog);
  // After the watchdog: minutes of key generation of its own (each start it measures is bounded).
  const keySizes = parts.has("keys") ? keysSizes(process.env.TEARLINE_BENCH_KEYS) : [];
  if (keySizes.length > 0) {
    say(`a year of keys: ${keySizes.join(", ")} inbound group sessions`);
    sections.push({
      title: "A year of keys (crypto store start-up and memory)",
      rows: keysRows(await measureKeys(say, keySizes)),
    });
  }

  const report = {
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
  };
  const text = out ? await writeReport(out, report) : render(report);
  process.stdout.write(text);
  say(`${out ? `wrote ${out}` : "done"} in ${ms(performance.now() - started)}`);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : JSON.stringify(err)}`);
    process.exit(1);
  },
);
