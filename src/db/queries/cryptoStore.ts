import { and, eq, inArray, sql } from "drizzle-orm";
import type {
  CryptoStoreChanges,
  CryptoStorePersistence,
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

/** Runs inside every write transaction; throws to refuse the write (a newer instance owns the device). */
export type Fence = (tx: Tx) => Promise<void>;

/** The crypto store's persistence in PostgreSQL, every write checked by `fence` (if given). */
export function cryptoStorePersistence(db: Db, fence?: Fence): CryptoStorePersistence {
  return { load: () => loadCryptoStore(db), write: (changes) => writeCryptoStore(db, changes, fence) };
}

/** Everything stored, read in one consistent snapshot. */
export function loadCryptoStore(db: Db): Promise<{ schemas: StoredSchemaRow[]; records: StoredRecordRow[] }> {
  return db.transaction(
    async (tx) => ({
      schemas: await tx.select().from(cryptoStoreSchema),
      records: await tx.select().from(cryptoStoreRecords),
    }),
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** Applies changes in one transaction, after `fence` (if given) has accepted it; returns rows written. */
export async function writeCryptoStore(db: Db, changes: CryptoStoreChanges, fence?: Fence): Promise<number> {
  const R = cryptoStoreRecords;
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
      const inStore = and(eq(R.dbName, p.db), eq(R.storeName, p.store));
      if (p.cleared) await tx.delete(R).where(inStore);
      const writes = [...p.writes];
      const deletes = writes.flatMap((w) => (w.value === null ? [w.key] : []));
      const puts = writes.flatMap((w) =>
        w.value === null ? [] : [{ dbName: p.db, storeName: p.store, key: w.key, value: w.value }],
      );
      if (!p.cleared)
        for (const keys of chunks(deletes)) await tx.delete(R).where(and(inStore, inArray(R.key, keys)));
      for (const values of chunks(puts)) {
        await tx
          .insert(R)
          .values(values)
          .onConflictDoUpdate({
            target: [R.dbName, R.storeName, R.key],
            set: { value: sql`excluded.value` },
          });
      }
      rows += writes.length;
    }
  });
  return rows;
}
