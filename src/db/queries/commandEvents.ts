import { eq } from "drizzle-orm";
import type { CommandRecord } from "../../domain/repos.ts";
import type { DbOrTx } from "../client.ts";
import { commandEvents } from "../schema/commandEvents.ts";

/**
 * Remembers that each command message `eventId` created `ref`, in one statement; the first record
 * of an event wins (in this list too: rows go in in order).
 */
export async function recordCommandEvents(db: DbOrTx, records: readonly CommandRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db
    .insert(commandEvents)
    .values([...records])
    .onConflictDoNothing();
}

export async function commandEventById(db: DbOrTx, eventId: string): Promise<CommandRecord | undefined> {
  const [row] = await db
    .select({
      eventId: commandEvents.eventId,
      command: commandEvents.command,
      ref: commandEvents.ref,
      roomId: commandEvents.roomId,
      sender: commandEvents.sender,
      sentAt: commandEvents.sentAt,
    })
    .from(commandEvents)
    .where(eq(commandEvents.eventId, eventId));
  return row;
}
