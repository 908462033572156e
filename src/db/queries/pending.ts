import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.ts";
import { pendingDecryptions } from "../schema/events.ts";

/**
 * Where a page of pending events ended. `firstSeen` is PostgreSQL's own text of the timestamp:
 * a JavaScript Date keeps milliseconds only, and a cursor rounded down would read its row again.
 */
export interface PendingCursor {
  firstSeen: string;
  eventId: string;
}

export interface PendingRow {
  eventId: string;
  roomId: string;
  sessionId: string | null;
  event: unknown;
  cursor: PendingCursor;
}

export async function savePendingDecryption(
  tx: DbOrTx,
  p: { eventId: string; roomId: string; sessionId: string | undefined; event: unknown; at: Date },
): Promise<boolean> {
  const rows = await tx
    .insert(pendingDecryptions)
    .values({
      eventId: p.eventId,
      roomId: p.roomId,
      sessionId: p.sessionId ?? null,
      event: p.event,
      firstSeen: p.at,
    })
    .onConflictDoNothing()
    .returning({ eventId: pendingDecryptions.eventId });
  return rows.length === 1;
}

/**
 * One page of pending events, oldest first, after `after` (keyset on first_seen, event_id): all of
 * them, or those of the given sessions. Rows handled meanwhile simply drop out of later pages.
 */
export async function pendingPage(
  db: DbOrTx,
  q: { sessionIds?: readonly string[] | undefined; after?: PendingCursor | undefined; limit: number },
): Promise<PendingRow[]> {
  if (q.sessionIds !== undefined && q.sessionIds.length === 0) return [];
  const t = pendingDecryptions;
  const rows = await db
    .select({
      eventId: t.eventId,
      roomId: t.roomId,
      sessionId: t.sessionId,
      event: t.event,
      firstSeen: sql<string>`${t.firstSeen}::text`,
    })
    .from(t)
    .where(
      and(
        q.sessionIds === undefined ? undefined : inArray(t.sessionId, [...q.sessionIds]),
        q.after === undefined
          ? undefined
          : sql`(${t.firstSeen}, ${t.eventId}) > (${q.after.firstSeen}::timestamptz, ${q.after.eventId})`,
      ),
    )
    .orderBy(asc(t.firstSeen), asc(t.eventId))
    .limit(q.limit);
  return rows.map(({ firstSeen, ...r }) => ({ ...r, cursor: { firstSeen, eventId: r.eventId } }));
}

/** Forgets an undecryptable event of this room; true if there was one. */
export async function forgetPending(tx: DbOrTx, eventId: string, roomId: string): Promise<boolean> {
  const rows = await tx
    .delete(pendingDecryptions)
    .where(and(eq(pendingDecryptions.eventId, eventId), eq(pendingDecryptions.roomId, roomId)))
    .returning({ eventId: pendingDecryptions.eventId });
  return rows.length === 1;
}

/** Deletes pending events first seen before `before`; how many, per room. */
export async function expirePending(tx: DbOrTx, before: Date): Promise<Map<string, number>> {
  const rows = await tx
    .delete(pendingDecryptions)
    .where(lt(pendingDecryptions.firstSeen, before))
    .returning({ roomId: pendingDecryptions.roomId });
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.roomId, (counts.get(r.roomId) ?? 0) + 1);
  return counts;
}

/** Keeps a room's `keep` newest pending events and deletes the rest; how many were deleted. */
export async function trimPendingRoom(tx: DbOrTx, roomId: string, keep: number): Promise<number> {
  const t = pendingDecryptions;
  const rows = await tx
    .delete(t)
    .where(
      inArray(
        t.eventId,
        tx
          .select({ id: t.eventId })
          .from(t)
          .where(eq(t.roomId, roomId))
          .orderBy(sql`${t.firstSeen} desc, ${t.eventId} desc`)
          .offset(keep),
      ),
    )
    .returning({ eventId: t.eventId });
  return rows.length;
}
