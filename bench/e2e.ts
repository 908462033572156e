/**
 * The end-to-end measurements: a Synapse of its own, a fresh database, the bot as a child process
 * and an officer (matrix-js-sdk + Rust crypto). Start-up, round trips, a burst, restarts, and the
 * crypto store. Rendering is in e2eReport.ts.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { BotProcess, registerBot, rosterConfig } from "../test/support/botProcess.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { startHomeserver } from "../test/support/homeserver.ts";
import { Officer } from "../test/support/officer.ts";
import { type BotLine, parseBotLines } from "./botLog.ts";
import type { Cleanup } from "./cleanup.ts";
import { changedRecords, type StoreSize, snapshot, storeSize } from "./cryptoStore.ts";
import { type Burst, burst, type Chat, now, roundTrip, sequential, type Trip } from "./latency.ts";
import { latency, ms, summarize } from "./report.ts";
import { type AccessEntry, logSize, parseAccessLog, readLogFrom } from "./synapseLog.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface E2eOptions {
  sequential: number;
  burst: number;
  restarts: number;
}

export interface Started {
  bot: BotProcess;
  ms: number;
  spawnAt: number;
  lines: BotLine[];
}

export interface E2eResult {
  opts: E2eOptions;
  names: Record<string, string>;
  botUser: string;
  synapseMs: number;
  officerMs: number;
  /** The compiled bot's module graph (as it runs), and the same through tsx (as scripts run). */
  bootMs: number[];
  tsxBootMs: number[];
  cold: Started;
  afterStart: StoreSize;
  joinMs: number;
  first: Trip;
  firstEntries: AccessEntry[];
  trips: Trip[];
  seqEntries: AccessEntry[];
  seqLines: BotLine[];
  changedByOne: string;
  burst: Burst;
  burstEntries: AccessEntry[];
  afterRun: StoreSize;
  restarts: { started: Started; trip: Trip }[];
  restartEntries: AccessEntry[];
}

/** How the bot's module graph is loaded: compiled (as the bot runs) or through tsx (as scripts run). */
const BOOTS = {
  compiled: ["dist/src/main.js"],
  tsx: ["--import", "tsx", "src/main.ts"],
} as const;

/** node + the whole module graph: the bot with no command prints its usage and exits. */
function bootOnce(args: readonly string[]): Promise<number> {
  const t = now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", () => resolve(now() - t));
  });
}

export async function measureE2e(
  cleanup: Cleanup,
  say: (s: string) => void,
  opts: E2eOptions,
): Promise<E2eResult> {
  // Taken in turns, 3 each, so a noisy moment does not land on one side only.
  const bootMs: number[] = [];
  const tsxBootMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    bootMs.push(await bootOnce(BOOTS.compiled));
    tsxBootMs.push(await bootOnce(BOOTS.tsx));
  }

  let t = now();
  const hs = await startHomeserver();
  cleanup.add("stop synapse", () => hs.stop());
  const synapseMs = now() - t;
  say(`synapse up at ${hs.url} in ${ms(synapseMs)}`);

  const db = await createTestDatabase("bench");
  cleanup.add("drop database", () => db.drop());
  const account = await registerBot(hs);
  t = now();
  const officer = await Officer.create(hs);
  cleanup.add("stop officer", () => officer.stop());
  const officerMs = now() - t;

  const config = rosterConfig([officer.userId]);
  const startBot = async (): Promise<Started> => {
    const spawnAt = now();
    const bot = BotProcess.start({
      homeserverUrl: hs.url,
      databaseUrl: db.url,
      account,
      config,
      env: { TEARLINE_LOG_LEVEL: "debug" }, // for the "crypto store flushed" lines
    });
    cleanup.add("stop bot", () => bot.stop());
    await bot.ready();
    return { bot, ms: now() - spawnAt, spawnAt, lines: parseBotLines(bot.lines) };
  };
  const logFrom = async (offset: number) => {
    const r = await readLogFrom(hs.logFile, offset);
    return { entries: parseAccessLog(r.text), offset: r.offset };
  };

  const cold = await startBot();
  say(`bot cold start ${ms(cold.ms)}`);
  const afterStart = await storeSize(db.sql);

  t = now();
  const room = await officer.createRoom({ encrypted: true, invite: [account.userId] });
  await officer.waitForMembership(room, account.userId, "join");
  const joinMs = now() - t;
  const chat: Chat = { officer, room, bot: account.userId };
  let log = await logFrom(await logSize(hs.logFile));
  const first = await roundTrip(chat);
  await sleep(300); // let the access log catch up
  log = await logFrom(log.offset);
  const firstEntries = log.entries;
  say(`first command ${ms(first.replyMs)}`);

  const trips = await sequential(chat, opts.sequential);
  await sleep(300);
  log = await logFrom(log.offset);
  const seqEntries = log.entries;
  const seqLines = parseBotLines(cold.bot.lines);
  say(`${opts.sequential} sequential: ${latency(summarize(trips.map((x) => x.replyMs)))}`);

  const before = await snapshot(db.sql);
  await roundTrip(chat);
  await sleep(500); // the flush after the sync that carries the bot's own reaction
  const changedByOne = changedRecords(before, await snapshot(db.sql));

  log = await logFrom(log.offset);
  const b = await burst(chat, opts.burst);
  await sleep(300);
  log = await logFrom(log.offset);
  const burstEntries = log.entries;
  say(`burst of ${opts.burst}: all replies in ${ms(b.allRepliesMs)}`);

  await cold.bot.stop();
  const afterRun = await storeSize(db.sql);

  const restarts: { started: Started; trip: Trip }[] = [];
  for (let i = 0; i < opts.restarts; i++) {
    const started = await startBot();
    const trip = await roundTrip(chat);
    await started.bot.stop();
    restarts.push({ started, trip });
  }
  await sleep(300);
  log = await logFrom(log.offset);
  say(`restart ${latency(summarize(restarts.map((r) => r.started.ms)))}`);

  return {
    opts,
    names: { [officer.userId]: "officer", [account.userId]: "bot" },
    botUser: account.userId,
    synapseMs,
    officerMs,
    bootMs,
    tsxBootMs,
    cold,
    afterStart,
    joinMs,
    first,
    firstEntries,
    trips,
    seqEntries,
    seqLines,
    changedByOne,
    burst: b,
    burstEntries,
    afterRun,
    restarts,
    restartEntries: log.entries,
  };
}
