/**
 * Messages waiting for their room key, over real PostgreSQL: they expire, each room keeps only its
 * newest, start-up reads them a page at a time, and a failure no key can fix is not kept at all.
 */
import { DecryptionErrorCode } from "@matrix-org/matrix-sdk-crypto-wasm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { directoryFromConfig } from "../../src/bot/configDirectory.ts";
import { Dispatcher } from "../../src/bot/dispatch.ts";
import { PENDING_LIMITS, PendingRetry } from "../../src/bot/pending.ts";
import { TearlineConfigSchema } from "../../src/config/schema.ts";
import { type PendingCursor, pendingPage } from "../../src/db/queries/pending.ts";
import { createLogger } from "../../src/log.ts";
import { classifyDecryptionError, type Decrypted } from "../../src/matrix/crypto.ts";
import type { TimelineItem } from "../../src/matrix/sync.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const ROOM = "!colusa:example.org";
const OTHER = "!other:example.org";
const ROJAS = "@lo.col:example.org";
const T0 = Date.parse("2026-11-28T07:14:00Z");
const DAY = 24 * 3_600_000;

const config = TearlineConfigSchema.parse({
  partners: { COL: { name: "Colombian Navy" }, USA: { name: "US Coast Guard" } },
  rooms: { "col-usa": { room: ROOM, partners: ["COL", "USA"] } },
  roster: { [ROJAS]: { partner: "COL", roles: ["liaison"] } },
});

