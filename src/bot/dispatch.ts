import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { AnyCommand, RuntimeInfo } from "../../commands/types.ts";
import type { Db, Tx } from "../db/client.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { commandEventById, recordCommandEvents } from "../db/queries/commandEvents.ts";
import { claimEvent, enqueue, noteOnce, type OutboxMessage, processedEvent } from "../db/queries/events.ts";
import { refOfSentEvent } from "../db/queries/outbox.ts";
import { forgetPending } from "../db/queries/pending.ts";
import { getChatLang, keepLangReads } from "../db/queries/roomSettings.ts";
import { alertOfRequestRef } from "../domain/alert.ts";
import type { Verdict } from "../../commands/approving.ts";
import type { Logger } from "../log.ts";
import type { RawEvent } from "../matrix/api.ts";
import { originDate, originTs } from "../matrix/eventTime.ts";
import type { Gap, TimelineItem } from "../matrix/sync.ts";
import type { Directory } from "./directory.ts";
import { type RoomStyle, roomStyle } from "./roomStyle.ts";
import { msg } from "../render/message.ts";
import { type Effects, newEffects, say } from "./effects.ts";
import {
  cannotDecrypt,
  cannotEverDecrypt,
  NEEDS_ENCRYPTION,
  replyContent,
  untrustedDevice,
} from "./messages.ts";
import { missedCommands } from "./gapNotice.ts";
import { holdForKey, PENDING_LIMITS } from "./pending.ts";
import { BOT_ACTOR } from "./actor.ts";
import { type BotMetrics, noMetrics, observeCommitted } from "./observe.ts";
import type { DecryptionFailure } from "../ops/metrics.ts";
import { type CommandMessage, CommandRunner } from "./runner.ts";
import { sqlRunnerStorage } from "./sqlStorage.ts";

export { formatError } from "./effects.ts";

export interface DispatchDeps {
  db: Db;
  log: Logger;
  directory: Directory;
  commands: readonly AnyCommand[];
  isEncrypted(roomId: string): Promise<boolean>;
  runtime(tx: Tx): Promise<RuntimeInfo>;
  now(): Date;
  /** Called after a transaction that queued messages has committed (for these rooms, if given). */
  onOutbox(rooms?: readonly string[]): void;
  /** trust.ignore_unverified: a deletion (plaintext, unsigned) only asks for a retraction. */
  ignoreUnverified?: boolean | undefined;
  /** How many undecryptable events each room keeps (default PENDING_LIMITS.perRoom). */
  pendingPerRoom?: number | undefined;
  /** Told what each committed event did (commands, relays), what could not be decrypted, and the lag. */
  metrics?: BotMetrics | undefined;
}

/**
 * Turns timeline items into effects, one PostgreSQL transaction per event: the event's claim in
 * processed_events, the command's rows, its audit entries and its outbox messages commit together.
 * Handles commands, edits of commands (`m.replace`) and their deletion (`m.room.redaction`).
 */
export class Dispatcher {
  private readonly runner: CommandRunner<Tx>;
  private readonly metrics: BotMetrics;

  constructor(private readonly deps: DispatchDeps) {
    this.runner = new CommandRunner({ ...deps, storage: sqlRunnerStorage });
    this.metrics = deps.metrics ?? noMetrics;
  }

  /**
   * Handles one event. Text is cleaned of what PostgreSQL cannot store (NUL). If handling fails
   * twice for a reason in the event itself, the event is recorded as failed (audited, and the
   * sender told with a reference) so one poisonous event can never stop the sync loop. A transient
   * failure (database connection, serialization) throws, and the batch is retried.
   */
  handleOne(raw: TimelineItem): Promise<void> {
    return this.handleAlone(cleaned(raw));
  }

  private async handleAlone(item: TimelineItem): Promise<void> {
    this.noteDecryption(item);
    await this.handleWithRetry(item);
    this.noteHandled(item);
  }

