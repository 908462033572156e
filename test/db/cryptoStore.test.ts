import { DeviceId, initAsync, OlmMachine, RequestType, UserId } from "@matrix-org/matrix-sdk-crypto-wasm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/log.ts";
import { cryptoStorePersistence, loadCryptoStore } from "../../src/db/queries/cryptoStore.ts";
import { DurableCryptoStore } from "../../src/matrix/cryptoStore.ts";
import { decodeKey } from "../../src/matrix/idbCodec.ts";
import { createIndexedDb, installIndexedDbGlobals } from "../../src/matrix/idbJournal.ts";
import { type DbUnderTest, ENGINES } from "../support/database.ts";
import { done, req } from "../support/idb.ts";

const log = createLogger("error", {}, () => {});

function openDb(name: string, version?: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  const r = indexedDB.open(name, version);
  r.onupgradeneeded = () => upgrade?.(r.result);
  return req(r);
}

/** Everything observable in a factory: databases, versions, store layouts, keys and values. */
async function dump(factory: IDBFactory) {
  const out = [];
  const infos = (await factory.databases()).sort((a, b) => String(a.name).localeCompare(String(b.name)));
  for (const info of infos) {
    const r = factory.open(String(info.name));
    const db = await req(r);
    const names = Array.from(db.objectStoreNames);
    const stores = [];
    if (names.length > 0) {
      const tx = db.transaction(names, "readonly");
      for (const name of names) {
        const s = tx.objectStore(name);
        const indexes = Array.from(s.indexNames, (i) => {
          const ix = s.index(i);
          return { i, keyPath: ix.keyPath, unique: ix.unique, multiEntry: ix.multiEntry };
        });
        const keys = await req(s.getAllKeys());
        const values = await req(s.getAll());
        stores.push({ name, keyPath: s.keyPath, autoIncrement: s.autoIncrement, indexes, keys, values });
      }
    }
    out.push({ name: db.name, version: db.version, stores });
    db.close();
  }
  return out;
}

/** A mix of stores, keys, values, deletes and clears across two databases. */
async function writeSample(round: number): Promise<void> {
  const app = await openDb("app", 3, (db) => {
    db.createObjectStore("kv");
    const people = db.createObjectStore("people", { keyPath: "id" });
    people.createIndex("byName", "name", { unique: true });
    people.createIndex("tags", "tags", { multiEntry: true });
    db.createObjectStore("auto", { keyPath: "n", autoIncrement: true });
    db.createObjectStore("pairs", { keyPath: ["a", "b"] });
  });
  const tx = app.transaction(["kv", "people", "auto", "pairs"], "readwrite");
  const kv = tx.objectStore("kv");
  kv.put({ bytes: new Uint8Array([1, 2, round]), buf: new Uint8Array([9, 9]).buffer }, "typed");
  kv.put(new Map<string, unknown>([["m", new Float32Array([0.5])]]), ["compound", round]);
  kv.put(new Set(["s", round]), 42);
  kv.put(new Date(round), new Date(1000));
  kv.put("binary key", new Uint8Array([0, 255, round]).buffer);
  kv.put("€ two-byte", "€abc".slice(1));
  for (let i = 0; i < 10; i++) kv.put({ i, round }, `range-${i}`);
  kv.delete(IDBKeyRange.bound("range-2", "range-5")); // resolved to range-2..range-5
  kv.delete("range-9");
  const people = tx.objectStore("people");
  people.put({ id: `p${round}`, name: `Name ${round}`, tags: ["x", `t${round}`] });
  people.put({ id: "bob", name: "Bob", tags: [] });
  tx.objectStore("auto").add({ x: round });
  tx.objectStore("auto").add({ x: round + 1 });
  tx.objectStore("pairs").put({ a: round, b: "x", v: [1, 2] });
  await done(tx);
  app.close();
  const other = await openDb("other", 1, (db) => db.createObjectStore("s"));
  const t2 = other.transaction("s", "readwrite");
  t2.objectStore("s").put("gone", "a");
  t2.objectStore("s").clear();
  t2.objectStore("s").put(`kept ${round}`, `b${round}`);
  await done(t2);
  other.close();
}

let tdb: DbUnderTest;
let stores: DurableCryptoStore[] = [];
async function openStore(): Promise<DurableCryptoStore> {
  const s = await DurableCryptoStore.open(cryptoStorePersistence(tdb.db), log);
  stores.push(s);
  return s;
}

