import {
  IDBCursor as FakeIDBCursor,
  IDBFactory as FakeIDBFactory,
  IDBKeyRange as FakeIDBKeyRange,
  IDBObjectStore as FakeIDBObjectStore,
} from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import { decodeKey, deserializeValue, encodeKey, serializeValue } from "../../src/matrix/idbCodec.ts";
import { IdbJournal, isJournaling, type JournalEntry } from "../../src/matrix/idbJournal.ts";
import { done, req } from "../support/idb.ts";

const pristine = {
  put: FakeIDBObjectStore.prototype.put,
  delete: FakeIDBObjectStore.prototype.delete,
  update: FakeIDBCursor.prototype.update,
};

function openDb(
  factory: IDBFactory,
  name: string,
  version: number,
  upgrade: (db: IDBDatabase, tx: IDBTransaction) => void = () => {},
): Promise<IDBDatabase> {
  const r = factory.open(name, version);
  r.onupgradeneeded = () => {
    if (r.transaction) upgrade(r.result, r.transaction);
  };
  return req(r);
}

type Decoded =
  | { op: "put" | "add"; db: string; store: string; key: IDBValidKey; value: unknown }
  | { op: "delete"; db: string; store: string; key: IDBValidKey }
  | { op: "clear"; db: string; store: string };

function writes(journal: IdbJournal): Decoded[] {
  return journal.pending.flatMap((e: JournalEntry): Decoded[] => {
    switch (e.op) {
      case "put":
      case "add":
        return [
          { op: e.op, db: e.db, store: e.store, key: decodeKey(e.key), value: deserializeValue(e.value) },
        ];
      case "delete":
        return [{ op: e.op, db: e.db, store: e.store, key: decodeKey(e.key) }];
      case "clear":
        return [{ op: e.op, db: e.db, store: e.store }];
      default:
        return [];
    }
  });
}

let attached: IdbJournal[] = [];
function journalFor(factory: IDBFactory): IdbJournal {
  const j = IdbJournal.attach(factory);
  attached.push(j);
  return j;
}
afterEach(() => {
  for (const j of attached) j.detach();
  attached = [];
});

async function kvDb(factory: IDBFactory): Promise<IDBDatabase> {
  return openDb(factory, "t", 1, (db) => {
    db.createObjectStore("kv");
    db.createObjectStore("people", { keyPath: "id" });
  });
}

