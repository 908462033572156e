/** Command round trips through the real stack: officer (matrix-js-sdk) → Synapse → bot → back. */
import type { Officer } from "../test/support/officer.ts";
import { type Summary, summarize } from "./report.ts";

/** Epoch ms with sub-ms precision, comparable with Synapse's and the bot's log times. */
export const now = (): number => performance.timeOrigin + performance.now();

export interface Chat {
  officer: Officer;
  room: string;
  bot: string;
}

export interface Trip {
  commandId: string;
  sentAt: number;
  /** Officer's PUT /send acknowledged (client-side encryption included). */
  sendMs: number;
  /** Decrypted reply (m.room.message in reply to the command) seen by the officer. */
  replyMs: number;
  /** The ✅/❌ reaction to the command seen too (the bot sends it after the reply). */
  reactionMs: number;
  replyAt: number;
  reactionAt: number;
}

function relatesTo(content: Record<string, unknown>): string | undefined {
  const rel = content["m.relates_to"];
  if (typeof rel !== "object" || rel === null) return undefined;
  const id = (rel as Record<string, unknown>).event_id;
  return typeof id === "string" ? id : undefined;
}

function replyTo(c: Chat, commandId: string): boolean {
  return c.officer.messagesFrom(c.room, c.bot).some((m) => m.replyTo === commandId);
}

function reactionTo(c: Chat, commandId: string): boolean {
  return c.officer
    .eventsIn(c.room)
    .some((e) => e.type === "m.reaction" && e.sender === c.bot && relatesTo(e.content) === commandId);
}

/** One command; waits for its reply and its reaction. */
export async function roundTrip(c: Chat, body = "!status", timeoutMs = 60_000): Promise<Trip> {
  const sentAt = now();
  const commandId = await c.officer.send(c.room, body);
  const sendMs = now() - sentAt;
  const replyAt = await c.officer.waitFor(
    "reply",
    () => (replyTo(c, commandId) ? now() : undefined),
    timeoutMs,
  );
  const reactionAt = await c.officer.waitFor(
    "reaction",
    () => (reactionTo(c, commandId) ? now() : undefined),
    timeoutMs,
  );
  return {
    commandId,
    sentAt,
    sendMs,
    replyMs: replyAt - sentAt,
    reactionMs: reactionAt - sentAt,
    replyAt,
    reactionAt,
  };
}

/** `n` commands one after another, each after the previous one's reply and reaction arrived. */
export async function sequential(c: Chat, n: number, body = "!status"): Promise<Trip[]> {
  const trips: Trip[] = [];
  for (let i = 0; i < n; i++) trips.push(await roundTrip(c, body));
  return trips;
}

export interface Burst {
  n: number;
  /** The commands' event ids, in the order they were sent. */
  ids: string[];
  /** Epoch ms the first send started; the other times are relative to it. */
  startedAt: number;
  /** All n PUTs acknowledged. */
  sentMs: number;
  firstReplyMs: number;
  allRepliesMs: number;
  allReactionsMs: number;
  /** Per command: send start of the burst → its reply seen. */
  perReply: Summary;
}

/** `n` commands sent at once (concurrent sendMessage calls); waits for every reply and reaction. */
export async function burst(c: Chat, n: number, body = "!status", timeoutMs = 150_000): Promise<Burst> {
  // Arrival times are noted from the start, keyed by the command they answer: replies arrive
  // while the officer is still sending.
  const replyAt = new Map<string, number>();
  const reactionAt = new Map<string, number>();
  const scan = (): void => {
    const t = now();
    for (const e of c.officer.eventsIn(c.room)) {
      if (e.sender !== c.bot) continue;
      if (e.type === "m.room.message" && e.replyTo && !replyAt.has(e.replyTo)) replyAt.set(e.replyTo, t);
      const rel = relatesTo(e.content);
      if (e.type === "m.reaction" && rel && !reactionAt.has(rel)) reactionAt.set(rel, t);
    }
  };
  let ids: string[] = [];
  const all = (seen: Map<string, number>) => () => {
    scan();
    return ids.length === n && ids.every((id) => seen.has(id)) ? true : undefined;
  };
  const start = now();
  const watching = c.officer.waitFor(`${n} replies`, all(replyAt), timeoutMs);
  ids = await Promise.all(Array.from({ length: n }, () => c.officer.send(c.room, body)));
  const sentMs = now() - start;
  await Promise.race([watching, c.officer.waitFor(`${n} replies`, all(replyAt), timeoutMs)]);
  await c.officer.waitFor(`${n} reactions`, all(reactionAt), timeoutMs);
  const since = (m: Map<string, number>) => ids.map((id) => (m.get(id) ?? Number.NaN) - start);
  const replies = since(replyAt);
  return {
    n,
    ids,
    startedAt: start,
    sentMs,
    firstReplyMs: Math.min(...replies),
    allRepliesMs: Math.max(...replies),
    allReactionsMs: Math.max(...since(reactionAt)),
    perReply: summarize(replies),
  };
}