describe.each(ENGINES)("on $name", (engine) => {
  beforeEach(async () => {
    tdb = await engine.open("tlcrypto");
  });
  afterEach(async () => {
    for (const s of stores) s.close();
    stores = [];
    await tdb.drop();
  });

  describe("DurableCryptoStore", () => {
    it("flush then open in a fresh IndexedDB gives back identical databases", async () => {
      const store = await openStore();
      expect(globalThis.indexedDB).toBe(store.factory);
      await writeSample(1);
      await writeSample(2);
      const pending = store.pendingCount;
      expect(await store.flush()).toBe(pending);
      expect(store.pendingCount).toBe(0);
      const before = await dump(store.factory);
      store.close();

      const again = await openStore();
      expect(again.factory).not.toBe(store.factory);
      expect(globalThis.indexedDB).toBe(again.factory);
      expect(again.pendingCount).toBe(0); // loading is not journaled
      expect(await dump(again.factory)).toEqual(before);
      const app = await openDb("app");
      const bob = await req(app.transaction("people").objectStore("people").index("byName").get("Bob"));
      expect(bob).toEqual({ id: "bob", name: "Bob", tags: [] });
      app.close();

      const [row] = await tdb.sql<{ t: string }[]>`
      SELECT jsonb_typeof(stores) AS t FROM crypto_store_schema WHERE db_name = 'app'`;
      expect(row?.t).toBe("array");
    });

    it("flush is a no-op with nothing pending", async () => {
      const store = await openStore();
      const spy = vi.spyOn(tdb.db, "transaction");
      expect(await store.flush()).toBe(0);
      expect(spy).not.toHaveBeenCalled();
      await writeSample(1);
      expect(await store.flush()).toBeGreaterThan(0);
      expect(await store.flush()).toBe(0);
      expect(spy).toHaveBeenCalledTimes(1);
    });

    it("keeps the ops of a failed flush and writes them with the next one", async () => {
      const store = await openStore();
      await writeSample(1);
      const first = store.pendingCount;
      await tdb.sql`ALTER TABLE crypto_store_records RENAME TO crypto_store_records_away`;
      await expect(store.flush()).rejects.toThrow();
      expect(store.pendingCount).toBe(first);
      const schemaRows = await tdb.sql`SELECT 1 FROM crypto_store_schema`;
      expect(schemaRows.length).toBe(0); // the whole flush rolled back
      await writeSample(2);
      const both = store.pendingCount;
      expect(both).toBeGreaterThan(first);
      await tdb.sql`ALTER TABLE crypto_store_records_away RENAME TO crypto_store_records`;
      expect(await store.flush()).toBe(both);
      const before = await dump(store.factory);
      store.close();
      const again = await openStore();
      expect(await dump(again.factory)).toEqual(before);
    });

    it("runs concurrent flushes one after another", async () => {
      const store = await openStore();
      let active = 0;
      let maxActive = 0;
      const real = tdb.db.transaction.bind(tdb.db);
      vi.spyOn(tdb.db, "transaction").mockImplementation(async (fn, config) => {
        active++;
        maxActive = Math.max(maxActive, active);
        try {
          await new Promise((r) => setTimeout(r, 20));
          return await real(fn, config);
        } finally {
          active--;
        }
      });
      await writeSample(1);
      const total1 = store.pendingCount;
      const a = store.flush();
      await writeSample(2);
      const b = store.flush();
      const c = store.flush();
      const results = await Promise.all([a, b, c]);
      expect(results[0]).toBe(total1);
      expect(results.reduce((x, y) => x + y, 0)).toBe(total1 + (results[1] ?? 0) + (results[2] ?? 0));
      expect((results[1] ?? 0) + (results[2] ?? 0)).toBeGreaterThan(0);
      expect(maxActive).toBe(1);
      expect(store.pendingCount).toBe(0);
      const before = await dump(store.factory);
      store.close();
      const again = await openStore();
      expect(await dump(again.factory)).toEqual(before);
    });
  });

  describe("DurableCryptoStore with OlmMachine", () => {
    const user = () => new UserId("@bot:localhost");
    const device = () => new DeviceId("DEV1");
    const identity = (m: OlmMachine) => ({
      ed25519: m.identityKeys.ed25519.toBase64(),
      curve25519: m.identityKeys.curve25519.toBase64(),
    });
    // close() consumes the machine (frees it and closes its IndexedDB connections); free() after it throws.
    const shutdown = (m: OlmMachine) => m.close();

    it("keeps the device identity across restarts, encrypted under the passphrase", async () => {
      await initAsync();
      const store1 = await openStore();
      const m1 = await OlmMachine.initialize(user(), device(), "tearline", "passphrase");
      const keys = identity(m1);
      const requests = await m1.outgoingRequests();
      const upload = requests.find((r) => r.type === RequestType.KeysUpload);
      const ops = store1.pendingCount;
      const started = performance.now();
      expect(await store1.flush()).toBe(ops);
      const ms = performance.now() - started;
      const records = await tdb.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM crypto_store_records`;
      console.info(
        `initial machine state: ${ops} ops, ${records[0]?.n} records, flushed in ${ms.toFixed(1)} ms`,
      );
      shutdown(m1);
      store1.close();

      // Control: without the restored store the same call makes a new identity, so the wasm really
      // reads the freshly installed globalThis.indexedDB.
      installIndexedDbGlobals(createIndexedDb());
      const fresh = await OlmMachine.initialize(user(), device(), "tearline", "passphrase");
      expect(identity(fresh).curve25519).not.toBe(keys.curve25519);
      shutdown(fresh);

      const store2 = await openStore();
      await expect(OlmMachine.initialize(user(), device(), "tearline", "wrong passphrase")).rejects.toThrow();
      store2.close();

      const store3 = await openStore();
      const m3 = await OlmMachine.initialize(user(), device(), "tearline", "passphrase");
      expect(identity(m3)).toEqual(keys);
      // Writes made after a restore are journaled too: mark the device keys as uploaded.
      expect(upload).toBeDefined();
      const again = (await m3.outgoingRequests()).find((r) => r.type === RequestType.KeysUpload);
      expect(again).toBeDefined();
      await m3.markRequestAsSent(
        again?.id ?? "",
        RequestType.KeysUpload,
        JSON.stringify({ one_time_key_counts: { signed_curve25519: 50 } }),
      );
      const ops3 = store3.pendingCount;
      const started3 = performance.now();
      expect(await store3.flush()).toBe(ops3);
      console.info(
        `after markRequestAsSent: ${ops3} ops flushed in ${(performance.now() - started3).toFixed(1)} ms`,
      );
      shutdown(m3);
      store3.close();

      await openStore();
      const m4 = await OlmMachine.initialize(user(), device(), "tearline", "passphrase");
      expect(identity(m4)).toEqual(keys);
      const afterUpload = (await m4.outgoingRequests()).filter((r) => r.type === RequestType.KeysUpload);
      expect(afterUpload).toEqual([]);
      shutdown(m4);

      // At rest: no record holds the identity keys, raw or base64.
      const rows = await tdb.sql<{ store_name: string; key: Buffer; value: Buffer }[]>`
      SELECT store_name, key, value FROM crypto_store_records`;
      expect(rows.length).toBeGreaterThan(0);
      for (const k of [keys.curve25519, keys.ed25519]) {
        const raw = Buffer.from(k, "base64");
        expect(raw.length).toBe(32);
        for (const row of rows) {
          // Raw rows: a Buffer from postgres.js, a plain Uint8Array from PGlite (whose includes() finds no Buffer).
          const [value, key] = [Buffer.from(row.value), Buffer.from(row.key)];
          for (const needle of [raw, Buffer.from(k)]) {
            expect(value.includes(needle), `${row.store_name} value`).toBe(false);
            expect(key.includes(needle), `${row.store_name} key`).toBe(false);
          }
        }
      }
      const account = rows.find((r) => r.store_name === "core" && decodeKey(r.key) === "account");
      expect(account).toBeDefined();
      // Through drizzle, both drivers hand the store Buffers.
      const loaded: { key: unknown; value: unknown }[] = [];
      await loadCryptoStore(
        tdb.db,
        { lazy: [], batch: 1000 },
        async () => {},
        async (batch) => {
          loaded.push(...batch);
        },
      );
      expect(loaded.length).toBeGreaterThan(0);
      expect(loaded.every((r) => Buffer.isBuffer(r.key) && Buffer.isBuffer(r.value))).toBe(true);
    });
  });
});