describe("IdbJournal writes", () => {
  it("records put and add, with keyPath keys, only once the transaction completes", async () => {
    const factory = new FakeIDBFactory();
    const journal = journalFor(factory);
    const db = await kvDb(factory);
    const tx = db.transaction(["kv", "people"], "readwrite");
    const committed = done(tx);
    const kv = tx.objectStore("kv");
    kv.put({ a: 1 }, "k1");
    kv.add("two", 2);
    tx.objectStore("people").put({ id: "p1", name: "Ann" });
    await req(tx.objectStore("people").add({ id: "p2" }));
    expect(writes(journal)).toEqual([]); // all requests done, transaction not committed yet
    await committed;
    expect(writes(journal)).toEqual([
      { op: "put", db: "t", store: "kv", key: "k1", value: { a: 1 } },
      { op: "add", db: "t", store: "kv", key: 2, value: "two" },
      { op: "put", db: "t", store: "people", key: "p1", value: { id: "p1", name: "Ann" } },
      { op: "add", db: "t", store: "people", key: "p2", value: { id: "p2" } },
    ]);
    db.close();
  });

  it("journals the value as it was when written", async () => {
    const factory = new FakeIDBFactory();
    const journal = journalFor(factory);
    const db = await kvDb(factory);
    const tx = db.transaction("kv", "readwrite");
    const value = { n: 1 };
    tx.objectStore("kv").put(value, "k");
    value.n = 2;
    await done(tx);
    expect(writes(journal)).toEqual([{ op: "put", db: "t", store: "kv", key: "k", value: { n: 1 } }]);
  });

  it("resolves a range delete to the keys present when it runs, and records key deletes", async () => {
    const factory = new FakeIDBFactory();
    const db = await kvDb(factory);
    const seed = db.transaction("kv", "readwrite");
    for (const k of ["a", "b", "c", "d", "e"]) seed.objectStore("kv").put(k, k);
    await done(seed);
    const journal = journalFor(factory);
    const db2 = await openDb(factory, "t", 1); // journaled connection
    const tx = db2.transaction("kv", "readwrite");
    const kv = tx.objectStore("kv");
    kv.put("bb", "bb"); // inside the range, added by this transaction
    kv.delete(FakeIDBKeyRange.bound("b", "d", false, true)); // b, bb, c
    kv.delete(FakeIDBKeyRange.lowerBound("x")); // matches nothing
    kv.put("b2", "b"); // re-added after the range delete
    kv.delete("e");
    await done(tx);
    expect(writes(journal).map((w) => [w.op, "key" in w ? w.key : null])).toEqual([
      ["put", "bb"],
      ["delete", "b"],
      ["delete", "bb"],
      ["delete", "c"],
      ["put", "b"],
      ["delete", "e"],
    ]);
    expect(await req(db2.transaction("kv").objectStore("kv").getAllKeys())).toEqual(["a", "b", "d"]);
    db.close();
    db2.close();
  });

  it("records clears", async () => {
    const factory = new FakeIDBFactory();
    const journal = journalFor(factory);
    const db = await kvDb(factory);
    const tx = db.transaction("kv", "readwrite");
    tx.objectStore("kv").put(1, "x");
    tx.objectStore("kv").clear();
    await done(tx);
    expect(writes(journal)).toEqual([
      { op: "put", db: "t", store: "kv", key: "x", value: 1 },
      { op: "clear", db: "t", store: "kv" },
    ]);
  });

  it("records cursor updates and deletes", async () => {
    const factory = new FakeIDBFactory();
    const journal = journalFor(factory);
    const db = await kvDb(factory);
    const seed = db.transaction("kv", "readwrite");
    for (const k of ["a", "b", "c"]) seed.objectStore("kv").put({ v: k }, k);
    await done(seed);
    journal.discard(journal.pendingCount);
    const tx = db.transaction("kv", "readwrite");
    const cursorReq = tx.objectStore("kv").openCursor();
    cursorReq.onsuccess = () => {
      const cursor = cursorReq.result;
      if (!cursor) return;
      if (cursor.key === "a") cursor.update({ v: "A" });
      if (cursor.key === "b") cursor.delete();
      cursor.continue();
    };
    await done(tx);
    expect(writes(journal)).toEqual([
      { op: "put", db: "t", store: "kv", key: "a", value: { v: "A" } },
      { op: "delete", db: "t", store: "kv", key: "b" },
    ]);
  });

  it("an aborted transaction leaves no trace", async () => {
    const factory = new FakeIDBFactory();
    const journal = journalFor(factory);
    const db = await kvDb(factory);
    const before = journal.pendingCount;
    const tx = db.transaction("kv", "readwrite");
    const aborted = done(tx).catch((e: unknown) => e);
    tx.objectStore("kv").put(1, "x");
    await req(tx.objectStore("kv").put(2, "y"));
    tx.objectStore("kv").clear();
    tx.abort();
    await aborted;
    expect(journal.pendingCount).toBe(before);
    expect(await req(db.transaction("kv").objectStore("kv").count())).toBe(0);
  });

  it("a failed request is not journaled; the handled error lets the rest commit", async () => {
    const factory = new FakeIDBFactory();
    const journal = journalFor(factory);
    const db = await kvDb(factory);
    const seed = db.transaction("kv", "readwrite");
    seed.objectStore("kv").put("old", "x");
    await done(seed);
    journal.discard(journal.pendingCount);
    const tx = db.transaction("kv", "readwrite");
    const dup = tx.objectStore("kv").add("dup", "x"); // ConstraintError
    dup.onerror = (ev) => ev.preventDefault();
    tx.objectStore("kv").put("new", "y");
    await done(tx);
    expect(writes(journal)).toEqual([{ op: "put", db: "t", store: "kv", key: "y", value: "new" }]);
  });

  it("ignores other factories, and detach restores the prototypes", async () => {
    expect(isJournaling()).toBe(false);
    const factory = new FakeIDBFactory();
    const journal = journalFor(factory);
    expect(FakeIDBObjectStore.prototype.put).not.toBe(pristine.put);
    const other = new FakeIDBFactory();
    const db = await kvDb(other);
    const tx = db.transaction("kv", "readwrite");
    tx.objectStore("kv").put(1, "x");
    await done(tx);
    expect(journal.pendingCount).toBe(0);
    journal.detach();
    expect(isJournaling()).toBe(false);
    expect(FakeIDBObjectStore.prototype.put).toBe(pristine.put);
    expect(FakeIDBObjectStore.prototype.delete).toBe(pristine.delete);
    expect(FakeIDBCursor.prototype.update).toBe(pristine.update);
  });
});

