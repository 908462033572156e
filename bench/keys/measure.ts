/**
 * Benchmark 5 of issue 9, "a year of keys": grows one bot crypto store (generate.ts) through the
 * sizes asked for and, at each, starts a fresh bot process on it (start.ts) to time process start
 * → first sync processed and read its memory.
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase } from "../../test/support/database.ts";
import { BOT_DEVICE, BOT_USER } from "../../test/support/keyExchange.ts";
import { bytes, count, ms, type Row } from "../report.ts";
import {
  OFFICERS,
  OLM_OFFICERS,
  openGenerator,
  PASSPHRASE,
  ROOMS,
  type SampleEvent,
  SESSIONS_PER_WEEK,
} from "./generate.ts";

export interface KeysRun {
  sessions: number;
  weeks: number;
  firstSyncMs: number;
  /** CPU seconds (user + system) of the process up to then: less shaken by a busy machine than wall time */
  firstSyncCpuMs: number;
  modulesMs: number;
  modulesCpuMs: number;
  storeMs: number;
  storeCpuMs: number;
  firstSyncRss: number;
  steadyRss: number;
  maxRss: number;
  decrypted: number;
  failed: string[];
}

const here = dirname(fileURLToPath(import.meta.url));
const WEEK_MS = 7 * 24 * 3600_000;
const CHILD_TIMEOUT_MS = 5 * 60_000;

/** A small deterministic generator, so every run decrypts the same picks. */
function picker(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/** First sync: the last two weeks' messages and 10 from older weeks; then 5 rounds of 20 from anywhere. */
function plan(samples: SampleEvent[], weeks: number): { firstSync: SampleEvent[]; steady: SampleEvent[][] } {
  const pick = picker(weeks);
  const recent = samples.filter((s) => s.week >= weeks - 2);
  const old = samples.filter((s) => s.week < weeks - 2);
  const some = (from: SampleEvent[], n: number): SampleEvent[] =>
    from.length === 0 ? [] : Array.from({ length: n }, () => from[pick(from.length)] as SampleEvent);
  return {
    firstSync: [...recent, ...some(old, 10)],
    steady: Array.from({ length: 5 }, () => some(samples, 20)),
  };
}

function runChild(url: string, file: string): Promise<KeysRun & Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    // The compiled start (npm run build, which bench/run.ts ran first): no TypeScript loader in it.
    const start = join(here, "..", "..", "dist", "bench", "keys", "start.js");
    const child = spawn(process.execPath, [start, url, file, BOT_USER, BOT_DEVICE, PASSPHRASE], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    // A start-up that hangs must not hang the benchmark.
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`start.ts exited ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}") as KeysRun & Record<string, unknown>);
    });
  });
}

/**
 * Grows the store to each of `sizes` (ascending) and measures `runs` fresh starts at each; the
 * sessions' last use is set to the simulated week they were made (if the store records it).
 */
export async function measureKeys(
  say: (s: string) => void,
  sizes: readonly number[],
  opts: { runs?: number; keep?: boolean } = {},
): Promise<KeysRun[]> {
  const runs = opts.runs ?? 1;
  const database = await createTestDatabase("bench_keys");
  const results: KeysRun[] = [];
  const file = join(tmpdir(), `${database.name}.samples.json`);
  try {
    const [column] = await database.sql<{ exists: boolean }[]>`
      select exists (select 1 from information_schema.columns
                     where table_name = 'crypto_store_records' and column_name = 'last_used_at') as exists`;
    const generator = await openGenerator(database, say);
    // Simulated weeks end before today, so the child's reads (stamped now) are the most recent uses.
    const genesis = Date.now() - 200 * WEEK_MS - 1000 * WEEK_MS;
    const aged = async (week: number): Promise<void> => {
      if (!column?.exists) return;
      await database.sql`
        update crypto_store_records set last_used_at = ${new Date(genesis + week * WEEK_MS).toISOString()}::timestamptz
        where store_name = 'inbound_group_sessions3'
          and last_used_at > ${new Date(genesis + 1000 * WEEK_MS).toISOString()}::timestamptz`;
    };
    try {
      for (const size of sizes) {
        const t0 = performance.now();
        await generator.grow(size, aged);
        say(
          `${count(generator.sessions)} sessions in ${generator.week} weeks (grown in ${ms(performance.now() - t0)})`,
        );
        await writeFile(file, JSON.stringify(plan(generator.samples, generator.week)));
        for (let r = 0; r < runs; r++) {
          const res = await runChild(database.url, file);
          say(
            `  run ${r + 1}: first sync ${ms(res.firstSyncMs)} (CPU ${ms(res.firstSyncCpuMs)}, of it store open ${ms(res.storeCpuMs - res.modulesCpuMs)}; modules ${ms(res.modulesMs)}, store open ${ms(res.storeMs - res.modulesMs)}), rss ${bytes(res.firstSyncRss)} → steady ${bytes(res.steadyRss)}, ${res.decrypted} decrypted, ${res.failed.length} failed`,
          );
          results.push({ ...res, sessions: generator.sessions, weeks: generator.week });
        }
      }
    } finally {
      generator.close();
    }
  } finally {
    if (opts.keep) say(`kept ${database.url} (samples: ${file})`);
    else await database.drop();
  }
  return results;
}

/** Sizes from `TEARLINE_BENCH_KEYS` ("1000,10000,30000,100000"; "off" skips), ascending; default 1k/10k/30k/100k (the issue's curve; 100k takes about a minute). */
export function keysSizes(env: string | undefined): number[] {
  if (env === "off" || env === "0") return [];
  return (env ?? "1000,10000,30000,100000")
    .split(",")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => a - b);
}

export function keysRows(results: readonly KeysRun[]): Row[] {
  const sizes = [...new Set(results.map((r) => r.sessions))];
  return sizes.map((n) => {
    const at = results.filter((r) => r.sessions === n);
    const worst = (f: (r: KeysRun) => number): number => Math.max(...at.map(f));
    const failed = at.reduce((a, r) => a + r.failed.length, 0);
    return {
      metric: `Start → first sync processed, ${count(n)} inbound group sessions`,
      value: `${at.map((r) => ms(r.firstSyncMs)).join(" / ")} · RSS ${bytes(worst((r) => r.firstSyncRss))} after first sync, steady ${bytes(worst((r) => r.steadyRss))}${failed ? ` · ${failed} decrypts FAILED` : ""}`,
      how: `${at.length} fresh processes on one store (${ROOMS} rooms, ${OFFICERS} officers tracked, ${SESSIONS_PER_WEEK} sessions a week for ${at[0]?.weeks ?? 0} weeks, ${OLM_OFFICERS}×2 devices over Olm, the rest imported). First sync: the last two weeks' messages + 10 older; steady: 5 syncs × 20 messages from any week (RSS = the highest after a sync)`,
    };
  });
}
