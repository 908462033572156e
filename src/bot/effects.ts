import type { Notice } from "../../commands/types.ts";
import type { AuditEntry } from "../domain/audit.ts";
import type { CommandRecord } from "../domain/repos.ts";
import type { OutboxMessage } from "../db/queries/events.ts";
import type { ExportFile } from "../export/file.ts";
import type { MapFile } from "../render/digest.ts";
import type { Message } from "../render/message.ts";
import { plain } from "../render/render.ts";
import type { CommandCount } from "./observe.ts";
import { errorMessage } from "../render/errors.ts";
import type { UserError } from "../domain/result.ts";
import { exportMessage, mapMessage } from "./attachments.ts";
import { reactionContent, replyContent } from "./messages.ts";
import type { RoomStyle } from "./roomStyle.ts";

/** What handling one event will do, committed with the event's claim. */
export interface Effects {
  messages: OutboxMessage[];
  audit: AuditEntry[];
  /** Command outcomes, counted in the metrics once this commits. */
  counts: CommandCount[];
  /** Which command message made which record (for its edits and deletion), written with the rest. */
  commands: CommandRecord[];
}

export function newEffects(): Effects {
  return { messages: [], audit: [], counts: [], commands: [] };
}

export interface SayOptions {
  /** The room's language and time zone (roomStyle.ts). */
  style: RoomStyle;
  reaction?: "✅" | "❌";
  mentions?: readonly string[] | undefined;
  /** The thread the replied-to message is in, so the reply goes there too. */
  thread?: string | undefined;
  /** The reply's outbox ref, so later messages can reply to it. */
  ref?: string | undefined;
}

/** A reply to `replyTo`, and the ✅/❌ reaction people read first (left out for edits and deletions). */
export function say(fx: Effects, roomId: string, replyTo: string, message: Message, opts: SayOptions): void {
  fx.messages.push({
    roomId,
    eventType: "m.room.message",
    content: replyContent(replyTo, message, opts),
    ...(opts.ref !== undefined && { ref: opts.ref }),
  });
  if (opts.reaction)
    fx.messages.push({ roomId, eventType: "m.reaction", content: reactionContent(replyTo, opts.reaction) });
}

/**
 * Messages for other rooms than the command's, each rendered in the style (language, time zone)
 * `styleOf` gives for the room it goes to: a relayed copy reads in the target room's language.
 */
export async function notify(
  fx: Effects,
  notices: readonly Notice[],
  styleOf: (roomId: string) => Promise<RoomStyle>,
): Promise<void> {
  for (const n of notices) {
    const style = await styleOf(n.roomId);
    const content = replyContent(undefined, n.message, { mentions: n.mentions, style });
    fx.messages.push({
      roomId: n.roomId,
      eventType: "m.room.message",
      content: { ...content, ...n.content },
      ...(n.ref !== undefined && { ref: n.ref }),
      ...(n.replyToRef !== undefined && { replyToRef: n.replyToRef }),
    });
  }
}

/** Files made from `files` at send time (src/bot/attachments.ts), queued after what came before. */
export function attach(
  fx: Effects,
  roomId: string,
  files: readonly (MapFile | ExportFile)[],
  style: RoomStyle,
): void {
  for (const f of files)
    fx.messages.push("kind" in f ? exportMessage(roomId, f) : mapMessage(roomId, f, style));
}

export { errorMessage } from "../render/errors.ts";

/** The plain English text of an error and its example (logs). */
export function formatError(e: Pick<UserError, "message" | "example">): string {
  return plain(errorMessage(e));
}
