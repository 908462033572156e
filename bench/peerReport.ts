/** PeerResult → the BENCHMARKS.md sections of benchmarks 2 (against a peer) and 3 (many rooms). */
import type { BotName, MeasuredBurst, PeerResult, Side } from "./peer.ts";
import { latency, ms, type Row, type Section, summarize } from "./report.ts";
import { serverTime, synapseCpuSplit } from "./synapseLog.ts";

const SEQ_GOAL = 1.1;
const BURST_GOAL = 1.0;
const ROOMS_GOAL = 3;

const perSecond = (n: number, msTaken: number): number => n / (msTaken / 1000);
const median = (xs: number[]): number => summarize(xs).p50;
const met = (ok: boolean): string => (ok ? "met" : "not met");

function burstRate(s: Side): number {
  return median(s.bursts.map((b) => perSecond(b.burst.n, b.burst.allRepliesMs)));
}

function cpuPerCommand(cpu: number | undefined, n: number): string {
  return cpu === undefined ? "n/a" : ms(cpu / n);
}

/** "Synapse CPU 41 ms/command, 96 % of one core": how close the homeserver ran to its ceiling. */
function synapseLoad(cpu: number | undefined, n: number, wallMs: number): string {
  if (cpu === undefined) return "Synapse CPU n/a";
  return `Synapse CPU ${ms(cpu / n)}/command, ${Math.round((100 * cpu) / wallMs)} % of one core`;
}

function outOfOrder(checks: { outOfOrder: number; replies: number; reactions: number }[]): string {
  const bad = checks.reduce((a, c) => a + c.outOfOrder, 0);
  const replies = checks.reduce((a, c) => a + c.replies, 0);
  const reactions = checks.reduce((a, c) => a + c.reactions, 0);
  return `${bad === 0 ? "in order" : `${bad} out of order`} (${replies} replies, ${reactions} reactions checked against the server's order)`;
}

function serverPerCommand(b: MeasuredBurst, user: string): string {
  const t = serverTime(b.entries, user);
  return `${(t.calls / b.burst.n).toFixed(1)} calls · ${ms(t.took / b.burst.n)}`;
}

const LABEL: Record<BotName, string> = { tearline: "Tearline", echo: "echo bot" };

