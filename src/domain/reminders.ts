/**
 * RFI deadline reminders. An RFI still awaiting its answer gets one reminder when its LTIOV comes
 * within the lead time of its priority, and one overdue notice once the LTIOV has passed. What was
 * sent is remembered by the LTIOV it was for, so correcting the LTIOV re-arms both.
 */
import { isAwaitingAnswer, isOverdue, type Rfi, type RfiPriority } from "./rfi.ts";

const HOUR_MS = 3_600_000;

/**
 * How long before its LTIOV an RFI is reminded. The more urgent the RFI, the shorter its usual
 * deadline, so the shorter the notice: an IMMEDIATE question is often asked a few hours ahead.
 */
export const REMINDER_LEAD_MS: Readonly<Record<RfiPriority, number>> = {
  immediate: 2 * HOUR_MS,
  priority: 6 * HOUR_MS,
  routine: 24 * HOUR_MS,
};

/** What has been sent for an RFI: the LTIOV each notice was for. */
export interface ReminderState {
  remindedFor?: Date | undefined;
  overdueNoticedFor?: Date | undefined;
}

export type RemindableRfi = Pick<
  Rfi,
  "ref" | "roomId" | "originator" | "priority" | "ltiov" | "to" | "question" | "status"
> &
  ReminderState & {
    /** The Matrix room of a room addressee, which is reminded too. */
    toRoomId?: string | undefined;
  };

export type ReminderKind = "reminder" | "overdue";

/** A room to tell (its words are rendered from the RFI: src/render/rfi.ts `reminderMessage`). */
export interface ReminderNotice {
  roomId: string;
  mentions: string[];
}

export interface Reminder {
  kind: ReminderKind;
  /** The LTIOV this notice is for, to be remembered as sent. */
  ltiov: Date;
  notices: ReminderNotice[];
}

function sameInstant(a: Date | undefined, b: Date): boolean {
  return a !== undefined && +a === +b;
}

/** Which notice, if any, `rfi` is due at `now`. */
export function reminderDue(rfi: RemindableRfi, now: Date): ReminderKind | undefined {
  const ltiov = rfi.ltiov;
  if (ltiov === undefined || !isAwaitingAnswer(rfi.status)) return undefined;
  if (isOverdue(rfi, now)) return sameInstant(rfi.overdueNoticedFor, ltiov) ? undefined : "overdue";
  const left = +ltiov - +now;
  const inWindow = left > 0 && left <= REMINDER_LEAD_MS[rfi.priority];
  return inWindow && !sameInstant(rfi.remindedFor, ltiov) ? "reminder" : undefined;
}

/**
 * The notice `rfi` is due at `now`, if any: in the room it was raised in, mentioning its
 * originator, and in the addressed room when the addressee is a configured room.
 */
export function planReminder(rfi: RemindableRfi, now: Date): Reminder | undefined {
  const kind = reminderDue(rfi, now);
  if (kind === undefined || rfi.ltiov === undefined) return undefined;
  const notices: ReminderNotice[] = [{ roomId: rfi.roomId, mentions: [rfi.originator] }];
  if (rfi.toRoomId !== undefined && rfi.toRoomId !== rfi.roomId) {
    notices.push({ roomId: rfi.toRoomId, mentions: [] });
  }
  return { kind, ltiov: rfi.ltiov, notices };
}

/** The state after `reminder` was sent. */
export function recordSent(state: ReminderState, reminder: Pick<Reminder, "kind" | "ltiov">): ReminderState {
  return reminder.kind === "reminder"
    ? { ...state, remindedFor: reminder.ltiov }
    : { ...state, overdueNoticedFor: reminder.ltiov };
}
