/** The bot's JSON log lines (stderr of the child process) as data: start-up milestones, flushes. */
import { ms, type Summary, summarize } from "./report.ts";

export interface BotLine {
  t: number;
  msg: string;
  fields: Record<string, unknown>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseBotLines(lines: readonly string[]): BotLine[] {
  const out: BotLine[] = [];
  for (const line of lines) {
    if (!line.startsWith("{")) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isRecord(v) || typeof v.t !== "string" || typeof v.msg !== "string") continue;
    out.push({ t: Date.parse(v.t), msg: v.msg, fields: v });
  }
  return out;
}

const MILESTONES: readonly [RegExp, string][] = [
  [/^waiting for the device lock/, "boot"],
  [/^holding the device lock/, "lock+migrate"],
  [/^(logged in with a new device|reusing the stored device)/, "login"],
  [/^crypto store loaded/, "store loaded"],
  [/^cross-signing identity created/, "cross-signing"],
  [/^bot started/, "started"],
];

/** `boot 812 ms → lock+migrate 815 ms → login 870 ms → …`, each relative to the spawn. */
export function startupBreakdown(lines: readonly BotLine[], spawnAt: number): string {
  const parts: string[] = [];
  for (const [pattern, label] of MILESTONES) {
    const hit = lines.find((l) => pattern.test(l.msg));
    if (!hit) continue;
    const extra =
      label === "store loaded"
        ? ` (${String(hit.fields.records)} records in ${String(hit.fields.ms)} ms)`
        : "";
    parts.push(`${label} ${ms(hit.t - spawnAt)}${extra}`);
  }
  return parts.join(" → ");
}

export interface FlushStats {
  flushes: number;
  ops: number;
  rows: number;
  totalMs: number;
  perFlush: Summary;
}

/** "crypto store flushed" lines (debug level) in [from, to]. */
export function flushStats(lines: readonly BotLine[], from = 0, to = Number.POSITIVE_INFINITY): FlushStats {
  const hits = lines.filter((l) => l.msg === "crypto store flushed" && l.t >= from && l.t <= to);
  const num = (v: unknown): number => (typeof v === "number" ? v : 0);
  const durations = hits.map((h) => num(h.fields.ms));
  return {
    flushes: hits.length,
    ops: hits.reduce((a, h) => a + num(h.fields.ops), 0),
    rows: hits.reduce((a, h) => a + num(h.fields.rows), 0),
    totalMs: durations.reduce((a, b) => a + b, 0),
    perFlush: summarize(durations),
  };
}