  /**
   * Handles a sync batch's items in order, calling `afterEach` once an item is durable. Runs of
   * readable items share one transaction (group commit): each event keeps its own claim, the
   * command its own savepoint, and their outbox rows and audit entries are written once at the
   * end, in event order. If the shared transaction fails for a reason that is not transient, it
   * is rolled back and its events are handled one by one, each in its own transaction, where a
   * poisonous event is retried and recorded as failed on its own. Items that could not be
   * decrypted (kept for their key, in their own transactions) end a run.
   */
  async handleBatch(items: readonly TimelineItem[], afterEach: () => void = () => {}): Promise<void> {
    let run: TimelineItem[] = [];
    const flush = async (): Promise<void> => {
      if (run.length > 0) await this.handleRun(run, afterEach);
      run = [];
    };
    for (const raw of items) {
      const item = cleaned(raw);
      if (item.untrustedSender !== true && item.decryptionError === undefined) {
        run.push(item);
        if (run.length >= GROUP_LIMIT) await flush();
        continue;
      }
      await flush();
      await this.handleAlone(item);
      afterEach();
    }
    await flush();
  }

  private async handleRun(items: TimelineItem[], afterEach: () => void): Promise<void> {
    if (items.length === 1) {
      await this.handleAlone(items[0] as TimelineItem);
      return afterEach();
    }
    // Asked before the transaction opens, so a room's first lookup (an HTTP request) does not
    // hold it open; a lookup that fails here fails again inside, where it is handled.
    await Promise.all(
      [...new Set(items.map((i) => i.roomId))].map((r) => this.deps.isEncrypted(r).catch(() => false)),
    );
    let committed: Effects | undefined;
    try {
      committed = await this.deps.db.transaction(async (tx) => {
        keepLangReads(tx);
        const group: Group = { tx, fx: newEffects() };
        for (const item of items) await this.handleClean(item, group);
        await this.writeEffects(tx, group.fx);
        return group.fx;
      });
    } catch (err) {
      if (isTransient(err)) throw err;
      this.deps.log.warn("a batch failed as one transaction; handling its events one by one", {
        events: items.length,
        err,
      });
      for (const item of items) {
        await this.handleAlone(item);
        afterEach();
      }
      return;
    }
    this.afterCommit(committed);
    for (const item of items) {
      this.noteHandled(item);
      afterEach();
    }
  }

  private noteDecryption(item: TimelineItem): void {
    const failure = decryptionFailureOf(item);
    if (failure !== undefined) this.metrics.decryptionFailed(failure);
  }

  private noteHandled(item: TimelineItem): void {
    const ts = originTs(item.event.origin_server_ts);
    if (ts !== undefined) this.metrics.eventHandled((this.deps.now().getTime() - ts) / 1000);
  }

  private async handleWithRetry(item: TimelineItem): Promise<void> {
    try {
      return await this.handleClean(item);
    } catch (first) {
      if (isTransient(first)) throw first; // the database or homeserver is away: retry the batch later
      this.deps.log.warn("handling an event failed; trying once more", {
        eventId: item.event.event_id,
        err: first,
      });
    }
    await sleep(RETRY_DELAY_MS);
    try {
      return await this.handleClean(item);
    } catch (err) {
      if (isTransient(err)) throw err;
      await this.failed(item, err);
    }
  }

  /**
   * Records a poisonous event as failed. Recording may fail for the very reason handling did
   * (the event's own fields): then the event is claimed with its id and room alone, and if even
   * that fails it is logged and left. Only a transient error goes back to the sync loop, which
   * retries the batch; anything else there would retry the same token forever.
   */
  private async failed(item: TimelineItem, err: unknown): Promise<void> {
    const { event_id: eventId, sender } = item.event;
    const reference = randomUUID().slice(0, 8);
    const where = { reference, eventId, roomId: item.roomId };
    this.deps.log.error("could not handle an event; recording it as failed", { ...where, err });
    if (!eventId) return;
    const audit = { actor: sender ?? "unknown", action: "event.failed", roomId: item.roomId };
    try {
      return await this.inTransaction(item, undefined, async (tx, fx) => {
        say(fx, item.roomId, eventId, msg("error.internalEvent", { reference }), {
          style: await this.style(tx, item.roomId),
          thread: threadOf(item.event),
        });
        fx.audit.push({ ...audit, detail: { eventId, reference } });
      });
    } catch (recording) {
      if (isTransient(recording)) throw recording;
      this.deps.log.error("could not record the failure; claiming the event bare", {
        ...where,
        err: recording,
      });
    }
    try {
      await this.deps.db.transaction(async (tx) => {
        if (!(await claimEvent(tx, { eventId, roomId: item.roomId }))) return;
        await appendAudit(tx, [{ ...audit, detail: { eventId, reference, bare: true } }], this.deps.now());
      });
    } catch (bare) {
      if (isTransient(bare)) throw bare;
      this.deps.log.error("could not even claim the failed event; leaving it", { ...where, err: bare });
    }
  }

