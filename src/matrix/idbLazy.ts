/**
 * Object stores kept in memory only in part: the wasm crypto store's room keys
 * (`inbound_group_sessions3`) grow by hundreds a week and are almost never read after their
 * room's conversation moved on, so only the recently used ones live in fake-indexeddb and the
 * rest stay in PostgreSQL until asked for.
 *
 * How a record comes back: the wasm looks a room key up with `IDBObjectStore.get(key)` (its keys
 * are hashed by the store cipher, so we cannot compute one from a session id — but we see the
 * key it asks for). `get` is wrapped: a lookup that finds nothing is remembered as a miss; the
 * caller (a decrypt that failed with a missing key) asks for the misses to be fetched, puts them
 * back — with `add`, on a connection the journal does not watch, so they are not written to
 * PostgreSQL again and never overwrite a newer copy — and retries.
 * What is in memory is an LRU by last read or write; past `limit` the least recently used records
 * are deleted from memory (not journaled: PostgreSQL keeps them), never one with a write still
 * waiting to be flushed. Reads are also remembered, so `last_used_at` in PostgreSQL tells the
 * next start-up which records are recent.
 */
import { IDBKeyRange as FakeIDBKeyRange, IDBObjectStore as FakeIDBObjectStore } from "fake-indexeddb";
import type { LazyStore, StoreRef, StoredRecordRow } from "./cryptoPersistence.ts";
import { decodeKey, deserializeValue, encodeKey } from "./idbCodec.ts";
import { IdbJournal, type JournalEntry } from "./idbJournal.ts";

/** The object store of room keys of the wasm store opened under `prefix` (crypto-wasm 18.9). */
export function roomKeysStore(prefix: string): StoreRef {
  return { db: `${prefix}::matrix-sdk-crypto`, store: "inbound_group_sessions3" };
}

/** How long a read may go unrecorded in PostgreSQL (`last_used_at` is a day-scale hint). */
const RECORD_USE_EVERY_MS = 3_600_000;

interface Entry {
  /** when `last_used_at` was last written for it (0: never by this process) */
  saved: number;
  /** read since it was last saved */
  used: boolean;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function completion(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}

export class LazyRecords {
  readonly ref: LazyStore;
  /** by key bytes (latin1), least recently used first */
  readonly #hot = new Map<string, Entry>();
  readonly #misses = new Set<string>();
  readonly #factory: IDBFactory;
  readonly #journal: IdbJournal;
  readonly #now: () => number;
  #db: Promise<IDBDatabase> | undefined;
  /** Bumped whenever records are brought back, so a caller can tell that someone's recall helped it. */
  generation = 0;

  constructor(factory: IDBFactory, journal: IdbJournal, ref: LazyStore, now: () => number = Date.now) {
    this.#factory = factory;
    this.#journal = journal;
    this.ref = ref;
    this.#now = now;
    watchers.add(this);
    if (watchers.size === 1) patchGet();
  }

  /** Records in memory that this tracks. */
  get size(): number {
    return this.#hot.size;
  }

  get missCount(): number {
    return this.#misses.size;
  }

  /** A record restored at start-up (recent by definition). */
  loaded(key: Buffer): void {
    this.#hot.set(key.toString("latin1"), { saved: this.#now(), used: false });
  }

