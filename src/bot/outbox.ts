import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "../db/client.ts";
import { markFailed, markSent, nextUnsent } from "../db/queries/events.ts";
import type { Logger } from "../log.ts";
import { MatrixError } from "../matrix/http.ts";
import type { Faults } from "./faults.ts";

export interface Sender {
  send(
    roomId: string,
    eventType: string,
    content: Record<string, unknown>,
    txnId: string,
    opts: { plaintextOk: boolean },
  ): Promise<string>;
}

const BATCH = 20;
const IDLE_POLL_MS = 2_000;
const FAILURE_BACKOFF_MS = 1_000;

/**
 * Sends outbox rows in order. Transient failures (network, 429, 5xx) are retried inside the
 * HTTP layer; a refusal (4xx) is recorded on the row and retried a few times, then left for the
 * operator with its error, so one bad room cannot block the others forever.
 */
export class OutboxSender {
  private wake: (() => void) | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly sender: Sender,
    private readonly log: Logger,
    private readonly txnPrefix: string,
    private readonly faults: Pick<Faults, "afterSent">,
  ) {}

  kick(): void {
    this.wake?.();
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
   * Sends what is queued now, in order per room. A row that fails is recorded (attempts, last
   * error) and its room waits for the next pass, so its order holds and other rooms go on; after
   * MAX_SEND_ATTEMPTS it is left for the operator. Returns how many rows were sent and failed.
   */
  async drain(): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (;;) {
      const rows = await nextUnsent(this.db, BATCH);
      if (rows.length === 0 || this.stopped) return { sent, failed };
      const blocked = new Set<string>();
      const now = Date.now();
      for (const row of rows) {
        if (this.stopped) return { sent, failed };
        if (blocked.has(row.roomId)) continue;
        if (row.nextAttemptAt && row.nextAttemptAt.getTime() > now) {
          blocked.add(row.roomId); // backing off; the room's later rows wait behind it
          continue;
        }
        let eventId: string;
        try {
          const content = row.content as Record<string, unknown>;
          const txnId = `${this.txnPrefix}${row.id}`;
          eventId = await this.sender.send(row.roomId, row.eventType, content, txnId, {
            plaintextOk: row.plaintextOk,
          });
        } catch (err) {
          const refused = err instanceof MatrixError;
          this.log.error(
            refused ? "homeserver refused an outbox message" : "could not send an outbox message",
            {
              outboxId: row.id,
              roomId: row.roomId,
              err,
            },
          );
          await markFailed(this.db, row.id, err instanceof Error ? err.message : String(err));
          blocked.add(row.roomId);
          failed++;
          continue;
        }
        this.faults.afterSent();
        // Not a send failure if this throws: the row is sent again with the same txn id, which
        // the homeserver deduplicates.
        await markSent(this.db, row.id, eventId);
        sent++;
      }
      if (blocked.size > 0) return { sent, failed };
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const woken = new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      try {
        const { failed } = await this.drain();
        if (failed > 0) await sleep(FAILURE_BACKOFF_MS); // not at once, even when kicked
      } catch (err) {
        this.log.error("outbox sender failed; will retry", { err });
        await sleep(FAILURE_BACKOFF_MS);
      }
      if (this.stopped) break;
      await Promise.race([woken, sleep(IDLE_POLL_MS)]);
    }
  }
}
