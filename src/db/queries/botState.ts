import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.ts";
import { botState } from "../schema/botState.ts";

export async function getState<T>(db: DbOrTx, key: string): Promise<T | undefined> {
  const rows = await db.select({ value: botState.value }).from(botState).where(eq(botState.key, key));
  return rows[0]?.value as T | undefined;
}

export async function setState(db: DbOrTx, key: string, value: unknown): Promise<void> {
  await db
    .insert(botState)
    .values({ key, value })
    .onConflictDoUpdate({ target: botState.key, set: { value, updatedAt: sql`now()` } });
}
