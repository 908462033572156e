import { and, desc, eq, inArray, isNotNull, lt, notInArray, or, type SQL, sql } from "drizzle-orm";
import { formatRef } from "../../domain/refs.ts";
import type { NewRfi, RfiChange, RfiFilter, RfiRepo } from "../../domain/repos.ts";
import { type Addressee, AWAITING_ANSWER, type Rfi } from "../../domain/rfi.ts";
import type { DbOrTx } from "../client.ts";
import { rfis } from "../schema/rfis.ts";

export type RfiRow = typeof rfis.$inferSelect;

function addresseeColumns(to: Addressee) {
  return "partner" in to
    ? { toPartner: to.partner, toRoom: null, toRoomPartners: null }
    : { toPartner: null, toRoom: to.room, toRoomPartners: to.partners };
}

export function toRfi(row: RfiRow): Rfi {
  const to: Addressee =
    row.toPartner !== null
      ? { partner: row.toPartner }
      : { room: row.toRoom ?? "?", partners: row.toRoomPartners ?? [] };
  return {
    id: row.id,
    ref: formatRef("RFI", row.id),
    roomId: row.roomId,
    originator: row.originator,
    originatorPartner: row.originatorPartner,
    priority: row.priority,
    ltiov: row.ltiov ?? undefined,
    to,
    question: row.question,
    status: row.status,
    reason: row.reason ?? undefined,
    answer: row.answer ?? undefined,
    answeredBy: row.answeredBy ?? undefined,
    answeredAt: row.answeredAt ?? undefined,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function createRfi(db: DbOrTx, r: NewRfi): Promise<Rfi> {
  const [row] = await db
    .insert(rfis)
    .values({
      roomId: r.roomId,
      originator: r.originator,
      originatorPartner: r.originatorPartner,
      priority: r.priority,
      ltiov: r.ltiov ?? null,
      ...addresseeColumns(r.to),
      toRoomId: r.toRoomId ?? null,
      question: r.question,
      createdAt: r.createdAt,
      updatedAt: r.createdAt,
    })
    .returning();
  return toRfi(row!);
}

/** Raised in this room, or addressed to it. */
function visibleFrom(roomId: string): SQL | undefined {
  return or(eq(rfis.roomId, roomId), eq(rfis.toRoomId, roomId));
}

export async function getRfi(db: DbOrTx, id: number, roomId: string): Promise<Rfi | undefined> {
  const [row] = await db
    .select()
    .from(rfis)
    .where(and(eq(rfis.id, id), visibleFrom(roomId)));
  return row === undefined ? undefined : toRfi(row);
}

export async function updateRfi(db: DbOrTx, id: number, c: RfiChange): Promise<Rfi> {
  const [row] = await db
    .update(rfis)
    .set({
      ...(c.status !== undefined && { status: c.status }),
      ...(c.priority !== undefined && { priority: c.priority }),
      ...(c.ltiov !== undefined && { ltiov: c.ltiov }),
      ...(c.to !== undefined && addresseeColumns(c.to)),
      ...(c.toRoomId !== undefined && { toRoomId: c.toRoomId }),
      ...(c.question !== undefined && { question: c.question }),
      ...(c.reason !== undefined && { reason: c.reason }),
      ...(c.answer !== undefined && {
        answer: c.answer.text,
        answeredBy: c.answer.by,
        answeredAt: c.answer.at,
      }),
      updatedAt: c.at,
    })
    .where(eq(rfis.id, id))
    .returning();
  if (row === undefined) throw new Error(`RFI ${id} vanished`);
  return toRfi(row);
}

function filterCondition(filter: RfiFilter, user: string, now: Date): SQL | undefined {
  const awaiting = inArray(rfis.status, [...AWAITING_ANSWER]);
  switch (filter) {
    case "open":
      return awaiting;
    case "mine":
      return and(eq(rfis.originator, user), notInArray(rfis.status, ["closed", "withdrawn"]));
    case "overdue":
      return and(awaiting, isNotNull(rfis.ltiov), lt(rfis.ltiov, now));
    case "all":
      return undefined;
  }
}

export async function listRfis(
  db: DbOrTx,
  q: { roomId: string; filter: RfiFilter; user: string; now: Date; limit: number },
): Promise<{ rfis: Rfi[]; total: number }> {
  const rows = await db
    .select({ row: rfis, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(rfis)
    .where(and(visibleFrom(q.roomId), filterCondition(q.filter, q.user, q.now)))
    .orderBy(desc(rfis.createdAt), desc(rfis.id))
    .limit(q.limit);
  return { rfis: rows.map((r) => toRfi(r.row)), total: rows[0]?.total ?? 0 };
}

/** The RFI repository over a transaction (or the database). */
export function rfiRepo(db: DbOrTx): RfiRepo {
  return {
    create: (r) => createRfi(db, r),
    get: (id, roomId) => getRfi(db, id, roomId),
    update: (id, c) => updateRfi(db, id, c),
    list: (q) => listRfis(db, q),
  };
}
