/**
 * When a room's digest is due: the most recent instant its cron names, in its zone, posted
 * within the grace (late after `LATE_AFTER_MS`) or skipped beyond it. Which (room, period) was
 * already claimed is the database's to say; this only decides what a pass should try to claim.
 */
import { type Cron, lastDue, nextDue, parseCron } from "./cron.ts";

/** A digest posted this long after its minute says so. */
export const LATE_AFTER_MS = 2 * 60_000;
export const DEFAULT_GRACE_MS = 6 * 3_600_000;

export interface DigestSchedule {
  cron: Cron;
  timeZone: string;
  graceMs: number;
  /** A schedule set from chat is not due for instants before it was set. */
  notBefore?: Date | undefined;
}

export type DigestDue =
  | { action: "post"; from: Date; to: Date; late: boolean }
  | { action: "skip"; from: Date; to: Date; lateMs: number };

/**
 * What a pass at `now` should claim: the digest for the period ending at the most recent due
 * instant (starting at the one before it), or its skip when it is past the grace; undefined
 * when nothing has been due since the schedule began.
 */
export function dueDigest(s: DigestSchedule, now: Date): DigestDue | undefined {
  const to = lastDue(s.cron, s.timeZone, now);
  if (to === undefined || (s.notBefore !== undefined && +to < +s.notBefore)) return undefined;
  const from = lastDue(s.cron, s.timeZone, new Date(+to - 1)) ?? new Date(+to - 86_400_000);
  const lateMs = +now - +to;
  if (lateMs > s.graceMs) return { action: "skip", from, to, lateMs };
  return { action: "post", from, to, late: lateMs > LATE_AFTER_MS };
}

/** The next time the digest runs, for `!digest show`. */
export function nextDigest(s: Pick<DigestSchedule, "cron" | "timeZone">, now: Date): Date | undefined {
  return nextDue(s.cron, s.timeZone, now);
}

export interface FileSchedule {
  cron: string;
  tz: string;
  graceMs: number;
}

export type EffectiveSchedule =
  | { source: "chat" | "file"; schedule: DigestSchedule }
  /** Turned off from chat (`!digest off`), or never scheduled. */
  | { source: "off" | "none" };

/**
 * The schedule that applies to a room: one set from chat overrides tearline.yaml's until
 * `!digest reset`; `!digest off` is a chat schedule without a cron. A chat schedule keeps the
 * file's grace (chat sets when, the operator how late is still useful).
 */
export function effectiveSchedule(
  file: FileSchedule | undefined,
  chat: { cron?: string | undefined; tz: string; setAt: Date } | undefined,
): EffectiveSchedule {
  const graceMs = file?.graceMs ?? DEFAULT_GRACE_MS;
  if (chat !== undefined) {
    if (chat.cron === undefined) return { source: "off" };
    const cron = parseCron(chat.cron);
    if (!cron.ok) return { source: "off" };
    return {
      source: "chat",
      schedule: { cron: cron.value, timeZone: chat.tz, graceMs, notBefore: chat.setAt },
    };
  }
  if (file === undefined) return { source: "none" };
  const cron = parseCron(file.cron);
  if (!cron.ok) return { source: "none" };
  return { source: "file", schedule: { cron: cron.value, timeZone: file.tz, graceMs } };
}
