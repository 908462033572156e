import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import {
  type DigestAlertRow,
  type DigestAlerts,
  type DigestPeriod,
  type DigestRfi,
  type DigestSighting,
  digestAlerts,
} from "../../domain/digest.ts";
import type { Grading, InformationCredibility, SourceReliability } from "../../domain/marking.ts";
import { formatRef } from "../../domain/refs.ts";
import { REMINDER_LEAD_MS } from "../../domain/reminders.ts";
import type { ChatSchedule, DigestClaim, DigestRepo } from "../../domain/repos.ts";
import { AWAITING_ANSWER } from "../../domain/rfi.ts";
import type { DbOrTx } from "../client.ts";
import { alertTargets, alerts } from "../schema/alerts.ts";
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
 * sightings_room_seen index). A received copy comes as it was stored — already redacted for this
 * room, its position already coarsened — with where it came from.
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
      fromRoom: sightings.receivedFromRoom,
      alertRef: sightings.receivedAlertRef,
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
    received: r.fromRoom === null ? undefined : { from: r.fromRoom, alertRef: r.alertRef ?? undefined },
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

/** An alert with one of its targets, as the digest counts them. */
const ALERT_ROW = {
  id: alerts.id,
  roomId: alerts.roomId,
  createdAt: alerts.createdAt,
  targetRoomId: alertTargets.roomId,
  outcome: alertTargets.outcome,
  decidedAt: alertTargets.decidedAt,
};

/**
 * The alert rows a room's digest counts (src/domain/digest.ts digestAlerts decides how): its own
 * alerts raised in the period with all their targets, its older ones only by their pending targets
 * (for "awaiting approval"), and the alerts relayed into it in the period.
 */
export async function digestAlertRows(
  db: DbOrTx,
  roomId: string,
  p: DigestPeriod,
): Promise<DigestAlertRow[]> {
  const own = await db
    .select(ALERT_ROW)
    .from(alerts)
    .leftJoin(alertTargets, eq(alertTargets.alertId, alerts.id))
    .where(
      and(
        eq(alerts.roomId, roomId),
        lt(alerts.createdAt, p.to),
        or(gte(alerts.createdAt, p.from), eq(alertTargets.outcome, "pending")),
      ),
    );
  const into = await db
    .select(ALERT_ROW)
    .from(alertTargets)
    .innerJoin(alerts, eq(alerts.id, alertTargets.alertId))
    .where(
      and(
        eq(alertTargets.roomId, roomId),
        eq(alertTargets.outcome, "relayed"),
        gte(alertTargets.decidedAt, p.from),
        lt(alertTargets.decidedAt, p.to),
      ),
    );
  const byId = new Map<number, DigestAlertRow & { targets: DigestAlertRow["targets"][number][] }>();
  for (const r of [...own, ...into]) {
    let a = byId.get(r.id);
    if (a === undefined) {
      a = { ref: formatRef("A", r.id), roomId: r.roomId, createdAt: r.createdAt, targets: [] };
      byId.set(r.id, a);
    }
    if (r.targetRoomId !== null && r.outcome !== null)
      a.targets.push({ roomId: r.targetRoomId, outcome: r.outcome, decidedAt: r.decidedAt ?? undefined });
  }
  return [...byId.values()];
}

export async function digestAlertCounts(db: DbOrTx, roomId: string, p: DigestPeriod): Promise<DigestAlerts> {
  return digestAlerts(roomId, p, await digestAlertRows(db, roomId, p));
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
    alerts: (roomId, period) => digestAlertCounts(db, roomId, period),
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
