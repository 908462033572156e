/**
 * Benchmark 1: the bot's whole path with the homeserver cut at its HTTP client. A real crypto-wasm
 * officer encrypts N commands; the in-process bot (Bot.start, real PostgreSQL, real OlmMachine on
 * its durable store) decrypts, parses, commits, and sends reply + reaction through its outbox,
 * encrypted; FakeHomeserver answers /sync with the events and records the PUTs. In the same run:
 * the crypto-only floor, a bare OlmMachine doing the same events' decrypt and two encrypts each.
 */
import { writeFileSync } from "node:fs";
import { directoryFromConfig } from "../src/bot/configDirectory.ts";
import { Bot } from "../src/bot/bot.ts";
import {
  connectPostgres,
  describePostgres,
  drizzleOverPostgres,
  type PostgresDatabase,
  splitSocket,
} from "../src/db/client.ts";
import { acquireDeviceLock } from "../src/db/lock.ts";
import { TearlineConfigSchema } from "../src/config/schema.ts";
import { createLogger } from "../src/log.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { FakeHomeserver, type Recorded, type ScriptedEvent } from "../test/support/fakeHomeserver.ts";
import { FakeDevice } from "../test/support/fakeOfficer.ts";
import { machineCpuMs } from "./procCpu.ts";
import { ms, type Row, summarize } from "./report.ts";

const BOT = "@tearline:fake.test";
const OFFICER = "@officer:fake.test";
const FLOOR = "@floor:fake.test";
/** A second floor, with its own cross-signing identity as the bot has: what that costs per encrypt. */
const FLOOR_SIGNED = "@floorsigned:fake.test";

export interface PipelineOptions {
  commands: number;
  sequential: number;
  /** One command in this many is `!status`, the rest `!sight …`. */
  statusEvery: number;
  /** The PostgreSQL server to make the bot's database on (default: DATABASE_URL's, else TCP 127.0.0.1). */
  databaseUrl?: string | undefined;
}

export interface PipelineResult {
  opts: PipelineOptions;
  /** Which PostgreSQL, and how reached (TCP or the Unix socket). */
  database: string;
  burstMs: number;
  burstCpuMs: number;
  /** Every process's CPU over the burst (the bot, PostgreSQL, anything else), and the cores. */
  machineCpuMs: number | undefined;
  cores: number | undefined;
  /** Per command: the /sync that carried it → its reply PUT, and → its reaction PUT (burst). */
  burstReply: number[];
  burstDone: number[];
  /** Sequential (one command per sync, the next after the reaction): sync → reaction PUT. */
  seqDone: number[];
  seqCpuMs: number;
  requestsPerCommand: Record<string, number>;
  floorMs: number;
  floorDecryptMs: number;
  floorShareMs: number;
  /** The same floor on a machine with its own cross-signing identity, like the bot's. */
  signedFloorMs: number;
  signedFloorDecryptMs: number;
  signedFloorShareMs: number;
  /** Crypto-store flushes during the burst (from the bot's "crypto store flushed" debug lines). */
  flushes: { rows: number; ms: number }[];
  /** /sync responses the bot handled during the burst. */
  syncs: number;
  /** SQL statements the bot sent during the burst, by kind. */
  statements: Map<string, number>;
  /** The same, over the one-at-a-time phase. */
  seqStatements: Map<string, number>;
}

/** The bot's log, at debug for its flush lines; warnings and errors still go to stderr. */
function flushLog(): { log: ReturnType<typeof createLogger>; flushes: { rows: number; ms: number }[] } {
  const flushes: { rows: number; ms: number }[] = [];
  const log = createLogger("debug", {}, (line) => {
    const l = JSON.parse(line) as { level: string; msg: string; rows?: number; ms?: number };
    if (l.msg === "crypto store flushed") flushes.push({ rows: l.rows ?? 0, ms: l.ms ?? 0 });
    else if (l.level === "warn" || l.level === "error") process.stderr.write(`${line}\n`);
  });
  return { log, flushes };
}

function commandBody(i: number, statusEvery: number): string {
  if (i % statusEvery === statusEvery - 1) return "!status";
  const lat = (12 + (i % 50) / 100).toFixed(2);
  return `!sight vessel ${lat},-79.17 "GO FAST ${i}" course=045 speed=32kt -- two outboards`;
}

