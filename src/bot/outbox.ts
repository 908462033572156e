import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "../db/client.ts";
import { appendAudit } from "../db/queries/audit.ts";
import {
  dueRoomStarts,
  dueRoomRows,
  giveUpRoom,
  markFailed,
  markSentMany,
  type OutboxRow,
  sentEventOfRef,
} from "../db/queries/outbox.ts";
import type { Logger } from "../log.ts";
import { MatrixError } from "../matrix/http.ts";
import type { Faults } from "./faults.ts";
import { BOT_ACTOR } from "./actor.ts";

export interface Sender {
  send(
    roomId: string,
    eventType: string,
    content: Record<string, unknown>,
    txnId: string,
    opts: { plaintextOk: boolean },
  ): Promise<string>;
  /**
   * Optional: everything `send` does but the PUT (encryption, with the crypto store flushed),
   * returning the PUT. The outbox then prepares a room's next row while the row before it is
   * still being PUT; the PUTs themselves stay one at a time, in order.
   */
  prepare?(
    roomId: string,
    eventType: string,
    content: Record<string, unknown>,
    txnId: string,
    opts: { plaintextOk: boolean },
  ): Promise<() => Promise<string>>;
}

/** A row made ready to PUT, or why it could not be (reported when its turn comes). */
type Prepared = { ok: true; deliver: () => Promise<string> } | { ok: false; err: unknown };

type Outcome = "sent" | "failed" | { dropped: number };

/** Rows of a room sent one after the other, prepared together before the first PUT. */
interface Batch {
  rows: OutboxRow[];
  /** The room may have rows after these (worth reading ahead). */
  more: boolean;
  /** Undefined for a batch that must wait until the rows before it were sent (a reply by ref). */
  prepared: Promise<Prepared[]> | undefined;
}

export interface OutboxOptions {
  db: Db;
  sender: Sender;
  log: Logger;
  /** The transaction id is `<prefix><row id>`, so the homeserver deduplicates a row sent twice. */
  txnPrefix: string;
  faults: Pick<Faults, "afterSent">;
  /**
   * Asked only after the homeserver refused a row with M_FORBIDDEN. False must mean the bot is
   * certainly not in the room (left, kicked, banned): its queued rows are then dropped. When
   * unsure, answer true or throw, and the row is retried as any other failure.
   */
  isJoined(roomId: string): boolean | Promise<boolean>;
  /** How many rooms are sent to at once (default 8). */
  lanes?: number;
  /** Rows of a room prepared together, before the first of them is PUT (default 8). */
  batch?: number;
  now?: () => Date;
}

export interface DrainResult {
  sent: number;
  failed: number;
  /** Rows given up because the bot is no longer in their room. */
  dropped: number;
}

const DEFAULT_LANES = 8;
const DEFAULT_BATCH = 16;
/** Rows a lane sends before it lets a waiting room have its place (dueRoomStarts: longest waiting first). */
export const LANE_TURN = 32;
const IDLE_POLL_MS = 2_000;
const FAILURE_BACKOFF_MS = 1_000;
export const LEFT_THE_ROOM = "left the room";

/**
 * Sends outbox rows, each room in its own lane: strictly in order within a room, rooms side by
 * side (a bounded number at once), so a room whose head keeps failing holds back only itself.
 * Within a lane rows go in batches: a batch is encrypted before its first PUT (one crypto-store
 * flush for all of it) and the next batch while this one is being PUT, so the homeserver is not
 * left waiting on the bot's crypto and database work between two messages of a room.
 * Transient failures (network, 429, 5xx) are retried inside the HTTP layer; a refusal (4xx) is
 * recorded on the row and retried with backoff, then left for the operator with its error.
 */
export class OutboxSender {
  private wake: (() => void) | undefined;
  private nudge: (() => void) | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  /** Kicks since the drain last read the heads. */
  private kicked = { all: false, rooms: new Set<string>() };
  private readonly lanes: number;
  private readonly batch: number;
  private readonly now: () => Date;
  /** Kicks so far, and the last kick a finished pass began after (for settled). */
  private kicks = 0;
  private passed = 0;
  /** The last kick naming each room, and the last naming none (all rooms): see lookAgain. */
  private readonly roomKickedAt = new Map<string, number>();
  private allKickedAt = 0;
  private readonly settledWaiters = new Set<{ kick: number; done: () => void }>();

  constructor(private readonly o: OutboxOptions) {
    this.lanes = o.lanes ?? DEFAULT_LANES;
    this.batch = Math.max(1, o.batch ?? DEFAULT_BATCH);
    this.now = o.now ?? (() => new Date());
  }