describe("IdbJournal schema", () => {
  it("captures version, stores and indexes, including deletions in later upgrades", async () => {
    const factory = new FakeIDBFactory();
    const journal = journalFor(factory);
    const v1 = await openDb(factory, "s", 1, (db) => {
      db.createObjectStore("plain");
      const inline = db.createObjectStore("inline", { keyPath: "id", autoIncrement: true });
      inline.createIndex("byName", "name", { unique: true });
      inline.createIndex("tags", "tags", { multiEntry: true });
      inline.createIndex("pair", ["a", "b"]);
    });
    const plain = v1.transaction("plain", "readwrite");
    plain.objectStore("plain").put("x", "k");
    await done(plain);
    v1.close();
    expect(journal.pending.filter((e) => e.op === "schema")).toEqual([
      {
        op: "schema",
        db: "s",
        schema: {
          name: "s",
          version: 1,
          stores: [
            {
              name: "inline",
              keyPath: "id",
              autoIncrement: true,
              indexes: [
                { name: "byName", keyPath: "name", unique: true, multiEntry: false },
                { name: "pair", keyPath: ["a", "b"], unique: false, multiEntry: false },
                { name: "tags", keyPath: "tags", unique: false, multiEntry: true },
              ],
            },
            { name: "plain", keyPath: null, autoIncrement: false, indexes: [] },
          ],
        },
      },
    ]);
    journal.discard(journal.pendingCount);

    const v2 = await openDb(factory, "s", 2, (db, tx) => {
      db.deleteObjectStore("plain");
      tx.objectStore("inline").deleteIndex("byName");
      db.createObjectStore("added", { keyPath: ["x", "y"] });
    });
    v2.close();
    expect(journal.pending).toEqual([
      { op: "clear", db: "s", store: "plain" },
      {
        op: "schema",
        db: "s",
        schema: {
          name: "s",
          version: 2,
          stores: [
            { name: "added", keyPath: ["x", "y"], autoIncrement: false, indexes: [] },
            {
              name: "inline",
              keyPath: "id",
              autoIncrement: true,
              indexes: [
                { name: "pair", keyPath: ["a", "b"], unique: false, multiEntry: false },
                { name: "tags", keyPath: "tags", unique: false, multiEntry: true },
              ],
            },
          ],
        },
      },
    ]);
  });

  it("an aborted upgrade captures nothing", async () => {
    const factory = new FakeIDBFactory();
    const journal = journalFor(factory);
    (await openDb(factory, "s", 1, (db) => db.createObjectStore("a"))).close();
    journal.discard(journal.pendingCount);
    await expect(
      openDb(factory, "s", 2, (db, tx) => {
        db.deleteObjectStore("a");
        tx.abort();
      }),
    ).rejects.toThrow();
    expect(journal.pendingCount).toBe(0);
  });

  it("journals a deleted database", async () => {
    const factory = new FakeIDBFactory();
    const journal = journalFor(factory);
    (await openDb(factory, "gone", 1, (db) => db.createObjectStore("a"))).close();
    journal.discard(journal.pendingCount);
    await req(factory.deleteDatabase("gone"));
    expect(journal.pending).toEqual([{ op: "dropDatabase", db: "gone" }]);
  });
});

describe("codecs", () => {
  it("encodes equal keys to equal bytes whatever V8's string representation", () => {
    const oneByte = "abc";
    const twoByte = "€abc".slice(1); // same content, stored as a two-byte string
    expect(encodeKey(twoByte).equals(encodeKey(oneByte))).toBe(true);
    expect(encodeKey(-0).equals(encodeKey(0))).toBe(true);
    expect(encodeKey(["a", 1]).equals(encodeKey(["a", 1]))).toBe(true);
    expect(encodeKey("1").equals(encodeKey(1))).toBe(false);
    expect(encodeKey(["ab"]).equals(encodeKey(["a", "b"]))).toBe(false);
    expect(() => encodeKey(Number.NaN)).toThrow(TypeError);
  });

  it("round-trips every kind of key", () => {
    const keys: IDBValidKey[] = [
      "",
      "plain",
      "ünïcødé 🗝",
      "lone \ud800 surrogate",
      "with\u0000nul",
      0,
      -1.5,
      Number.MAX_SAFE_INTEGER,
      Number.POSITIVE_INFINITY,
      new Date(1_700_000_000_000),
      new Uint8Array([1, 2, 3]).buffer,
      ["a", 1, ["nested", new Date(0)], new Uint8Array([9]).buffer],
    ];
    for (const key of keys) expect(decodeKey(encodeKey(key))).toEqual(key);
    expect(decodeKey(encodeKey(new Uint8Array([4, 5])))).toEqual(new Uint8Array([4, 5]).buffer);
  });

  it("round-trips typed arrays, ArrayBuffers, Maps and Sets, each view with a buffer of its own", () => {
    const value = {
      bytes: new Uint8Array([1, 2, 3]),
      floats: new Float64Array([1.5, -2]),
      offsetView: new Uint16Array(new ArrayBuffer(16), 4, 2),
      buffer: new Uint8Array([7, 8]).buffer,
      nodeBuffer: Buffer.from("hi"),
      map: new Map<string, unknown>([["k", new Uint8Array([5])]]),
      set: new Set([1, "x"]),
      date: new Date(5),
      nested: [{ deep: new Int32Array([-1]) }],
    };
    const back = deserializeValue(serializeValue(value));
    expect(back).toEqual(value);
    const b = back as typeof value;
    expect(b.bytes.buffer.byteLength).toBe(3);
    expect(b.bytes.byteOffset).toBe(0);
    expect(b.offsetView.buffer.byteLength).toBe(4);
    expect(b.map.get("k")).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(b.nodeBuffer)).toBe(true);
  });
});
