import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "../db/client.ts";
import { appendAudit } from "../db/queries/audit.ts";
import {
  dueRoomHead,
  dueRoomHeads,
  giveUpRoom,
  markFailed,
  markSent,
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

interface Next {
  row: OutboxRow;
  /** Undefined for a row that must wait until the one before it was sent (a reply by ref). */
  prepared: Promise<Prepared> | undefined;
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
  now?: () => Date;
}

export interface DrainResult {
  sent: number;
  failed: number;
  /** Rows given up because the bot is no longer in their room. */
  dropped: number;
}

const DEFAULT_LANES = 8;
/** Rows a lane sends before it lets a waiting room have its place (dueRoomHeads: longest waiting first). */
const LANE_TURN = 20;
const IDLE_POLL_MS = 2_000;
const FAILURE_BACKOFF_MS = 1_000;
export const LEFT_THE_ROOM = "left the room";

/**
 * Sends outbox rows, each room in its own lane: strictly in order within a room, rooms side by
 * side (a bounded number at once), so a room whose head keeps failing holds back only itself.
 * Within a lane the next row is encrypted while the row before it is being PUT, so the homeserver
 * is not left waiting on the bot's crypto and database work between two messages of a room.
 * Transient failures (network, 429, 5xx) are retried inside the HTTP layer; a refusal (4xx) is
 * recorded on the row and retried with backoff, then left for the operator with its error.
 */
export class OutboxSender {
  private wake: (() => void) | undefined;
  private nudge: (() => void) | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly lanes: number;
  private readonly now: () => Date;

  constructor(private readonly o: OutboxOptions) {
    this.lanes = o.lanes ?? DEFAULT_LANES;
    this.now = o.now ?? (() => new Date());
  }

  kick(): void {
    this.wake?.();
    this.nudge?.();
  }

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.running;
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
    try {
      for (;;) {
        if (!this.stopped && lanes.size < this.lanes) {
          // Rooms with a running lane are left out: a head read while its lane runs may be stale.
          // A lane's writes are committed before it leaves `lanes`, so a later read is not.
          const heads = await dueRoomHeads(this.o.db, {
            except: [...lanes.keys()],
            limit: this.lanes - lanes.size,
          });
          for (const head of heads) {
            const lane = this.runLane(head, tally)
              .catch((err: unknown) => {
                error ??= err;
              })
              .finally(() => lanes.delete(head.roomId));
            lanes.set(head.roomId, lane);
          }
        }
        if (error !== undefined) throw error;
        if (lanes.size === 0) return tally;
        // On a kick, look for rooms that got work while the lanes were busy.
        const kicked = new Promise<void>((resolve) => {
          this.nudge = resolve;
        });
        await Promise.race([...lanes.values(), kicked]);
      }
    } finally {
      // No lane outlives its pass, or the next pass could run a room twice at once.
      await Promise.all(lanes.values());
    }
  }

  private async runLane(first: OutboxRow, tally: DrainResult): Promise<void> {
    let row: OutboxRow | undefined = first;
    let prepared: Promise<Prepared> | undefined = this.prepare(first);
    let next: Next | undefined;
    try {
      for (let turn = 1; row && !this.stopped; turn++) {
        const ready = await (prepared ?? this.prepare(row));
        const current: OutboxRow = row;
        // While this row is PUT, find the next one and encrypt it: its PUT still waits for this one.
        const ahead = turn < LANE_TURN ? this.lookAhead(current) : Promise.resolve(undefined);
        let outcome: Outcome;
        try {
          outcome = await this.sendOne(current, ready);
        } finally {
          next = await ahead;
        }
        if (outcome !== "sent") {
          if (outcome === "failed") tally.failed++;
          else tally.dropped += outcome.dropped;
          return;
        }
        tally.sent++;
        row = next?.row;
        prepared = next?.prepared;
        next = undefined;
      }
    } finally {
      // A row prepared for nothing (this one failed, the lane stopped) is never PUT; its
      // encryption is not left running past the lane, which may be the room's next lane's.
      await next?.prepared;
      await prepared;
    }
  }

  /** The room's row after `row`, being prepared unless it needs `row`'s event id first. */
  private async lookAhead(row: OutboxRow): Promise<Next | undefined> {
    const next = await dueRoomHead(this.o.db, row.roomId, row.id);
    if (!next) return undefined;
    return { row: next, prepared: next.replyToRef === null ? this.prepare(next) : undefined };
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

  private async sendOne(row: OutboxRow, ready: Prepared): Promise<Outcome> {
    let eventId: string;
    try {
      if (!ready.ok) throw ready.err;
      eventId = await ready.deliver();
    } catch (err) {
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
    // Not a send failure if this throws: the row is sent again with the same txn id, which
    // the homeserver deduplicates.
    await markSent(this.o.db, row.id, eventId);
    return "sent";
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

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const woken = new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      try {
        // A failed row waits out its own backoff (next_attempt_at), so no pause here: another
        // room's new message still goes out at once.
        await this.drain();
      } catch (err) {
        this.o.log.error("outbox sender failed; will retry", { err });
        await sleep(FAILURE_BACKOFF_MS);
      }
      if (this.stopped) break;
      await Promise.race([woken, sleep(IDLE_POLL_MS)]);
    }
  }
}