describe("messages waiting for their key", () => {
  let db: TestDatabase;
  let dispatcher: Dispatcher;
  let now = new Date(T0);
  let seq = 0;

  beforeAll(async () => {
    db = await createTestDatabase("pending");
    dispatcher = new Dispatcher({
      db: db.db,
      log: createLogger("error", {}, () => {}),
      directory: directoryFromConfig(config),
      commands,
      isEncrypted: async () => true,
      runtime: () => Promise.reject(new Error("not here")),
      now: () => now,
      onOutbox: () => {},
      pendingPerRoom: 5,
    });
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate sightings, command_events, outbox, audit_log, processed_events, pending_decryptions, room_notices restart identity`;
    now = new Date(T0);
  });

  function unreadable(roomId = ROOM, sessionId = "s1", ts = now.getTime()): TimelineItem {
    return {
      roomId,
      encrypted: true,
      decryptionError: "Can't find the room key to decrypt the event",
      sessionId,
      event: {
        type: "m.room.encrypted",
        event_id: `$p${++seq}`,
        sender: ROJAS,
        origin_server_ts: ts,
        content: { algorithm: "m.megolm.v1.aes-sha2", session_id: sessionId, ciphertext: "x" },
      },
    };
  }
  const pendingIds = async (roomId = ROOM) =>
    (
      await db.sql<{ event_id: string }[]>`
        select event_id from pending_decryptions where room_id = ${roomId} order by first_seen, event_id`
    ).map((r) => r.event_id);
  const replies = async () =>
    (
      await db.sql<{ body: string }[]>`
        select content->>'body' as body from outbox where event_type = 'm.room.message' order by id`
    ).map((r) => r.body);
  const audit = (action: string) =>
    db.sql<{ room_id: string; detail: Record<string, unknown> }[]>`
      select room_id, detail from audit_log where action = ${action} order by id`;
  function retrier(
    decrypt: (roomId: string, e: TimelineItem["event"]) => Promise<Decrypted>,
    pageSize = 500,
  ) {
    const handled: TimelineItem[] = [];
    const r = new PendingRetry({
      db: db.db,
      log: createLogger("error", {}, () => {}),
      now: () => now,
      decrypt,
      handle: async (item) => {
        handled.push(item);
        await dispatcher.handleOne(item);
      },
      limits: { ...PENDING_LIMITS, pageSize },
    });
    return { r, handled };
  }
  const stillMissing = async (): Promise<Decrypted> => ({
    ok: false,
    reason: "missing",
    sessionId: "s1",
    untrusted: false,
    permanent: false,
    label: "missing key",
  });

  it("forgets messages whose key has not come in 7 days, audited once per room with the count", async () => {
    for (let i = 0; i < 3; i++) await dispatcher.handleOne(unreadable(ROOM));
    await dispatcher.handleOne(unreadable(OTHER));
    now = new Date(T0 + 6 * DAY);
    const young = unreadable(ROOM);
    await dispatcher.handleOne(young);
    now = new Date(T0 + 7 * DAY + 1000);
    const { r } = retrier(stillMissing);
    expect(await r.expire()).toBe(4);
    expect(await pendingIds(ROOM)).toEqual([young.event.event_id]);
    expect(await pendingIds(OTHER)).toEqual([]);
    const expired = await audit("decryption.expired");
    expect(expired.map((e) => [e.room_id, e.detail.count])).toEqual([
      [ROOM, 3],
      [OTHER, 1],
    ]);
    expect(await r.expire()).toBe(0);
    expect(await audit("decryption.expired")).toHaveLength(2); // nothing to say, nothing said
  });

  it("expires old messages before retrying them when keys arrive", async () => {
    await dispatcher.handleOne(unreadable(ROOM));
    now = new Date(T0 + 8 * DAY);
    const { r } = retrier(stillMissing);
    expect(await r.retry(["s1"])).toEqual({ tried: 0, handled: 0 });
    expect(await audit("decryption.expired")).toHaveLength(1);
  });

  it("keeps each room's newest messages within its bound, dropping and auditing the oldest", async () => {
    const items: TimelineItem[] = [];
    for (let i = 0; i < 8; i++) {
      now = new Date(T0 + i * 1000);
      const item = unreadable(ROOM);
      items.push(item);
      await dispatcher.handleOne(item);
    }
    await dispatcher.handleOne(unreadable(OTHER));
    expect(await pendingIds(ROOM)).toEqual(items.slice(3).map((i) => i.event.event_id));
    expect(await pendingIds(OTHER)).toHaveLength(1);
    const dropped = await audit("decryption.dropped");
    expect(dropped.map((d) => d.detail)).toEqual([
      { count: 1, limit: 5 },
      { count: 1, limit: 5 },
      { count: 1, limit: 5 },
    ]);
    expect(PENDING_LIMITS.perRoom).toBe(1_000);
  });

  it("retries 1,200 messages at start-up in pages of 500, each once, and handles those whose key came", async () => {
    // Many rows share a millisecond and differ in microseconds: the cursor must not round them away.
    await db.sql`
      insert into pending_decryptions (event_id, room_id, session_id, event, first_seen)
      select '$bulk' || lpad(g::text, 4, '0'), ${ROOM}, 's' || (g % 3),
             jsonb_build_object('type', 'm.room.encrypted', 'event_id', '$bulk' || lpad(g::text, 4, '0'),
                                'sender', ${ROJAS}::text, 'origin_server_ts', ${T0}::bigint, 'content', '{}'::jsonb),
             ${new Date(T0).toISOString()}::timestamptz + (g / 7) * interval '1 microsecond'
      from generate_series(1, 1200) g`;
    const pages: number[] = [];
    let after: PendingCursor | undefined;
    for (;;) {
      const page = await pendingPage(db.db, { after, limit: 500 });
      pages.push(page.length);
      if (page.length < 500) break;
      after = page.at(-1)?.cursor;
    }
    expect(pages).toEqual([500, 500, 200]);

    const tried: string[] = [];
    const { r, handled } = retrier(async (_room, e) => {
      tried.push(e.event_id!);
      const n = Number(e.event_id!.slice(5));
      if (n % 2 === 1) return stillMissing();
      return {
        ok: true,
        senderDevice: "DEV",
        event: { ...e, type: "m.room.message", content: { body: "hi" } },
      };
    });
    expect(await r.retry(undefined)).toEqual({ tried: 1200, handled: 600 });
    expect(new Set(tried).size).toBe(1200);
    expect(tried).toHaveLength(1200);
    expect(handled).toHaveLength(600);
    expect(await pendingIds()).toHaveLength(600);
    // A key arriving retries only its session's rows.
    tried.length = 0;
    await r.retry(["s0"]);
    expect(tried).toHaveLength(200);
  });

  it("tells a failure no key can fix apart from a missing key", () => {
    expect(classifyDecryptionError(DecryptionErrorCode.MissingRoomKey)).toEqual({
      permanent: false,
      label: "missing key",
    });
    expect(classifyDecryptionError(DecryptionErrorCode.UnknownMessageIndex).permanent).toBe(false);
    expect(classifyDecryptionError(undefined).permanent).toBe(false);
    expect(classifyDecryptionError(DecryptionErrorCode.MismatchedSender)).toEqual({
      permanent: true,
      label: "sender mismatch",
    });
    expect(classifyDecryptionError(DecryptionErrorCode.MismatchedIdentityKeys).permanent).toBe(true);
    expect(classifyDecryptionError(DecryptionErrorCode.UnableToDecrypt).permanent).toBe(true);
  });

  it("does not keep a message no key can fix: says it can't be decrypted, and audits it", async () => {
    const missing = unreadable(ROOM, "s1", Date.parse("2026-11-28T07:20:00Z"));
    await dispatcher.handleOne(missing);
    const broken = {
      ...unreadable(ROOM, "s2", Date.parse("2026-11-28T07:21:00Z")),
      permanentFailure: "sender mismatch",
    };
    await dispatcher.handleOne(broken);
    await dispatcher.handleOne({
      ...unreadable(ROOM, "s2", Date.parse("2026-11-28T07:22:00Z")),
      permanentFailure: "sender mismatch",
    });
    expect(await replies()).toEqual([
      `I can't read ${ROJAS}'s message from 07:20Z yet (missing key); I'll process it when the key arrives.`,
      `I can't decrypt ${ROJAS}'s message from 07:21Z (sender mismatch); please send it again.`,
    ]);
    expect(await pendingIds()).toEqual([missing.event.event_id]);
    const failed = await audit("decryption.failed");
    expect(failed.map((f) => f.detail.why)).toEqual(["sender mismatch", "sender mismatch"]);
    const claimed = await db.sql`select 1 from processed_events where event_id = ${broken.event.event_id!}`;
    expect(claimed).toHaveLength(1);
  });

  it("when a key arrives but the message still fails for good, forgets it and says so", async () => {
    const item = unreadable(ROOM, "s1", Date.parse("2026-11-28T07:20:00Z"));
    await dispatcher.handleOne(item);
    const { r } = retrier(async () => ({
      ok: false,
      reason: "mismatched sender",
      sessionId: "s1",
      untrusted: false,
      permanent: true,
      label: "sender mismatch",
    }));
    expect(await r.retry(["s1"])).toEqual({ tried: 1, handled: 1 });
    expect(await pendingIds()).toEqual([]);
    expect((await replies()).at(-1)).toBe(
      `I can't decrypt ${ROJAS}'s message from 07:20Z (sender mismatch); please send it again.`,
    );
  });
});
