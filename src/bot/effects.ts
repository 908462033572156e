import type { Notice } from "../../commands/types.ts";
import type { AuditEntry } from "../domain/audit.ts";
import type { OutboxMessage } from "../db/queries/events.ts";
import type { ExportFile } from "../export/file.ts";
import type { MapFile } from "../render/digest.ts";
import { type Message, msg } from "../render/message.ts";
import { plain } from "../render/render.ts";
import type { CommandCount } from "./observe.ts";
import { exportMessage, mapMessage } from "./attachments.ts";
import { reactionContent, replyContent } from "./messages.ts";

/** What handling one event will do, committed with the event's claim. */
export interface Effects {
  messages: OutboxMessage[];
  audit: AuditEntry[];
  /** Command outcomes, counted in the metrics once this commits. */
  counts: CommandCount[];
}

export function newEffects(): Effects {
  return { messages: [], audit: [], counts: [] };
}

export interface SayOptions {
  reaction?: "✅" | "❌";
  mentions?: readonly string[] | undefined;
  timeZone?: string | undefined;
  /** The thread the replied-to message is in, so the reply goes there too. */
  thread?: string | undefined;
  /** The reply's outbox ref, so later messages can reply to it. */
  ref?: string | undefined;
}

/** A reply to `replyTo`, and the ✅/❌ reaction people read first (left out for edits and deletions). */
export function say(
  fx: Effects,
  roomId: string,
  replyTo: string,
  message: Message,
  opts: SayOptions = {},
): void {
  fx.messages.push({
    roomId,
    eventType: "m.room.message",
    content: replyContent(replyTo, message, opts),
    ...(opts.ref !== undefined && { ref: opts.ref }),
  });
  if (opts.reaction)
    fx.messages.push({ roomId, eventType: "m.reaction", content: reactionContent(replyTo, opts.reaction) });
}

/** Messages for other rooms than the command's; `zoneOf` gives each room's time zone. */
export function notify(
  fx: Effects,
  notices: readonly Notice[],
  zoneOf: (roomId: string) => string | undefined = () => undefined,
): void {
  for (const n of notices) {
    const content = replyContent(undefined, n.message, { mentions: n.mentions, timeZone: zoneOf(n.roomId) });
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
export function attach(fx: Effects, roomId: string, files: readonly (MapFile | ExportFile)[]): void {
  for (const f of files) fx.messages.push("kind" in f ? exportMessage(roomId, f) : mapMessage(roomId, f));
}

/** "The time…" → "the time…" after a lead-in; acronyms (MGRS, LTIOV) stay. */
export function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A UserError as the room sees it: what was wrong, then a correct example. Its message is an
 * English sentence whose user words the parser already quoted; it is still kept to one line.
 */
export function errorMessage(e: { message: string; example?: string | undefined }): Message {
  const example = e.example ? [msg("error.example", { example: { kind: "line", text: e.example } })] : [];
  return msg("error", { message: { kind: "line", text: upperFirst(e.message) } }, example);
}

/** The plain text of `errorMessage(e)`. */
export function formatError(e: { message: string; example?: string | undefined }): string {
  return plain(errorMessage(e));
}
