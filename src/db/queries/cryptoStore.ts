import { and, desc, eq, inArray, not, type SQL, sql } from "drizzle-orm";
import type {
  CryptoStoreChanges,
  CryptoStorePersistence,
  LazyStore,
  StoreRef,
  StoredRecordRow,
  StoredSchemaRow,
} from "../../matrix/cryptoPersistence.ts";
import type { Db, Tx } from "../client.ts";
import { cryptoStoreRecords, cryptoStoreSchema } from "../schema/cryptoStore.ts";

/** Rows per INSERT/DELETE statement (4 parameters per inserted row; PostgreSQL allows 65535). */
const CHUNK = 1000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Runs inside every write transaction; throws to refuse the write (a newer instance owns the
 * device). `holds`, if given, is the same check as one SQL condition that locks what it reads
 * until the statement's transaction ends, so a write of one statement can carry it.
 */
export type Fence = ((tx: Tx) => Promise<void>) & { readonly holds?: SQL };

/** The crypto store's persistence in PostgreSQL, every write checked by `fence` (if given). */
export function cryptoStorePersistence(db: Db, fence?: Fence): CryptoStorePersistence {
  return {
    load: (opts, onSchemas, onBatch) => loadCryptoStore(db, opts, onSchemas, onBatch),
    fetch: (ref, keys) => fetchCryptoRecords(db, ref, keys),
    write: (changes) => writeCryptoStore(db, changes, fence),
  };
}

const R = cryptoStoreRecords;
const record = { dbName: R.dbName, storeName: R.storeName, key: R.key, value: R.value };
const inStore = (ref: StoreRef) => and(eq(R.dbName, ref.db), eq(R.storeName, ref.store));

/**
 * Everything stored, in one consistent snapshot (repeatable read), read in pages of `batch` rows
 * (keyset on the primary key) so no more than a page is held at once; of each lazy store only
 * its `recent` most recently used records.
 */
