/** Matrix content for what the bot says. Replies are m.notice so other bots ignore them. */
import { type Message, msg, time, user } from "../render/message.ts";
import { render } from "../render/render.ts";
import type { RoomStyle } from "./roomStyle.ts";

export interface ContentOptions {
  /** The language and time zone of the room it is said in (roomStyle.ts). */
  style: RoomStyle;
  /** Users pinged on purpose; nobody else is, whatever the text says. */
  mentions?: readonly string[] | undefined;
  /** Reply inside this thread (the root event of the thread the replied-to message is in). */
  thread?: string | undefined;
}

export function replyContent(
  inReplyTo: string | undefined,
  message: Message,
  opts: ContentOptions,
): Record<string, unknown> {
  const { body, formatted_body } = render(message, { lang: opts.style.lang, timeZone: opts.style.timeZone });
  const mentions = [...new Set(opts.mentions ?? [])];
  const content: Record<string, unknown> = {
    msgtype: "m.notice",
    body,
    format: "org.matrix.custom.html",
    formatted_body,
    // Always present: a client then pings only these users, never one whose name the text happens to contain.
    "m.mentions": mentions.length > 0 ? { user_ids: mentions } : {},
  };
  if (inReplyTo) content["m.relates_to"] = replyRelation(inReplyTo, opts.thread);
  return content;
}

/**
 * A reply to `eventId`; inside its thread when it was sent in one (`m.thread` with a real
 * `m.in_reply_to`, so `is_falling_back` is false), so the answer stays where the officer asked.
 */
function replyRelation(eventId: string, thread: string | undefined): Record<string, unknown> {
  const inReplyTo = { "m.in_reply_to": { event_id: eventId } };
  if (thread === undefined) return inReplyTo;
  return { rel_type: "m.thread", event_id: thread, is_falling_back: false, ...inReplyTo };
}

export function reactionContent(eventId: string, key: string): Record<string, unknown> {
  return { "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key } };
}

export const NEEDS_ENCRYPTION: Message = msg("notice.needsEncryption");

export function cannotDecrypt(sender: string, ts: number | undefined): Message {
  return ts
    ? msg("notice.cannotDecryptAt", { sender: user(sender), at: time(new Date(ts), new Date(ts), "clock") })
    : msg("notice.cannotDecrypt", { sender: user(sender) });
}

/** A message no key will open (`why`: "sender mismatch"); it is not kept. */
export function cannotEverDecrypt(sender: string, ts: number | undefined, why: string): Message {
  return ts
    ? msg("notice.cannotEverDecryptAt", {
        sender: user(sender),
        at: time(new Date(ts), new Date(ts), "clock"),
        why,
      })
    : msg("notice.cannotEverDecrypt", { sender: user(sender), why });
}

export function notRostered(sender: string): Message {
  return msg("notice.notRostered", { sender: user(sender) });
}

export function untrustedDevice(sender: string): Message {
  return msg("notice.untrustedDevice", { sender: user(sender) });
}
