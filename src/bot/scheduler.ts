/**
 * Jobs that run on the clock rather than on a message: RFI deadline reminders, alert expiry and the
 * rooms' digests (src/bot/digests.ts). Runs only
 * in the instance that holds the device lock (it is started by the Bot, which only that one runs).
 */
import { BOT_ACTOR } from "./actor.ts";
import cron, { type ScheduledTask } from "node-cron";
import type { ConfigFacts } from "../../commands/config.ts";
import type { Db } from "../db/client.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { enqueue, type OutboxMessage } from "../db/queries/events.ts";
import { lockRfiDueNotice, markReminderSent, rfiIdsDueNotice } from "../db/queries/reminders.ts";
import { alertIdsExpiring, getAlert, lockAlert } from "../db/queries/alerts.ts";
import { expireDue } from "../../commands/approving.ts";
import { newEffects, notify } from "./effects.ts";
import { type BotMetrics, noMetrics, observeCommitted } from "./observe.ts";
import { sqlRunnerStorage } from "./sqlStorage.ts";
import { planReminder, type ReminderKind } from "../domain/reminders.ts";
import type { Logger } from "../log.ts";
import { reminderMessage } from "../render/rfi.ts";
import { type QueuedDigest, runDigests } from "./digests.ts";
import { replyContent } from "./messages.ts";
import { roomStyle } from "./roomStyle.ts";

export interface QueuedReminder {
  ref: string;
  kind: ReminderKind;
  messages: OutboxMessage[];
}

const AUDIT_ACTION: Record<ReminderKind, string> = { reminder: "rfi.reminded", overdue: "rfi.overdue" };

/**
 * One pass over the RFIs due a reminder or an overdue notice at `now`. Each RFI gets its own
 * transaction: lock the row (skipping one another transaction holds), queue the notices, append
 * the audit entry and mark it sent — so a notice is queued exactly once, however often this runs.
 */
export async function runReminders(
  db: Db,
  now: Date,
  facts: ConfigFacts = NO_ROOMS,
): Promise<QueuedReminder[]> {
  const queued: QueuedReminder[] = [];
  for (const id of await rfiIdsDueNotice(db, now)) {
    const done = await db.transaction(async (tx) => {
      const rfi = await lockRfiDueNotice(tx, id, now);
      const reminder = rfi === undefined ? undefined : planReminder(rfi, now);
      if (rfi === undefined || reminder === undefined) return undefined;
      const message = reminderMessage(rfi, reminder.kind, reminder.ltiov, now);
      const messages: OutboxMessage[] = [];
      for (const n of reminder.notices) {
        // Each room reads the reminder in its own language.
        const style = await roomStyle(tx, facts, n.roomId);
        const content = replyContent(undefined, message, { mentions: n.mentions, style });
        messages.push({ roomId: n.roomId, eventType: "m.room.message", content });
      }
      await enqueue(tx, messages);
      const detail = {
        ref: rfi.ref,
        ltiov: reminder.ltiov.toISOString(),
        rooms: messages.map((m) => m.roomId),
      };
      await appendAudit(
        tx,
        [{ actor: BOT_ACTOR, action: AUDIT_ACTION[reminder.kind], roomId: rfi.roomId, detail }],
        now,
      );
      await markReminderSent(tx, id, reminder);
      return { ref: rfi.ref, kind: reminder.kind, messages };
    });
    if (done !== undefined) queued.push(done);
  }
  return queued;
}

/**
 * One pass over alerts with a pending target past its expiry: each in its own transaction, the
 * alert locked (skipping one another pass holds), its targets marked expired, a reply to its
 * approval request queued and the expiry audited together. Returns the refs expired.
 */
