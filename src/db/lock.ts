import type postgres from "postgres";

/** Only one instance may drive the device; the key is per database (one bot per database). */
const DEVICE_LOCK = 0x7465_726c; // "terl"

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Blocks until this process holds the device lock (a session-level advisory lock on a dedicated
 * connection). A second instance waits here as a hot standby; PostgreSQL frees the lock the moment
 * the holder's connection dies, however it died. If our connection is lost we can no longer be
 * sure we are alone, so onLost is called (the caller exits).
 */
export async function acquireDeviceLock(
  sql: postgres.Sql,
  onLost: (err: unknown) => void,
): Promise<HeldLock> {
  const conn = await sql.reserve();
  await conn`select pg_advisory_lock(${DEVICE_LOCK})`;
  const timer = setInterval(() => {
    conn`select 1`.catch((err: unknown) => {
      clearInterval(timer);
      onLost(err);
    });
  }, 5_000);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await conn`select pg_advisory_unlock(${DEVICE_LOCK})`.catch(() => undefined);
      conn.release();
    },
  };
}

export async function tryDeviceLockHeld(sql: postgres.Sql): Promise<boolean> {
  const rows = await sql<{ held: boolean }[]>`
    select exists(select 1 from pg_locks where locktype = 'advisory' and objid = ${DEVICE_LOCK} and granted) as held`;
  return rows[0]?.held ?? false;
}
