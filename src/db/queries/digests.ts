import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { DigestPeriod, DigestRfi, DigestSighting } from "../../domain/digest.ts";
import type { Grading, InformationCredibility, SourceReliability } from "../../domain/marking.ts";
import { formatRef } from "../../domain/refs.ts";
import { REMINDER_LEAD_MS } from "../../domain/reminders.ts";
import type { ChatSchedule, DigestClaim, DigestRepo } from "../../domain/repos.ts";
import { AWAITING_ANSWER } from "../../domain/rfi.ts";
import type { DbOrTx } from "../client.ts";
import { digestRuns, digestSchedules } from "../schema/digests.ts";
import { outbox } from "../schema/events.ts";
import { rfis } from "../schema/rfis.ts";
import { sightings } from "../schema/sightings.ts";
import type { OutboxMessage } from "./events.ts";
import { toRfi } from "./rfis.ts";

/** The longest lead of a reminder: an RFI due later than this after the period is not "nearing". */
const MAX_LEAD_MS = Math.max(...Object.values(REMINDER_LEAD_MS));

function grading(text: string | null): Grading | undefined {
  if (text === null || text.length !== 2) return undefined;
  return {
    reliability: text[0] as SourceReliability,
    credibility: Number(text[1]) as InformationCredibility,
  };
}

/**
 * The room's live sightings seen in the period, with only the columns a digest shows (by the
 * sightings_room_seen index). Relayed copies will come with their origin once the alerts part
 * stores them (a received-from column): map it to `received` here.
 */
export async function digestSightings(
  db: DbOrTx,
  roomId: string,
  p: DigestPeriod,
): Promise<DigestSighting[]> {
  const rows = await db
    .select({
      id: sightings.id,
      roomId: sightings.roomId,
      kind: sightings.kind,
      lat: sightings.lat,
      lon: sightings.lon,
      seenAt: sightings.seenAt,
      name: sightings.name,
      mmsi: sightings.mmsi,
      imo: sightings.imo,
      tail: sightings.tail,
      plate: sightings.plate,
      grading: sightings.grading,
      tlp: sightings.tlp,
      matched: sql<number>`cardinality(${sightings.matches})`.mapWith(Number),
    })
    .from(sightings)
    .where(
      and(
        eq(sightings.roomId, roomId),
        gte(sightings.seenAt, p.from),
        lt(sightings.seenAt, p.to),
        isNull(sightings.retractedAt),
      ),
    );
  return rows.map((r) => ({
    ref: formatRef("S", r.id),
    roomId: r.roomId,
    kind: r.kind,
    lat: r.lat,
    lon: r.lon,
    seenAt: r.seenAt,
    ids: {
      name: r.name ?? undefined,
      mmsi: r.mmsi ?? undefined,
      imo: r.imo ?? undefined,
      tail: r.tail ?? undefined,
      plate: r.plate ?? undefined,
    },
    grading: grading(r.grading),
    tlp: r.tlp,
    corroboratedBy: r.matched,
  }));
}

/** The RFIs the room sees (raised in it or addressed to it) that the period's digest speaks of. */
export async function digestRfis(db: DbOrTx, roomId: string, p: DigestPeriod): Promise<DigestRfi[]> {
  const rows = await db
    .select()
    .from(rfis)
    .where(
      and(
        or(eq(rfis.roomId, roomId), eq(rfis.toRoomId, roomId)),
        or(
          and(gte(rfis.createdAt, p.from), lt(rfis.createdAt, p.to)),
          and(gte(rfis.answeredAt, p.from), lt(rfis.answeredAt, p.to)),
          and(
            inArray(rfis.status, [...AWAITING_ANSWER]),
            isNotNull(rfis.ltiov),
            lte(rfis.ltiov, new Date(+p.to + MAX_LEAD_MS)),
          ),
        ),
      ),
    );
  return rows.map((row) => {
    const r = toRfi(row);
    return {
      ref: r.ref,
      roomId: r.roomId,
      toRoomId: row.toRoomId ?? undefined,
      to: r.to,
      priority: r.priority,
      status: r.status,
      createdAt: r.createdAt,
      answeredAt: r.answeredAt,
      ltiov: r.ltiov,
    };
  });
}

/** Claims (room, period end) for a digest or its skip; the run's id, or undefined when already claimed. */
export async function claimDigestRun(tx: DbOrTx, c: DigestClaim): Promise<number | undefined> {
  const rows = await tx
    .insert(digestRuns)
    .values({
      roomId: c.roomId,
      periodStart: c.period.from,
      periodEnd: c.period.to,
      status: c.status,
      trigger: c.trigger,
      late: c.late,
      claimedAt: c.at,
    })
    .onConflictDoNothing()
    .returning({ id: digestRuns.id });
  return rows[0]?.id;
}

/** Queues the digest message and notes its outbox row on the run, in the claim's transaction. */
export async function enqueueDigest(tx: DbOrTx, runId: number, message: OutboxMessage): Promise<number> {
  const [row] = await tx.insert(outbox).values(message).returning({ id: outbox.id });
  if (row === undefined) throw new Error("outbox insert returned no row");
  await tx.update(digestRuns).set({ outboxId: row.id }).where(eq(digestRuns.id, runId));
  return row.id;
}

export async function lastDigestEnd(db: DbOrTx, roomId: string): Promise<Date | undefined> {
  const [row] = await db
    .select({ end: digestRuns.periodEnd })
    .from(digestRuns)
    .where(and(eq(digestRuns.roomId, roomId), eq(digestRuns.status, "posted")))
    .orderBy(desc(digestRuns.periodEnd))
    .limit(1);
  return row?.end;
}

function toSchedule(r: typeof digestSchedules.$inferSelect): ChatSchedule {
  return { roomId: r.roomId, cron: r.cron ?? undefined, tz: r.tz, setBy: r.setBy, setAt: r.setAt };
}

export async function chatSchedules(db: DbOrTx): Promise<ChatSchedule[]> {
  return (await db.select().from(digestSchedules)).map(toSchedule);
}

export function digestRepo(db: DbOrTx): DigestRepo {
  return {
    items: async (roomId, period) => ({
      sightings: await digestSightings(db, roomId, period),
      rfis: await digestRfis(db, roomId, period),
    }),
    lastEnd: (roomId) => lastDigestEnd(db, roomId),
    claim: async (c) => (await claimDigestRun(db, c)) !== undefined,
    async schedule(roomId) {
      const [row] = await db.select().from(digestSchedules).where(eq(digestSchedules.roomId, roomId));
      return row === undefined ? undefined : toSchedule(row);
    },
    async setSchedule(s) {
      const values = { cron: s.cron ?? null, tz: s.tz, setBy: s.setBy, setAt: s.setAt };
      await db
        .insert(digestSchedules)
        .values({ roomId: s.roomId, ...values })
        .onConflictDoUpdate({ target: digestSchedules.roomId, set: values });
    },
    async resetSchedule(roomId) {
      const rows = await db
        .delete(digestSchedules)
        .where(eq(digestSchedules.roomId, roomId))
        .returning({ roomId: digestSchedules.roomId });
      return rows.length > 0;
    },
  };
}
