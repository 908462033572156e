import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Small durable facts about the bot itself: Matrix session, sync token. */
export const botState = pgTable("bot_state", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
