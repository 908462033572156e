import type { Notice } from "../../commands/types.ts";
import type { AuditEntry } from "../domain/audit.ts";
import type { OutboxMessage } from "../db/queries/events.ts";
import { reactionContent, replyContent } from "./messages.ts";

/** What handling one event will do, committed with the event's claim. */
export interface Effects {
  messages: OutboxMessage[];
  audit: AuditEntry[];
}

export function newEffects(): Effects {
  return { messages: [], audit: [] };
}

/** A reply to `replyTo`, and the ✅/❌ reaction people read first (left out for edits and deletions). */
export function say(
  fx: Effects,
  roomId: string,
  replyTo: string,
  text: string,
  opts: { reaction?: "✅" | "❌"; mentions?: readonly string[] } = {},
): void {
  fx.messages.push({
    roomId,
    eventType: "m.room.message",
    content: replyContent(replyTo, text, opts.mentions),
  });
  if (opts.reaction)
    fx.messages.push({ roomId, eventType: "m.reaction", content: reactionContent(replyTo, opts.reaction) });
}

export function notify(fx: Effects, notices: readonly Notice[]): void {
  for (const n of notices) {
    fx.messages.push({
      roomId: n.roomId,
      eventType: "m.room.message",
      content: replyContent(undefined, n.text, n.mentions),
    });
  }
}

/** "The time…" → "the time…" after a lead-in; acronyms (MGRS, LTIOV) stay. */
export function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatError(e: { message: string; example?: string | undefined }): string {
  return `❌ ${upperFirst(e.message)}${e.example ? `\nExample: ${e.example}` : ""}`;
}
