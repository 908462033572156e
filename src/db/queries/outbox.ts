import { and, asc, eq, gt, isNull, lt, lte, notInArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.ts";
import { outbox } from "../schema/events.ts";

/** A row that failed this many times is left for the operator, with its last error. */
export const MAX_SEND_ATTEMPTS = 12; // about 40 minutes of trying, with the backoff below

/** Not sent and not given up: what the sender still has to do. */
const pending = () => and(isNull(outbox.sentAt), lt(outbox.attempts, MAX_SEND_ATTEMPTS));

const rowColumns = {
  id: outbox.id,
  roomId: outbox.roomId,
  eventType: outbox.eventType,
  content: outbox.content,
  plaintextOk: outbox.plaintextOk,
  replyToRef: outbox.replyToRef,
  // The database's clock, like markFailed's backoff.
  due: sql<boolean>`coalesce(${outbox.nextAttemptAt} <= now(), true)`.as("due"),
};

export interface OutboxRow {
  id: number;
  roomId: string;
  eventType: string;
  content: unknown;
  plaintextOk: boolean;
  /** Reply to the row with this ref (its event id is read when this one is sent). */
  replyToRef: string | null;
}

/**
 * Where lanes start: each room whose head (oldest pending row) is due now, longest-waiting room
 * first, at most `limit` rooms, with its first `rows` pending rows, as many as are due in a row.
 * A room whose head is backing off is left out entirely: its later rows wait behind the head, and
 * it holds up no other room. `except` leaves out rooms the caller is already handling.
 */
export async function dueRoomStarts(
  db: DbOrTx,
  opts: { except: string[]; limit: number; rows: number },
): Promise<OutboxRow[][]> {
  const ranked = db.$with("ranked").as(
    db
      .select({
        ...rowColumns,
        n: sql<number>`row_number() over (partition by ${outbox.roomId} order by ${outbox.id})`.as("n"),
      })
      .from(outbox)
      .where(and(pending(), notInArray(outbox.roomId, opts.except))),
  );
  const heads = db.$with("heads").as((qb) =>
    qb
      .select({
        headRoom: sql<string>`${ranked.roomId}`.as("head_room"),
        headId: sql<number>`${ranked.id}`.as("head_id"),
      })
      .from(ranked)
      .where(and(eq(ranked.n, 1), eq(ranked.due, true)))
      .orderBy(asc(ranked.id))
      .limit(opts.limit),
  );
  const found = await db
    .with(ranked, heads)
    .select({
      id: ranked.id,
      roomId: ranked.roomId,
      eventType: ranked.eventType,
      content: ranked.content,
      plaintextOk: ranked.plaintextOk,
      replyToRef: ranked.replyToRef,
      due: ranked.due,
    })
    .from(ranked)
    .innerJoin(heads, eq(ranked.roomId, heads.headRoom))
    .where(lte(ranked.n, opts.rows))
    .orderBy(asc(heads.headId), asc(ranked.n));
  const starts: OutboxRow[][] = [];
  let room: string | undefined;
  let stopped = false;
  for (const { due, ...row } of found) {
    if (row.roomId !== room) {
      room = row.roomId;
      stopped = false;
      starts.push([]);
    }
    if (stopped || !due) {
      stopped = true;
      continue;
    }
    starts[starts.length - 1]?.push(row);
  }
  return starts;
}

/**
 * Up to `limit` of the room's pending rows after `after`, oldest first, as many as are due in a
 * row (the first that is backing off ends them): what its lane sends next, read in one query.
 */
export async function dueRoomRows(
  db: DbOrTx,
  roomId: string,
  after: number,
  limit: number,
): Promise<OutboxRow[]> {
  const rows = await db
    .select(rowColumns)
    .from(outbox)
    .where(and(pending(), eq(outbox.roomId, roomId), gt(outbox.id, after)))
    .orderBy(asc(outbox.id))
    .limit(limit);
  const out: OutboxRow[] = [];
  for (const { due, ...row } of rows) {
    if (!due) break;
    out.push(row);
  }
  return out;
}

export async function markSent(db: DbOrTx, id: number, eventId: string): Promise<void> {
  await markSentMany(db, [{ id, eventId }]);
}

/** Marks rows sent, each with its event id, in one statement. */
export async function markSentMany(
  db: DbOrTx,
  rows: readonly { id: number; eventId: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map((r) => sql`(${r.id}::bigint, ${r.eventId}::text)`),
    sql`, `,
  );
  await db.execute(sql`
    update ${outbox} set sent_at = now(), sent_event_id = v.event_id, attempts = ${outbox.attempts} + 1
    from (values ${values}) as v(id, event_id) where ${outbox.id} = v.id`);
}

/** Records a failed attempt and when to try again: 2, 4, 8 … seconds, at most 10 minutes apart. */
export async function markFailed(db: DbOrTx, id: number, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({
      attempts: sql`${outbox.attempts} + 1`,
      lastError: error.slice(0, 500),
      nextAttemptAt: sql`now() + least(interval '10 minutes', interval '1 second' * power(2, ${outbox.attempts} + 1))`,
    })
    .where(eq(outbox.id, id));
}

/**
 * Gives up every pending row of a room at once, with the reason as its last error: the rows stay
 * for the operator to see (and to requeue, should the bot be let back in). Returns their ids.
 */
export async function giveUpRoom(tx: DbOrTx, roomId: string, reason: string): Promise<number[]> {
  const rows = await tx
    .update(outbox)
    .set({ attempts: MAX_SEND_ATTEMPTS, lastError: reason })
    .where(and(pending(), eq(outbox.roomId, roomId)))
    .returning({ id: outbox.id });
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

export async function unsentCount(db: DbOrTx): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(isNull(outbox.sentAt));
  return rows[0]?.n ?? 0;
}

/**
 * The event id the row named `ref` was sent as: `sent`, `given-up` (it will never be sent), or
 * `unsent` (still to go; a row replying to it in the same room is behind it in the lane).
 */
export async function sentEventOfRef(
  db: DbOrTx,
  ref: string,
): Promise<{ state: "sent"; eventId: string } | { state: "given-up" | "unsent" | "unknown" }> {
  const [row] = await db
    .select({ eventId: outbox.sentEventId, attempts: outbox.attempts })
    .from(outbox)
    .where(eq(outbox.ref, ref));
  if (row === undefined) return { state: "unknown" };
  if (row.eventId !== null) return { state: "sent", eventId: row.eventId };
  return { state: row.attempts >= MAX_SEND_ATTEMPTS ? "given-up" : "unsent" };
}

/** The ref of the message the bot sent as `eventId` in `roomId` (what a reaction reacts to). */
export async function refOfSentEvent(
  db: DbOrTx,
  roomId: string,
  eventId: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ ref: outbox.ref })
    .from(outbox)
    .where(and(eq(outbox.sentEventId, eventId), eq(outbox.roomId, roomId)));
  return row?.ref ?? undefined;
}

/**
 * What the outbox still has to send (not sent, not given up) and how long its oldest has waited,
 * by the database's clock (like the backoff), for `/health` and `/metrics`.
 */
export async function outboxBacklog(
  db: DbOrTx,
): Promise<{ depth: number; oldestAgeSeconds: number | undefined }> {
  const [row] = await db
    .select({
      depth: sql<number>`count(*)::int`,
      oldest: sql<number | null>`extract(epoch from now() - min(${outbox.createdAt}))::float8`,
    })
    .from(outbox)
    .where(pending());
  const oldest = row?.oldest;
  return {
    depth: row?.depth ?? 0,
    oldestAgeSeconds: oldest === null || oldest === undefined ? undefined : Number(oldest),
  };
}
