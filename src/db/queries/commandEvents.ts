import { eq } from "drizzle-orm";
import type { CommandRecord } from "../../domain/repos.ts";
import type { DbOrTx } from "../client.ts";
import { commandEvents } from "../schema/commandEvents.ts";

/** Remembers that the command message `eventId` created `ref`; the first record of an event wins. */
export async function recordCommandEvent(db: DbOrTx, r: CommandRecord): Promise<void> {
  await db.insert(commandEvents).values(r).onConflictDoNothing();
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
