/**
 * The wasm crypto store's IndexedDB, made durable in PostgreSQL (design §3 "Persistent crypto
 * store"). `open` rebuilds a fresh fake-indexeddb from what the persistence (PostgreSQL, through
 * src/db) holds and installs it as `globalThis.indexedDB`; from then on every committed write is
 * journaled and `flush` writes the journal in one atomic write. Per the write-ahead rule, callers flush before
 * anything derived from crypto state leaves the process and before the sync token advances.
 */
import { z } from "zod";
import type { Logger } from "../log.ts";
import type { CryptoStorePersistence } from "./cryptoPersistence.ts";
import { decodeKey, deserializeValue } from "./idbCodec.ts";
import {
  createIndexedDb,
  type DatabaseSchema,
  IdbJournal,
  installIndexedDbGlobals,
  type JournalEntry,
} from "./idbJournal.ts";

const keyPathSchema = z.union([z.string(), z.array(z.string())]);
const storesSchema = z.array(
  z.object({
    name: z.string(),
    keyPath: keyPathSchema.nullable(),
    autoIncrement: z.boolean(),
    indexes: z.array(
      z.object({ name: z.string(), keyPath: keyPathSchema, unique: z.boolean(), multiEntry: z.boolean() }),
    ),
  }),
);

interface StoredRecord {
  store: string;
  key: Buffer;
  value: Buffer;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Puts a generated inline key back into a value whose store generated it (`keyPath` + autoIncrement). */
function withInlineKey(value: unknown, keyPath: string, key: IDBValidKey): unknown {
  if (typeof value !== "object" || value === null) return value;
  const parts = keyPath.split(".");
  let target: Record<string, unknown> = value as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    const next = target[part];
    if (next === undefined) target[part] = {};
    else if (typeof next !== "object" || next === null) return value;
    target = target[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1] ?? keyPath;
  if (target[last] === undefined) target[last] = key;
  return value;
}

/** Creates `schema.name` at its version with its stores and indexes and puts the records back. */
export async function restoreDatabase(
  factory: IDBFactory,
  schema: DatabaseSchema,
  records: StoredRecord[],
): Promise<void> {
  const open = factory.open(schema.name, schema.version);
  open.onupgradeneeded = () => {
    const db = open.result;
    for (const s of schema.stores) {
      const store = db.createObjectStore(s.name, { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
      for (const ix of s.indexes)
        store.createIndex(ix.name, ix.keyPath, { unique: ix.unique, multiEntry: ix.multiEntry });
    }
  };
  const db = await request(open);
  try {
    if (records.length === 0) return;
    const tx = db.transaction([...new Set(records.map((r) => r.store))], "readwrite");
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new Error(`restoring ${schema.name} aborted`));
    });
    try {
      for (const r of records) {
        const store = tx.objectStore(r.store);
        const key = decodeKey(r.key);
        const value = deserializeValue(r.value);
        if (store.keyPath === null) store.put(value, key);
        else if (typeof store.keyPath === "string" && store.autoIncrement) {
          store.put(withInlineKey(value, store.keyPath, key));
        } else store.put(value);
      }
    } catch (err) {
      tx.abort();
      await done.catch(() => undefined);
      throw err;
    }
    await done;
  } finally {
    db.close();
  }
}

interface StorePlan {
  db: string;
  store: string;
  cleared: boolean;
  /** by key bytes (latin1): the last value, or null for a delete */
  writes: Map<string, { key: Buffer; value: Buffer | null }>;
}

/** Folds journal entries into their net effect: last write per key wins, clears and drops reset. */
function plan(entries: readonly JournalEntry[]) {
  const dropped = new Set<string>();
  const schemas = new Map<string, DatabaseSchema>();
  const stores = new Map<string, StorePlan>();
  const storePlan = (db: string, store: string): StorePlan => {
    const id = `${db}\u0000${store}`;
    let p = stores.get(id);
    if (!p) {
      p = { db, store, cleared: false, writes: new Map() };
      stores.set(id, p);
    }
    return p;
  };
  for (const e of entries) {
    switch (e.op) {
      case "dropDatabase":
        dropped.add(e.db);
        schemas.delete(e.db);
        for (const [id, p] of stores) if (p.db === e.db) stores.delete(id);
        break;
      case "schema":
        schemas.set(e.db, e.schema);
        break;
      case "clear": {
        const p = storePlan(e.db, e.store);
        p.cleared = true;
        p.writes.clear();
        break;
      }
      case "delete":
        storePlan(e.db, e.store).writes.set(e.key.toString("latin1"), { key: e.key, value: null });
        break;
      default:
        storePlan(e.db, e.store).writes.set(e.key.toString("latin1"), { key: e.key, value: e.value });
    }
  }
  return { dropped, schemas, stores: [...stores.values()] };
}

