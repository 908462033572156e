import { and, asc, eq, gt, inArray, isNotNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { REMINDER_LEAD_MS, type RemindableRfi, type Reminder, recordSent } from "../../domain/reminders.ts";
import { AWAITING_ANSWER, RFI_PRIORITIES } from "../../domain/rfi.ts";
import type { DbOrTx } from "../client.ts";
import { rfis } from "../schema/rfis.ts";
import { type RfiRow, toRfi } from "./rfis.ts";

/**
 * RFIs that may be due a reminder or an overdue notice at `now`; src/domain/reminders.ts makes
 * the final decision on the locked row, so this only has to keep the others out.
 */
function dueAt(now: Date): SQL | undefined {
  const withinLead = or(
    ...RFI_PRIORITIES.map((p) =>
      and(eq(rfis.priority, p), lte(rfis.ltiov, new Date(+now + REMINDER_LEAD_MS[p]))),
    ),
  );
  return and(
    inArray(rfis.status, [...AWAITING_ANSWER]),
    isNotNull(rfis.ltiov),
    or(
      and(gt(rfis.ltiov, now), withinLead, sql`${rfis.remindedFor} is distinct from ${rfis.ltiov}`),
      and(lt(rfis.ltiov, now), sql`${rfis.overdueNoticedFor} is distinct from ${rfis.ltiov}`),
    ),
  );
}

function toRemindable(row: RfiRow): RemindableRfi {
  return {
    ...toRfi(row),
    toRoomId: row.toRoomId ?? undefined,
    remindedFor: row.remindedFor ?? undefined,
    overdueNoticedFor: row.overdueNoticedFor ?? undefined,
  };
}

/** Ids of the RFIs that may be due a notice at `now`, soonest deadline first. */
export async function rfiIdsDueNotice(db: DbOrTx, now: Date): Promise<number[]> {
  const rows = await db
    .select({ id: rfis.id })
    .from(rfis)
    .where(dueAt(now))
    .orderBy(asc(rfis.ltiov), asc(rfis.id));
  return rows.map((r) => r.id);
}

/**
 * Locks the RFI for the rest of the transaction if it is still due a notice; undefined when it
 * is not, or when another transaction holds it (it is looked at again on the next pass).
 */
export async function lockRfiDueNotice(
  tx: DbOrTx,
  id: number,
  now: Date,
): Promise<RemindableRfi | undefined> {
  const [row] = await tx
    .select()
    .from(rfis)
    .where(and(eq(rfis.id, id), dueAt(now)))
    .for("update", { skipLocked: true });
  return row === undefined ? undefined : toRemindable(row);
}

/** Remembers that `reminder` was sent, for the LTIOV it was for. */
export async function markReminderSent(tx: DbOrTx, id: number, reminder: Reminder): Promise<void> {
  await tx.update(rfis).set(recordSent({}, reminder)).where(eq(rfis.id, id));
}