export async function loadCryptoStore(
  db: Db,
  opts: { lazy: readonly LazyStore[]; batch: number },
  onSchemas: (schemas: StoredSchemaRow[]) => Promise<void>,
  onBatch: (records: StoredRecordRow[]) => Promise<void>,
): Promise<void> {
  const notLazy = opts.lazy.map((l) => not(inStore(l) ?? sql`false`));
  await db.transaction(
    async (tx) => {
      await onSchemas(await tx.select().from(cryptoStoreSchema));
      let after: StoredRecordRow | undefined;
      for (;;) {
        // A row comparison, so PostgreSQL walks the primary key from where the last page ended.
        const past = after
          ? sql`(${R.dbName}, ${R.storeName}, ${R.key}) > (${after.dbName}, ${after.storeName}, ${after.key})`
          : undefined;
        const page = await tx
          .select(record)
          .from(R)
          .where(and(past, ...notLazy))
          .orderBy(R.dbName, R.storeName, R.key)
          .limit(opts.batch);
        if (page.length > 0) await onBatch(page);
        if (page.length < opts.batch) break;
        after = page[page.length - 1];
      }
      for (const lazy of opts.lazy) {
        if (lazy.recent <= 0) continue;
        const recent = await tx
          .select({ key: R.key })
          .from(R)
          .where(inStore(lazy))
          .orderBy(desc(R.lastUsedAt), R.key)
          .limit(lazy.recent);
        const keys = recent.map((r) => r.key);
        for (let i = 0; i < keys.length; i += opts.batch) {
          const page = await tx
            .select(record)
            .from(R)
            .where(and(inStore(lazy), inArray(R.key, keys.slice(i, i + opts.batch))));
          await onBatch(page);
        }
      }
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** The records of one store with these keys (those that exist). */
export async function fetchCryptoRecords(
  db: Db,
  ref: StoreRef,
  keys: readonly Buffer[],
): Promise<StoredRecordRow[]> {
  const out: StoredRecordRow[] = [];
  for (const chunk of chunks([...keys]))
    out.push(
      ...(await db
        .select(record)
        .from(R)
        .where(and(inStore(ref), inArray(R.key, chunk)))),
    );
  return out;
}

/** Applies changes in one transaction, after `fence` (if given) has accepted it; returns rows written. */
export async function writeCryptoStore(db: Db, given: CryptoStoreChanges, fence?: Fence): Promise<number> {
  // Read once: the iterables may be single-use, and both ways below read them.
  const changes: CryptoStoreChanges = {
    dropped: [...given.dropped],
    schemas: [...given.schemas],
    stores: [...given.stores].map((p) => ({ ...p, writes: [...p.writes] })),
    used: [...(given.used ?? [])],
  };
  const single = await writeInOneStatement(db, changes, fence);
  if (single !== undefined) return single;
  let rows = 0;
  await db.transaction(async (tx) => {
    await fence?.(tx);
    for (const name of changes.dropped) {
      await tx.delete(R).where(eq(R.dbName, name));
      await tx.delete(cryptoStoreSchema).where(eq(cryptoStoreSchema.dbName, name));
    }
    for (const s of changes.schemas) {
      await tx
        .insert(cryptoStoreSchema)
        .values({ dbName: s.name, version: s.version, stores: s.stores })
        .onConflictDoUpdate({
          target: cryptoStoreSchema.dbName,
          set: { version: sql`excluded.version`, stores: sql`excluded.stores` },
        });
    }
    for (const p of changes.stores) {
      const ref = inStore(p);
      if (p.cleared) await tx.delete(R).where(ref);
      const writes = [...p.writes];
      const deletes = writes.flatMap((w) => (w.value === null ? [w.key] : []));
      const puts = writes.flatMap((w) =>
        w.value === null ? [] : [{ dbName: p.db, storeName: p.store, key: w.key, value: w.value }],
      );
      if (!p.cleared)
        for (const keys of chunks(deletes)) await tx.delete(R).where(and(ref, inArray(R.key, keys)));
      for (const values of chunks(puts)) {
        await tx
          .insert(R)
          .values(values)
          .onConflictDoUpdate({
            target: [R.dbName, R.storeName, R.key],
            set: { value: sql`excluded.value`, lastUsedAt: sql`excluded.last_used_at` },
          });
      }
      rows += writes.length;
    }
    for (const u of changes.used ?? [])
      for (const keys of chunks(u.keys))
        await tx
          .update(R)
          .set({ lastUsedAt: sql`now()` })
          .where(and(inStore(u), inArray(R.key, keys)));
  });
  return rows;
}

/**
 * The usual flush (a few records of one store put, nothing deleted, dropped or marked used) as
 * one statement, the fence's condition in its WHERE: no transaction of four statements around
 * it. Undefined when the changes are not of that kind, or when the statement wrote nothing
 * (the fence refused): then the transaction does it, and its fence throws and reports.
 */
async function writeInOneStatement(
  db: Db,
  changes: CryptoStoreChanges,
  fence: Fence | undefined,
): Promise<number | undefined> {
  if (fence !== undefined && fence.holds === undefined) return undefined;
  const dropped = [...changes.dropped];
  const schemas = [...changes.schemas];
  const stores = [...changes.stores];
  const used = [...(changes.used ?? [])];
  const only = stores[0];
  if (dropped.length > 0 || schemas.length > 0 || used.length > 0 || stores.length !== 1 || !only)
    return undefined;
  const writes = [...only.writes];
  if (only.cleared || writes.length === 0 || writes.length > CHUNK) return undefined;
  const puts: { key: Buffer; value: Buffer }[] = [];
  for (const w of writes) {
    if (w.value === null) return undefined;
    puts.push({ key: w.key, value: w.value });
  }
  // A key written twice in one flush keeps its last value (ON CONFLICT may not touch a row twice).
  const last = new Map(puts.map((w) => [w.key.toString("base64"), w]));
  const values = sql.join(
    [...last.values()].map((w) => sql`(${w.key}::bytea, ${w.value}::bytea)`),
    sql`, `,
  );
  const written = await db
    .insert(R)
    .select(
      sql`select ${only.db}, ${only.store}, v.key, v.value, now() from (values ${values}) as v(key, value) where ${fence?.holds ?? sql`true`}`,
    )
    .onConflictDoUpdate({
      target: [R.dbName, R.storeName, R.key],
      set: { value: sql`excluded.value`, lastUsedAt: sql`excluded.last_used_at` },
    })
    .returning({ key: R.key });
  return written.length === 0 ? undefined : writes.length;
}
