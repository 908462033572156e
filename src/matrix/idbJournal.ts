/**
 * A write journal over fake-indexeddb, so the wasm crypto store can be made durable elsewhere.
 *
 * Prototype methods of fake-indexeddb are wrapped once (shared by all journals) and every write
 * made through a connection opened from an attached factory is recorded, per IndexedDB
 * transaction:
 *   - `IDBObjectStore.put/add` (key = the request's result, so a keyPath or generated key is
 *     recorded as the effective key), `IDBObjectStore.delete/clear`, and `IDBCursor.update/delete`
 *     (the wasm store uses cursors too; they bypass the object-store methods);
 *   - `IDBDatabase.deleteObjectStore` during an upgrade (recorded as a clear of that store) and
 *     `IDBFactory.deleteDatabase`.
 * A write is recorded when its request succeeds (a failed request changed nothing) and reaches
 * the pending journal only when its transaction fires `complete`; on `abort` the transaction's
 * writes are dropped. A request `error` alone does not drop anything: if the handler cancels it,
 * the transaction goes on and commits its other writes; if not, `abort` follows.
 * A delete with a key range is resolved to keys: a `getAllKeys(range)` is queued just before the
 * delete in the same transaction, so it sees exactly the keys that delete removes. The pending
 * journal therefore holds only per-key puts/deletes, whole-store clears, schemas and database
 * drops, which a flush can apply without knowing IndexedDB key order.
 * Schema: after an open that ran an upgrade, the committed layout (version, stores with keyPath,
 * autoIncrement and indexes) is read from the new connection and journaled as a whole, so stores
 * and indexes deleted in the upgrade are simply absent from it.
 */
import {
  IDBCursor as FakeIDBCursor,
  IDBCursorWithValue as FakeIDBCursorWithValue,
  IDBDatabase as FakeIDBDatabase,
  IDBFactory as FakeIDBFactory,
  IDBIndex as FakeIDBIndex,
  IDBKeyRange as FakeIDBKeyRange,
  IDBObjectStore as FakeIDBObjectStore,
  IDBOpenDBRequest as FakeIDBOpenDBRequest,
  IDBRequest as FakeIDBRequest,
  IDBTransaction as FakeIDBTransaction,
  IDBVersionChangeEvent as FakeIDBVersionChangeEvent,
} from "fake-indexeddb";
import type { Logger } from "../log.ts";
import { encodeKey, serializeValue } from "./idbCodec.ts";

export interface IndexSchema {
  name: string;
  keyPath: string | string[];
  unique: boolean;
  multiEntry: boolean;
}
export interface StoreSchema {
  name: string;
  keyPath: string | string[] | null;
  autoIncrement: boolean;
  indexes: IndexSchema[];
}
export interface DatabaseSchema {
  name: string;
  version: number;
  stores: StoreSchema[];
}

/** One committed change. `key` is {@link encodeKey} bytes, `value` is {@link serializeValue} bytes. */
export type JournalEntry =
  | { op: "put" | "add"; db: string; store: string; key: Buffer; value: Buffer }
  | { op: "delete"; db: string; store: string; key: Buffer }
  | { op: "clear"; db: string; store: string }
  | { op: "schema"; db: string; schema: DatabaseSchema }
  | { op: "dropDatabase"; db: string };

type WriteEntry = Extract<JournalEntry, { store: string }>;

/** A fresh, empty in-memory IndexedDB. */
export function createIndexedDb(): IDBFactory {
  return new FakeIDBFactory();
}

/** Makes `factory` (and the fake-indexeddb classes) the globals the wasm store looks up. */
export function installIndexedDbGlobals(factory: IDBFactory): void {
  const globals: Record<string, unknown> = {
    indexedDB: factory,
    IDBCursor: FakeIDBCursor,
    IDBCursorWithValue: FakeIDBCursorWithValue,
    IDBDatabase: FakeIDBDatabase,
    IDBFactory: FakeIDBFactory,
    IDBIndex: FakeIDBIndex,
    IDBKeyRange: FakeIDBKeyRange,
    IDBObjectStore: FakeIDBObjectStore,
    IDBOpenDBRequest: FakeIDBOpenDBRequest,
    IDBRequest: FakeIDBRequest,
    IDBTransaction: FakeIDBTransaction,
    IDBVersionChangeEvent: FakeIDBVersionChangeEvent,
  };
  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true, enumerable: false });
  }
}

