import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.ts";
import { outbox, pendingDecryptions, processedEvents, roomNotices } from "../schema/events.ts";

export interface EventOrigin {
  eventId: string;
  roomId: string;
  sender?: string | undefined;
  sentAt?: Date | undefined;
}

/** Claims an event for processing; false when it was already handled (exactly-once). */
export async function claimEvent(tx: DbOrTx, e: EventOrigin): Promise<boolean> {
  const rows = await tx
    .insert(processedEvents)
    .values({ eventId: e.eventId, roomId: e.roomId, sender: e.sender ?? null, sentAt: e.sentAt ?? null })
    .onConflictDoNothing()
    .returning({ eventId: processedEvents.eventId });
  return rows.length === 1;
}

/** A handled event's room, sender and time, if it was handled. */
export async function processedEvent(db: DbOrTx, eventId: string): Promise<EventOrigin | undefined> {
  const rows = await db
    .select({
      eventId: processedEvents.eventId,
      roomId: processedEvents.roomId,
      sender: processedEvents.sender,
      sentAt: processedEvents.sentAt,
    })
    .from(processedEvents)
    .where(eq(processedEvents.eventId, eventId));
  const r = rows[0];
  return (
    r && {
      eventId: r.eventId,
      roomId: r.roomId,
      sender: r.sender ?? undefined,
      sentAt: r.sentAt ?? undefined,
    }
  );
}

export async function knownEventIds(db: DbOrTx, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await db
    .select({ id: processedEvents.eventId })
    .from(processedEvents)
    .where(inArray(processedEvents.eventId, eventIds));
  const pending = await db
    .select({ id: pendingDecryptions.eventId })
    .from(pendingDecryptions)
    .where(inArray(pendingDecryptions.eventId, eventIds));
  return new Set([...rows, ...pending].map((r) => r.id));
}

export interface OutboxMessage {
  roomId: string;
  eventType: string;
  content: Record<string, unknown>;
  /** May be sent unencrypted (only the notice that a room needs encryption). */
  plaintextOk?: boolean;
}

export async function enqueue(tx: DbOrTx, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await tx.insert(outbox).values(messages);
}

/** A row that failed this many times is left for the operator, with its last error. */
export const MAX_SEND_ATTEMPTS = 12; // about 40 minutes of trying, with the backoff below

export async function nextUnsent(db: DbOrTx, limit: number) {
  return db
    .select({
      id: outbox.id,
      roomId: outbox.roomId,
      eventType: outbox.eventType,
      content: outbox.content,
      plaintextOk: outbox.plaintextOk,
      nextAttemptAt: outbox.nextAttemptAt,
    })
    .from(outbox)
    .where(and(isNull(outbox.sentAt), lt(outbox.attempts, MAX_SEND_ATTEMPTS)))
    .orderBy(asc(outbox.id))
    .limit(limit);
}

export async function markSent(db: DbOrTx, id: number, eventId: string): Promise<void> {
  await db
    .update(outbox)
    .set({ sentAt: sql`now()`, sentEventId: eventId, attempts: sql`${outbox.attempts} + 1` })
    .where(eq(outbox.id, id));
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

export async function unsentCount(db: DbOrTx): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(outbox).where(isNull(outbox.sentAt));
  return rows[0]?.n ?? 0;
}

/** Records a notice once per room; false if it was already given. */
export async function noteOnce(tx: DbOrTx, roomId: string, notice: string): Promise<boolean> {
  const rows = await tx
    .insert(roomNotices)
    .values({ roomId, notice })
    .onConflictDoNothing()
    .returning({ roomId: roomNotices.roomId });
  return rows.length === 1;
}
