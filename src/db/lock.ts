import { eq, type SQL, sql as dsql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import {
  connectPostgres,
  type Database,
  type DbOrTx,
  type EmbeddedDatabase,
  type PostgresDatabase,
} from "./client.ts";
import { botState } from "./schema/botState.ts";

/** Only one instance may drive the device; the key is per database (one bot per database). */
const DEVICE_LOCK = 0x7465_726c; // "terl"
const EPOCH_KEY = "device.epoch";

/** Thrown inside a write when a newer instance has taken the device over. */
export class FencedOut extends Error {
  override name = "FencedOut";
}

export interface HeldLock {
  /** Incremented by every instance that takes the lock; ours is the current one while we hold it. */
  epoch: number;
  /**
   * Throws FencedOut (and reports the loss) if a newer instance has taken over; call inside a
   * write transaction. `holds` is the same check as an SQL condition, for a write of one statement.
   */
  fence: ((tx: DbOrTx) => Promise<void>) & { readonly holds: SQL };
  release(): Promise<void>;
}

const epochValue = dsql<number>`(${botState.value} #>> '{}')::int`;

/** Takes the next epoch: the fencing token of the instance that now holds the device. */
async function claimEpoch(q: DbOrTx): Promise<number> {
  const rows = await q
    .insert(botState)
    .values({ key: EPOCH_KEY, value: 1 })
    .onConflictDoUpdate({
      target: botState.key,
      set: { value: dsql`to_jsonb((${botState.value} #>> '{}')::int + 1)`, updatedAt: dsql`now()` },
    })
    .returning({ epoch: epochValue });
  return Number(rows[0]?.epoch ?? 0);
}

function fencing(epoch: number, report: (err: unknown) => void): HeldLock["fence"] {
  // FOR SHARE: a newer instance's claim (an UPDATE of this row) waits until the write is
  // committed; one committed first makes the condition false (READ COMMITTED re-reads the row).
  const holds = dsql`exists (select 1 from ${botState} where ${botState.key} = ${EPOCH_KEY} and ${epochValue} = ${epoch} for share)`;
  const check = async (tx: DbOrTx) => {
    const rows = await tx
      .select({ epoch: epochValue })
      .from(botState)
      .where(eq(botState.key, EPOCH_KEY))
      .for("share");
    const current = Number(rows[0]?.epoch);
    if (current !== epoch) {
      const err = new FencedOut(`instance epoch ${epoch} was superseded by ${current}`);
      report(err);
      throw err;
    }
  };
  return Object.assign(check, { holds });
}

/**
 * Blocks until this process holds the device lock. On PostgreSQL, a second instance waits here as
 * a hot standby; on the embedded database there is no second instance to wait (the data folder's
 * lock refused it when it opened the database), so the lock is held at once.
 * `prepare` runs once the lock is held and before the epoch is claimed (migrations: one instance
 * at a time).
 */
export function acquireDeviceLock(
  database: Database,
  onLost: (err: unknown) => void,
  prepare: () => Promise<void> = async () => {},
): Promise<HeldLock> {
  return database.engine === "postgres"
    ? acquireAdvisoryLock(database, onLost, prepare)
    : acquireEmbeddedLock(database, onLost, prepare);
}

function lossReporter(onLost: (err: unknown) => void) {
  const state = { releasing: false, lost: false };
  const report = (err: unknown) => {
    if (state.releasing || state.lost) return;
    state.lost = true;
    onLost(err);
  };
  return { state, report };
}

/**
 * A session-level advisory lock on a connection of its own. PostgreSQL frees the lock the moment
 * the holder's connection dies, however it died. Losing that connection means we can no longer be
 * sure we are alone, so `onLost` is called at once (the caller exits). The epoch is a fencing
 * token: crypto-store flushes check it, so an instance that has not yet noticed its loss cannot
 * overwrite the keys of the one that took over.
 */
async function acquireAdvisoryLock(
  database: PostgresDatabase,
  onLost: (err: unknown) => void,
  prepare: () => Promise<void>,
): Promise<HeldLock> {
  const { state, report } = lossReporter(onLost);
  const conn = connectPostgres(database.url, {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    onnotice: () => {},
    onclose: () => report(new Error("the connection holding the device lock closed")),
  });
  await conn`select pg_advisory_lock(${DEVICE_LOCK})`;
  await prepare();
  const epoch = await claimEpoch(drizzle(conn));
  // A heartbeat, for the rare dead connection that no close event reports (e.g. a silent network partition).
  const timer = setInterval(() => {
    conn`select 1`.catch((err: unknown) => report(err));
  }, 5_000);
  timer.unref();
  return {
    epoch,
    fence: fencing(epoch, report),
    async release() {
      state.releasing = true;
      clearInterval(timer);
      await conn`select pg_advisory_unlock(${DEVICE_LOCK})`.catch(() => undefined);
      await conn.end({ timeout: 5 });
    },
  };
}

/** The data folder's lock (taken when the database opened) is the device lock; the epoch still fences. */
async function acquireEmbeddedLock(
  database: EmbeddedDatabase,
  onLost: (err: unknown) => void,
  prepare: () => Promise<void>,
): Promise<HeldLock> {
  const { state, report } = lossReporter(onLost);
  await prepare();
  const epoch = await claimEpoch(database.db);
  return {
    epoch,
    fence: fencing(epoch, report),
    async release() {
      state.releasing = true;
    },
  };
}
