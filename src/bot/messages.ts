/** Matrix content for what the bot says. Replies are m.notice so other bots ignore them. */

export function replyContent(
  inReplyTo: string | undefined,
  text: string,
  mentions: readonly string[] = [],
  thread?: string,
): Record<string, unknown> {
  const content: Record<string, unknown> = { msgtype: "m.notice", body: text };
  if (inReplyTo) content["m.relates_to"] = replyRelation(inReplyTo, thread);
  // Intentional mentions: these users are notified (the body names them too).
  if (mentions.length > 0) content["m.mentions"] = { user_ids: [...new Set(mentions)] };
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

export const NEEDS_ENCRYPTION =
  "Tearline only works in end-to-end encrypted rooms. Enable encryption in the room settings; " +
  "until then I will not act on commands here.";

function fromTime(ts: number | undefined): string {
  return ts ? ` from ${new Date(ts).toISOString().slice(11, 16)}Z` : "";
}

export function cannotDecrypt(sender: string, ts: number | undefined): string {
  return `I can't read ${sender}'s message${fromTime(ts)} yet (missing key); I'll process it when the key arrives.`;
}

/** A message no key will open (`why`: "sender mismatch"); it is not kept. */
export function cannotEverDecrypt(sender: string, ts: number | undefined, why: string): string {
  return `I can't decrypt ${sender}'s message${fromTime(ts)} (${why}); please send it again.`;
}

export function notRostered(sender: string): string {
  return (
    `Sorry ${sender}, you are not on Tearline's roster, so I can't act on your commands. ` +
    "Ask the operator to add you (with your partner and roles) to the roster in tearline.yaml."
  );
}

export function untrustedDevice(sender: string): string {
  return (
    `I don't act on messages from ${sender} sent from a device that is not verified (cross-signed by ` +
    "its owner); this deployment requires it. Verify the device in your Matrix client, then send the command again."
  );
}
