import { bytea } from "../types.ts";
import { integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

/** One row per IndexedDB database the crypto store opened: its version and object-store layout. */
export const cryptoStoreSchema = pgTable("crypto_store_schema", {
  dbName: text("db_name").primaryKey(),
  version: integer("version").notNull(),
  /** [{ name, keyPath, autoIncrement, indexes: [{ name, keyPath, unique, multiEntry }] }] */
  stores: jsonb("stores").notNull(),
});

/** One row per IndexedDB record; key and value are v8-serialized. */
export const cryptoStoreRecords = pgTable(
  "crypto_store_records",
  {
    dbName: text("db_name").notNull(),
    storeName: text("store_name").notNull(),
    key: bytea("key").notNull(),
    value: bytea("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.dbName, t.storeName, t.key] })],
);
