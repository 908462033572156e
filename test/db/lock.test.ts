import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireDeviceLock, FencedOut } from "../../src/db/lock.ts";
import { writeCryptoStore } from "../../src/db/queries/cryptoStore.ts";
import { countingDb, createTestDatabase, type TestDatabase } from "../support/database.ts";

describe("the device lock", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("lock");
  });
  afterAll(async () => {
    await db.drop();
  });

  it("gives each holder a new epoch and fences out an older holder's writes", async () => {
    const lost: unknown[] = [];
    const first = await acquireDeviceLock(db, (e) => lost.push(e));
    await db.db.transaction((tx) => first.fence(tx)); // current holder: allowed
    await first.release();
    const second = await acquireDeviceLock(db, () => {});
    expect(second.epoch).toBe(first.epoch + 1);
    await expect(db.db.transaction((tx) => first.fence(tx))).rejects.toBeInstanceOf(FencedOut);
    await db.db.transaction((tx) => second.fence(tx));
    await second.release();
    expect(lost).toEqual([]); // released on purpose; the fence refuses but only reports while held
  });

  it("makes a second holder wait until the first one's connection dies, and tells the first at once", async () => {
    let lost = (_at: number) => {};
    const lostAt = new Promise<number>((resolve) => {
      lost = resolve;
    });
    const first = await acquireDeviceLock(db, () => lost(Date.now()));
    let secondHeld = false;
    const second = acquireDeviceLock(db, () => {}).then((l) => {
      secondHeld = true;
      return l;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(secondHeld).toBe(false);
    const killedAt = Date.now();
    await db.sql`
      select pg_terminate_backend(l.pid) from pg_locks l
      where l.locktype = 'advisory' and l.objid = ${0x7465_726c} and l.granted
        and l.database = (select oid from pg_database where datname = current_database())`;
    const held = await second;
    // The close event, not the 5 s heartbeat, reports the loss.
    expect((await lostAt) - killedAt).toBeLessThan(4_000);
    expect(held.epoch).toBe(first.epoch + 1);
    await held.release();
  });

  it("carries the fence in the one statement of a usual crypto-store flush, and refuses it for an older holder", async () => {
    const { db: counted, queries } = countingDb(db.sql);
    const put = (n: number) => ({
      dropped: [],
      schemas: [],
      stores: [
        {
          db: "matrix-sdk-crypto",
          store: "core",
          cleared: false,
          writes: [
            { key: Buffer.from("account"), value: Buffer.from(`v${n}`) },
            { key: Buffer.from("account"), value: Buffer.from(`v${n} again`) },
          ],
        },
      ],
    });
    const stored = async () =>
      (
        await db.sql<
          { value: Buffer }[]
        >`select value from crypto_store_records where key = ${Buffer.from("account")}`
      ).map((r) => r.value.toString());
    const lost: unknown[] = [];
    const first = await acquireDeviceLock(db, (e) => lost.push(e));
    expect(await writeCryptoStore(counted, put(1), first.fence)).toBe(2);
    expect(queries.map((q) => q.split(" ")[0])).toEqual(["insert"]);
    expect(await stored()).toEqual(["v1 again"]);

    // A newer instance takes the device over; the first still tries to write.
    await first.release();
    const second = await acquireDeviceLock(db, () => {});
    await expect(writeCryptoStore(counted, put(2), first.fence)).rejects.toBeInstanceOf(FencedOut);
    expect(await stored()).toEqual(["v1 again"]);
    expect(await writeCryptoStore(counted, put(3), second.fence)).toBe(2);
    expect(await stored()).toEqual(["v3 again"]);
    await second.release();
    expect(lost).toEqual([]);
  });
});
