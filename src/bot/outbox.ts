import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "../db/client.ts";
import { markFailed, markSent, nextUnsent } from "../db/queries/events.ts";
import type { Logger } from "../log.ts";
import { MatrixError } from "../matrix/http.ts";
import type { Faults } from "./faults.ts";

export interface Sender {
  send(roomId: string, eventType: string, content: Record<string, unknown>, txnId: string): Promise<string>;
}

const BATCH = 20;
const IDLE_POLL_MS = 2_000;

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

  /** Sends what is queued now; returns how many rows were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const rows = await nextUnsent(this.db, BATCH);
      if (rows.length === 0 || this.stopped) return sent;
      for (const row of rows) {
        if (this.stopped) return sent;
        try {
          const content = row.content as Record<string, unknown>;
          const eventId = await this.sender.send(
            row.roomId,
            row.eventType,
            content,
            `${this.txnPrefix}${row.id}`,
          );
          this.faults.afterSent();
          await markSent(this.db, row.id, eventId);
          sent++;
        } catch (err) {
          if (!(err instanceof MatrixError)) throw err;
          this.log.error("homeserver refused an outbox message", {
            outboxId: row.id,
            roomId: row.roomId,
            err,
          });
          await markFailed(this.db, row.id, err.message);
        }
      }
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const woken = new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      try {
        await this.drain();
      } catch (err) {
        this.log.error("outbox sender failed; will retry", { err });
        await sleep(1_000);
      }
      if (this.stopped) break;
      await Promise.race([woken, sleep(IDLE_POLL_MS)]);
    }
  }
}