export function peerSections(r: PeerResult): Section[] {
  const t = r.sides.tearline;
  const e = r.sides.echo;
  const seq = (s: Side) => summarize(s.trips.map((x) => x.replyMs));
  const seqRatio = seq(t).p50 / seq(e).p50;
  const burstRatio = burstRate(t) / burstRate(e);
  const rows: Row[] = [];
  for (const s of [t, e])
    rows.push({
      metric: `${LABEL[s.name]}: !status round trip, ${s.trips.length} sequential`,
      value: latency(seq(s)),
      how: `officer sendMessage → reply decrypted; reaction ${latency(summarize(s.trips.map((x) => x.reactionMs)))}; turns taken with the other bot`,
    });
  rows.push({
    metric: "Sequential p50 ratio Tearline / echo",
    value: `${seqRatio.toFixed(2)} · goal ≤ ${SEQ_GOAL}: ${met(seqRatio <= SEQ_GOAL)}`,
    how: `p95 ratio ${(seq(t).p95 / seq(e).p95).toFixed(2)}`,
  });
  for (const s of [t, e])
    rows.push({
      metric: `${LABEL[s.name]}: burst of ${r.opts.burst} (×${s.bursts.length})`,
      value: s.bursts
        .map((b) => `${perSecond(b.burst.n, b.burst.allRepliesMs).toFixed(1)} replies/s`)
        .join(" · "),
      how: s.bursts
        .map(
          (b) =>
            `all replies ${ms(b.burst.allRepliesMs)}, reactions ${ms(b.burst.allReactionsMs)}, officer's sends done ${ms(b.burst.sentMs)}; bot CPU ${cpuPerCommand(b.cpuMs, b.burst.n)}/command; ${synapseLoad(b.synapseCpuMs, b.burst.n, b.spanMs)}; bot's requests ${serverPerCommand(b, s.userId)} server time/command; ${outOfOrder([b.order])}`,
        )
        .join(" — "),
    });
  rows.push({
    metric: "Burst throughput ratio Tearline / echo",
    value: `${burstRatio.toFixed(2)} · goal ≥ ${BURST_GOAL}: ${met(burstRatio >= BURST_GOAL)}`,
    how: `medians: Tearline ${burstRate(t).toFixed(1)}/s, echo ${burstRate(e).toFixed(1)}/s; bursts alternate which bot goes first`,
  });
  const sections: Section[] = [
    {
      title: "Against a peer: a bare matrix-js-sdk echo bot (issue 9, benchmark 2)",
      rows,
      after: [
        `Same Synapse, same officer (${r.opts.sequential}×2 sequential commands taken turn about, then bursts), one room per bot. The echo bot (bench/echoBot.ts) is matrix-js-sdk 37.5.0 with its Rust crypto in memory: it stores nothing, and with the SDK's defaults it sends its ✅ unencrypted (js-sdk never encrypts reactions) and queues every message of every room in one send queue. Tearline's reply and reaction are both encrypted, and each command is made durable in PostgreSQL (processed event, audit entry, outbox rows, crypto store) before its answer leaves.`,
      ],
    },
  ];
  if (t.many && e.many) {
    const single = burstRate(t);
    const manyRate = (s: Side) =>
      s.many ? perSecond(s.many.rooms * s.many.perRoom, s.many.allRepliesMs) : Number.NaN;
    const times = manyRate(t) / single;
    const manyRows: Row[] = [t, e].map((s) => {
      const m = s.many;
      if (!m) throw new Error("unreachable");
      const n = m.rooms * m.perRoom;
      const server = serverTime(m.entries, s.userId);
      return {
        metric: `${LABEL[s.name]}: ${m.rooms} rooms × ${m.perRoom} commands at once`,
        value: `${manyRate(s).toFixed(1)} replies/s · all replies in ${ms(m.allRepliesMs)}`,
        how: `all reactions ${ms(m.allReactionsMs)}; officer's sends done ${ms(Math.max(...m.bursts.map((b) => b.sentMs)))}; bot CPU ${cpuPerCommand(m.cpuMs, n)}/command; ${synapseLoad(m.synapseCpuMs, n, m.spanMs)}; bot's requests ${(server.calls / n).toFixed(1)} · ${ms(server.took / n)} server time/command; ${outOfOrder(m.order)}`,
      };
    });
    manyRows.push({
      metric: "Many rooms ÷ single-room burst (Tearline)",
      value: `${times.toFixed(2)}× · goal ≥ ${ROOMS_GOAL}×: ${met(times >= ROOMS_GOAL)}`,
      how: `${manyRate(t).toFixed(1)}/s against the median single-room burst ${single.toFixed(1)}/s of the same run; echo bot ${(manyRate(e) / burstRate(e)).toFixed(2)}×`,
    });
    // Synapse is one Python process: one core, over its CPU per command in many rooms, caps them.
    if (t.many?.synapseCpuMs !== undefined) {
      const perCommand = t.many.synapseCpuMs / (t.many.rooms * t.many.perRoom);
      const ceiling = 1000 / perCommand;
      manyRows.push({
        metric: "Many rooms: what Synapse's one core allows (Tearline)",
        value: `${ceiling.toFixed(1)} commands/s → at most ${(ceiling / single).toFixed(2)}× the single-room burst · ${ceiling / single < ROOMS_GOAL ? "below the goal: out of reach on this homeserver" : "not ruled out by this bound"}`,
        how: `1000 ms ÷ Synapse's ${ms(perCommand)} of CPU per command in the ${t.many.rooms} rooms (its process, /proc); ${ROOMS_GOAL}× ${single.toFixed(1)}/s would need ${((ROOMS_GOAL * single * perCommand) / 1000).toFixed(2)} cores of it. A Synapse with event-persister workers could spread it; on these 2 cores the bot, the officer and PostgreSQL share them too`,
      });
    }
    // What Synapse's one core went on: the access log's CPU per request, by whose requests.
    for (const s of [t, e]) {
      const m = s.many;
      const b = s.bursts[0];
      if (!m || !b) continue;
      const users = { [r.officer]: "officer", [s.userId]: LABEL[s.name] };
      const n = m.rooms * m.perRoom;
      manyRows.push({
        metric: `${LABEL[s.name]}: Synapse's CPU per command, by whose requests`,
        value: `burst of ${b.burst.n}: ${ms((b.synapseCpuMs ?? Number.NaN) / b.burst.n)} · ${m.rooms} rooms: ${ms((m.synapseCpuMs ?? Number.NaN) / n)}`,
        how: `burst: ${synapseCpuSplit(b.entries, users, b.synapseCpuMs, b.burst.n, b.background)} — ${m.rooms} rooms: ${synapseCpuSplit(m.entries, users, m.synapseCpuMs, n, m.background)}. Per request from Synapse's access log (ru_utime + ru_stime, its database threads' included; a /sync long-poll's includes its every wake-up); "in no request" is the rest of its process CPU (/proc), and the background processes' from its Prometheus metrics`,
      });
    }
    sections.push({
      title: "Many rooms (issue 9, benchmark 3)",
      rows: manyRows,
      after: [
        "Fresh rooms, one command each first (room keys shared), then every room's commands sent at once; the officer sends with one queue per room (in order within a room, rooms side by side). Order is checked against the homeserver's order of the room (`/messages`).",
      ],
    });
  }
  return sections;
}
