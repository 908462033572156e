/** An RFI as message pieces: its deadline, its list line, its reminders. */
import type { ReminderKind, RemindableRfi } from "../domain/reminders.ts";
import { formatAddressee, isAwaitingAnswer, isOverdue, type Rfi } from "../domain/rfi.ts";
import { TEXT_CAP } from "../domain/userText.ts";
import { duration, list, type Message, msg, ref, time, userText } from "./message.ts";

/** A question in a one-line list: the start, enough to tell RFIs apart. */
const LIST_QUESTION = 60;

/** `answer needed by 28 Nov 10:00Z (in 2 h 46 m)`, `⏰ OVERDUE since 28 Nov 10:00Z (1 h 5 m)`, `no deadline`. */
export function due(rfi: Pick<Rfi, "status" | "ltiov">, now: Date): Message {
  if (rfi.ltiov === undefined) return msg("rfi.noDeadline");
  const at = time(rfi.ltiov, now);
  if (isOverdue(rfi, now)) return msg("rfi.overdueSince", { at, late: duration(+now - +rfi.ltiov) });
  if (!isAwaitingAnswer(rfi.status)) return msg("rfi.ltiov", { at });
  return msg("rfi.neededBy", { at, left: duration(+rfi.ltiov - +now) });
}

/** One line of `!rfi list`: `RFI-40 · IMMEDIATE · for USA · open · answer needed by … · "last known position…"`. */
export function rfiLine(rfi: Rfi, now: Date): Message {
  return msg("rfi.line", {
    fields: list([
      ref(rfi.ref),
      rfi.priority.toUpperCase(),
      msg("rfi.for", { to: formatAddressee(rfi.to) }),
      rfi.status,
      due(rfi, now),
      userText(rfi.question, LIST_QUESTION),
    ]),
  });
}

/**
 * `⏰ RFI-40 (IMMEDIATE) for USA is due in 2 h: "last known position of SIN NOMBRE?"` or
 * `⏰ RFI-40 (IMMEDIATE) for USA is now OVERDUE (LTIOV 28 Nov 10:00Z): "last known position…"`.
 */
export function reminderMessage(rfi: RemindableRfi, kind: ReminderKind, ltiov: Date, now: Date): Message {
  const common = {
    ref: ref(rfi.ref),
    priority: rfi.priority.toUpperCase(),
    to: formatAddressee(rfi.to),
    question: userText(rfi.question, TEXT_CAP),
  };
  return kind === "reminder"
    ? msg("rfi.reminder", { ...common, left: duration(+ltiov - +now) })
    : msg("rfi.overdue", { ...common, at: time(ltiov, now) });
}
