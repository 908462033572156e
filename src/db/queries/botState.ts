import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.ts";
import { botState } from "../schema/botState.ts";

export async function getState<T>(db: DbOrTx, key: string): Promise<T | undefined> {
  const rows = await db.select({ value: botState.value }).from(botState).where(eq(botState.key, key));
  return rows[0]?.value as T | undefined;
}

export async function setState(db: DbOrTx, key: string, value: unknown): Promise<void> {
  await setStates(db, [[key, value]]);
}

/** Several keys in one statement (atomic on its own, no transaction needed). A key listed twice keeps its last value. */
export async function setStates(db: DbOrTx, entries: Iterable<readonly [string, unknown]>): Promise<void> {
  const values = [...new Map(entries)].map(([key, value]) => ({ key, value }));
  if (values.length === 0) return;
  await db
    .insert(botState)
    .values(values)
    .onConflictDoUpdate({
      target: botState.key,
      set: { value: sql.raw(`excluded.${botState.value.name}`), updatedAt: sql`now()` },
    });
}