  private async handleClean(item: TimelineItem, group?: Group): Promise<void> {
    const { event } = item;
    const eventId = event.event_id;
    const sender = event.sender;
    if (!eventId || !sender) return;
    if (item.untrustedSender) return this.untrusted(item, eventId, sender);
    if (item.decryptionError !== undefined) return this.undecryptable(item, eventId, sender);
    // Redactions are never encrypted; one only acts when it deletes a command that made a record.
    if (event.type === "m.room.redaction") return this.redaction(item, eventId, sender, group);
    if (event.type === "m.reaction") return this.reaction(item, eventId, sender, group);
    if (event.type !== "m.room.message" || event.content.msgtype === "m.notice") return;
    const edit = editOf(event);
    const body = edit?.body ?? (typeof event.content.body === "string" ? event.content.body : "");
    if (!body.trimStart().startsWith(this.deps.directory.prefix)) return;

    const encryptedRoom = await this.deps.isEncrypted(item.roomId);
    if (!item.encrypted) {
      if (encryptedRoom) return; // a plaintext message in an encrypted room: not trusted, ignored
      return this.inTransaction(item, group, async (tx, fx) => {
        fx.messages.push(...(await needsEncryptionOnce(tx, item.roomId, await this.style(tx, item.roomId))));
        fx.audit.push({
          actor: sender,
          action: "command.refused",
          roomId: item.roomId,
          detail: { eventId, why: "room not encrypted" },
        });
      });
    }
    // An impossible origin_server_ts (a federated server's choice) counts as unknown: receive time.
    const sentAt = originDate(event) ?? this.deps.now();
    const thread = threadOf(event);
    const message: CommandMessage = { eventId, roomId: item.roomId, sender, body, sentAt, thread };
    if (edit === undefined)
      return this.inTransaction(item, group, (tx, fx) => this.runner.run(tx, fx, message));
    await this.inTransaction(item, group, async (tx, fx) => {
      // An edit carries no thread relation: its replies go where the edited command was sent.
      const first = await processedEvent(tx, edit.target);
      const inThread = { ...message, thread: first?.threadRoot };
      const original = await this.commandRecord(tx, group, edit.target);
      if (original !== undefined && original.roomId === item.roomId) {
        return this.runner.edit(tx, fx, inThread, original, eventId);
      }
      // The edited message made no record (it was refused): run the new text as that command, for
      // its own sender only, at the time it was first sent.
      if (first === undefined || first.roomId !== item.roomId || first.sender !== sender) {
        fx.audit.push({
          actor: sender,
          action: "command.refused",
          roomId: item.roomId,
          detail: {
            eventId,
            edits: edit.target,
            why: first === undefined ? "not a command" : "not the sender",
          },
        });
        const why = msg(first === undefined ? "refusal.editNotCommand" : "refusal.editNotSender");
        return say(fx, item.roomId, eventId, why, {
          reaction: "❌",
          style: await this.style(tx, item.roomId),
        });
      }
      return this.runner.run(tx, fx, { ...inThread, eventId: edit.target, sentAt: first.sentAt ?? sentAt });
    });
  }

  private async redaction(item: TimelineItem, eventId: string, sender: string, group?: Group): Promise<void> {
    const target = redactedId(item.event);
    if (target === undefined) return;
    await this.inTransaction(item, group, async (tx, fx) => {
      const original = await this.commandRecord(tx, group, target);
      if (original === undefined || original.roomId !== item.roomId) {
        // A message deleted before its key arrived must not be acted on when the key comes.
        if (await forgetPending(tx, target, item.roomId))
          await claimEvent(tx, { eventId: target, roomId: item.roomId });
        return;
      }
      // Unsigned and in the clear: where only verified devices count, a deletion only asks.
      const trusted = this.deps.ignoreUnverified !== true;
      const thread = (await processedEvent(tx, target))?.threadRoot;
      await this.runner.retract(tx, fx, { eventId, sender, roomId: item.roomId, thread }, original, trusted);
    });
  }

