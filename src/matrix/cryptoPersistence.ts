/**
 * Where the crypto store's IndexedDB lives between runs. Owned here, by the crypto store that needs
 * it; src/db/queries/cryptoStore.ts implements it over PostgreSQL (the one import src/db may make
 * from src/matrix, type-only: scripts/layers.ts), and src/bot wires the two.
 */

export interface StoredSchemaRow {
  dbName: string;
  version: number;
  stores: unknown;
}

export interface StoredRecordRow {
  dbName: string;
  storeName: string;
  key: Buffer;
  value: Buffer;
}

/** One object store, e.g. the room keys' (`inbound_group_sessions3`). */
export interface StoreRef {
  db: string;
  store: string;
}

/** A store of which start-up loads only the `recent` most recently used records. */
export interface LazyStore extends StoreRef {
  recent: number;
}

/** The net effect of a run of journaled IndexedDB writes, ready to apply. */
export interface CryptoStoreChanges {
  dropped: Iterable<string>;
  schemas: Iterable<{ name: string; version: number; stores: unknown }>;
  stores: Iterable<{
    db: string;
    store: string;
    cleared: boolean;
    /** null value: delete */
    writes: Iterable<{ key: Buffer; value: Buffer | null }>;
  }>;
  /** Records read since they were last marked used (their `last_used_at` becomes now). */
  used?: Iterable<StoreRef & { keys: Buffer[] }>;
}

export interface CryptoStorePersistence {
  /**
   * Everything stored, in one consistent snapshot: first the schemas, then the records in batches
   * of at most `batch` rows (each handed to `onBatch`, awaited, before the next is read) — all of
   * them except, for each `lazy` store, those beyond its `recent` most recently used.
   */
  load(
    opts: { lazy: readonly LazyStore[]; batch: number },
    onSchemas: (schemas: StoredSchemaRow[]) => Promise<void>,
    onBatch: (records: StoredRecordRow[]) => Promise<void>,
  ): Promise<void>;
  /** The stored records of `ref` with these keys (the ones that exist). */
  fetch(ref: StoreRef, keys: readonly Buffer[]): Promise<StoredRecordRow[]>;
  /**
   * Applies the changes all or nothing and returns how many records were written; throws (writing
   * nothing) when it may not write, e.g. because a newer instance owns the device.
   */
  write(changes: CryptoStoreChanges): Promise<number>;
}
