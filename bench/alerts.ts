/**
 * Issue 7's benchmark: one alert under an auto rule fanned out to 20 encrypted rooms, timed from
 * the officer's `!alert` until that officer — a member of every room — has decrypted every copy;
 * compared with the single-room `!status` reply latency measured in the same run. A Synapse, a
 * database and a bot of its own; the rooms are created by a room admin and configured by id.
 */
import { BotProcess, registerBot } from "../test/support/botProcess.ts";
import { copiesIn, roomsByAdmin } from "../test/support/alerts.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { startHomeserver } from "../test/support/homeserver.ts";
import { Officer } from "../test/support/officer.ts";
import type { Cleanup } from "./cleanup.ts";
import { now, sequential } from "./latency.ts";
import { latency, ms, type Row, type Section, type Summary, summarize } from "./report.ts";

export interface FanoutOptions {
  rooms: number;
  runs: number;
  replies: number;
}

export interface Fanout {
  opts: FanoutOptions;
  /** The first alert: the bot shares a room key in every room on the way. */
  coldMs: number;
  /** Per timed run: `!alert` sent → the last of the copies decrypted. */
  allMs: number[];
  /** Per timed run: `!alert` sent → the first copy decrypted. */
  firstMs: number[];
  /** Per timed run: `!alert` sent → the bot's reply to it decrypted. */
  replyMs: number[];
  /** Single-room `!status` round trips, same bot and officer. */
  status: Summary;
}

/** Sends one text alert; resolves when every target shows a copy carrying `text`. */
async function oneAlert(officer: Officer, bot: string, source: string, targets: string[], label: string) {
  const text = `${label} ${Math.random().toString(36).slice(2, 8)}`;
  const arrived = new Map<string, number>();
  let replyAt = Number.NaN;
  let commandId = "";
  const scan = (): true | undefined => {
    const t = now();
    for (const room of targets)
      if (!arrived.has(room) && copiesIn(officer, room, bot).some((m) => m.body.includes(text)))
        arrived.set(room, t);
    if (
      Number.isNaN(replyAt) &&
      commandId &&
      officer.messagesFrom(source, bot).some((m) => m.replyTo === commandId)
    )
      replyAt = t;
    return arrived.size === targets.length && !Number.isNaN(replyAt) ? true : undefined;
  };
  const start = now();
  const done = officer.waitFor(`${targets.length} copies of "${text}"`, scan, 60_000);
  commandId = await officer.send(source, `!alert tlp=amber -- ${text}`);
  await done;
  const at = [...arrived.values()].map((t) => t - start);
  return { allMs: Math.max(...at), firstMs: Math.min(...at), replyMs: replyAt - start };
}

export async function measureFanout(
  cleanup: Cleanup,
  say: (s: string) => void,
  opts: FanoutOptions,
): Promise<Fanout> {
  const hs = await startHomeserver();
  cleanup.add("stop synapse (fan-out)", () => hs.stop());
  const db = await createTestDatabase("bench");
  cleanup.add("drop database (fan-out)", () => db.drop());
  const account = await registerBot(hs);
  const officer = await Officer.create(hs);
  cleanup.add("stop officer (fan-out)", () => officer.stop());

  const aliases = Array.from({ length: opts.rooms }, (_, i) => `target-${i + 1}`);
  const rooms = await roomsByAdmin(
    hs,
    account.userId,
    Object.fromEntries(["source", ...aliases].map((a) => [a, [officer]])),
  );
  const config = {
    partners: { COL: { name: "Colombian Navy" }, USA: { name: "US Coast Guard" } },
    rooms: Object.fromEntries(
      Object.entries(rooms).map(([alias, room]) => [alias, { room, partners: ["COL", "USA"] }]),
    ),
    roster: { [officer.userId]: { partner: "COL", roles: ["liaison", "duty_officer"] } },
    sharing: [{ from: "source", to: aliases, kinds: ["text"], max_tlp: "amber", approval: "auto" }],
  };
  const bot = BotProcess.start({ homeserverUrl: hs.url, databaseUrl: db.url, account, config });
  cleanup.add("stop bot (fan-out)", () => bot.stop());
  await bot.ready();
  await Promise.all(
    Object.values(rooms).map((r) => officer.waitForMembership(r, account.userId, "join", 60_000)),
  );
  say(`fan-out: bot in ${Object.keys(rooms).length} rooms`);

  const source = rooms.source as string;
  const targets = aliases.map((a) => rooms[a] as string);
  await sequential({ officer, room: source, bot: account.userId }, 3); // warm the source room
  const cold = await oneAlert(officer, account.userId, source, targets, "cold fan-out");
  say(`fan-out: first alert to ${opts.rooms} rooms in ${ms(cold.allMs)}`);
  const runs = [];
  for (let i = 0; i < opts.runs; i++)
    runs.push(await oneAlert(officer, account.userId, source, targets, `run ${i + 1}`));
  const trips = await sequential({ officer, room: source, bot: account.userId }, opts.replies);
  const result: Fanout = {
    opts,
    coldMs: cold.allMs,
    allMs: runs.map((r) => r.allMs),
    firstMs: runs.map((r) => r.firstMs),
    replyMs: runs.map((r) => r.replyMs),
    status: summarize(trips.map((t) => t.replyMs)),
  };
  say(`fan-out: ${latency(summarize(result.allMs))}; !status ${latency(result.status)}`);
  await bot.stop();
  return result;
}

const GOAL_MS = 2000;

export function fanoutSection(f: Fanout): Section {
  const all = summarize(f.allMs);
  const n = f.opts.rooms;
  const rows: Row[] = [
    {
      metric: `One alert fanned out to ${n} rooms (auto rule)`,
      value: `${latency(all)} (${f.opts.runs} runs) · goal ≤ ${ms(GOAL_MS)}: ${all.p50 <= GOAL_MS ? "met" : "not met"}`,
      how: `officer sends \`!alert tlp=amber -- …\` in the source room → it has decrypted the copy in all ${n} target rooms (one officer in all ${n + 1} rooms)`,
    },
    {
      metric: "… first copy / the !alert's own reply",
      value: `first copy p50 ${ms(summarize(f.firstMs).p50)} · reply p50 ${ms(summarize(f.replyMs).p50)}`,
      how: "same runs: the earliest of the copies decrypted; the bot's reply to the command decrypted",
    },
    {
      metric: "… compared with one !status reply",
      value: `!status ${latency(f.status)} · fan-out p50 = ${(all.p50 / f.status.p50).toFixed(1)} × the reply p50`,
      how: `${f.opts.replies} sequential !status round trips in the source room, same bot, officer and run`,
    },
    {
      metric: "First alert to those rooms",
      value: ms(f.coldMs),
      how: `before the timed runs: the bot's first message in each of the ${n} rooms also shares a room key with the officer's device`,
    },
  ];
  return { title: "Alert fan-out (issue 7)", rows };
}

/** The section when the fan-out could not be measured: says so instead of inventing a number. */
export function fanoutFailedSection(rooms: number, err: unknown): Section {
  const why = err instanceof Error ? (err.message.split("\n")[0] ?? err.message) : String(err);
  return {
    title: "Alert fan-out (issue 7)",
    rows: [
      {
        metric: `One alert fanned out to ${rooms} rooms`,
        value: "not measured",
        how: `the run failed: ${why}`,
      },
    ],
  };
}
