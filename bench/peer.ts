/**
 * Benchmarks 2 and 3 of issue 9, on one Synapse with one officer: Tearline against a bare
 * matrix-js-sdk echo bot (bench/echoBot.ts), each a child process in a room of its own with the
 * officer — sequential round trips taken turn about, bursts of 100 in alternating order — and then
 * both in many rooms at once. Rendering is in peerReport.ts.
 */
import { BotProcess, registerBot, rosterConfig } from "../test/support/botProcess.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { type Homeserver, registerUser, startHomeserver, uniqueName } from "../test/support/homeserver.ts";
import { Officer } from "../test/support/officer.ts";
import type { Cleanup } from "./cleanup.ts";
import { cpuMs } from "./procCpu.ts";
import { EchoProcess } from "./echoProcess.ts";
import { type Burst, burst, type Chat, roundTrip, type Trip } from "./latency.ts";
import { checkOrder, type OrderCheck } from "./order.ts";
import { latency, ms, summarize } from "./report.ts";
import { type AccessEntry, logSize, parseAccessLog, readLogFrom } from "./synapseLog.ts";
import { backgroundCpu, cpuBetween } from "./synapseMetrics.ts";

export interface PeerOptions {
  sequential: number;
  burst: number;
  /** Bursts per bot, in alternating order (T E, E T, …). */
  rounds: number;
  /** Many rooms: 0 leaves that part out. */
  rooms: number;
  perRoom: number;
}

export type BotName = "tearline" | "echo";

export interface MeasuredBurst {
  burst: Burst;
  order: OrderCheck;
  /** The bot process's CPU time over the burst (until its last reaction was seen). */
  cpuMs: number | undefined;
  /** Synapse's CPU time over the same span (one Python process: its ceiling is one core). */
  synapseCpuMs: number | undefined;
  /** Of it, its background processes' (from its metrics), by name, largest first. */
  background: [string, number][] | undefined;
  /** Wall time of that span. */
  spanMs: number;
  entries: AccessEntry[];
}

export interface ManyRooms {
  rooms: number;
  perRoom: number;
  bursts: Burst[];
  /** First send → the last reply in any room. */
  allRepliesMs: number;
  allReactionsMs: number;
  order: OrderCheck[];
  cpuMs: number | undefined;
  synapseCpuMs: number | undefined;
  background: [string, number][] | undefined;
  spanMs: number;
  entries: AccessEntry[];
}

export interface Side {
  name: BotName;
  userId: string;
  trips: Trip[];
  bursts: MeasuredBurst[];
  seqEntries: AccessEntry[];
  many?: ManyRooms;
}

export interface PeerResult {
  opts: PeerOptions;
  officer: string;
  sides: Record<BotName, Side>;
}

interface Running {
  name: BotName;
  userId: string;
  pid: number | undefined;
}

class AccessLog {
  private offset = 0;
  constructor(private readonly file: string) {}
  async mark(): Promise<void> {
    this.offset = await logSize(this.file);
  }
  /** Entries appended since the last mark (or read), after Synapse has had a moment to write them. */
  async read(): Promise<AccessEntry[]> {
    await new Promise((r) => setTimeout(r, 300)); // the access line is written after the response
    const r = await readLogFrom(this.file, this.offset);
    this.offset = r.offset;
    return parseAccessLog(r.text);
  }
}

async function room(officer: Officer, botUser: string): Promise<string> {
  const id = await officer.createRoom({ encrypted: true, invite: [botUser] });
  await officer.waitForMembership(id, botUser, "join", 60_000);
  return id;
}

interface CpuSpan {
  bot: number | undefined;
  synapse: number | undefined;
  /** Synapse's background processes' CPU over the span, by name, largest first. */
  background: [string, number][] | undefined;
  wallMs: number;
}

/** CPU ms of the bot and of Synapse, and the wall time, from here to the call of what it returns. */
async function cpuSpan(bot: Running, hs: Homeserver): Promise<() => Promise<CpuSpan>> {
  const pid = hs.pid();
  const background = await backgroundCpu(hs.metricsUrl);
  const before = { bot: cpuMs(bot.pid), synapse: cpuMs(pid), at: performance.now() };
  const since = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined ? b - a : undefined;
  return async () => {
    const after = {
      bot: since(before.bot, cpuMs(bot.pid)),
      synapse: since(before.synapse, cpuMs(pid)),
      wallMs: performance.now() - before.at,
    };
    return { ...after, background: cpuBetween(background, await backgroundCpu(hs.metricsUrl)) };
  };
}

async function measuredBurst(
  c: Chat,
  bot: Running,
  n: number,
  log: AccessLog,
  hs: Homeserver,
): Promise<MeasuredBurst> {
  await log.mark();
  const span = await cpuSpan(bot, hs);
  const b = await burst(c, n);
  const cpu = await span();
  const entries = await log.read();
  const order = await checkOrder(c.officer, c.room, c.bot, b.ids);
  return {
    burst: b,
    order,
    cpuMs: cpu.bot,
    synapseCpuMs: cpu.synapse,
    background: cpu.background,
    spanMs: cpu.wallMs,
    entries,
  };
}