export async function runAlertExpiry(
  db: Db,
  now: Date,
  facts: ConfigFacts = NO_ROOMS,
  metrics: BotMetrics = noMetrics,
): Promise<string[]> {
  const done: string[] = [];
  for (const id of await alertIdsExpiring(db, now)) {
    const expired = await db.transaction(async (tx) => {
      if (!(await lockAlert(tx, id))) return undefined;
      const alert = await getAlert(tx, id);
      if (alert === undefined) return undefined;
      const fx = newEffects();
      const out = await expireDue({ repos: sqlRunnerStorage.repos(tx), now, sender: BOT_ACTOR }, alert);
      await notify(fx, out.notices, (roomId) => roomStyle(tx, facts, roomId));
      await enqueue(tx, fx.messages);
      await appendAudit(tx, out.audit, now);
      return out.audit.length > 0 ? { ref: alert.ref, audit: out.audit } : undefined;
    });
    if (expired === undefined) continue;
    observeCommitted(metrics, { counts: [], audit: expired.audit });
    done.push(expired.ref);
  }
  return done;
}

/** No configured rooms: every room reads its chat language, or English. */
const NO_ROOMS: ConfigFacts = {
  partners: {},
  rooms: {},
  corroboration: { windowHours: 0, distanceNm: 0 },
  sharing: [],
};

export interface SchedulerOptions {
  db: Db;
  log: Logger;
  now?: () => Date;
  /** Called after a pass queued messages, so the outbox sends them at once. */
  onOutbox: () => void;
  /** The rooms and their digest schedules; without it, no digests run. */
  digests?: { facts: ConfigFacts; prefix: string };
  /** Called with each digest queued (the map image is attached from here). */
  onDigest?: (d: QueuedDigest) => void;
  /**
   * Tests only (TEARLINE_TEST_RUN_DIGESTS_AT): one extra digest pass at start-up as if the clock
   * read this instant, so a scheduled digest is triggered without waiting for wall time.
   */
  runDigestsAt?: Date | undefined;
  /** Told of the relays that expired. */
  metrics?: BotMetrics | undefined;
}

/** Runs the reminder pass every minute; a pass still running when the next is due is not doubled. */
export class Scheduler {
  private task: ScheduledTask | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly o: SchedulerOptions) {}

  start(): void {
    const log = this.o.log;
    // node-cron's own warnings (a missed minute after a stall) go to our JSON-lines log.
    const logger = {
      debug: (m: string | Error) => log.debug(String(m)),
      info: (m: string) => log.info(m),
      warn: (m: string) => log.warn(m),
      error: (m: string | Error, err?: Error) => log.error(String(m), { err: err ?? m }),
    };
    this.task = cron.schedule("* * * * *", () => this.tick(), { name: "tearline-minute", logger });
    const at = this.o.runDigestsAt;
    if (at !== undefined) {
      log.warn("test clock: running one digest pass as if it were now", { at: at.toISOString() });
      this.running = this.digestPass(at).finally(() => {
        log.info("test clock: digest pass done", { at: at.toISOString() });
        this.running = undefined;
      });
    }
  }

  /** One pass now, or the pass already under way. Never throws: a failed pass is logged and retried next minute. */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = undefined;
    await this.running;
  }

  private async pass(): Promise<void> {
    const now = (this.o.now ?? (() => new Date()))();
    try {
      const facts = this.o.digests?.facts ?? NO_ROOMS;
      const queued = await runReminders(this.o.db, now, facts);
      const expired = await runAlertExpiry(this.o.db, now, facts, this.o.metrics);
      if (queued.length > 0)
        this.o.log.info("queued RFI reminders", { reminders: queued.map((q) => `${q.ref} ${q.kind}`) });
      if (expired.length > 0) this.o.log.info("alerts expired without approval", { alerts: expired });
      if (queued.length > 0 || expired.length > 0) this.o.onOutbox();
    } catch (err) {
      this.o.log.error("RFI reminder pass failed; will retry next minute", { err });
    }
    await this.digestPass(now);
  }

  /** The digests due at `now`; a failure is logged and the next minute's pass tries again (within the grace). */
  private async digestPass(now: Date): Promise<void> {
    const d = this.o.digests;
    if (d === undefined) return;
    try {
      const queued = await runDigests(this.o.db, d.facts, now, this.o.log, d.prefix);
      if (queued.length === 0) return;
      this.o.log.info("queued digests", { rooms: queued.map((q) => q.alias) });
      for (const q of queued) this.o.onDigest?.(q);
      this.o.onOutbox();
    } catch (err) {
      this.o.log.error("digest pass failed; will retry next minute", { err });
    }
  }
}
