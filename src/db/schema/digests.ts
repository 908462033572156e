import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";

/**
 * Each digest claimed for a room and period. The row is inserted in the same transaction as the
 * digest's outbox row, and (room, period end) is unique: a restart, a hot standby or a clock jump
 * that runs the same pass again finds it claimed and posts nothing. A digest missed beyond its
 * grace is claimed as `skipped`, so it is audited once.
 */
export const digestRuns = pgTable(
  "digest_runs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    roomId: text("room_id").notNull(),
    periodStart: timestamp("period_start", { withTimezone: true }).notNull(),
    periodEnd: timestamp("period_end", { withTimezone: true }).notNull(),
    /** `posted` or `skipped`. */
    status: text("status").$type<"posted" | "skipped">().notNull(),
    /** `schedule` (the cron) or `command` (`!digest now`). */
    trigger: text("trigger").$type<"schedule" | "command">().notNull(),
    late: boolean("late").notNull().default(false),
    claimedAt: timestamp("claimed_at", { withTimezone: true }).notNull(),
    /** The digest's outbox row (none for a skip, nor for `!digest now`, whose reply the runner queues). */
    outboxId: bigint("outbox_id", { mode: "number" }),
  },
  (t) => [
    unique("digest_runs_room_period").on(t.roomId, t.periodEnd),
    check("digest_runs_status", sql`${t.status} in ('posted', 'skipped')`),
    check("digest_runs_trigger", sql`${t.trigger} in ('schedule', 'command')`),
  ],
);

/**
 * Schedules set from chat (`!digest schedule`, `!digest off`); they override tearline.yaml's
 * until `!digest reset` deletes the row. `cron` null means off.
 */
export const digestSchedules = pgTable("digest_schedules", {
  roomId: text("room_id").primaryKey(),
  cron: text("cron"),
  tz: text("tz").notNull(),
  setBy: text("set_by").notNull(),
  setAt: timestamp("set_at", { withTimezone: true }).notNull(),
});