  /**
   * ✅ / ❌ on one of the bot's messages: if it is an alert's approval request, a decision on it.
   * Element (matrix-js-sdk) sends reactions unencrypted even in encrypted rooms, so a plaintext
   * reaction counts in an encrypted room — who sent it is still checked (role, partner). Where
   * only verified devices count (trust.ignore_unverified), a plaintext reaction cannot be tied to
   * a device, like a deletion: only an encrypted one (or `!approve`) decides.
   */
  private async reaction(item: TimelineItem, eventId: string, sender: string, group?: Group): Promise<void> {
    const verdict = reactionVerdict(item.event);
    if (verdict === undefined) return;
    if (
      !item.encrypted &&
      (this.deps.ignoreUnverified === true || !(await this.deps.isEncrypted(item.roomId)))
    )
      return;
    await this.inTransaction(item, group, async (tx, fx) => {
      const ref = await refOfSentEvent(tx, item.roomId, verdict.target);
      const alertId = ref === undefined ? undefined : alertOfRequestRef(ref);
      if (alertId === undefined) return;
      await this.runner.react(tx, fx, {
        eventId,
        roomId: item.roomId,
        sender,
        alertId,
        verdict: verdict.verdict,
      });
    });
  }

  /** trust.ignore_unverified: refuse, and tell the sender once per room why. */
  private untrusted(item: TimelineItem, eventId: string, sender: string): Promise<void> {
    const { roomId } = item;
    return this.inTransaction(item, undefined, async (tx, fx) => {
      if (await noteOnce(tx, roomId, `untrusted:${sender}`))
        say(fx, roomId, eventId, untrustedDevice(sender), {
          style: await this.style(tx, roomId),
          thread: threadOf(item.event),
        });
      fx.audit.push({
        actor: sender,
        action: "command.refused",
        roomId,
        detail: { eventId, why: "unverified device" },
      });
    });
  }

  /** Says once in a room without encryption that Tearline needs it. */
  async noticeUnencrypted(roomId: string): Promise<void> {
    let queued = false;
    await this.deps.db.transaction(async (tx) => {
      const messages = await needsEncryptionOnce(tx, roomId, await this.style(tx, roomId));
      await enqueue(tx, messages);
      queued = messages.length > 0;
    });
    if (queued) this.deps.onOutbox();
  }

  /** Says in the room (once per gap) that commands may have been missed, and audits it. */
  async noticeGap(gap: Gap): Promise<void> {
    let queued = false;
    const iso = (ts: number | undefined) => (ts === undefined ? null : new Date(ts).toISOString());
    await this.deps.db.transaction(async (tx) => {
      if (!(await noteOnce(tx, gap.roomId, `gap:${gap.at}`))) return;
      const style = await this.style(tx, gap.roomId);
      const content = replyContent(undefined, missedCommands(gap.from, gap.to), { style });
      await enqueue(tx, [{ roomId: gap.roomId, eventType: "m.room.message", content }]);
      const detail = { from: iso(gap.from), to: iso(gap.to), oldestReached: gap.at };
      await appendAudit(
        tx,
        [{ actor: BOT_ACTOR, action: "sync.gap", roomId: gap.roomId, detail }],
        this.deps.now(),
      );
      queued = true;
    });
    if (queued) this.deps.onOutbox();
  }

  /** The room's language and time zone, read in `tx` (roomStyle.ts). */
  private style(tx: Tx, roomId: string): Promise<RoomStyle> {
    return roomStyle(tx, this.deps.directory.facts, roomId);
  }

  private async undecryptable(item: TimelineItem, eventId: string, sender: string): Promise<void> {
    if (item.permanentFailure !== undefined)
      return this.unreadable(item, eventId, sender, item.permanentFailure);
    await this.deps.db.transaction(async (tx) => {
      const fresh = await holdForKey(tx, item, {
        eventId,
        now: this.deps.now(),
        perRoom: this.deps.pendingPerRoom ?? PENDING_LIMITS.perRoom,
      });
      if (!fresh) return;
      this.deps.log.warn("cannot decrypt yet", {
        eventId,
        roomId: item.roomId,
        reason: item.decryptionError,
      });
      // One notice per sender and room per window: a burst of unreadable messages (or someone
      // fabricating them) gets one line, not one each. All of them are still retried.
      if (!(await noteOnce(tx, item.roomId, `undecryptable:${sender}:${this.noticeWindow(item)}`))) return;
      const notice = cannotDecrypt(sender, originTs(item.event.origin_server_ts));
      await enqueue(tx, [
        {
          roomId: item.roomId,
          eventType: "m.room.message",
          content: replyContent(eventId, notice, {
            style: await this.style(tx, item.roomId),
            thread: threadOf(item.event),
          }),
        },
      ]);
    });
    this.deps.onOutbox();
  }

