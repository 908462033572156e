import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type Logger, sql as dsql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { type DataDirLock, lockDataDir } from "./dataDirLock.ts";
import { projectFile } from "../projectFiles.ts";
import * as schema from "./schema/index.ts";

const migrationsFolder = projectFile("migrations");

/** What both drivers share (postgres.js for a server, PGlite embedded): every query is written against this. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; queries accept either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

interface DatabaseCommon {
  db: Db;
  /** For logs and `!status`: which database, never a password. */
  description: string;
  /** Applies migrations/ with this driver's drizzle migrator. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** A PostgreSQL server (DATABASE_URL): many connections, several processes, a hot standby. */
export interface PostgresDatabase extends DatabaseCommon {
  engine: "postgres";
  url: string;
  /** postgres.js itself, for the device lock's own connection and for tests. */
  sql: postgres.Sql;
}

/** PGlite in this process: one connection (queries queue), one process per data folder. */
export interface EmbeddedDatabase extends DatabaseCommon {
  engine: "pglite";
  /** The folder (TEARLINE_DATA_DIR), or undefined for an in-memory database (tests). */
  dataDir: string | undefined;
  client: PGlite;
}

export type Database = PostgresDatabase | EmbeddedDatabase;

/** `PostgreSQL host:port/db`: the URL without user or password. */
export function describePostgres(url: string): string {
  try {
    const { url: rest, socketDir } = splitSocket(url);
    const u = new URL(rest);
    return `PostgreSQL ${socketDir ?? (u.host || "localhost")}${u.pathname || "/"}`;
  } catch {
    return "PostgreSQL";
  }
}

/**
 * A postgres.js pool for `url`. A Unix socket is named the way libpq names it,
 * `postgres://user@localhost/db?host=/var/run/postgresql` (the socket's folder): postgres.js
 * itself would send `host` to the server as a setting. On the same machine as PostgreSQL the
 * socket costs the bot about half the CPU per statement of loopback TCP (BENCHMARKS.md).
 */
export function connectPostgres(
  url: string,
  options: postgres.Options<Record<string, never>> = {},
): postgres.Sql {
  const { url: rest, socketDir } = splitSocket(url);
  if (socketDir === undefined) return postgres(rest, options);
  const u = new URL(rest);
  const port = u.port || "5432";
  return postgres(rest, { ...options, path: `${socketDir.replace(/\/+$/, "")}/.s.PGSQL.${port}` });
}

/** The URL without a `host=/folder` parameter, and that folder. */
export function splitSocket(url: string): { url: string; socketDir: string | undefined } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, socketDir: undefined };
  }
  const host = u.searchParams.get("host");
  if (host === null || !host.startsWith("/")) return { url, socketDir: undefined };
  u.searchParams.delete("host");
  return { url: u.toString(), socketDir: host };
}

/**
 * Statements with at most this many parameters are named (prepared) on each connection. Larger
 * ones are the batch inserts, whose text changes with the number of rows: left unnamed, they do
 * not pile up on the connections.
 */
export const PREPARED_MAX_PARAMETERS = 32;

/**
 * drizzle over `sql`, sending its short statements as named prepared statements. drizzle itself
 * asks postgres.js for an unnamed statement every time (`prepare: false`): PostgreSQL then parses
 * and plans it on every execution, and postgres.js first asks the server for the parameters'
 * types, a second round trip. Named, a statement is parsed once per connection and then costs
 * one round trip (BENCHMARKS.md, "Short SQL statements"). Statements without parameters keep
 * drizzle's way: they need no second round trip, and the migrations' DDL is not worth keeping.
 */
export function drizzleOverPostgres(sql: postgres.Sql, logger?: Logger): PostgresJsDatabase<typeof schema> {
  return drizzlePostgres(preparing(sql), { schema, ...(logger ? { logger } : {}) });
}

type Client = postgres.Sql | postgres.TransactionSql;

/** `client` whose `unsafe` (drizzle's way in) names short statements, in its transactions and savepoints too. */
function preparing<C extends Client>(client: C): C {
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "unsafe")
        return (
          query: string,
          params?: postgres.ParameterOrJSON<never>[],
          options?: postgres.UnsafeQueryOptions,
        ) =>
          target.unsafe(
            query,
            params,
            params && params.length > 0 && params.length <= PREPARED_MAX_PARAMETERS
              ? { ...options, prepare: true }
              : options,
          );
      // begin(fn), begin(options, fn), savepoint(fn), savepoint(name, fn): fn gets a preparing client too.
      if (prop === "begin" || prop === "savepoint")
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: postgres.TransactionSql) => unknown;
          return (value as (...a: unknown[]) => unknown).call(
            target,
            ...args,
            (tx: postgres.TransactionSql) => fn(preparing(tx)),
          );
        };
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

export function openPostgres(url: string, opts: { max?: number } = {}): PostgresDatabase {
  const sql = connectPostgres(url, { max: opts.max ?? 5, onnotice: () => {} });
  const db = drizzleOverPostgres(sql);
  return {
    engine: "postgres",
    db,
    sql,
    url,
    description: describePostgres(url),
    migrate: () => migratePostgres(db, { migrationsFolder }),
    close: () => sql.end({ timeout: 5 }),
  };
}

/** Where PGlite keeps its files inside TEARLINE_DATA_DIR (the folder also holds the lock). */
export const PGLITE_SUBDIR = "pglite";

/**
 * Opens PGlite with its files in `dataDir` (created if missing), after taking the folder's lock:
 * PGlite itself would let a second process open the same files and corrupt them. Throws
 * `DataDirBusy` if another live process holds it. Without `dataDir`, an in-memory database.
 */
export async function openEmbedded(dataDir?: string): Promise<EmbeddedDatabase> {
  let lock: DataDirLock | undefined;
  let client: PGlite;
  const dir = dataDir === undefined ? undefined : resolve(dataDir);
  if (dir === undefined) {
    client = await PGlite.create();
  } else {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    lock = lockDataDir(dir);
    try {
      client = await PGlite.create(join(dir, PGLITE_SUBDIR));
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  const db = drizzlePglite(client, { schema });
  return {
    engine: "pglite",
    db,
    client,
    dataDir: dir,
    description: `embedded PGlite ${dir === undefined ? "in memory" : `at ${dir}`}`,
    migrate: () => migratePglite(db, { migrationsFolder }),
    async close() {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** DATABASE_URL set: that server; otherwise PGlite in the data folder. */
export function openDatabase(
  target: { databaseUrl?: string | undefined; dataDir: string },
  opts: { max?: number } = {},
): Promise<Database> {
  return target.databaseUrl === undefined
    ? openEmbedded(target.dataDir)
    : Promise.resolve(openPostgres(target.databaseUrl, opts));
}

/** The same drizzle migrations on either engine, through that driver's migrator. */
export function migrateDatabase(database: Database): Promise<void> {
  return database.migrate();
}

/** `select 1` answered: the database is there (through a transaction's handle too). */
export function isReachable(q: DbOrTx): Promise<boolean> {
  return q.execute(dsql`select 1`).then(
    () => true,
    () => false,
  );
}
