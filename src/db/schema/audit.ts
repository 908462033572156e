import { bigserial, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Append-only; each entry carries the hash of the previous one (design.md §7). */
export const auditLog = pgTable("audit_log", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  at: timestamp("at", { withTimezone: true }).notNull(),
  actor: text("actor").notNull(),
  action: text("action").notNull(),
  roomId: text("room_id"),
  detail: jsonb("detail").notNull(),
  prevHash: text("prev_hash").notNull(),
  hash: text("hash").notNull(),
});
