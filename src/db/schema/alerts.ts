import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import type { ApprovalDecision, TargetOutcome } from "../../domain/alert.ts";
import type { Tlp } from "../../domain/marking.ts";
import type { ShareableKind } from "../../domain/sharingRule.ts";

/** Alerts across the tearline; `A-<id>` is the reference people use. Never deleted (audit). */
export const alerts = pgTable(
  "alerts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    roomId: text("room_id").notNull(),
    roomAlias: text("room_alias").notNull(),
    kind: text("kind").$type<ShareableKind>().notNull(),
    /** `S-112`, `RFI-40`; null for a text alert. */
    sourceRef: text("source_ref"),
    /** The item as alerted (or last corrected), unredacted: each target's copy is redacted from it. */
    item: jsonb("item").notNull(),
    tlp: text("tlp").$type<Tlp>().notNull(),
    rel: text("rel").array(),
    requester: text("requester").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    commandEventId: text("command_event_id"),
  },
  (t) => [
    index("alerts_source").on(t.roomId, t.sourceRef),
    check("alerts_kind", sql`${t.kind} in ('sighting', 'rfi', 'text')`),
  ],
);

/** One row per candidate room of an alert: what was decided for it, under which rule. */
export const alertTargets = pgTable(
  "alert_targets",
  {
    alertId: integer("alert_id")
      .notNull()
      .references(() => alerts.id),
    roomAlias: text("room_alias").notNull(),
    roomId: text("room_id").notNull(),
    /** The order the reply listed the targets in. */
    position: integer("position").notNull(),
    ruleName: text("rule_name"),
    outcome: text("outcome").$type<TargetOutcome>().notNull(),
    reason: text("reason"),
    /** What a pending target waits for, as the rule said when it was raised. */
    approvalRole: text("approval_role"),
    approvalCount: integer("approval_count"),
    notRequester: boolean("not_requester"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.alertId, t.roomAlias] }),
    // The expiry pass looks for pending targets past their time.
    index("alert_targets_pending").on(t.expiresAt).where(sql`${t.outcome} = 'pending'`),
    check(
      "alert_targets_outcome",
      sql`${t.outcome} in ('pending', 'relayed', 'refused', 'denied', 'expired', 'recalled')`,
    ),
  ],
);

/** Approvals, denials and ignored votes: one per user and alert, so nobody counts twice. */
export const alertApprovals = pgTable(
  "alert_approvals",
  {
    alertId: integer("alert_id")
      .notNull()
      .references(() => alerts.id),
    userId: text("user_id").notNull(),
    name: text("name"),
    roles: text("roles").array().notNull(),
    decision: text("decision").$type<ApprovalDecision>().notNull(),
    via: text("via").$type<"reaction" | "command">().notNull(),
    reason: text("reason"),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.alertId, t.userId] }),
    check("alert_approvals_decision", sql`${t.decision} in ('approve', 'deny', 'ignored')`),
  ],
);
