import { bytea } from "../types.ts";
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** One row per IndexedDB database the crypto store opened: its version and object-store layout. */
export const cryptoStoreSchema = pgTable("crypto_store_schema", {
  dbName: text("db_name").primaryKey(),
  version: integer("version").notNull(),
  /** [{ name, keyPath, autoIncrement, indexes: [{ name, keyPath, unique, multiEntry }] }] */
  stores: jsonb("stores").notNull(),
});

/**
 * One row per IndexedDB record; key and value are v8-serialized. `last_used_at`: when the record
 * was last written or (for stores kept in memory only while in use, e.g. room keys) read, so
 * start-up can load the recent ones and leave the rest here until asked for.
 */
export const cryptoStoreRecords = pgTable(
  "crypto_store_records",
  {
    dbName: text("db_name").notNull(),
    storeName: text("store_name").notNull(),
    key: bytea("key").notNull(),
    value: bytea("value").notNull(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.dbName, t.storeName, t.key] }),
    index("crypto_store_records_last_used").on(t.dbName, t.storeName, t.lastUsedAt),
  ],
);
