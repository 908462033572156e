import { DeviceId, initAsync, OlmMachine, RoomId, UserId } from "@matrix-org/matrix-sdk-crypto-wasm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cryptoStorePersistence } from "../../src/db/queries/cryptoStore.ts";
import { createLogger } from "../../src/log.ts";
import type { MatrixApi, RawEvent } from "../../src/matrix/api.ts";
import { CryptoEngine } from "../../src/matrix/crypto.ts";
import { DurableCryptoStore } from "../../src/matrix/cryptoStore.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { BOT_DEVICE, BOT_USER, FakeKeyServer, officerOf, roomIdOf } from "../support/keyExchange.ts";

const log = createLogger("error", {}, () => {});
const PASSPHRASE = "recall passphrase";
/** The homeserver's answers to the bot's own crypto requests; what matters here is its store. */
const api = {
  keysUpload: async () => ({ one_time_key_counts: { signed_curve25519: 50 } }),
  keysQuery: async () => ({ device_keys: {}, failures: {} }),
  keysClaim: async () => ({ one_time_keys: {}, failures: {} }),
  sendToDevice: async () => ({}),
  signaturesUpload: async () => ({ failures: {} }),
} as unknown as MatrixApi;
const trust = { onlyCrossSigned: false, ignoreUnverified: false };

interface Message {
  roomId: string;
  body: string;
  event: RawEvent;
}

describe("room keys kept in PostgreSQL only", () => {
  let tdb: TestDatabase;
  const open: { close(): void }[] = [];

  beforeEach(async () => {
    await initAsync();
    tdb = await createTestDatabase("tl_recall");
  });
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) o.close();
    await tdb.drop();
  });

  /** The bot's engine over the database, holding at most `recentRoomKeys` room keys in memory. */
  async function startBot(recentRoomKeys: number) {
    const store = await DurableCryptoStore.open(cryptoStorePersistence(tdb.db), log, { recentRoomKeys });
    open.push(store);
    const engine = await CryptoEngine.open({
      userId: BOT_USER,
      deviceId: BOT_DEVICE,
      passphrase: PASSPHRASE,
      api,
      store,
      log,
      trust,
    });
    open.push(engine);
    return { store, engine };
  }

  /**
   * An officer's device sends `count` messages, each in its own room under a Megolm session it
   * shares with the bot over Olm (one /sync and one flush per session).
   */
  async function receiveSessions(store: DurableCryptoStore, engine: CryptoEngine, count: number) {
    const server = new FakeKeyServer();
    await server.pump(engine.machine);
    const officer = await OlmMachine.initialize(new UserId(officerOf(1)), new DeviceId("PHONE"));
    open.push(officer);
    await server.pump(officer);
    await officer.updateTrackedUsers([new UserId(BOT_USER)]);
    await server.pump(officer);
    const messages: Message[] = [];
    for (let i = 0; i < count; i++) {
      const roomId = roomIdOf(i);
      const toDevice = await server.share(officer, roomId);
      const body = `!sight vessel 12.5,-79.${i}`;
      const content = JSON.parse(
        await officer.encryptRoomEvent(
          new RoomId(roomId),
          "m.room.message",
          JSON.stringify({ msgtype: "m.text", body }),
        ),
      ) as RawEvent["content"];
      messages.push({
        roomId,
        body,
        event: {
          type: "m.room.encrypted",
          sender: officerOf(1),
          event_id: `$m${i}`,
          origin_server_ts: 1,
          content,
        },
      });
      await server.deliver(engine.machine, toDevice);
      await store.flush();
    }
    return messages;
  }

  async function bodyOf(engine: CryptoEngine, m: Message): Promise<string> {
    const res = await engine.decrypt(m.roomId, m.event);
    if (!res.ok) return `undecryptable: ${res.reason}`;
    return String(res.event.content.body);
  }

  async function roomKeyRows(): Promise<{ n: number; usedSince: number }> {
    const [row] = await tdb.sql<{ n: number; used: number }[]>`
      select count(*)::int as n, count(*) filter (where last_used_at > now() - interval '1 minute')::int as used
      from crypto_store_records where store_name = 'inbound_group_sessions3'`;
    return { n: row?.n ?? 0, usedSince: row?.used ?? 0 };
  }

  it("decrypts, after a restart, messages whose room keys start-up left in PostgreSQL", async () => {
    const first = await startBot(Number.POSITIVE_INFINITY);
    const messages = await receiveSessions(first.store, first.engine, 3);
    for (const m of messages) expect(await bodyOf(first.engine, m)).toBe(m.body);
    await first.store.flush();
    for (const o of open.splice(0).reverse()) o.close();
    expect((await roomKeyRows()).n).toBe(3);
    await tdb.sql`update crypto_store_records set last_used_at = now() - interval '90 days'
                  where store_name = 'inbound_group_sessions3'`;

    const second = await startBot(0);
    expect(second.store.roomKeysInMemory).toBe(0);
    for (const m of messages) {
      expect(await bodyOf(second.engine, m)).toBe(m.body);
      // Brought back without being written again (and, the limit being 0, let go at the next flush).
      expect(second.store.pendingCount).toBe(0);
      expect(second.store.roomKeysInMemory).toBe(1);
    }
    // Their use is recorded for the next start-up.
    await second.store.flush();
    expect(await roomKeyRows()).toEqual({ n: 3, usedSince: 3 });
  });

  it("keeps only the recent room keys in memory while running, and still decrypts an evicted one", async () => {
    const { store, engine } = await startBot(2);
    const messages = await receiveSessions(store, engine, 5);
    expect(store.roomKeysInMemory).toBe(2);
    expect((await roomKeyRows()).n).toBe(5);
    const oldest = messages[0] as Message;
    expect(await bodyOf(engine, oldest)).toBe(oldest.body);
    await store.flush();
    expect(store.roomKeysInMemory).toBe(2);
  });

  it("still says a key is missing when PostgreSQL does not have it either", async () => {
    const { store, engine } = await startBot(2);
    const [m] = await receiveSessions(store, engine, 1);
    if (!m) throw new Error("no message");
    await store.flush();
    for (const o of open.splice(0).reverse()) o.close();
    await tdb.sql`delete from crypto_store_records where store_name = 'inbound_group_sessions3'`;
    const other = await startBot(0);
    const res = await other.engine.decrypt(m.roomId, m.event);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.label).toBe("missing key");
  });
});
