/**
 * The crypto work a command costs, counted on a real OlmMachine talking to the FakeHomeserver:
 * once a room is set up, a quiet sync feeds the machine nothing and an encrypt neither re-tracks
 * its members nor asks for missing sessions — only shareRoomKey (design §3: every time) and
 * encryptRoomEvent run. A change (device list, key counts, to-device) brings the work back.
 */
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/log.ts";
import { MatrixApi, SyncResponse } from "../../src/matrix/api.ts";
import { CryptoEngine } from "../../src/matrix/crypto.ts";
import type { RoomRegistry } from "../../src/matrix/rooms.ts";
import { RoomSender } from "../../src/matrix/send.ts";
import { FakeHomeserver } from "../support/fakeHomeserver.ts";
import { FakeDevice } from "../support/fakeOfficer.ts";

const BOT = "@tearline:fake.test";
const OFFICER = "@officer:fake.test";
const MEMBERS = [BOT, OFFICER];

const quietSync = (counts = 50, extra: Record<string, unknown> = {}) =>
  SyncResponse.parse({
    next_batch: "s",
    device_one_time_keys_count: { signed_curve25519: counts },
    device_unused_fallback_key_types: ["signed_curve25519"],
    ...extra,
  });

describe("crypto work per command", () => {
  let hs: FakeHomeserver;
  let crypto: CryptoEngine;
  let officer: FakeDevice;
  /** Counts the flushes the engine asks for (the journaled store would write each one). */
  let store: { flush: () => Promise<number> };

  beforeEach(async () => {
    globalThis.indexedDB = new IDBFactory();
    store = { flush: async () => 0 };
    hs = new FakeHomeserver({ userId: BOT, password: "pw" }, [OFFICER]);
    const log = createLogger("error", {}, () => {});
    const api = new MatrixApi({
      baseUrl: "http://fake.test",
      accessToken: hs.token(BOT, "BOTDEV"),
      log,
      fetchImpl: hs.fetch,
    });
    crypto = await CryptoEngine.open({
      userId: BOT,
      deviceId: "BOTDEV",
      passphrase: "p",
      api,
      store,
      log,
      trust: { onlyCrossSigned: false, ignoreUnverified: false },
    });
    await crypto.sendOutgoingRequests();
    officer = await FakeDevice.create(hs, OFFICER, "OFFDEV");
    await officer.meet([BOT]);
    await crypto.receiveSync(quietSync());
    // The room's first send tracks, queries, claims and shares; the second finds nothing missing.
    await crypto.encrypt(hs.roomId, "m.room.message", { body: "first" }, MEMBERS, "shared");
    await crypto.encrypt(hs.roomId, "m.room.message", { body: "second" }, MEMBERS, "shared");
  });
  afterEach(() => {
    crypto.close();
    officer.close();
  });

  function spies() {
    const m = crypto.machine;
    return {
      receive: vi.spyOn(m, "receiveSyncChanges"),
      track: vi.spyOn(m, "updateTrackedUsers"),
      missing: vi.spyOn(m, "getMissingSessions"),
      share: vi.spyOn(m, "shareRoomKey"),
      encrypt: vi.spyOn(m, "encryptRoomEvent"),
    };
  }

  it("does only shareRoomKey and encryptRoomEvent for commands between quiet syncs", async () => {
    const s = spies();
    const requestsBefore = hs.requests.length;
    for (let i = 0; i < 5; i++) {
      await crypto.receiveSync(quietSync());
      await crypto.encrypt(hs.roomId, "m.room.message", { body: `reply ${i}` }, MEMBERS, "shared");
      await crypto.encrypt(hs.roomId, "m.reaction", { key: "✅" }, MEMBERS, "shared");
    }
    expect(s.receive).not.toHaveBeenCalled();
    expect(s.track).not.toHaveBeenCalled();
    expect(s.missing).not.toHaveBeenCalled();
    expect(s.share).toHaveBeenCalledTimes(10);
    expect(s.encrypt).toHaveBeenCalledTimes(10);
    expect(hs.requests.slice(requestsBefore)).toEqual([]);
  });

  it("feeds the machine again when key counts change or a device list changes, then re-checks sessions", async () => {
    const s = spies();
    await crypto.receiveSync(quietSync(49));
    expect(s.receive).toHaveBeenCalledTimes(1);
    await crypto.encrypt(hs.roomId, "m.room.message", { body: "a" }, MEMBERS, "shared");
    expect(s.missing).not.toHaveBeenCalled();

    await crypto.receiveSync(quietSync(49, { device_lists: { changed: [OFFICER] } }));
    expect(s.receive).toHaveBeenCalledTimes(2);
    await crypto.encrypt(hs.roomId, "m.room.message", { body: "b" }, MEMBERS, "shared");
    expect(s.missing).toHaveBeenCalledTimes(1);
    // The officer's devices were asked for again (the change made the machine query them).
    expect(
      hs.requests.some((r) => r.path === "/keys/query" && OFFICER in ((r.body.device_keys as object) ?? {})),
    ).toBe(true);
  });

  it("tracks a member it has not told the machine about yet", async () => {
    const s = spies();
    await crypto.encrypt(
      hs.roomId,
      "m.room.message",
      { body: "c" },
      [...MEMBERS, "@new:fake.test"],
      "shared",
    );
    expect(s.track).toHaveBeenCalledTimes(1);
    expect(s.missing).toHaveBeenCalledTimes(1);
  });

  it("encrypts a room's messages prepared in a row before one flush, which comes before the first PUT", async () => {
    const order: string[] = [];
    const m = crypto.machine;
    const encrypt = m.encryptRoomEvent.bind(m);
    vi.spyOn(m, "encryptRoomEvent").mockImplementation(async (...args) => {
      const out = await encrypt(...args);
      order.push("encrypt");
      return out;
    });
    vi.spyOn(store, "flush").mockImplementation(async () => {
      order.push("flush");
      return 1;
    });
    const rooms = {
      isEncrypted: async () => true,
      recipients: async () => MEMBERS,
      historyVisibility: async () => "shared",
    } as unknown as RoomRegistry;
    const api = new MatrixApi({
      baseUrl: "http://fake.test",
      accessToken: hs.token(BOT, "BOTDEV"),
      log: createLogger("error", {}, () => {}),
      fetchImpl: async (input, init) => {
        if (init?.method === "PUT") order.push("put");
        return hs.fetch(input, init);
      },
    });
    const sender = new RoomSender(api, crypto, rooms);
    const opts = { plaintextOk: false };
    const reply = await sender.prepare(hs.roomId, "m.room.message", { body: "reply" }, "t1", opts);
    const reaction = await sender.prepare(hs.roomId, "m.reaction", { key: "✅" }, "t2", opts);
    expect(order).toEqual(["encrypt", "encrypt"]);
    await reply();
    await reaction();
    // One flush, before the first PUT, makes both durable: the second PUT needs none.
    expect(order).toEqual(["encrypt", "encrypt", "flush", "put", "put"]);
    // A message encrypted after that flush gets one of its own before it leaves.
    const later = await sender.prepare(hs.roomId, "m.room.message", { body: "later" }, "t3", opts);
    await later();
    expect(order.slice(5)).toEqual(["encrypt", "flush", "put"]);
  });
});
