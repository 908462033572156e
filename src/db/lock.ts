import { sql as dsql } from "drizzle-orm";
import postgres from "postgres";
import type { DbOrTx } from "./client.ts";

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
  /** Throws FencedOut (and reports the loss) if a newer instance has taken over; call inside a write transaction. */
  fence(tx: DbOrTx): Promise<void>;
  release(): Promise<void>;
}

/**
 * Blocks until this process holds the device lock: a session-level advisory lock on a connection
 * of its own. A second instance waits here as a hot standby; PostgreSQL frees the lock the moment
 * the holder's connection dies, however it died. Losing that connection means we can no longer be
 * sure we are alone, so `onLost` is called at once (the caller exits). The epoch is a fencing
 * token: crypto-store flushes check it, so an instance that has not yet noticed its loss cannot
 * overwrite the keys of the one that took over.
 */
export async function acquireDeviceLock(
  url: string,
  onLost: (err: unknown) => void,
  /** Runs once the lock is held and before the epoch is claimed (migrations: one instance at a time). */
  prepare: () => Promise<void> = async () => {},
): Promise<HeldLock> {
  let releasing = false;
  let lost = false;
  const report = (err: unknown) => {
    if (releasing || lost) return;
    lost = true;
    onLost(err);
  };
  const conn = postgres(url, {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    onnotice: () => {},
    onclose: () => report(new Error("the connection holding the device lock closed")),
  });
  await conn`select pg_advisory_lock(${DEVICE_LOCK})`;
  await prepare();
  const rows = await conn<{ epoch: number }[]>`
    insert into bot_state (key, value) values (${EPOCH_KEY}, '1'::jsonb)
    on conflict (key) do update set value = to_jsonb((bot_state.value #>> '{}')::int + 1), updated_at = now()
    returning (value #>> '{}')::int as epoch`;
  const epoch = rows[0]?.epoch ?? 0;
  // A heartbeat, for the rare dead connection that no close event reports (e.g. a silent network partition).
  const timer = setInterval(() => {
    conn`select 1`.catch((err: unknown) => report(err));
  }, 5_000);
  timer.unref();
  return {
    epoch,
    async fence(tx) {
      const res = await tx.execute(
        dsql`select (value #>> '{}')::int as epoch from bot_state where key = ${EPOCH_KEY} for share`,
      );
      const current = Number((res as unknown as { epoch: number }[])[0]?.epoch);
      if (current !== epoch) {
        const err = new FencedOut(`instance epoch ${epoch} was superseded by ${current}`);
        report(err);
        throw err;
      }
    },
    async release() {
      releasing = true;
      clearInterval(timer);
      await conn`select pg_advisory_unlock(${DEVICE_LOCK})`.catch(() => undefined);
      await conn.end({ timeout: 5 });
    },
  };
}
