import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import {
  connectPostgres,
  type Db,
  drizzleOverPostgres,
  type EmbeddedDatabase,
  migrateDatabase,
  openEmbedded,
  openPostgres,
  type PostgresDatabase,
} from "../../src/db/client.ts";

export const baseDatabaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase extends PostgresDatabase {
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, migrated PostgreSQL database of its own, so tests never see each other's rows. */
export async function createTestDatabase(prefix = "tl", base = baseDatabaseUrl): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = connectPostgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(base, name);
  const database = openPostgres(url);
  await migrateDatabase(database);
  return {
    ...database,
    url,
    name,
    async drop() {
      await database.close();
      const a = connectPostgres(base, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Rows of a plain tagged query (`${value}` parameters only), on either engine; typed like postgres.js's. */
export type RowsTag = <T extends readonly unknown[] = Record<string, unknown>[]>(
  strings: TemplateStringsArray,
  ...values: unknown[]
) => Promise<T>;

/** What a test that runs on both engines needs: the drizzle handle, raw SQL for set-up, and a way out. */
export interface DbUnderTest {
  engine: "postgres" | "pglite";
  db: Db;
  sql: RowsTag;
  drop(): Promise<void>;
}

/** A fresh, migrated PGlite in memory (the embedded default, without a folder). */
export async function createEmbeddedTestDatabase(): Promise<EmbeddedDatabase & DbUnderTest> {
  const database = await openEmbedded();
  await migrateDatabase(database);
  const client = database.client;
  return {
    ...database,
    sql: async <T extends readonly unknown[]>(strings: TemplateStringsArray, ...values: unknown[]) =>
      (await client.sql(strings, ...values)).rows as unknown as T,
    drop: () => database.close(),
  };
}

/** The two engines, for `describe.each(ENGINES)("… ($name)", ({ open }) => …)`. */
export const ENGINES: readonly { name: string; open(prefix?: string): Promise<DbUnderTest> }[] = [
  {
    name: "PostgreSQL",
    open: async (prefix) => {
      const t = await createTestDatabase(prefix);
      const sql: RowsTag = async <T extends readonly unknown[]>(
        strings: TemplateStringsArray,
        ...values: unknown[]
      ) => (await t.sql(strings, ...(values as postgres.ParameterOrFragment<never>[]))) as unknown as T;
      return { engine: "postgres", db: t.db, sql, drop: () => t.drop() };
    },
  },
  { name: "embedded PGlite", open: () => createEmbeddedTestDatabase() },
];

/** A drizzle handle over `sql` that records every statement it sends (to count round trips). */
export function countingDb(sql: postgres.Sql): { db: Db; queries: string[] } {
  const queries: string[] = [];
  const db = drizzleOverPostgres(sql, { logQuery: (q) => queries.push(q) });
  return { db, queries };
}
