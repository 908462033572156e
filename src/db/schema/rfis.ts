import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { RfiPriority, RfiStatus } from "../../domain/rfi.ts";

/** Requests for information; `RFI-<id>` is the reference people use. */
export const rfis = pgTable(
  "rfis",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    roomId: text("room_id").notNull(),
    originator: text("originator").notNull(),
    originatorPartner: text("originator_partner").notNull(),
    priority: text("priority").$type<RfiPriority>().notNull(),
    /** Latest time of intelligence value. */
    ltiov: timestamp("ltiov", { withTimezone: true }),
    /** The addressee: a partner code, or a room alias with the partners it had when addressed. */
    toPartner: text("to_partner"),
    toRoom: text("to_room"),
    toRoomPartners: text("to_room_partners").array(),
    toRoomId: text("to_room_id"),
    question: text("question").notNull(),
    status: text("status").$type<RfiStatus>().notNull().default("open"),
    reason: text("reason"),
    answer: text("answer"),
    answeredBy: text("answered_by"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    /** The LTIOV the deadline reminder was sent for: a corrected LTIOV differs, so it is reminded again. */
    remindedFor: timestamp("reminded_for", { withTimezone: true }),
    /** The LTIOV the overdue notice was sent for. */
    overdueNoticedFor: timestamp("overdue_noticed_for", { withTimezone: true }),
  },
  (t) => [
    index("rfis_room").on(t.roomId, t.createdAt),
    index("rfis_to_room").on(t.toRoomId),
    check("rfis_addressee", sql`(${t.toPartner} is null) <> (${t.toRoom} is null)`),
    check("rfis_priority", sql`${t.priority} in ('routine', 'priority', 'immediate')`),
    check(
      "rfis_status",
      sql`${t.status} in ('open', 'accepted', 'deferred', 'referred', 'answered', 'denied', 'closed', 'withdrawn')`,
    ),
  ],
);
