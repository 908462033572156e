/** DurableCryptoStore: what the bot's store holds in PostgreSQL, and flush cost by batch size. */
import type postgres from "postgres";
import { createLogger } from "../src/log.ts";
import { cryptoStorePersistence } from "../src/db/queries/cryptoStore.ts";
import { DurableCryptoStore } from "../src/matrix/cryptoStore.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { bytes, count, latency, ms, type Row, summarize } from "./report.ts";

export interface StoreSize {
  rows: number;
  payload: number;
  table: number;
  biggest: string;
}

/** Rows and bytes of `crypto_store_records` (key + value payload, and the table with indexes). */
export async function storeSize(sql: postgres.Sql): Promise<StoreSize> {
  const [total] = await sql<{ rows: string; payload: string | null; tbl: string }[]>`
    select count(*)::text as rows,
           sum(octet_length(key) + octet_length(value))::text as payload,
           pg_total_relation_size('crypto_store_records')::text as tbl
    from crypto_store_records`;
  const stores = await sql<{ store: string; rows: string; payload: string }[]>`
    select store_name as store, count(*)::text as rows,
           sum(octet_length(key) + octet_length(value))::text as payload
    from crypto_store_records group by store_name order by 3 desc limit 4`;
  return {
    rows: Number(total?.rows ?? 0),
    payload: Number(total?.payload ?? 0),
    table: Number(total?.tbl ?? 0),
    biggest: stores
      .map((s) => `${s.store} ${count(Number(s.rows))} rows/${bytes(Number(s.payload))}`)
      .join(", "),
  };
}

export function sizeRow(label: string, s: StoreSize): Row {
  return {
    metric: `Crypto store ${label}`,
    value: `${count(s.rows)} rows · ${bytes(s.payload)} payload · ${bytes(s.table)} table+indexes`,
    how: `\`select count(*), sum(octet_length(key)+octet_length(value)) from crypto_store_records\`, pg_total_relation_size. Largest: ${s.biggest}`,
  };
}

/** (store, key) → md5 of the value, to see which records a command rewrites. */
export async function snapshot(sql: postgres.Sql): Promise<Map<string, string>> {
  const rows = await sql<{ store: string; key: string; h: string }[]>`
    select store_name as store, encode(key, 'hex') as key, md5(value) as h from crypto_store_records`;
  return new Map(rows.map((r) => [`${r.store}\u0000${r.key}`, r.h]));
}

/** `outbound_group_sessions: 1 changed · core: 1 changed` */
export function changedRecords(before: Map<string, string>, after: Map<string, string>): string {
  const by = new Map<string, { added: number; changed: number }>();
  for (const [k, h] of after) {
    const was = before.get(k);
    if (was === h) continue;
    const store = k.split("\u0000")[0] ?? k;
    const agg = by.get(store) ?? { added: 0, changed: 0 };
    if (was === undefined) agg.added++;
    else agg.changed++;
    by.set(store, agg);
  }
  const parts = [...by].map(
    ([store, a]) =>
      [a.changed ? `${a.changed} changed` : "", a.added ? `${a.added} new` : ""].filter(Boolean).join(", ") +
      ` in ${store}`,
  );
  return parts.join(" · ") || "none";
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * In-process: a DurableCryptoStore over a fresh database; for each batch size N, `rounds` times:
 * N puts of ~200-byte values (new keys) in one IndexedDB transaction, then a timed flush().
 * Installs fake-indexeddb as the global indexedDB, so run it after any other client is gone.
 */
export async function benchFlush(sizes: readonly number[] = [1, 10, 100, 1000], rounds = 15): Promise<Row[]> {
  const database = await createTestDatabase("bench_store");
  const log = createLogger("error", {}, () => {});
  const rows: Row[] = [];
  try {
    const openStarted = performance.now();
    const store = await DurableCryptoStore.open(cryptoStorePersistence(database.db), log);
    const openMs = performance.now() - openStarted;
    const opening = store.factory.open("bench", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("kv");
    const idb = await request(opening);
    await store.flush(); // the new database's schema
    let key = 0;
    try {
      for (const n of sizes) {
        const samples: number[] = [];
        for (let r = 0; r < rounds; r++) {
          const tx = idb.transaction("kv", "readwrite");
          const done = new Promise<void>((resolve, reject) => {
            tx.oncomplete = () => resolve();
            tx.onabort = () => reject(tx.error ?? new Error("aborted"));
          });
          const kv = tx.objectStore("kv");
          for (let i = 0; i < n; i++)
            kv.put({ n: key, pickle: "x".repeat(180), at: Date.now() }, `k${key++}`);
          await done;
          const t0 = performance.now();
          const flushed = await store.flush();
          samples.push(performance.now() - t0);
          if (flushed !== n) throw new Error(`flush wrote ${flushed} journal entries, expected ${n}`);
        }
        const s = summarize(samples.slice(2)); // first rounds warm the connection pool and JIT
        rows.push({
          metric: `DurableCryptoStore.flush() of ${count(n)} small write${n === 1 ? "" : "s"}`,
          value: `${latency(s)} (${count((n / s.p50) * 1000)} rows/s)`,
          how: `${rounds - 2} timed rounds (+2 warm-up) of ${count(n)} IndexedDB puts (~200 B, new keys) in one transaction, then flush: one SQL transaction of chunked upserts`,
        });
      }
    } finally {
      idb.close();
      store.close();
    }
    rows.push({
      metric: "DurableCryptoStore.open() on an empty database",
      value: ms(openMs),
      how: "load schema + records in one read-only transaction, build fake-indexeddb",
    });
  } finally {
    await database.drop();
  }
  return rows;
}
