/**
 * Synapse's access log as data: who called which endpoint, when it finished and how long the
 * server spent on it. Used to attribute the bot's time per command to Matrix requests.
 */
import { open, stat } from "node:fs/promises";
import { count, ms, type Row } from "./report.ts";

export interface AccessEntry {
  /** Epoch ms the request finished (the log line's time). */
  end: number;
  /** Server-side processing time, ms. */
  took: number;
  /** Synapse's CPU for the request (its ru_utime + ru_stime), ms: a long-poll's includes every wake-up. */
  cpu: number;
  user: string | null;
  method: string;
  /** Path with ids replaced: `/rooms/{room}/send/m.room.encrypted/{txn}`. */
  endpoint: string;
  status: number;
}

const LINE =
  /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}) - synapse\.access\.http\.\d+ .*? - \{(.*?)\} Processed request: ([\d.]+)sec\/[\d.]+sec (?:ru=)?\(([\d.]+)sec, ([\d.]+)sec\).*? (\d{3}) "(\w+) (\S+) HTTP/;

function normalize(rawPath: string): string {
  const path = rawPath.split("?")[0] ?? rawPath;
  const parts = path.replace(/^\/_matrix\/client\/(v3|r0|unstable)/, "").split("/");
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const seg = decodeURIComponent(parts[i] ?? "");
    const prev = out[out.length - 2];
    if (seg.startsWith("!")) out.push("{room}");
    else if (seg.startsWith("$")) out.push("{event}");
    else if (seg.startsWith("@")) out.push("{user}");
    else if (prev === "send" || prev === "sendToDevice" || prev === "redact") out.push("{txn}");
    else out.push(seg);
  }
  return out.join("/");
}

export function parseAccessLog(text: string): AccessEntry[] {
  const entries: AccessEntry[] = [];
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [, y, mo, d, h, mi, s, milli, user, sec, utime, stime, status, method, path] = m;
    const end = new Date(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, +milli!).getTime();
    entries.push({
      end,
      took: Number(sec) * 1000,
      cpu: (Number(utime) + Number(stime)) * 1000,
      user: user === "None" ? null : (user ?? null),
      method: method ?? "",
      endpoint: normalize(path ?? ""),
      status: Number(status),
    });
  }
  return entries;
}

/** Reads what Synapse appended to its log since `from` (a byte offset); returns the new offset. */
export async function readLogFrom(file: string, from: number): Promise<{ text: string; offset: number }> {
  const size = (await stat(file)).size;
  if (size <= from) return { text: "", offset: from };
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(size - from);
    await fh.read(buf, 0, buf.length, from);
    return { text: buf.toString("utf8"), offset: size };
  } finally {
    await fh.close();
  }
}

export async function logSize(file: string): Promise<number> {
  return (await stat(file)).size;
}

/** Per-endpoint calls and server time of one user, per unit (e.g. per command). Long-polls apart. */
export function endpointRows(entries: readonly AccessEntry[], user: string, units: number): Row[] {
  const byEndpoint = new Map<string, { n: number; took: number }>();
  for (const e of entries) {
    if (e.user !== user) continue;
    const key = `${e.method} ${e.endpoint}`;
    const agg = byEndpoint.get(key) ?? { n: 0, took: 0 };
    agg.n += 1;
    agg.took += e.took;
    byEndpoint.set(key, agg);
  }
  return [...byEndpoint.entries()]
    .sort((a, b) => b[1].took - a[1].took)
    .map(([key, agg]) => {
      const longPoll = key.startsWith("GET /sync");
      return {
        metric: `\`${key}\``,
        value: `${(agg.n / units).toFixed(2)} calls · ${longPoll ? "(long-poll)" : `${ms(agg.took / units)} server time`}`,
        how: `${count(agg.n)} call${agg.n === 1 ? "" : "s"} in total${longPoll ? "" : `, ${ms(agg.took / agg.n)} each on average`}`,
      };
    });
}

/** Sum of a user's server time, long-polls excluded. */
export function serverTime(entries: readonly AccessEntry[], user: string): { calls: number; took: number } {
  let calls = 0;
  let took = 0;
  for (const e of entries) {
    if (e.user !== user || e.endpoint.startsWith("/sync")) continue;
    calls++;
    took += e.took;
  }
  return { calls, took };
}

export interface TraceMark {
  at: number;
  who: string;
  what: string;
}

/**
 * One command's timeline: requests (start = end − processing) of the named users inside
 * [from, to], plus extra marks (bot log lines), relative to `from`.
 */
export function trace(
  entries: readonly AccessEntry[],
  names: Record<string, string>,
  from: number,
  to: number,
  extra: readonly TraceMark[] = [],
): string[] {
  const marks: TraceMark[] = [...extra];
  for (const e of entries) {
    const who = e.user ? names[e.user] : undefined;
    if (!who || e.end < from || e.end - e.took > to) continue;
    const long = e.endpoint.startsWith("/sync");
    const what = `${e.method} ${e.endpoint} → ${e.status}${long ? " (long-poll returns)" : ` (${ms(e.took)} on server)`}`;
    marks.push({ at: long ? e.end : e.end - e.took, who, what });
  }
  marks.sort((a, b) => a.at - b.at);
  return marks
    .filter((m) => m.at >= from && m.at <= to + 5)
    .map((m) => `${`+${Math.round(m.at - from)} ms`.padStart(9)}  ${m.who.padEnd(8)} ${m.what}`);
}

/** `GET /rooms/{room}/members ×2 · POST /keys/query ×1` (per unit, long-polls left out). */
export function callList(entries: readonly AccessEntry[], user: string, units = 1): string {
  const counts = new Map<string, number>();
  for (const e of entries) {
    if (e.user !== user || e.endpoint.startsWith("/sync")) continue;
    const key = `${e.method} ${e.endpoint}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const fmt = (n: number): string =>
    Number.isInteger(n / units) ? String(n / units) : (n / units).toFixed(2);
  return [...counts].map(([k, n]) => `\`${k}\` ×${fmt(n)}`).join(" · ") || "none";
}

/**
 * Synapse's CPU over a span, by whose requests used it: per user, the endpoints that took most,
 * and what no request accounts for (events persisted and fanned out to waiting syncs in
 * Synapse's background). Per unit (a command): `officer 30 ms (GET /sync 20, PUT … 9) · …`.
 */
export function synapseCpuSplit(
  entries: readonly AccessEntry[],
  users: Record<string, string>,
  totalMs: number | undefined,
  units: number,
  background?: readonly [string, number][],
): string {
  const parts: string[] = [];
  let attributed = 0;
  for (const [user, name] of Object.entries(users)) {
    const byEndpoint = new Map<string, number>();
    for (const e of entries) {
      if (e.user !== user) continue;
      const key = `${e.method} ${e.endpoint}`;
      byEndpoint.set(key, (byEndpoint.get(key) ?? 0) + e.cpu);
    }
    const sum = [...byEndpoint.values()].reduce((a, b) => a + b, 0);
    attributed += sum;
    const top = [...byEndpoint]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, v]) => `\`${k}\` ${ms(v / units)}`)
      .join(", ");
    parts.push(`${name}'s requests ${ms(sum / units)} (${top || "none"})`);
  }
  if (totalMs !== undefined) {
    const named = background
      ?.slice(0, 3)
      .map(([name, v]) => `${name} ${ms(v / units)}`)
      .join(", ");
    parts.push(
      `in no request ${ms(Math.max(0, totalMs - attributed) / units)}${named ? ` (background processes: ${named})` : ""}`,
    );
  }
  return parts.join(" · ");
}
