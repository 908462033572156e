/** E2eResult → the tables of BENCHMARKS.md, with a timeline of one command. */
import { type BotLine, flushStats, startupBreakdown } from "./botLog.ts";
import { sizeRow } from "./cryptoStore.ts";
import type { E2eResult } from "./e2e.ts";
import type { Trip } from "./latency.ts";
import { count, latency, ms, type Row, type Section, summarize } from "./report.ts";
import { type AccessEntry, callList, endpointRows, serverTime, type TraceMark, trace } from "./synapseLog.ts";

function flushMarks(lines: readonly BotLine[]): TraceMark[] {
  return lines
    .filter((l) => l.msg === "crypto store flushed")
    .map((l) => ({
      at: l.t - Number(l.fields.ms ?? 0),
      who: "bot",
      what: `flush crypto store: ${String(l.fields.ops)} ops, ${String(l.fields.rows)} rows (${String(l.fields.ms)} ms)`,
    }));
}

function timeline(
  r: E2eResult,
  entries: readonly AccessEntry[],
  lines: readonly BotLine[],
  trip: Trip,
): string[] {
  return trace(entries, r.names, trip.sentAt, trip.reactionAt, [
    { at: trip.sentAt, who: "officer", what: "sendMessage(!status) called" },
    { at: trip.replyAt, who: "officer", what: "reply decrypted" },
    { at: trip.reactionAt, who: "officer", what: "reaction decrypted" },
    ...flushMarks(lines),
  ]);
}