  /**
   * No key can ever make this event readable: it is not kept; the room is asked to send it again
   * (within the same once-per-window limit, counted apart from "missing key"), and it is audited.
   */
  private unreadable(item: TimelineItem, eventId: string, sender: string, why: string): Promise<void> {
    const { roomId } = item;
    return this.inTransaction(item, undefined, async (tx, fx) => {
      await forgetPending(tx, eventId, roomId); // when a retry found it broken after its key came
      this.deps.log.warn("cannot decrypt, ever", { eventId, roomId, reason: item.decryptionError });
      fx.audit.push({
        actor: sender,
        action: "decryption.failed",
        roomId,
        detail: { eventId, why, error: item.decryptionError },
      });
      if (await noteOnce(tx, roomId, `unreadable:${sender}:${this.noticeWindow(item)}`))
        say(fx, roomId, eventId, cannotEverDecrypt(sender, originTs(item.event.origin_server_ts), why), {
          style: await this.style(tx, roomId),
          thread: threadOf(item.event),
        });
    });
  }

  private noticeWindow(item: TimelineItem): number {
    const ts = originTs(item.event.origin_server_ts) ?? this.deps.now().getTime();
    return Math.floor(ts / NOTICE_WINDOW_MS);
  }

  /**
   * Runs fn with a claim on the event; does nothing if the event was already handled. In a group
   * (handleBatch), in the group's transaction, its effects added to the group's; else in its own.
   */
  private async inTransaction(
    item: TimelineItem,
    group: Group | undefined,
    fn: (tx: Tx, fx: Effects) => Promise<void>,
  ): Promise<void> {
    const { event } = item;
    const origin = {
      eventId: event.event_id ?? "",
      roomId: item.roomId,
      sender: event.sender,
      sentAt: originDate(event),
      threadRoot: threadOf(event),
    };
    if (group !== undefined) {
      if (!(await claimed(group.tx, origin))) return;
      const fx = newEffects();
      await fn(group.tx, fx);
      group.fx.messages.push(...fx.messages);
      group.fx.audit.push(...fx.audit);
      group.fx.counts.push(...fx.counts);
      group.fx.commands.push(...fx.commands);
      return;
    }
    const committed = await this.deps.db.transaction(async (tx) => {
      keepLangReads(tx);
      if (!(await claimed(tx, origin))) return undefined;
      const fx = newEffects();
      await fn(tx, fx);
      await this.writeEffects(tx, fx);
      return fx;
    });
    if (committed !== undefined) this.afterCommit(committed);
  }

  /**
   * The outbox rows, audit entries and command records, issued together: one round trip
   * (different tables) for what the events of a transaction did.
   */
  private async writeEffects(tx: Tx, fx: Effects): Promise<void> {
    await Promise.all([
      enqueue(tx, fx.messages),
      appendAudit(tx, fx.audit, this.deps.now()),
      recordCommandEvents(tx, fx.commands.splice(0)),
    ]);
  }

  /**
   * The record of the command message `eventId`. In a group, the records its earlier events made
   * are written first (they are otherwise written with the group's effects), so an edit or a
   * deletion of a command in the same batch finds it.
   */
  private async commandRecord(tx: Tx, group: Group | undefined, eventId: string) {
    if (group !== undefined) await recordCommandEvents(tx, group.fx.commands.splice(0));
    return commandEventById(tx, eventId);
  }

  private afterCommit(committed: Effects): void {
    observeCommitted(this.metrics, committed);
    if (committed.messages.length > 0) this.deps.onOutbox(committed.messages.map((m) => m.roomId));
  }
}

/**
 * Claims the event; the room's language, which nearly every reply needs, is read alongside (one
 * round trip for both; kept by the transaction, see keepLangReads).
 */