  /** @internal From the wrapped `get`. */
  read(key: IDBValidKey, found: boolean): void {
    const id = encodeKey(key).toString("latin1");
    if (!found) {
      // Bounded: a decrypt recalls right after its miss; misses nobody asks for are dropped.
      if (this.#misses.size >= 10_000) this.#misses.clear();
      this.#misses.add(id);
      return;
    }
    const e = this.#hot.get(id) ?? { saved: 0, used: false };
    e.used = true;
    this.#hot.delete(id);
    this.#hot.set(id, e);
  }

  /** @internal Whether a `get` on this connection's store is ours to watch. */
  watches(db: IDBDatabase, store: string): boolean {
    return store === this.ref.store && db.name === this.ref.db && IdbJournal.ownerOf(db) === this.#journal;
  }

  /** Keys read since their use was last written and now due (for `CryptoStoreChanges.used`). */
  dueUses(): Buffer[] {
    const now = this.#now();
    const out: Buffer[] = [];
    for (const [id, e] of this.#hot)
      if (e.used && now - e.saved >= RECORD_USE_EVERY_MS) out.push(Buffer.from(id, "latin1"));
    return out;
  }

  /** After a successful flush: its writes are in memory and recent; the uses it recorded are saved. */
  flushed(entries: readonly JournalEntry[], uses: readonly Buffer[]): void {
    const now = this.#now();
    for (const key of uses) {
      const e = this.#hot.get(key.toString("latin1"));
      if (e) {
        e.saved = now;
        e.used = false;
      }
    }
    for (const e of entries) {
      if (!("store" in e) || e.db !== this.ref.db || e.store !== this.ref.store) continue;
      if (e.op === "clear") this.#hot.clear();
      else if (e.op === "delete") this.#hot.delete(e.key.toString("latin1"));
      else {
        const id = e.key.toString("latin1");
        this.#hot.delete(id);
        this.#hot.set(id, { saved: now, used: false });
      }
    }
  }

  /** Takes the keys looked up and not found since the last call. */
  takeMisses(): Buffer[] {
    const out = [...this.#misses].map((id) => Buffer.from(id, "latin1"));
    this.#misses.clear();
    return out;
  }

  /** Puts fetched records back into memory (unjournaled; a key that is there already is left alone). */
  async putBack(records: readonly StoredRecordRow[]): Promise<number> {
    if (records.length === 0) return 0;
    const db = await this.#connection();
    const tx = db.transaction(this.ref.store, "readwrite");
    const done = completion(tx);
    const store = tx.objectStore(this.ref.store);
    let added = 0;
    for (const r of records) {
      const req =
        store.keyPath === null
          ? store.add(deserializeValue(r.value), decodeKey(r.key))
          : store.add(deserializeValue(r.value));
      req.onsuccess = () => {
        added++;
        const id = r.key.toString("latin1");
        this.#hot.delete(id);
        this.#hot.set(id, { saved: 0, used: true });
      };
      req.onerror = (ev) => {
        ev.preventDefault(); // already there (written meanwhile): the newer copy stays
      };
    }
    await done;
    if (added > 0) this.generation++;
    return added;
  }

  /**
   * Deletes the least recently used records from memory until at most `limit` remain, skipping
   * any with a write not yet flushed. Returns how many went.
   */
  async evict(pending: readonly JournalEntry[]): Promise<number> {
    const excess = this.#hot.size - this.ref.recent;
    if (excess <= 0) return 0;
    const unflushed = new Set<string>();
    for (const e of pending)
      if ("key" in e && e.db === this.ref.db && e.store === this.ref.store)
        unflushed.add(e.key.toString("latin1"));
    const victims: string[] = [];
    for (const id of this.#hot.keys()) {
      if (victims.length >= excess) break;
      if (!unflushed.has(id)) victims.push(id);
    }
    if (victims.length === 0) return 0;
    const db = await this.#connection();
    const tx = db.transaction(this.ref.store, "readwrite");
    const done = completion(tx);
    const store = tx.objectStore(this.ref.store);
    for (const id of victims) {
      store.delete(decodeKey(Buffer.from(id, "latin1")));
      this.#hot.delete(id);
    }
    await done;
    return victims.length;
  }

  /** A connection of our own that the journal does not watch; let go when the wasm upgrades. */
  #connection(): Promise<IDBDatabase> {
    this.#db ??= (async () => {
      const db = await request(this.#factory.open(this.ref.db));
      this.#journal.release(db);
      db.onversionchange = () => {
        db.close();
        this.#db = undefined;
      };
      return db;
    })();
    return this.#db;
  }

  close(): void {
    watchers.delete(this);
    if (watchers.size === 0) unpatchGet();
    void this.#db?.then((db) => db.close());
    this.#db = undefined;
  }
}

const watchers = new Set<LazyRecords>();
const storeProto = FakeIDBObjectStore.prototype;
const originalGet = storeProto.get;

function patchGet(): void {
  storeProto.get = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange): IDBRequest {
    const request = originalGet.call(this, query);
    if (query instanceof FakeIDBKeyRange) return request;
    const db = this.transaction.db;
    for (const w of watchers) {
      if (!w.watches(db, this.name)) continue;
      request.addEventListener("success", () => w.read(query as IDBValidKey, request.result !== undefined));
    }
    return request;
  };
}

function unpatchGet(): void {
  storeProto.get = originalGet;
}
