import type { Db, Tx } from "../db/client.ts";
import { appendAudit } from "../db/queries/audit.ts";
import {
  expirePending,
  forgetPending,
  type PendingCursor,
  pendingPage,
  savePendingDecryption,
  trimPendingRoom,
} from "../db/queries/pending.ts";
import type { Logger } from "../log.ts";
import type { Decrypted } from "../matrix/crypto.ts";
import type { TimelineItem } from "../matrix/sync.ts";
import { BOT_ACTOR } from "./actor.ts";

/**
 * How much undecryptable traffic the bot keeps. Anyone in a room can send events that never
 * decrypt, so what waits for a key is bounded in time and per room, and read a page at a time.
 */
export interface PendingLimits {
  /** A key that has not come in this long is not coming. */
  expireAfterMs: number;
  /** Each room keeps its newest this many; older ones are dropped. */
  perRoom: number;
  /** Rows read per query when retrying. */
  pageSize: number;
}

export const PENDING_LIMITS: PendingLimits = {
  expireAfterMs: 7 * 24 * 3_600_000,
  perRoom: 1_000,
  pageSize: 500,
};

/**
 * Keeps an event until its key arrives, within the room's bound (dropping and auditing the
 * room's oldest beyond it). False if it was already kept.
 */
export async function holdForKey(
  tx: Tx,
  item: TimelineItem,
  p: { eventId: string; now: Date; perRoom: number },
): Promise<boolean> {
  const fresh = await savePendingDecryption(tx, {
    eventId: p.eventId,
    roomId: item.roomId,
    sessionId: item.sessionId,
    event: item.event,
    at: p.now,
  });
  if (!fresh) return false;
  const dropped = await trimPendingRoom(tx, item.roomId, p.perRoom);
  if (dropped > 0) {
    const detail = { count: dropped, limit: p.perRoom };
    await appendAudit(
      tx,
      [{ actor: BOT_ACTOR, action: "decryption.dropped", roomId: item.roomId, detail }],
      p.now,
    );
  }
  return true;
}

export interface PendingRetryDeps {
  db: Db;
  log: Logger;
  now(): Date;
  decrypt(roomId: string, event: TimelineItem["event"]): Promise<Decrypted>;
  /** Hands a retried event to the dispatcher, as the sync loop would have. */
  handle(item: TimelineItem): Promise<void>;
  limits?: PendingLimits | undefined;
}

/** Retries events that could not be decrypted, and forgets those whose key is not coming. */
export class PendingRetry {
  private readonly limits: PendingLimits;

  constructor(private readonly deps: PendingRetryDeps) {
    this.limits = deps.limits ?? PENDING_LIMITS;
  }

  /**
   * Expires old rows, then retries every pending event (sessionIds undefined, at start-up) or
   * those of the sessions whose keys arrived, a page at a time.
   */
  async retry(sessionIds: readonly string[] | undefined): Promise<{ tried: number; handled: number }> {
    await this.expire();
    let tried = 0;
    let handled = 0;
    let after: PendingCursor | undefined;
    for (;;) {
      const page = await pendingPage(this.deps.db, { sessionIds, after, limit: this.limits.pageSize });
      for (const row of page) {
        tried++;
        try {
          if (await this.retryOne(row.roomId, row.event as TimelineItem["event"])) {
            await forgetPending(this.deps.db, row.eventId, row.roomId);
            handled++;
          }
        } catch (err) {
          // One row must not keep the others (or the bot's start-up) hostage; it stays pending.
          this.deps.log.error("could not handle a message after its key arrived", {
            eventId: row.eventId,
            err,
          });
        }
      }
      if (page.length < this.limits.pageSize) break;
      after = page.at(-1)?.cursor;
    }
    return { tried, handled };
  }

  /** True when the event is settled: decrypted and handled, or refused for good. */
  private async retryOne(roomId: string, raw: TimelineItem["event"]): Promise<boolean> {
    const res = await this.deps.decrypt(roomId, raw);
    if (res.ok) {
      this.deps.log.info("decrypted a message after its key arrived", { eventId: raw.event_id });
      await this.deps.handle({ roomId, event: res.event, encrypted: true, senderDevice: res.senderDevice });
      return true;
    }
    if (res.untrusted) {
      await this.deps.handle({ roomId, event: raw, encrypted: true, untrustedSender: true });
      return true;
    }
    if (!res.permanent) return false;
    await this.deps.handle({
      roomId,
      event: raw,
      encrypted: true,
      decryptionError: res.reason,
      permanentFailure: res.label,
      sessionId: res.sessionId,
    });
    return true;
  }

  /** Deletes rows older than the expiry, audited once per room with how many. */
  async expire(): Promise<number> {
    const now = this.deps.now();
    let total = 0;
    await this.deps.db.transaction(async (tx) => {
      const counts = await expirePending(tx, new Date(now.getTime() - this.limits.expireAfterMs));
      const entries = [...counts].map(([roomId, count]) => ({
        actor: BOT_ACTOR,
        action: "decryption.expired",
        roomId,
        detail: { count, olderThanHours: this.limits.expireAfterMs / 3_600_000 },
      }));
      total = entries.reduce((n, e) => n + e.detail.count, 0);
      await appendAudit(tx, entries, now);
    });
    if (total > 0) this.deps.log.info("forgot undecryptable messages whose key never came", { count: total });
    return total;
  }
}