async function claimed(tx: Tx, origin: Parameters<typeof claimEvent>[1]): Promise<boolean> {
  const [claim] = await Promise.all([claimEvent(tx, origin), getChatLang(tx, origin.roomId)]);
  return claim;
}

/** The event with what PostgreSQL cannot store (NUL) removed. */
function cleaned(raw: TimelineItem): TimelineItem {
  return { ...raw, event: withoutNul(raw.event) };
}

/** A run of a batch's events handled in one transaction, and what they will do, in event order. */
interface Group {
  tx: Tx;
  fx: Effects;
}

/** How an item failed to decrypt, if it did. */
function decryptionFailureOf(item: TimelineItem): DecryptionFailure | undefined {
  if (item.untrustedSender) return "untrusted";
  if (item.decryptionError === undefined) return undefined;
  return item.permanentFailure !== undefined ? "permanent" : "missing_key";
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** The root of the thread an event was sent in (`m.thread` relation), if any. */
export function threadOf(event: RawEvent): string | undefined {
  const rel = record(event.content["m.relates_to"]);
  return rel?.rel_type === "m.thread" && typeof rel.event_id === "string" ? rel.event_id : undefined;
}

/** A ✅ (approve) or ❌ (deny) annotation, with or without the emoji variation selector, and what it is on. */
export function reactionVerdict(event: RawEvent): { target: string; verdict: Verdict } | undefined {
  const rel = record(event.content["m.relates_to"]);
  if (rel?.rel_type !== "m.annotation" || typeof rel.event_id !== "string" || typeof rel.key !== "string")
    return undefined;
  const key = rel.key.replace(/\uFE0F/g, "");
  const verdict = key === "✅" ? "approve" : key === "❌" ? "deny" : undefined;
  return verdict === undefined ? undefined : { target: rel.event_id, verdict };
}

/** An `m.replace` edit: the event it edits and its new text (`m.new_content.body`). */
export function editOf(event: RawEvent): { target: string; body: string } | undefined {
  const rel = record(event.content["m.relates_to"]);
  if (rel?.rel_type !== "m.replace" || typeof rel.event_id !== "string") return undefined;
  const body = record(event.content["m.new_content"])?.body;
  return { target: rel.event_id, body: typeof body === "string" ? body : "" };
}

/** The event a redaction removes: top-level `redacts`, or `content.redacts` from room version 11. */
export function redactedId(event: RawEvent): string | undefined {
  if (typeof event.redacts === "string") return event.redacts;
  return typeof event.content.redacts === "string" ? event.content.redacts : undefined;
}

/** The notice that a room needs encryption — the only message ever sent in the clear — once per room. */
async function needsEncryptionOnce(tx: Tx, roomId: string, style: RoomStyle): Promise<OutboxMessage[]> {
  if (!(await noteOnce(tx, roomId, "needs-encryption"))) return [];
  const content = replyContent(undefined, NEEDS_ENCRYPTION, { style });
  return [{ roomId, eventType: "m.room.message", content, plaintextOk: true }];
}

const RETRY_DELAY_MS = 500;
/**
 * Most events in one shared transaction (a backfill page may hold 100). Each command's savepoint
 * is a subtransaction; PostgreSQL keeps up to 64 of a transaction's in shared memory before it
 * spills them to pg_subtrans (slower snapshots for every session), so this stays below that.
 */
const GROUP_LIMIT = 50;
const NOTICE_WINDOW_MS = 10 * 60_000;
/** SQLSTATE classes that pass: connection (08), transaction rollback (40), resources (53), operator (57). */
const TRANSIENT_SQLSTATE = /^(08|40|53|57)/;

/** An error that says nothing about the event itself, so the event must not be given up on. */
export function isTransient(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = typeof e === "object" && e !== null && "code" in e ? String(e.code) : "";
    if (/^(CONNECT|CONNECTION_|ECONN|ETIMEDOUT|EPIPE)/.test(code) || TRANSIENT_SQLSTATE.test(code))
      return true;
    e = typeof e === "object" && e !== null && "cause" in e ? e.cause : undefined;
  }
  return false;
}

/** The event with NUL removed from every string (PostgreSQL text and jsonb cannot hold it). */
export function withoutNul<T>(value: T): T {
  if (typeof value === "string") return value.replaceAll("\u0000", "") as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)])) as T;
  }
  return value;
}
