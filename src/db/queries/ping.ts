import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client.ts";

/** Resolves when the database answers a query (for `/health` and `!status`); throws otherwise. */
export async function pingDatabase(db: DbOrTx): Promise<void> {
  await db.execute(sql`select 1`);
}