export function e2eSections(r: E2eResult): Section[] {
  const n = r.opts.sequential;
  const b = r.burst;
  const coldFlush = flushStats(r.cold.lines, 0, r.cold.spawnAt + r.cold.ms);
  const firstTrip = r.trips[0];
  const lastTrip = r.trips.at(-1);
  const seqFlush = flushStats(r.seqLines, firstTrip?.sentAt ?? 0, lastTrip?.reactionAt ?? 0);
  const restartMs = summarize(r.restarts.map((x) => x.started.ms));
  const firstRestart = r.restarts[0]?.started;
  const reply = summarize(r.trips.map((x) => x.replyMs));
  const botSeq = serverTime(r.seqEntries, r.botUser);
  const botBurst = serverTime(r.burstEntries, r.botUser);
  const median = [...r.trips].sort((x, y) => x.replyMs - y.replyMs)[Math.floor(r.trips.length / 2)];

  const start: Row[] = [
    {
      metric: "Synapse start (warm venv)",
      value: ms(r.synapseMs),
      how: "startHomeserver(): generate config, start, first 200 from /versions",
    },
    {
      metric: "Officer ready",
      value: ms(r.officerMs),
      how: "Officer.create: register, login, initRustCrypto, first sync, own device keys on the server",
    },
    {
      metric: "node + module graph (the compiled bot)",
      value: latency(summarize(r.bootMs)),
      how: "`node dist/src/main.js` (no command: prints usage, exits); 3 runs — the floor under every bot start",
    },
    {
      metric: "… the same through tsx",
      value: latency(summarize(r.tsxBootMs)),
      how: "`node --import tsx src/main.ts`, 3 runs taken in turns with the above: what compiling at run time would cost each start",
    },
    {
      metric: "Bot cold start (first login)",
      value: ms(r.cold.ms),
      how: `spawn → "bot started": ${startupBreakdown(r.cold.lines, r.cold.spawnAt)}`,
    },
    {
      metric: `Bot restart reusing the device (×${r.restarts.length})`,
      value: latency(restartMs),
      how: `spawn → "bot started"; first restart: ${firstRestart ? startupBreakdown(firstRestart.lines, firstRestart.spawnAt) : "n/a"}`,
    },
    {
      metric: "Bot's requests per restart (+1 command)",
      value: callList(r.restartEntries, r.botUser, r.restarts.length),
      how: "Synapse access log over the restarts, /sync left out",
    },
    {
      metric: "Invite → bot joined",
      value: ms(r.joinMs),
      how: "officer creates an encrypted room inviting the bot, until it sees the bot's join",
    },
    {
      metric: "Crypto store flushes during cold start",
      value: `${coldFlush.flushes} flushes, ${ms(coldFlush.totalMs)} total`,
      how: `${count(coldFlush.rows)} rows written; per flush ${latency(coldFlush.perFlush)} (bot's debug log, ms rounded)`,
    },
    sizeRow("after cold start", r.afterStart),
    sizeRow(`after ${count(2 + n + b.n)} commands`, r.afterRun),
    {
      metric: "Crypto store records one !status rewrites",
      value: r.changedByOne,
      how: "md5 of every record before and after one command (reply + reaction), compared",
    },
  ];
  const trips: Row[] = [
    {
      metric: "First command in a fresh room",
      value: `reply ${ms(r.first.replyMs)} · reaction ${ms(r.first.reactionMs)}`,
      how: `bot's requests: ${callList(r.firstEntries, r.botUser)}`,
    },
    {
      metric: `!status round trip, ${n} sequential`,
      value: latency(reply),
      how: "officer sendMessage → reply decrypted by the officer; the next command waits for the reaction too",
    },
    {
      metric: "… until the ✅ reaction too",
      value: latency(summarize(r.trips.map((x) => x.reactionMs))),
      how: "the reaction is a second encrypted send, after the reply",
    },
    {
      metric: "… the officer's own send",
      value: latency(summarize(r.trips.map((x) => x.sendMs))),
      how: "sendMessage resolved (its encryption + PUT)",
    },
    {
      metric: `Burst: ${b.n} commands at once`,
      value: `${(b.n / (b.allRepliesMs / 1000)).toFixed(1)} replies/s · all replies in ${ms(b.allRepliesMs)}`,
      how: `${b.n} concurrent sendMessage, all acknowledged after ${ms(b.sentMs)}; first reply ${ms(b.firstReplyMs)}; per reply ${latency(b.perReply)}; all reactions ${ms(b.allReactionsMs)}`,
    },
    {
      metric: "First command after a restart",
      value: latency(summarize(r.restarts.map((x) => x.trip.replyMs))),
      how: `${r.restarts.length} restarts: spawn, "bot started", one !status`,
    },
  ];
  const where: Row[] = [
    {
      metric: "Bot's requests per command (sequential)",
      value: `${(botSeq.calls / n).toFixed(1)} calls · ${ms(botSeq.took / n)} server time`,
      how: "Synapse access log for the bot's user; /sync long-polls left out",
    },
    {
      metric: "Bot's requests per command (burst)",
      value: `${(botBurst.calls / b.n).toFixed(1)} calls · ${ms(botBurst.took / b.n)} server time`,
      how: "same, during the burst (Synapse under load)",
    },
    {
      metric: "Crypto store flushes per command (sequential)",
      value: `${(seqFlush.flushes / n).toFixed(1)} flushes · ${ms(seqFlush.totalMs / n)}`,
      how: `${count(seqFlush.rows)} rows in ${seqFlush.flushes} flushes; per flush ${latency(seqFlush.perFlush)} (ms rounded)`,
    },
    ...endpointRows(r.seqEntries, r.botUser, n),
  ];
  const block = (title: string, lines: string[]): string[] => [title, "", "```", ...lines, "```", ""];
  return [
    { title: "Start-up and crypto store", rows: start },
    { title: "Command round trips (encrypted room)", rows: trips },
    {
      title: "Where the bot's time goes (per !status: one reply + one reaction)",
      rows: where,
      after: [
        "Timelines from the Synapse access log (request start = end − processing time) and the bot's debug log (flushes), relative to the officer's sendMessage call:",
        "",
        ...(median
          ? block(
              `The median of the ${n} sequential commands:`,
              timeline(r, r.seqEntries, r.seqLines, median),
            )
          : []),
        ...block("The first command in a fresh room:", timeline(r, r.firstEntries, r.seqLines, r.first)),
      ],
    },
  ];
}