/** `rooms` fresh rooms, one first command each (keys shared), then `perRoom` commands in all at once. */
async function manyRooms(
  officer: Officer,
  bot: Running,
  opts: PeerOptions,
  log: AccessLog,
  hs: Homeserver,
  say: (s: string) => void,
): Promise<ManyRooms> {
  const chats: Chat[] = [];
  for (let i = 0; i < opts.rooms; i++)
    chats.push({ officer, room: await room(officer, bot.userId), bot: bot.userId });
  await Promise.all(chats.map((c) => roundTrip(c)));
  say(`${bot.name}: ${opts.rooms} rooms ready`);
  await log.mark();
  const span = await cpuSpan(bot, hs);
  const bursts = await Promise.all(chats.map((c) => burst(c, opts.perRoom, "!status", 300_000)));
  const cpu = await span();
  const entries = await log.read();
  const start = Math.min(...bursts.map((b) => b.startedAt));
  const end = (f: (b: Burst) => number) => Math.max(...bursts.map((b) => b.startedAt + f(b))) - start;
  const order = await Promise.all(
    chats.map((c, i) => checkOrder(officer, c.room, c.bot, bursts[i]?.ids ?? [])),
  );
  return {
    rooms: opts.rooms,
    perRoom: opts.perRoom,
    bursts,
    allRepliesMs: end((b) => b.allRepliesMs),
    allReactionsMs: end((b) => b.allReactionsMs),
    order,
    cpuMs: cpu.bot,
    synapseCpuMs: cpu.synapse,
    background: cpu.background,
    spanMs: cpu.wallMs,
    entries,
  };
}

async function startBots(hs: Homeserver, cleanup: Cleanup, officer: Officer): Promise<Running[]> {
  const db = await createTestDatabase("bench");
  cleanup.add("drop database (peer)", () => db.drop());
  const account = await registerBot(hs);
  const bot = BotProcess.start({
    homeserverUrl: hs.url,
    databaseUrl: db.url,
    account,
    config: rosterConfig([officer.userId]),
  });
  cleanup.add("stop bot (peer)", () => bot.stop());
  const echoUser = await registerUser(hs, uniqueName("echo"));
  const echo = EchoProcess.start(hs.url, echoUser);
  cleanup.add("stop echo bot", () => echo.stop());
  await Promise.all([bot.ready(), echo.ready()]);
  return [
    { name: "tearline", userId: account.userId, pid: bot.child.pid },
    { name: "echo", userId: echoUser.userId, pid: echo.pid },
  ];
}

export async function measurePeer(
  cleanup: Cleanup,
  say: (s: string) => void,
  opts: PeerOptions,
): Promise<PeerResult> {
  const hs = await startHomeserver();
  cleanup.add("stop synapse (peer)", () => hs.stop());
  const log = new AccessLog(hs.logFile);
  const officer = await Officer.create(hs, uniqueName("officer"), { sendQueuePerRoom: true });
  cleanup.add("stop officer (peer)", () => officer.stop());
  const bots = await startBots(hs, cleanup, officer);
  const chats = await Promise.all(
    bots.map(async (b) => ({
      bot: b,
      chat: { officer, room: await room(officer, b.userId), bot: b.userId },
    })),
  );
  for (const { chat } of chats) for (let i = 0; i < 3; i++) await roundTrip(chat); // warm: keys shared
  say("peer: both bots answer");

  const sides = Object.fromEntries(
    bots.map((b) => [b.name, { name: b.name, userId: b.userId, trips: [], bursts: [], seqEntries: [] }]),
  ) as unknown as Record<BotName, Side>;
  await log.mark();
  for (let i = 0; i < opts.sequential; i++)
    for (const { bot, chat } of chats) sides[bot.name].trips.push(await roundTrip(chat));
  const seqEntries = await log.read();
  for (const b of bots) {
    sides[b.name].seqEntries = seqEntries;
    say(`peer: ${b.name} sequential ${latency(summarize(sides[b.name].trips.map((t) => t.replyMs)))}`);
  }

  for (let r = 0; r < opts.rounds; r++) {
    const turn = r % 2 === 0 ? chats : [...chats].reverse();
    for (const { bot, chat } of turn) {
      const m = await measuredBurst(chat, bot, opts.burst, log, hs);
      sides[bot.name].bursts.push(m);
      say(`peer: ${bot.name} burst of ${opts.burst}: all replies in ${ms(m.burst.allRepliesMs)}`);
    }
  }

  if (opts.rooms > 0)
    for (const b of bots) {
      const many = await manyRooms(officer, b, opts, log, hs, say);
      sides[b.name].many = many;
      say(`rooms: ${b.name} ${opts.rooms} × ${opts.perRoom}: all replies in ${ms(many.allRepliesMs)}`);
    }
  return { opts, officer: officer.userId, sides };
}
