import { type Message, msg, time } from "../render/message.ts";

/**
 * What the bot says when it could not walk back far enough to see everything sent while it was
 * away. Times are UTC; the date is added when the two ends are not on the same day.
 */
export function missedCommands(from: number | undefined, to: number | undefined): Message {
  if (to === undefined) return msg("notice.missedSome");
  if (from === undefined || from > to) return msg("notice.missedBefore", { to: at(to, false) });
  const sameDay = new Date(from).toISOString().slice(0, 10) === new Date(to).toISOString().slice(0, 10);
  return msg("notice.missedBetween", { from: at(from, !sameDay), to: at(to, !sameDay) });
}

function at(ts: number, withDate: boolean) {
  const d = new Date(ts);
  return time(d, d, withDate ? "utc" : "clock");
}