  /**
   * New rows were queued, in these rooms if given. A drain in progress reads the rooms' heads
   * again unless every room named has a lane running already (that lane reads its rows).
   */
  kick(rooms?: readonly string[]): void {
    this.kicks++;
    if (rooms === undefined) {
      this.kicked.all = true;
      this.allKickedAt = this.kicks;
    } else
      for (const r of rooms) {
        this.kicked.rooms.add(r);
        this.roomKickedAt.set(r, this.kicks);
      }
    this.wake?.();
    this.nudge?.();
  }

  /**
   * Resolves once every kick so far has had a pass begun after it and finished (its rows sent, or
   * failed and backing off), or after `maxMs`, whichever comes first; at once if there is none.
   */
  settled(maxMs: number): Promise<void> {
    const kick = this.kicks;
    if (this.passed >= kick || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { kick, done: () => {} };
      const timer = setTimeout(() => waiter.done(), maxMs);
      waiter.done = () => {
        clearTimeout(timer);
        this.settledWaiters.delete(waiter);
        resolve();
      };
      this.settledWaiters.add(waiter);
    });
  }

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.running;
    this.passedKick(this.kicks);
  }

  /**
   * Sends what is due now. Each room with a due head gets a lane, which sends its rows one after
   * the other until the room is empty, a row fails (recorded with its backoff: the room is not due
   * again before it), the room is found left (its rows dropped) or it has had its turn. A lane
   * that ends frees its place for the next waiting room — the same room again if it got more
   * rows meanwhile. Returns once no lane is left.
   */
  async drain(): Promise<DrainResult> {
    const tally: DrainResult = { sent: 0, failed: 0, dropped: 0 };
    const lanes = new Map<string, Promise<void>>();
    let error: unknown;
    /** Lanes ended so far, and those of them after which their room needs looking at again. */
    let ended = 0;
    let unfinished = 0;
    /** The last read of the heads filled every free lane: more rooms may be waiting. */
    let capped = false;
    try {
      for (let read = true; ; ) {
        const endedBefore = ended;
        const unfinishedBefore = unfinished;
        const reading = read && !this.stopped && lanes.size < this.lanes;
        if (reading) {
          // Reset first: a kick while the heads are read asks for another read.
          this.kicked = { all: false, rooms: new Set() };
          const readAt = this.kicks;
          const limit = this.lanes - lanes.size;
          // Rooms with a running lane are left out: a head read while its lane runs may be stale.
          // A lane's writes are committed before it leaves `lanes`, so a later read is not.
          // Each room's first batch comes with its head: a lane starts without a read of its own.
          const starts = await dueRoomStarts(this.o.db, {
            except: [...lanes.keys()],
            limit,
            rows: this.firstBatch,
          });
          capped = starts.length >= limit;
          for (const start of starts) {
            const head = start[0];
            if (!head) continue;
            const lane = this.runLane(start, readAt, tally)
              .then(
                (again) => {
                  if (again) unfinished++;
                },
                (err: unknown) => {
                  error ??= err;
                },
              )
              .finally(() => {
                lanes.delete(head.roomId);
                ended++;
              });
            lanes.set(head.roomId, lane);
          }
        }
        if (error !== undefined) throw error;
        // While the heads were read, a lane ended that leaves its room to be looked at again (the
        // read left that room out), or a room without a lane was kicked: read them again.
        const kickedMeanwhile = this.kicked.all || [...this.kicked.rooms].some((r) => !lanes.has(r));
        if (reading && (unfinished !== unfinishedBefore || kickedMeanwhile)) {
          read = true;
          continue;
        }
        if (lanes.size === 0) return tally;
        // On a kick, look for rooms that got work while the lanes were busy.
        const kicked = new Promise<void>((resolve) => {
          this.nudge = resolve;
        });
        await Promise.race([...lanes.values(), kicked]);
        // A lane ended that leaves its room to be looked at again, or a lane's place came free
        // while other rooms may be waiting, or a room without a lane got work. A lane that
        // emptied its room, with no kick for it since it last read, needs no read after it.
        read =
          unfinished !== unfinishedBefore ||
          (capped && ended !== endedBefore) ||
          this.kicked.all ||
          [...this.kicked.rooms].some((r) => !lanes.has(r));
      }
    } finally {
      // No lane outlives its pass, or the next pass could run a room twice at once.
      await Promise.all(lanes.values());
    }
  }

  /**
   * A lane's room must be looked at again once the lane ends unless the lane emptied it (as of
   * its last read, made after kick `readAt`) and no kick has named it (or all rooms) since: a
   * kick's rows were committed before it, so a read issued after the kick saw them.
   */
  private lookAgain(roomId: string, emptied: boolean, readAt: number): boolean {
    if (!emptied) return true;
    return (this.roomKickedAt.get(roomId) ?? 0) > readAt || this.allKickedAt > readAt;
  }

  /**
   * Sends a room's rows in batches: a batch is prepared (encrypted) row after row before its first
   * PUT, so one crypto-store flush covers them all, and the next batch is read and prepared while
   * this one is PUT. A row that replies by ref to another starts a batch of its own, prepared only
   * once the rows before it were sent (it needs their event ids). Returns whether the room must be
   * looked at again after the lane (lookAgain): the lane did not empty it (its turn ended, a row
   * failed, the lane stopped) or it was kicked since.
   */
  private async runLane(start: OutboxRow[], startReadAt: number, tally: DrainResult): Promise<boolean> {
    const roomId = (start[0] as OutboxRow).roomId;
    let readAt = startReadAt;
    let batch: Batch | undefined = this.batchOf(start, this.firstBatch);
    let next: Batch | undefined;
    let turn = 0;
    let emptied = false;
    try {
      while (batch && !this.stopped) {
        const ready = await (batch.prepared ?? this.prepareAll(batch.rows));
        turn += batch.rows.length;
        const last = batch.rows[batch.rows.length - 1] as OutboxRow;
        const reading = batch.more && turn < LANE_TURN;
        if (reading) readAt = this.kicks;
        const ahead = reading ? this.batchAfter(last.roomId, last.id, LANE_TURN - turn) : undefined;
        let outcome = "sent" as Outcome;
        // Rows PUT and not yet marked sent: marked together, once the batch is over or before a
        // failure is handled (a room given up must not take its sent rows with it).
        const sent: { id: number; eventId: string }[] = [];
        const mark = async () => {
          // Not a send failure if this throws: the rows are sent again with the same txn ids,
          // which the homeserver deduplicates.
          await markSentMany(this.o.db, sent.splice(0));
        };
        try {
          for (const [i, row] of batch.rows.entries()) {
            const result = await this.sendOne(row, ready[i] as Prepared, mark);
            if (result === "failed" || !("eventId" in result)) {
              outcome = result;
              break;
            }
            sent.push({ id: row.id, eventId: result.eventId });
            tally.sent++;
            if (this.stopped) break;
          }
          await mark();
        } finally {
          next = await ahead;
        }
        if (outcome === "failed") tally.failed++;
        else if (outcome !== "sent") tally.dropped += outcome.dropped;
        if (outcome !== "sent") return true;
        // Sent, and the last read found no more (not cut short by the turn): the room is empty.
        emptied = (!batch.more || (reading && next === undefined)) && !this.stopped;
        batch = next;
        next = undefined;
      }
      return this.lookAgain(roomId, emptied, readAt);
    } finally {
      // Rows prepared for nothing (one before them failed, the lane stopped) are never PUT; their
      // encryption is not left running past the lane, which may be the room's next lane's.
      await next?.prepared;
      await batch?.prepared;
    }
  }

  /** Rows a lane's first batch holds at most (read with the room's head). */
  private get firstBatch(): number {
    return Math.min(this.batch, LANE_TURN);
  }

  /** The room's next batch after row `after` (at most `room` rows); see batchOf. */
  private async batchAfter(roomId: string, after: number, room: number): Promise<Batch | undefined> {
    const limit = Math.min(this.batch, room);
    return this.batchOf(await dueRoomRows(this.o.db, roomId, after, limit), limit);
  }

  /**
   * A batch of the rows read (at most `limit` were asked for), being prepared unless it starts
   * with a reply by ref. It ends before a later reply by ref, which waits for the rows before it
   * to be sent.
   */
  private batchOf(read: OutboxRow[], limit: number): Batch | undefined {
    const cut = read.findIndex((r, i) => i > 0 && r.replyToRef !== null);
    const rows = cut === -1 ? read : read.slice(0, cut);
    const head = rows[0];
    if (!head) return undefined;
    return {
      rows,
      // Fewer rows than asked for and none held back: the room had no more. Rows queued since
      // start the room's next lane (the drain reads the heads again when a lane ends).
      more: cut !== -1 || read.length === limit,
      prepared: head.replyToRef === null ? this.prepareAll(rows) : undefined,
    };
  }

  /** Prepares rows one after the other; after one that fails, the rest are not (never PUT). */
  private async prepareAll(rows: readonly OutboxRow[]): Promise<Prepared[]> {
    const out: Prepared[] = [];
    for (const row of rows) {
      const failed = out.find((p) => !p.ok);
      out.push(failed ?? (await this.prepare(row)));
    }
    return out;
  }

  /** Everything but the PUT; never rejects (a failure is the row's, reported at its turn). */
  private async prepare(row: OutboxRow): Promise<Prepared> {
    try {
      const content = await this.withReplyTo(row);
      const txnId = `${this.o.txnPrefix}${row.id}`;
      const opts = { plaintextOk: row.plaintextOk };
      const { sender } = this.o;
      const deliver = sender.prepare
        ? await sender.prepare(row.roomId, row.eventType, content, txnId, opts)
        : () => sender.send(row.roomId, row.eventType, content, txnId, opts);
      return { ok: true, deliver };
    } catch (err) {
      return { ok: false, err };
    }
  }

  /**
   * PUTs one row: its event id, or how it failed (recorded, after `beforeFailure` marked the
   * rows sent before it). The caller marks it sent.
   */
  private async sendOne(
    row: OutboxRow,
    ready: Prepared,
    beforeFailure: () => Promise<void>,
  ): Promise<{ eventId: string } | Exclude<Outcome, "sent">> {
    let eventId: string;
    try {
      if (!ready.ok) throw ready.err;
      eventId = await ready.deliver();
    } catch (err) {
      await beforeFailure();
      const refused = err instanceof MatrixError;
      if (
        refused &&
        err.status === 403 &&
        err.errcode === "M_FORBIDDEN" &&
        !(await this.joined(row.roomId))
      ) {
        return { dropped: await this.dropRoom(row.roomId) };
      }
      this.o.log.error(
        refused ? "homeserver refused an outbox message" : "could not send an outbox message",
        {
          outboxId: row.id,
          roomId: row.roomId,
          err,
        },
      );
      await markFailed(this.o.db, row.id, err instanceof Error ? err.message : String(err));
      return "failed";
    }
    this.o.faults.afterSent();
    return { eventId };
  }

  /**
   * The row's content, as a reply to the row it names by ref, if that one was sent. Read now,
   * not when queued: the row replied to was written in the same transaction or shortly before
   * and only got its event id when it was sent (earlier in the same room's lane).
   */
  private async withReplyTo(row: OutboxRow): Promise<Record<string, unknown>> {
    const content = row.content as Record<string, unknown>;
    if (row.replyToRef === null) return content;
    const target = await sentEventOfRef(this.o.db, row.replyToRef);
    if (target.state === "sent")
      return { ...content, "m.relates_to": { "m.in_reply_to": { event_id: target.eventId } } };
    this.o.log.warn("sending a reply without its relation: the message it replies to was not sent", {
      outboxId: row.id,
      replyToRef: row.replyToRef,
      state: target.state,
    });
    return content;
  }

  private async joined(roomId: string): Promise<boolean> {
    try {
      return await this.o.isJoined(roomId);
    } catch (err) {
      this.o.log.warn("could not tell whether the bot is still in a room; retrying its message", {
        roomId,
        err,
      });
      return true;
    }
  }

  /** Gives up the room's pending rows, with an audit entry in the same transaction. */
  private async dropRoom(roomId: string): Promise<number> {
    const ids = await this.o.db.transaction(async (tx) => {
      const ids = await giveUpRoom(tx, roomId, LEFT_THE_ROOM);
      const detail = { count: ids.length, firstId: ids[0], lastId: ids.at(-1), reason: LEFT_THE_ROOM };
      await appendAudit(tx, [{ actor: BOT_ACTOR, action: "outbox.dropped", roomId, detail }], this.now());
      return ids;
    });
    this.o.log.warn("dropped the queued messages of a room the bot is no longer in", {
      roomId,
      count: ids.length,
    });
    return ids.length;
  }

  private passedKick(kick: number): void {
    this.passed = Math.max(this.passed, kick);
    for (const w of [...this.settledWaiters]) if (this.stopped || w.kick <= this.passed) w.done();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const woken = new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      const kick = this.kicks;
      try {
        // A failed row waits out its own backoff (next_attempt_at), so no pause here: another
        // room's new message still goes out at once.
        await this.drain();
        this.passedKick(kick);
      } catch (err) {
        this.o.log.error("outbox sender failed; will retry", { err });
        await sleep(FAILURE_BACKOFF_MS);
      }
      if (this.stopped) break;
      await Promise.race([woken, sleep(IDLE_POLL_MS)]);
    }
  }
}
