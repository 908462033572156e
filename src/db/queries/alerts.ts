import { and, asc, eq, lt } from "drizzle-orm";
import type { Alert, AlertApproval, AlertTarget, NewAlert } from "../../domain/alert.ts";
import { formatRef } from "../../domain/refs.ts";
import type { AlertRepo, TargetChange } from "../../domain/repos.ts";
import type { ShareableItem } from "../../domain/sharingRule.ts";
import type { DbOrTx } from "../client.ts";
import { alertApprovals, alertTargets, alerts } from "../schema/alerts.ts";

/** jsonb keeps no Dates: the item's times are written as ISO strings and read back as Dates. */
function itemFromJson(json: unknown): ShareableItem {
  const item = structuredClone(json) as ShareableItem & Record<string, unknown>;
  if (item.kind === "sighting") item.sighting.seenAt = new Date(item.sighting.seenAt);
  if (item.kind === "rfi" && item.rfi.ltiov !== undefined) item.rfi.ltiov = new Date(item.rfi.ltiov);
  return item;
}

function itemToJson(item: ShareableItem): unknown {
  return JSON.parse(JSON.stringify(item));
}

type TargetRow = typeof alertTargets.$inferSelect;
type ApprovalRow = typeof alertApprovals.$inferSelect;

function toTarget(r: TargetRow): AlertTarget {
  return {
    room: r.roomAlias,
    roomId: r.roomId,
    rule: r.ruleName ?? undefined,
    outcome: r.outcome,
    reason: r.reason ?? undefined,
    approval:
      r.approvalRole === null || r.approvalCount === null
        ? undefined
        : { role: r.approvalRole, count: r.approvalCount, notRequester: r.notRequester ?? false },
    expiresAt: r.expiresAt ?? undefined,
    decidedAt: r.decidedAt ?? undefined,
  };
}

function toApproval(r: ApprovalRow): AlertApproval {
  return {
    user: r.userId,
    name: r.name ?? undefined,
    roles: r.roles,
    decision: r.decision,
    via: r.via,
    at: r.at,
    reason: r.reason ?? undefined,
  };
}

export async function createAlert(db: DbOrTx, a: NewAlert): Promise<Alert> {
  const [row] = await db
    .insert(alerts)
    .values({
      roomId: a.roomId,
      roomAlias: a.room,
      kind: a.kind,
      sourceRef: a.sourceRef,
      item: itemToJson(a.item),
      tlp: a.tlp,
      rel: a.rel === undefined ? null : [...a.rel],
      requester: a.requester,
      createdAt: a.createdAt,
      commandEventId: a.commandEventId ?? null,
    })
    .returning({ id: alerts.id });
  const id = row!.id;
  if (a.targets.length > 0) {
    await db.insert(alertTargets).values(
      a.targets.map((t, position) => ({
        alertId: id,
        position,
        roomAlias: t.room,
        roomId: t.roomId,
        ruleName: t.rule ?? null,
        outcome: t.outcome,
        reason: t.reason ?? null,
        approvalRole: t.approval?.role ?? null,
        approvalCount: t.approval?.count ?? null,
        notRequester: t.approval?.notRequester ?? null,
        expiresAt: t.expiresAt ?? null,
        decidedAt: t.decidedAt ?? null,
      })),
    );
  }
  return (await getAlert(db, id))!;
}

export async function getAlert(db: DbOrTx, id: number): Promise<Alert | undefined> {
  const [row] = await db.select().from(alerts).where(eq(alerts.id, id));
  if (row === undefined) return undefined;
  const targets = await db
    .select()
    .from(alertTargets)
    .where(eq(alertTargets.alertId, id))
    .orderBy(asc(alertTargets.position));
  const approvals = await db
    .select()
    .from(alertApprovals)
    .where(eq(alertApprovals.alertId, id))
    .orderBy(asc(alertApprovals.at));
  const item = itemFromJson(row.item);
  return {
    id: row.id,
    ref: formatRef("A", row.id),
    roomId: row.roomId,
    room: row.roomAlias,
    kind: row.kind,
    sourceRef: row.sourceRef,
    item: { ...item, ref: row.sourceRef ?? formatRef("A", row.id) },
    tlp: row.tlp,
    rel: row.rel ?? undefined,
    requester: row.requester,
    createdAt: row.createdAt,
    commandEventId: row.commandEventId ?? undefined,
    targets: targets.map(toTarget),
    approvals: approvals.map(toApproval),
  };
}

