import { eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../client.ts";
import { outbox, pendingDecryptions, processedEvents, roomNotices } from "../schema/events.ts";

export interface EventOrigin {
  eventId: string;
  roomId: string;
  sender?: string | undefined;
  sentAt?: Date | undefined;
  threadRoot?: string | undefined;
}

/** Claims an event for processing; false when it was already handled (exactly-once). */
export async function claimEvent(tx: DbOrTx, e: EventOrigin): Promise<boolean> {
  const rows = await tx
    .insert(processedEvents)
    .values({
      eventId: e.eventId,
      roomId: e.roomId,
      sender: e.sender ?? null,
      sentAt: e.sentAt ?? null,
      threadRoot: e.threadRoot ?? null,
    })
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
      threadRoot: processedEvents.threadRoot,
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
      threadRoot: r.threadRoot ?? undefined,
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
  /** A unique name other rows can reply to. */
  ref?: string | undefined;
  /** Sent as a reply to the row named so (resolved at send time). */
  replyToRef?: string | undefined;
}

export async function enqueue(tx: DbOrTx, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await tx.insert(outbox).values(messages);
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
