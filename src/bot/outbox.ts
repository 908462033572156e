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
const IDLE_POLL_MS = 2_000;
const FAILURE_BACKOFF_MS = 1_000;
export const LEFT_THE_ROOM = "left the room";

/**
 * Sends outbox rows, each room in its own lane: strictly in order within a room, rooms side by
 * side (a bounded number at once), so a room whose head keeps failing holds back only itself.
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
   * Sends what is due now. Each room with a due head gets one lane for this pass, which sends its
   * rows one after the other until the room is empty, a row fails (recorded with its backoff; the
   * room waits for a later pass) or the room is found left (its rows dropped). A lane that ends
   * frees its place for the next waiting room. Returns once no lane is left.
   */
  async drain(): Promise<DrainResult> {
    const tally: DrainResult = { sent: 0, failed: 0, dropped: 0 };
    // A room gets one lane per pass: a head read while its lane was running may be stale.
    const seen = new Set<string>();
    const lanes = new Map<string, Promise<void>>();
    let error: unknown;
    try {
      for (;;) {
        if (!this.stopped && lanes.size < this.lanes) {
          const heads = await dueRoomHeads(this.o.db, { except: [...seen], limit: this.lanes - lanes.size });
          for (const head of heads) {
            seen.add(head.roomId);
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
    while (row && !this.stopped) {
      const outcome = await this.sendOne(row);
      if (outcome !== "sent") {
        if (outcome === "failed") tally.failed++;
        else tally.dropped += outcome.dropped;
        return;
      }
      tally.sent++;
      row = await dueRoomHead(this.o.db, row.roomId);
    }
  }

  private async sendOne(row: OutboxRow): Promise<"sent" | "failed" | { dropped: number }> {
    let eventId: string;
    try {
      const content = await this.withReplyTo(row);
      eventId = await this.o.sender.send(row.roomId, row.eventType, content, `${this.o.txnPrefix}${row.id}`, {
        plaintextOk: row.plaintextOk,
      });
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
