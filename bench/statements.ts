/**
 * Short statements of a lone command's path, as drizzle sends them (unnamed: parsed and planned on
 * every execution, and a second round trip for the parameters' types) against as the bot sends
 * them (drizzleOverPostgres: named once per connection). Each on its own one-connection pool, so
 * PostgreSQL's CPU for it is its backend's, read from /proc.
 */
import { drizzle } from "drizzle-orm/postgres-js";
import { connectPostgres, type Db, drizzleOverPostgres } from "../src/db/client.ts";
import { getState, setStates } from "../src/db/queries/botState.ts";
import { dueRoomStarts } from "../src/db/queries/outbox.ts";
import * as schema from "../src/db/schema/index.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { cpuMs } from "./procCpu.ts";
import type { Row } from "./report.ts";

const N = 4000;

export interface Cost {
  serverMs: number;
  botMs: number;
  wallMs: number;
}

const STATEMENTS: { name: string; run: (db: Db, i: number) => Promise<unknown> }[] = [
  { name: "read one bot_state key", run: (db) => getState(db, "sync.next_batch") },
  { name: "write one bot_state key", run: (db, i) => setStates(db, [["sync.next_batch", `s${i}`]]) },
  {
    name: "outbox heads (the lanes' start)",
    run: (db) => dueRoomStarts(db, { except: [], limit: 16, rows: 8 }),
  },
];

async function cost(db: Db, pid: number, run: (db: Db, i: number) => Promise<unknown>): Promise<Cost> {
  for (let i = 0; i < 200; i++) await run(db, i);
  const server = cpuMs(pid) ?? Number.NaN;
  const bot = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < N; i++) await run(db, i);
  const wallMs = performance.now() - t;
  const used = process.cpuUsage(bot);
  return {
    serverMs: ((cpuMs(pid) ?? Number.NaN) - server) / N,
    botMs: (used.user + used.system) / 1000 / N,
    wallMs: wallMs / N,
  };
}

/** The rows, and each statement's cost as the bot sends it (named), for the goals' lower bounds. */
export async function benchStatements(
  say: (s: string) => void,
): Promise<{ rows: Row[]; named: (Cost & { name: string })[] }> {
  const t = await createTestDatabase("bench_stmt");
  const unnamedSql = connectPostgres(t.url, { max: 1, onnotice: () => {} });
  const namedSql = connectPostgres(t.url, { max: 1, onnotice: () => {} });
  try {
    const unnamed = drizzle(unnamedSql, { schema }) as unknown as Db;
    const named = drizzleOverPostgres(namedSql);
    const pidOf = async (sql: typeof unnamedSql) =>
      Number((await sql`select pg_backend_pid() as pid`)[0]?.pid ?? Number.NaN);
    const pids = { unnamed: await pidOf(unnamedSql), named: await pidOf(namedSql) };
    // What the outbox finds after a lone command: its reply and its reaction, pending in one room.
    await t.sql`insert into outbox (room_id, event_type, content)
      select '!room:bench', 'm.room.message', '{}'::jsonb from generate_series(1, 2)`;
    const rows: Row[] = [];
    const namedCosts: (Cost & { name: string })[] = [];
    for (const s of STATEMENTS) {
      say(`statements: ${s.name}`);
      // Alternated, twice each, so a noisy moment does not land on one side only.
      const a1 = await cost(unnamed, pids.unnamed, s.run);
      const b1 = await cost(named, pids.named, s.run);
      const a2 = await cost(unnamed, pids.unnamed, s.run);
      const b2 = await cost(named, pids.named, s.run);
      const mean = (x: Cost, y: Cost): Cost => ({
        serverMs: (x.serverMs + y.serverMs) / 2,
        botMs: (x.botMs + y.botMs) / 2,
        wallMs: (x.wallMs + y.wallMs) / 2,
      });
      const was = mean(a1, a2);
      const is = mean(b1, b2);
      const f = (v: number) => v.toFixed(3);
      namedCosts.push({ name: s.name, ...is });
      rows.push({
        metric: `${s.name}: unnamed (drizzle's way) → named (the bot's)`,
        value:
          `PostgreSQL ${f(was.serverMs)} → ${f(is.serverMs)} ms · ` +
          `bot ${f(was.botMs)} → ${f(is.botMs)} ms · ` +
          `wall ${f(was.wallMs)} → ${f(is.wallMs)} ms`,
        how: `CPU per execution, ${N} executions × 2 alternated runs each on one connection over ${t.url.includes("host=/") ? "the Unix socket" : "TCP"}; PostgreSQL's from its backend's /proc stat (10 ms ticks)`,
      });
    }
    return { rows, named: namedCosts };
  } finally {
    await unnamedSql.end({ timeout: 5 });
    await namedSql.end({ timeout: 5 });
    await t.drop();
  }
}
