import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Which command message created which record, so an edit corrects it and a redaction retracts it. */
export const commandEvents = pgTable("command_events", {
  eventId: text("event_id").primaryKey(),
  command: text("command").notNull(),
  roomId: text("room_id").notNull(),
  sender: text("sender").notNull(),
  /** `S-112`, `RFI-40`. */
  ref: text("ref").notNull(),
  /** When the officer sent the command: the default time of what it reported. */
  sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