/** The committed layout of an open connection (uses a short read-only transaction). */
export function readSchema(db: IDBDatabase): DatabaseSchema {
  const names = Array.from(db.objectStoreNames);
  if (names.length === 0) return { name: db.name, version: db.version, stores: [] };
  const tx = db.transaction(names, "readonly");
  const stores = names.map((name): StoreSchema => {
    const store = tx.objectStore(name);
    const indexes = Array.from(store.indexNames, (indexName): IndexSchema => {
      const index = store.index(indexName);
      return { name: indexName, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
    });
    return { name, keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes };
  });
  return { name: db.name, version: db.version, stores };
}

const journals = new Map<IDBFactory, IdbJournal>();
const owners = new WeakMap<IDBDatabase, IdbJournal>();

export class IdbJournal {
  readonly factory: IDBFactory;
  readonly #log: Logger | undefined;
  #pending: JournalEntry[] = [];
  readonly #txWrites = new WeakMap<IDBTransaction, WriteEntry[]>();
  readonly #upgrades = new WeakMap<IDBDatabase, IDBTransaction>();
  #attached = true;

  private constructor(factory: IDBFactory, log: Logger | undefined) {
    this.factory = factory;
    this.#log = log;
  }

  /** Journals every connection opened from `factory` from now on (not those already open). */
  static attach(factory: IDBFactory, log?: Logger): IdbJournal {
    if (journals.has(factory)) throw new Error("this IndexedDB factory already has a journal");
    const journal = new IdbJournal(factory, log);
    journals.set(factory, journal);
    if (journals.size === 1) patch();
    return journal;
  }

  /** Committed entries not yet persisted, oldest first. */
  get pending(): readonly JournalEntry[] {
    return this.#pending;
  }

  get attached(): boolean {
    return this.#attached;
  }

  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Drops the oldest `count` entries (after they were persisted). */
  discard(count: number): void {
    this.#pending.splice(0, count);
  }

  /** Stops journaling; the prototypes are restored once no journal is attached. */
  detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    journals.delete(this.factory);
    if (journals.size === 0) unpatch();
  }

  /** Stops journaling this connection's writes (for records put back from, or dropped to, storage). */
  release(db: IDBDatabase): void {
    if (owners.get(db) === this) owners.delete(db);
  }

  /** @internal */
  static ownerOf(db: IDBDatabase): IdbJournal | undefined {
    const journal = owners.get(db);
    return journal?.attached ? journal : undefined;
  }

  /** @internal */
  static forFactory(factory: IDBFactory): IdbJournal | undefined {
    return journals.get(factory);
  }

  /** @internal Called for each open request on the factory. */
  watchOpen(request: IDBOpenDBRequest): void {
    let upgraded = false;
    request.addEventListener("upgradeneeded", () => {
      upgraded = true;
      const db = request.result;
      owners.set(db, this);
      const tx = request.transaction;
      if (!tx) return;
      this.#upgrades.set(db, tx);
      const done = (): void => void this.#upgrades.delete(db);
      tx.addEventListener("complete", done);
      tx.addEventListener("abort", done);
    });
    request.addEventListener("success", () => {
      const db = request.result;
      owners.set(db, this);
      if (!upgraded || !this.#attached) return;
      try {
        this.#pending.push({ op: "schema", db: db.name, schema: readSchema(db) });
      } catch (err) {
        this.#log?.error("cannot capture IndexedDB schema", { db: db.name, err });
      }
    });
  }

  /** @internal */
  watchDeleteDatabase(name: string, request: IDBOpenDBRequest): void {
    request.addEventListener("success", () => {
      if (this.#attached) this.#pending.push({ op: "dropDatabase", db: name });
    });
  }

  /** @internal The upgrade transaction running on `db`, if any. */
  upgradeOf(db: IDBDatabase): IDBTransaction | undefined {
    return this.#upgrades.get(db);
  }

  /** @internal Adds a write to its transaction; it becomes pending when that commits. */
  record(tx: IDBTransaction, entry: WriteEntry): void {
    let writes = this.#txWrites.get(tx);
    if (!writes) {
      const list: WriteEntry[] = [];
      writes = list;
      this.#txWrites.set(tx, list);
      tx.addEventListener("complete", () => {
        if (this.#attached) this.#pending.push(...list);
      });
      tx.addEventListener("abort", () => {
        list.length = 0;
      });
    }
    writes.push(entry);
  }
}

const storeProto = FakeIDBObjectStore.prototype;
const cursorProto = FakeIDBCursor.prototype;
const dbProto = FakeIDBDatabase.prototype;
const factoryProto = FakeIDBFactory.prototype;
const original = {
  put: storeProto.put,
  add: storeProto.add,
  delete: storeProto.delete,
  clear: storeProto.clear,
  update: cursorProto.update,
  cursorDelete: cursorProto.delete,
  deleteObjectStore: dbProto.deleteObjectStore,
  open: factoryProto.open,
  deleteDatabase: factoryProto.deleteDatabase,
};

function putLike(op: "put" | "add", fn: typeof storeProto.put) {
  return function (
    this: IDBObjectStore,
    ...args: Parameters<IDBObjectStore["put"]>
  ): IDBRequest<IDBValidKey> {
    const tx = this.transaction;
    const journal = IdbJournal.ownerOf(tx.db);
    if (!journal) return fn.apply(this, args);
    const value = serializeValue(args[0]);
    const request = fn.apply(this, args);
    const db = tx.db.name;
    const store = this.name;
    request.addEventListener("success", () => {
      journal.record(tx, { op, db, store, key: encodeKey(request.result), value });
    });
    return request;
  };
}

function cursorStore(cursor: IDBCursor): IDBObjectStore {
  const source = cursor.source;
  return source instanceof FakeIDBIndex ? source.objectStore : (source as IDBObjectStore);
}

function patch(): void {
  storeProto.put = putLike("put", original.put);
  storeProto.add = putLike("add", original.add);
  storeProto.delete = function (
    this: IDBObjectStore,
    query: IDBValidKey | IDBKeyRange,
  ): IDBRequest<undefined> {
    const tx = this.transaction;
    const journal = IdbJournal.ownerOf(tx.db);
    if (!journal) return original.delete.call(this, query);
    const db = tx.db.name;
    const store = this.name;
    if (query instanceof FakeIDBKeyRange) {
      const keys = this.getAllKeys(query);
      const request = original.delete.call(this, query);
      request.addEventListener("success", () => {
        for (const key of keys.result) journal.record(tx, { op: "delete", db, store, key: encodeKey(key) });
      });
      return request;
    }
    const request = original.delete.call(this, query);
    const key = encodeKey(query as IDBValidKey);
    request.addEventListener("success", () => journal.record(tx, { op: "delete", db, store, key }));
    return request;
  };
  storeProto.clear = function (this: IDBObjectStore): IDBRequest<undefined> {
    const tx = this.transaction;
    const journal = IdbJournal.ownerOf(tx.db);
    const request = original.clear.call(this);
    if (!journal) return request;
    const db = tx.db.name;
    const store = this.name;
    request.addEventListener("success", () => journal.record(tx, { op: "clear", db, store }));
    return request;
  };
  cursorProto.update = function (this: IDBCursor, value: unknown): IDBRequest<IDBValidKey> {
    const store = cursorStore(this);
    const tx = store.transaction;
    const journal = IdbJournal.ownerOf(tx.db);
    if (!journal) return original.update.call(this, value);
    const bytes = serializeValue(value);
    const key = encodeKey(this.primaryKey);
    const request = original.update.call(this, value);
    const entry = { op: "put", db: tx.db.name, store: store.name, key, value: bytes } as const;
    request.addEventListener("success", () => journal.record(tx, entry));
    return request;
  };
  cursorProto.delete = function (this: IDBCursor): IDBRequest<undefined> {
    const store = cursorStore(this);
    const tx = store.transaction;
    const journal = IdbJournal.ownerOf(tx.db);
    if (!journal) return original.cursorDelete.call(this);
    const key = encodeKey(this.primaryKey);
    const request = original.cursorDelete.call(this);
    const entry = { op: "delete", db: tx.db.name, store: store.name, key } as const;
    request.addEventListener("success", () => journal.record(tx, entry));
    return request;
  };
  dbProto.deleteObjectStore = function (this: IDBDatabase, name: string): void {
    original.deleteObjectStore.call(this, name);
    const journal = IdbJournal.ownerOf(this);
    const tx = journal?.upgradeOf(this);
    if (journal && tx) journal.record(tx, { op: "clear", db: this.name, store: name });
  };
  factoryProto.open = function (this: IDBFactory, ...args: Parameters<IDBFactory["open"]>): IDBOpenDBRequest {
    const request = original.open.apply(this, args);
    IdbJournal.forFactory(this)?.watchOpen(request);
    return request;
  };
  factoryProto.deleteDatabase = function (this: IDBFactory, name: string): IDBOpenDBRequest {
    const request = original.deleteDatabase.call(this, name);
    IdbJournal.forFactory(this)?.watchDeleteDatabase(name, request);
    return request;
  };
}

function unpatch(): void {
  storeProto.put = original.put;
  storeProto.add = original.add;
  storeProto.delete = original.delete;
  storeProto.clear = original.clear;
  cursorProto.update = original.update;
  cursorProto.delete = original.cursorDelete;
  dbProto.deleteObjectStore = original.deleteObjectStore;
  factoryProto.open = original.open;
  factoryProto.deleteDatabase = original.deleteDatabase;
}

/** True while some journal has the fake-indexeddb prototypes wrapped. */
export function isJournaling(): boolean {
  return journals.size > 0;
}