export class DurableCryptoStore {
  readonly factory: IDBFactory;
  readonly #persistence: CryptoStorePersistence;
  readonly #log: Logger;
  readonly #journal: IdbJournal;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    persistence: CryptoStorePersistence,
    log: Logger,
    factory: IDBFactory,
    journal: IdbJournal,
  ) {
    this.#persistence = persistence;
    this.#log = log;
    this.factory = factory;
    this.#journal = journal;
  }

  /**
   * Loads the stored databases into a fresh fake IndexedDB, installs it (and the fake-indexeddb
   * classes) as globals, and starts journaling. Call before `OlmMachine.initialize`.
   */
  static async open(persistence: CryptoStorePersistence, log: Logger): Promise<DurableCryptoStore> {
    const started = performance.now();
    const { schemas: schemaRows, records: recordRows } = await persistence.load();
    const byDb = new Map<string, StoredRecord[]>();
    for (const r of recordRows) {
      const list = byDb.get(r.dbName) ?? [];
      list.push({ store: r.storeName, key: r.key, value: r.value });
      byDb.set(r.dbName, list);
    }
    const factory = createIndexedDb();
    let restored = 0;
    for (const row of schemaRows) {
      const schema: DatabaseSchema = {
        name: row.dbName,
        version: row.version,
        stores: storesSchema.parse(row.stores),
      };
      const known = new Set(schema.stores.map((s) => s.name));
      const records = byDb.get(row.dbName) ?? [];
      byDb.delete(row.dbName);
      const usable = records.filter((r) => known.has(r.store));
      if (usable.length < records.length) {
        log.warn("crypto store records for unknown object stores ignored", {
          db: row.dbName,
          count: records.length - usable.length,
        });
      }
      await restoreDatabase(factory, schema, usable);
      restored += usable.length;
    }
    for (const [dbName, records] of byDb) {
      log.warn("crypto store records without a schema ignored", { db: dbName, count: records.length });
    }
    installIndexedDbGlobals(factory);
    const journal = IdbJournal.attach(factory, log);
    log.info("crypto store loaded", {
      databases: schemaRows.length,
      records: restored,
      ms: Math.round(performance.now() - started),
    });
    return new DurableCryptoStore(persistence, log, factory, journal);
  }

  /** Committed IndexedDB changes not yet persisted. */
  get pendingCount(): number {
    return this.#journal.pendingCount;
  }

  /**
   * Writes every pending change to the persistence in one atomic write and returns how many journal
   * entries that was (0, with no SQL at all, when nothing is pending). Flushes run one at a time.
   * On failure nothing is dropped: the entries stay pending for the next flush, and the error is
   * thrown.
   */
  flush(): Promise<number> {
    const run = this.#queue.then(() => this.#flushNow());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #flushNow(): Promise<number> {
    const entries = this.#journal.pending.slice();
    if (entries.length === 0) return 0;
    const started = performance.now();
    const { dropped, schemas, stores } = plan(entries);
    const rows = await this.#persistence.write({
      dropped,
      schemas: schemas.values(),
      stores: stores.map((p) => ({ ...p, writes: p.writes.values() })),
    });
    this.#journal.discard(entries.length);
    this.#log.debug("crypto store flushed", {
      ops: entries.length,
      rows,
      ms: Math.round(performance.now() - started),
    });
    return entries.length;
  }

  /** Stops journaling (unwraps fake-indexeddb once no store is open). Flush first. */
  close(): void {
    if (this.pendingCount > 0)
      this.#log.warn("crypto store closed with unflushed changes", { ops: this.pendingCount });
    this.#journal.detach();
  }
}