/** Which command a PUT answers, and whether it is the reaction (the last thing sent per command). */
function answers(r: Recorded): { commandId: string; reaction: boolean } | undefined {
  const rel = r.body["m.relates_to"] as Record<string, unknown> | undefined;
  if (!rel) return undefined;
  if (rel.rel_type === "m.annotation" && typeof rel.event_id === "string")
    return { commandId: rel.event_id, reaction: true };
  const reply = rel["m.in_reply_to"] as Record<string, unknown> | undefined;
  if (typeof reply?.event_id === "string") return { commandId: reply.event_id, reaction: false };
  return undefined;
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Counts the bot's requests by kind ("PUT send", "POST keys/query", …) over a phase. */
function kinds(requests: Recorded[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of requests) {
    const path = r.path
      .replace(/^\/rooms\/[^/]+/, "/rooms/…")
      .replace(/^(\/rooms\/…\/send\/[^/]+|\/sendToDevice\/[^/]+)\/.*$/, "$1");
    const k = `${r.method} ${path}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

export async function measurePipeline(
  say: (s: string) => void,
  opts: PipelineOptions,
): Promise<PipelineResult> {
  const db = await createTestDatabase("benchpipe", opts.databaseUrl);
  const hs = new FakeHomeserver({ userId: BOT, password: "bench password" }, [OFFICER]);
  const config = TearlineConfigSchema.parse({
    partners: { COL: { name: "Colombian Navy" } },
    rooms: {},
    roster: { [OFFICER]: { partner: "COL", roles: ["liaison", "duty_officer"] } },
  });
  const { log, flushes } = flushLog();
  // The bot's own pool, counting statements (postgres.js `debug` sees every query it sends).
  const statements: string[] = [];
  const sql = connectPostgres(db.url, { max: 5, onnotice: () => {}, debug: (_c, q) => statements.push(q) });
  const database: PostgresDatabase = {
    engine: "postgres",
    db: drizzleOverPostgres(sql),
    sql,
    url: db.url,
    description: "PostgreSQL (bench, counting statements)",
    migrate: async () => {},
    close: () => sql.end({ timeout: 5 }),
  };
  // As in production (main.ts): the device lock, whose epoch fences every crypto-store write.
  const lock = await acquireDeviceLock(database, (err) => say(`pipeline: device lock lost: ${String(err)}`));
  const bot = await Bot.start({
    database,
    fence: lock.fence,
    log,
    directory: directoryFromConfig(config),
    trust: { onlyCrossSigned: false, ignoreUnverified: false },
    homeserverUrl: "http://fake.test",
    userId: BOT,
    password: "bench password",
    storePassphrase: "bench passphrase",
    fetchImpl: hs.fetch,
  });
  try {
    const officer = await FakeDevice.create(hs, OFFICER, "OFFICERDEV");
    const floor = await FakeDevice.create(hs, FLOOR, "FLOORDEV", "floor");
    const signedFloor = await FakeDevice.create(hs, FLOOR_SIGNED, "FLOORSIGNEDDEV", "floorsigned");
    (await signedFloor.machine.bootstrapCrossSigning(true)).free();
    await officer.meet([BOT, FLOOR, FLOOR_SIGNED]);
    await floor.meet([OFFICER]);
    await signedFloor.meet([OFFICER]);

    const total = opts.commands + opts.sequential + 10;
    say(`pipeline: officer encrypting ${total} commands`);
    const script: ScriptedEvent[] = [];
    for (let i = 0; i < total; i++)
      script.push(
        await officer.encrypt(hs.roomId, [BOT, FLOOR, FLOOR_SIGNED], {
          msgtype: "m.text",
          body: commandBody(i, opts.statusEvery),
        }),
      );
    const warm = script.slice(0, 10);
    const burstPart = script.slice(10, 10 + opts.commands);
    const seqPart = script.slice(10 + opts.commands);

    // Every command's reply and reaction, as they are PUT.
    const replyAt = new Map<string, number>();
    const doneAt = new Map<string, number>();
    let waiting: { ids: Set<string>; resolve: () => void } | undefined;
    hs.onRequest = (r) => {
      const a = answers(r);
      if (!a) return;
      (a.reaction ? doneAt : replyAt).set(a.commandId, r.at);
      if (a.reaction && waiting?.ids.delete(a.commandId) && waiting.ids.size === 0) waiting.resolve();
    };
    const run = (events: ScriptedEvent[]): Promise<void> =>
      new Promise((resolve) => {
        waiting = { ids: new Set(events.map((e) => String(e.event.event_id))), resolve };
        hs.feed(events);
      });

    await run(warm);
    say(`pipeline: burst of ${opts.commands}`);
    const fromRequest = hs.requests.length;
    const fromFlush = flushes.length;
    const fromStatement = statements.length;
    const profiler = process.env.BENCH_PIPELINE_PROFILE ? await startProfile() : undefined;
    let cpu = cpuNow();
    const machineFrom = machineCpuMs();
    const t = performance.now();
    await run(burstPart);
    if (profiler) await profiler.stop(process.env.BENCH_PIPELINE_PROFILE ?? "");
    const burstMs = performance.now() - t;
    const burstCpuMs = cpuNow() - cpu;
    const machineTo = machineCpuMs();
    const burstRequests = hs.requests.slice(fromRequest);
    const burstFlushes = flushes.slice(fromFlush);
    const burstStatements = statementKinds(statements.slice(fromStatement));
    // BENCH_PIPELINE_SQL=<file>: also <file>.burst, the burst's statements by text, most frequent first.
    if (process.env.BENCH_PIPELINE_SQL)
      writeFileSync(`${process.env.BENCH_PIPELINE_SQL}.burst`, byText(statements.slice(fromStatement)));
    const ids = burstPart.map((e) => String(e.event.event_id));
    const since = (m: Map<string, number>) =>
      ids.map((id) => (m.get(id) ?? Number.NaN) - (hs.deliveredAt.get(id) ?? 0));
    const burstReply = since(replyAt);
    const burstDone = since(doneAt);
    say(`pipeline: ${opts.sequential} one at a time`);
    const seqProfiler = process.env.BENCH_PIPELINE_PROFILE ? await startProfile() : undefined;
    cpu = cpuNow();
    const seqDone: number[] = [];
    const seqFrom = statements.length;
    let mark = statements.length;
    for (const e of seqPart) {
      mark = statements.length;
      await run([e]);
      const id = String(e.event.event_id);
      seqDone.push((doneAt.get(id) ?? Number.NaN) - (hs.deliveredAt.get(id) ?? 0));
    }
    const seqCpuMs = cpuNow() - cpu;
    const seqStatements = statementKinds(statements.slice(seqFrom));
    // BENCH_PIPELINE_PROFILE=<file>: the one-at-a-time phase's profile goes to <file>.seq.
    if (seqProfiler) await seqProfiler.stop(`${process.env.BENCH_PIPELINE_PROFILE ?? ""}.seq`);
    // BENCH_PIPELINE_SQL=<file>: the statements of the last one-at-a-time command, to see where they go.
    // <file>.seq: the whole phase's statements by text, most frequent first.
    if (process.env.BENCH_PIPELINE_SQL) {
      writeFileSync(process.env.BENCH_PIPELINE_SQL, statements.slice(mark).join("\n"));
      writeFileSync(`${process.env.BENCH_PIPELINE_SQL}.seq`, byText(statements.slice(seqFrom)));
    }
    await bot.stop();

    say("pipeline: crypto-only floor");
    await cryptoFloor(floor, hs.roomId, warm);
    const floorRun = await cryptoFloor(floor, hs.roomId, burstPart);
    await cryptoFloor(signedFloor, hs.roomId, warm);
    const signedRun = await cryptoFloor(signedFloor, hs.roomId, burstPart);
    officer.close();
    floor.close();
    signedFloor.close();
    const requestsPerCommand = Object.fromEntries(
      [...kinds(burstRequests)].map(([k, v]) => [k, v / opts.commands]),
    );
    return {
      opts,
      database: `${describePostgres(db.url)} over ${splitSocket(db.url).socketDir ? "its Unix socket" : "TCP"}`,
      burstMs,
      burstCpuMs,
      machineCpuMs: machineFrom && machineTo && machineTo.busyMs - machineFrom.busyMs,
      cores: machineTo?.cores,
      burstReply,
      burstDone,
      seqDone,
      seqCpuMs,
      requestsPerCommand,
      floorMs: floorRun.totalMs,
      floorDecryptMs: floorRun.decryptMs,
      floorShareMs: floorRun.shareMs,
      signedFloorMs: signedRun.totalMs,
      signedFloorDecryptMs: signedRun.decryptMs,
      signedFloorShareMs: signedRun.shareMs,
      flushes: burstFlushes,
      syncs: burstRequests.filter((r) => r.path === "/sync").length,
      statements: burstStatements,
      seqStatements,
    };
  } finally {
    await bot.stop().catch(() => undefined);
    await lock.release();
    await database.close();
    await db.drop();
  }
}

/** Each distinct statement with how many times it was sent, most frequent first. */
function byText(qs: string[]): string {
  const counts = new Map<string, number>();
  for (const q of qs) counts.set(q, (counts.get(q) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([q, n]) => `${n}\t${q}`)
    .join("\n");
}

/** "insert into outbox" → count, over a phase's SQL. */
function statementKinds(qs: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const q of qs) {
    const m =
      /^\s*(select|insert into|update|delete from|begin|commit|rollback|savepoint|release|with)\b[^"]*?(?:"(\w+)")?/i.exec(
        q,
      );
    const k = m ? `${(m[1] ?? "").toLowerCase()} ${m[2] ?? ""}`.trim() : q.slice(0, 30);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/**
 * The least crypto a bot can do for these commands: take the room keys, decrypt each command, and
 * for reply and reaction shareRoomKey (which §3 requires before every encrypt) and encrypt. The
 * key is shared with the floor's own user and the officer, as the bot shares with its room's
 * members, itself included (its own other devices would get the key).
 */
async function cryptoFloor(
  floor: FakeDevice,
  roomId: string,
  events: ScriptedEvent[],
): Promise<{ totalMs: number; decryptMs: number; shareMs: number }> {
  const { DecryptionSettings, EncryptionSettings, RoomId, TrustRequirement, UserId } = await import(
    "@matrix-org/matrix-sdk-crypto-wasm"
  );
  let decryptMs = 0;
  let shareMs = 0;
  const t = cpuNow();
  for (const e of events) {
    const d0 = cpuNow();
    const keys = e.toDevice[floor.userId];
    if (keys) await floor.receive(keys);
    const settings = new DecryptionSettings(TrustRequirement.Untrusted);
    const room = new RoomId(roomId);
    const res = await floor.machine.decryptRoomEvent(JSON.stringify(e.event), room, settings);
    res.free();
    decryptMs += cpuNow() - d0;
    for (let k = 0; k < 2; k++) {
      const es = new EncryptionSettings();
      const s0 = cpuNow();
      const members = [new UserId(floor.userId), new UserId(OFFICER)];
      const shares = await floor.machine.shareRoomKey(new RoomId(roomId), members, es);
      for (const s of shares) await floor.machine.markRequestAsSent(s.id, s.type, "{}");
      shareMs += cpuNow() - s0;
      await floor.machine.encryptRoomEvent(
        new RoomId(roomId),
        "m.room.message",
        JSON.stringify({ body: "ok" }),
      );
      es.free();
    }
  }
  return { totalMs: cpuNow() - t, decryptMs, shareMs };
}

/** A floor's CPU per command split: decrypt, the two shareRoomKey calls, the two encrypts. */
function floorParts(totalMs: number, decryptMs: number, shareMs: number, n: number): string {
  const per = (x: number) => (x / n).toFixed(2);
  return `decrypt ${per(decryptMs)} · 2 × shareRoomKey ${per(shareMs)} · 2 × encrypt ${per(totalMs - decryptMs - shareMs)} ms`;
}

/** A V8 CPU profile of one phase (BENCH_PIPELINE_PROFILE=<file>), through node:inspector. */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import("node:inspector/promises");
  const { writeFile } = await import("node:fs/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop(file) {
      const { profile } = await session.post("Profiler.stop");
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const p = (xs: number[], q: number): number => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((q / 100) * s.length) - 1)] ?? Number.NaN;
};

export function pipelineRows(r: PipelineResult): Row[] {
  const n = r.opts.commands;
  const rate = (n * 1000) / r.burstMs;
  const floorRate = (n * 1000) / r.floorMs;
  const seq = summarize(r.seqDone);
  const reqs = Object.entries(r.requestsPerCommand)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(" · ");
  return [
    {
      metric: "pipeline commands/s (goal ≥ 300, stretch ≥ 500)",
      value: `${rate.toFixed(0)}/s`,
      how: `${n} commands (1 in ${r.opts.statusEvery} \`!status\`, the rest \`!sight\`) fed 50 per /sync; first sync → last reaction PUT: ${ms(r.burstMs)}`,
    },
    {
      metric: "pipeline CPU per command (bot process)",
      value: `${(r.burstCpuMs / n).toFixed(2)} ms`,
      how: `process.cpuUsage over the burst (the officer encrypted beforehand; ${r.database} is another process, reached as in production: device lock held, crypto-store writes fenced)`,
    },
    {
      metric: "machine CPU per command (every process)",
      value: r.machineCpuMs === undefined ? "n/a" : `${(r.machineCpuMs / n).toFixed(2)} ms`,
      how:
        r.machineCpuMs === undefined || r.cores === undefined
          ? "/proc/stat not readable here"
          : `/proc/stat over the burst: the bot, PostgreSQL and anything else running; ${r.cores} cores at ${Math.round((100 * r.machineCpuMs) / (r.cores * r.burstMs))} % → at most ${Math.round((r.cores * 1000 * n) / r.machineCpuMs)} commands/s if every core were busy with this alone`,
    },
    {
      metric: "burst: sync → reply / → reaction",
      value: `p50 ${ms(p(r.burstReply, 50))} / ${ms(p(r.burstDone, 50))} · p99 ${ms(p(r.burstReply, 99))} / ${ms(p(r.burstDone, 99))}`,
      how: "includes waiting behind the rest of its 50-event batch",
    },
    {
      metric: "one at a time: sync → reaction (goal p50 ≤ 5 ms, p99 ≤ 20 ms)",
      value: `p50 ${ms(seq.p50)} · p99 ${ms(p(r.seqDone, 99))} · max ${ms(seq.max)}`,
      how: `${r.opts.sequential} commands, each in its own /sync after the previous reaction; CPU ${(r.seqCpuMs / r.opts.sequential).toFixed(2)} ms each`,
    },
    {
      metric: "crypto-only floor",
      value: `${(r.floorMs / n).toFixed(2)} ms CPU per command (${floorParts(r.floorMs, r.floorDecryptMs, r.floorShareMs, n)}) → ${floorRate.toFixed(0)}/s on one core`,
      how: "same events, one OlmMachine on fake-indexeddb: room keys + decrypt + 2 × (shareRoomKey with its own user and the officer + encryptRoomEvent); process.cpuUsage",
    },
    {
      metric: "crypto-only floor, cross-signed like the bot",
      value: `${(r.signedFloorMs / n).toFixed(2)} ms CPU per command (${floorParts(r.signedFloorMs, r.signedFloorDecryptMs, r.signedFloorShareMs, n)}) → ${((n * 1000) / r.signedFloorMs).toFixed(0)}/s on one core`,
      how: "the same on a machine with its own cross-signing identity (bootstrapCrossSigning): the bot has one, so this is its floor",
    },
    { metric: "bot requests per command (burst)", value: reqs, how: "FakeHomeserver's record" },
    statementsRow("SQL statements per command (burst)", r.statements, n),
    statementsRow("SQL statements per command (one at a time)", r.seqStatements, r.opts.sequential),
  ];
}

/** Statements per command, with the most frequent kinds. */
function statementsRow(metric: string, kinds: Map<string, number>, n: number): Row {
  return {
    metric,
    value: ([...kinds.values()].reduce((a, b) => a + b, 0) / n).toFixed(1),
    how: [...kinds]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, v]) => `${k} ${(v / n).toFixed(1)}`)
      .join(" · "),
  };
}

/** Benchmark 6: the crypto store's flushes in the same burst. */
export function flushRows(r: PipelineResult): Row[] {
  const n = r.opts.commands;
  const rows = r.flushes.reduce((a, f) => a + f.rows, 0);
  const costs = r.flushes.map((f) => f.ms);
  return [
    {
      metric: "crypto-store flushes per command",
      value: (r.flushes.length / n).toFixed(2),
      how: `${r.flushes.length} flushes that wrote something, over ${n} commands and ${r.syncs} syncs (pipeline burst)`,
    },
    {
      metric: "crypto-store rows written per command",
      value: (rows / n).toFixed(2),
      how: "rows upserted or deleted in crypto_store_records, from the bot's flush log",
    },
    {
      metric: "flush cost",
      value: `p50 ${ms(p(costs, 50))} · p99 ${ms(p(costs, 99))} · max ${ms(Math.max(...costs))}`,
      how: "wall time of one flush (one SQL statement carrying the device fence, or a transaction for anything but a few records of one store), as the bot logs it",
    },
  ];
}
