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
import { LazyRecords, roomKeysStore } from "./idbLazy.ts";
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

/** Rows per PostgreSQL page and per IndexedDB transaction when the store is restored. */
const RESTORE_BATCH = 1000;

/**
 * Room keys kept in memory (the most recently used); older ones stay in PostgreSQL until a
 * decrypt asks for one. At ~580 new sessions a week (200 rooms, 800 devices) this is two months'.
 */
export const RECENT_ROOM_KEYS = 5000;

/** The name the OlmMachine opens its store under (its databases are `tearline::…`). */
export const CRYPTO_STORE_PREFIX = "tearline";

export interface CryptoStoreOptions {
  /** Room keys kept in memory (default RECENT_ROOM_KEYS; Infinity keeps them all). */
  recentRoomKeys?: number;
  /** For tests: the clock deciding when a record's use is written back. */
  now?: () => number;
}

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

/** Creates `schema.name` at its version with its stores and indexes, empty, and opens it. */
export async function createDatabase(factory: IDBFactory, schema: DatabaseSchema): Promise<IDBDatabase> {
  const open = factory.open(schema.name, schema.version);
  open.onupgradeneeded = () => {
    const db = open.result;
    for (const s of schema.stores) {
      const store = db.createObjectStore(s.name, { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
      for (const ix of s.indexes)
        store.createIndex(ix.name, ix.keyPath, { unique: ix.unique, multiEntry: ix.multiEntry });
    }
  };
  return request(open);
}

/**
 * Puts records back in one transaction. Callers keep transactions to about a thousand writes:
 * fake-indexeddb drains a transaction's requests with `Array.shift`, which makes one huge
 * transaction super-linear (80k writes: 2.2 s at once, 0.15 s in batches of 1,000).
 */
export async function putRecords(db: IDBDatabase, records: readonly StoredRecord[]): Promise<void> {
  if (records.length === 0) return;
  const tx = db.transaction([...new Set(records.map((r) => r.store))], "readwrite");
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error(`restoring ${db.name} aborted`));
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
}

/** Creates `schema.name` at its version with its stores and indexes and puts the records back. */
export async function restoreDatabase(
  factory: IDBFactory,
  schema: DatabaseSchema,
  records: StoredRecord[],
): Promise<void> {
  const db = await createDatabase(factory, schema);
  try {
    for (let i = 0; i < records.length; i += RESTORE_BATCH)
      await putRecords(db, records.slice(i, i + RESTORE_BATCH));
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
  readonly #roomKeys: LazyRecords | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    persistence: CryptoStorePersistence,
    log: Logger,
    factory: IDBFactory,
    journal: IdbJournal,
    roomKeys: LazyRecords | undefined,
  ) {
    this.#persistence = persistence;
    this.#log = log;
    this.factory = factory;
    this.#journal = journal;
    this.#roomKeys = roomKeys;
  }

  /**
   * Loads the stored databases into a fresh fake IndexedDB — page by page, each page in a
   * transaction of its own, and of the room keys only the most recently used — installs it (and
   * the fake-indexeddb classes) as globals, and starts journaling. Call before
   * `OlmMachine.initialize`.
   */
  static async open(
    persistence: CryptoStorePersistence,
    log: Logger,
    options: CryptoStoreOptions = {},
  ): Promise<DurableCryptoStore> {
    const started = performance.now();
    const recent = options.recentRoomKeys ?? RECENT_ROOM_KEYS;
    const roomKeysRef = roomKeysStore(CRYPTO_STORE_PREFIX);
    const lazy = Number.isFinite(recent) ? [{ ...roomKeysRef, recent: Math.max(0, Math.floor(recent)) }] : [];
    const factory = createIndexedDb();
    const open = new Map<string, { db: IDBDatabase; known: Set<string> }>();
    const ignored = new Map<string, number>();
    const roomKeys: Buffer[] = [];
    let restored = 0;
    try {
      await persistence.load(
        { lazy, batch: RESTORE_BATCH },
        async (schemaRows) => {
          for (const row of schemaRows) {
            const schema: DatabaseSchema = {
              name: row.dbName,
              version: row.version,
              stores: storesSchema.parse(row.stores),
            };
            const db = await createDatabase(factory, schema);
            open.set(row.dbName, { db, known: new Set(schema.stores.map((st) => st.name)) });
          }
        },
        async (rows) => {
          const byDb = new Map<string, StoredRecord[]>();
          for (const r of rows) {
            const target = open.get(r.dbName);
            if (!target?.known.has(r.storeName)) {
              const id = `${r.dbName}\u0000${r.storeName}`;
              ignored.set(id, (ignored.get(id) ?? 0) + 1);
              continue;
            }
            const list = byDb.get(r.dbName) ?? [];
            list.push({ store: r.storeName, key: r.key, value: r.value });
            byDb.set(r.dbName, list);
            if (lazy.length > 0 && r.dbName === roomKeysRef.db && r.storeName === roomKeysRef.store)
              roomKeys.push(r.key);
          }
          for (const [name, records] of byDb) {
            const target = open.get(name);
            if (target) await putRecords(target.db, records);
            restored += records.length;
          }
        },
      );
    } finally {
      for (const { db } of open.values()) db.close();
    }
    for (const [id, count] of ignored) {
      const [db, store] = id.split("\u0000");
      log.warn("crypto store records without a schema or object store ignored", { db, store, count });
    }
    installIndexedDbGlobals(factory);
    const journal = IdbJournal.attach(factory, log);
    const keys = lazy[0] ? new LazyRecords(factory, journal, lazy[0], options.now) : undefined;
    for (const key of roomKeys) keys?.loaded(key);
    log.info("crypto store loaded", {
      databases: open.size,
      records: restored,
      roomKeysInMemory: keys?.size,
      ms: Math.round(performance.now() - started),
    });
    return new DurableCryptoStore(persistence, log, factory, journal, keys);
  }

  /** Committed IndexedDB changes not yet persisted. */
  get pendingCount(): number {
    return this.#journal.pendingCount;
  }

  /** Room keys in memory (undefined when all are kept). */
  get roomKeysInMemory(): number | undefined {
    return this.#roomKeys?.size;
  }

  /** Changes whenever room keys are brought back from storage (see {@link recall}). */
  get recallGeneration(): number {
    return this.#roomKeys?.generation ?? 0;
  }

  /**
   * Writes every pending change to the persistence in one atomic write and returns how many journal
   * entries that was (0, with no SQL at all, when nothing is pending). Flushes run one at a time.
   * On failure nothing is dropped: the entries stay pending for the next flush, and the error is
   * thrown. Afterwards, room keys beyond the recent ones are dropped from memory.
   */
  flush(): Promise<number> {
    return this.#enqueue(() => this.#flushNow());
  }

  /**
   * Brings back from storage the room keys the wasm looked for and did not find in memory (after a
   * flush, so storage is the truth), and returns how many came back. A decrypt that failed for a
   * missing room key calls this and, if anything came back, tries again.
   */
  recall(): Promise<number> {
    return this.#enqueue(async () => {
      const keys = this.#roomKeys;
      if (!keys || keys.missCount === 0) return 0;
      await this.#flushNow();
      const missed = keys.takeMisses();
      const found = await this.#persistence.fetch(keys.ref, missed);
      const added = await keys.putBack(found);
      this.#log.debug("room keys recalled from storage", {
        missed: missed.length,
        found: found.length,
        added,
      });
      return added;
    });
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #flushNow(): Promise<number> {
    const entries = this.#journal.pending.slice();
    const uses = this.#roomKeys?.dueUses() ?? [];
    if (entries.length === 0 && uses.length === 0) return 0;
    const started = performance.now();
    const { dropped, schemas, stores } = plan(entries);
    const rows = await this.#persistence.write({
      dropped,
      schemas: schemas.values(),
      stores: stores.map((p) => ({ ...p, writes: p.writes.values() })),
      used: this.#roomKeys && uses.length > 0 ? [{ ...this.#roomKeys.ref, keys: uses }] : [],
    });
    this.#journal.discard(entries.length);
    let evicted = 0;
    if (this.#roomKeys) {
      this.#roomKeys.flushed(entries, uses);
      evicted = await this.#roomKeys.evict(this.#journal.pending);
    }
    this.#log.debug("crypto store flushed", {
      ops: entries.length,
      rows,
      uses: uses.length,
      evicted,
      ms: Math.round(performance.now() - started),
    });
    return entries.length;
  }

  /** Stops journaling (unwraps fake-indexeddb once no store is open). Flush first. */
  close(): void {
    if (this.pendingCount > 0)
      this.#log.warn("crypto store closed with unflushed changes", { ops: this.pendingCount });
    this.#roomKeys?.close();
    this.#journal.detach();
  }
}