export async function alertsBySource(db: DbOrTx, roomId: string, sourceRef: string): Promise<Alert[]> {
  const rows = await db
    .select({ id: alerts.id })
    .from(alerts)
    .where(and(eq(alerts.roomId, roomId), eq(alerts.sourceRef, sourceRef)))
    .orderBy(asc(alerts.id));
  const out: Alert[] = [];
  for (const r of rows) out.push((await getAlert(db, r.id))!);
  return out;
}

export async function setAlertTarget(db: DbOrTx, alertId: number, room: string, c: TargetChange) {
  await db
    .update(alertTargets)
    .set({ outcome: c.outcome, reason: c.reason ?? null, decidedAt: c.decidedAt })
    .where(and(eq(alertTargets.alertId, alertId), eq(alertTargets.roomAlias, room)));
}

export async function recordAlertApproval(db: DbOrTx, alertId: number, a: AlertApproval): Promise<boolean> {
  const values = {
    alertId,
    userId: a.user,
    name: a.name ?? null,
    roles: [...a.roles],
    decision: a.decision,
    via: a.via,
    reason: a.reason ?? null,
    at: a.at,
  };
  if (a.decision === "ignored") {
    const rows = await db
      .insert(alertApprovals)
      .values(values)
      .onConflictDoNothing()
      .returning({ u: alertApprovals.userId });
    return rows.length === 1;
  }
  // A counted decision replaces an ignored one (a new act, not the old one counted late), never a counted one.
  const rows = await db
    .insert(alertApprovals)
    .values(values)
    .onConflictDoUpdate({
      target: [alertApprovals.alertId, alertApprovals.userId],
      set: values,
      setWhere: eq(alertApprovals.decision, "ignored"),
    })
    .returning({ u: alertApprovals.userId });
  return rows.length === 1;
}

export async function updateAlertItem(db: DbOrTx, alertId: number, item: ShareableItem): Promise<void> {
  await db
    .update(alerts)
    .set({ item: itemToJson(item), tlp: item.tlp, rel: item.rel === undefined ? null : [...item.rel] })
    .where(eq(alerts.id, alertId));
}

/** Alerts with a pending target past its expiry at `now`, oldest first (the scheduler's pass). */
export async function alertIdsExpiring(db: DbOrTx, now: Date): Promise<number[]> {
  const rows = await db
    .selectDistinct({ id: alertTargets.alertId })
    .from(alertTargets)
    .where(and(eq(alertTargets.outcome, "pending"), lt(alertTargets.expiresAt, now)))
    .orderBy(asc(alertTargets.alertId));
  return rows.map((r) => r.id);
}

/** Locks an alert's row for the rest of the transaction (skipping one another pass holds). */
export async function lockAlert(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await db
    .select({ id: alerts.id })
    .from(alerts)
    .where(eq(alerts.id, id))
    .for("update", { skipLocked: true });
  return rows.length === 1;
}

export function alertRepo(db: DbOrTx): AlertRepo {
  return {
    create: (a) => createAlert(db, a),
    get: (id) => getAlert(db, id),
    bySource: (roomId, ref) => alertsBySource(db, roomId, ref),
    setTarget: (id, room, c) => setAlertTarget(db, id, room, c),
    recordApproval: (id, a) => recordAlertApproval(db, id, a),
    updateItem: (id, item) => updateAlertItem(db, id, item),
  };
}
