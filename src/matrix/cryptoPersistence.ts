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
}

export interface CryptoStorePersistence {
  /** Everything stored, read in one consistent snapshot. */
  load(): Promise<{ schemas: StoredSchemaRow[]; records: StoredRecordRow[] }>;
  /**
   * Applies the changes all or nothing and returns how many records were written; throws (writing
   * nothing) when it may not write, e.g. because a newer instance owns the device.
   */
  write(changes: CryptoStoreChanges): Promise<number>;
}
