/**
 * The dispatcher against hostile or unlucky events, over real PostgreSQL: text PostgreSQL cannot
 * store, edits of someone else's command, and an event whose handling keeps failing. None of them
 * may stop the events after them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { directoryFromConfig } from "../../src/bot/configDirectory.ts";
import { Dispatcher } from "../../src/bot/dispatch.ts";
import { TearlineConfigSchema } from "../../src/config/schema.ts";
import { createLogger } from "../../src/log.ts";
import type { TimelineItem } from "../../src/matrix/sync.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const ROOM = "!colusa:example.org";
const BROKEN_ROOM = "!broken:example.org";
const ROJAS = "@lo.col:example.org";
const SMITH = "@po.usa:example.org";
const STRANGER = "@who:example.org";
const T0 = Date.parse("2026-11-28T07:14:00Z");

const config = TearlineConfigSchema.parse({
  partners: { COL: { name: "Colombian Navy" }, USA: { name: "US Coast Guard" } },
  rooms: { "col-usa": { room: ROOM, partners: ["COL", "USA"] } },
  roster: {
    [ROJAS]: { partner: "COL", roles: ["liaison"] },
    [SMITH]: { partner: "USA", roles: ["liaison", "duty_officer"] },
  },
});

describe("the dispatcher with events that could stop it", () => {
  let db: TestDatabase;
  let dispatcher: Dispatcher;
  let seq = 0;

  beforeAll(async () => {
    db = await createTestDatabase("dispatchfaults");
    dispatcher = new Dispatcher({
      db: db.db,
      log: createLogger("error", {}, () => {}),
      directory: directoryFromConfig(config),
      commands,
      isEncrypted: async (roomId) => {
        if (roomId === BROKEN_ROOM) throw new Error("state lookup failed");
        return true;
      },
      runtime: () => Promise.reject(new Error("not here")),
      now: () => new Date(T0 + 3_600_000),
      onOutbox: () => {},
    });
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate sightings, rfis, command_events, outbox, audit_log, processed_events, pending_decryptions, room_notices restart identity`;
  });

  function message(
    sender: string,
    body: string,
    extra: Record<string, unknown> = {},
    roomId = ROOM,
  ): TimelineItem {
    return {
      roomId,
      encrypted: true,
      event: {
        type: "m.room.message",
        event_id: `$f${++seq}`,
        sender,
        origin_server_ts: T0 + seq * 60_000,
        content: { msgtype: "m.text", body, ...extra },
      },
    };
  }
  const edit = (sender: string, target: string, body: string) =>
    message(sender, `* ${body}`, {
      "m.new_content": { msgtype: "m.text", body },
      "m.relates_to": { rel_type: "m.replace", event_id: target },
    });
  const replies = async () =>
    (
      await db.sql<
        { body: string }[]
      >`select content->>'body' as body from outbox where event_type = 'm.room.message' order by id`
    ).map((r) => r.body);
  const processed = async (id: string) =>
    (await db.sql`select 1 from processed_events where event_id = ${id}`).length;

  it("stores text with NUL characters without them, instead of failing forever", async () => {
    const poison = edit(STRANGER, "$x\u0000", "!sight vessel 12.5,-79.1");
    await dispatcher.handleOne(poison);
    const typo = message(ROJAS, "!sight vesel\u0000 12.5N 79.1W");
    await dispatcher.handleOne(typo);
    const next = message(ROJAS, "!sight vessel 12.51,-79.20");
    await dispatcher.handleOne(next);
    expect(await processed(poison.event.event_id!)).toBe(1);
    expect(await processed(next.event.event_id!)).toBe(1);
    const said = await replies();
    expect(said.some((b) => b.includes('"vesel" is not a kind of sighting'))).toBe(true);
    expect(said.at(-1)).toMatch(/^✅ S-1 logged/);
  });

  it("refuses an edit of someone else's refused command, and lets its sender fix it at the time first sent", async () => {
    const typo = message(ROJAS, "!sight vesel 12.51,-79.20");
    await dispatcher.handleOne(typo);
    await dispatcher.handleOne(edit(SMITH, typo.event.event_id!, '!sight vessel 12.51,-79.20 "GHOST"'));
    expect((await replies()).at(-1)).toBe("❌ Only the person who sent a command can correct it by editing.");
    expect(await db.sql`select * from sightings`).toHaveLength(0);

    await dispatcher.handleOne(edit(ROJAS, typo.event.event_id!, "!sight vessel 12.51,-79.20"));
    const rows = await db.sql<{ seen_ms: string }[]>`
      select (extract(epoch from seen_at) * 1000)::bigint as seen_ms from sightings`;
    expect(rows.map((r) => Number(r.seen_ms))).toEqual([typo.event.origin_server_ts]);
    const actions = await db.sql<{ action: string; why: string | null }[]>`
      select action, detail->>'why' as why from audit_log order by id`;
    expect(actions[0]).toEqual({ action: "command.refused", why: "not the sender" });
  });

  it("does not act on a command deleted before its key arrived", async () => {
    const command = message(ROJAS, "!sight vessel 12.51,-79.20");
    const id = command.event.event_id!;
    const unreadable = { ...command, event: { ...command.event, type: "m.room.encrypted", content: {} } };
    await dispatcher.handleOne({ ...unreadable, decryptionError: "missing key", sessionId: "s1" });
    expect(await db.sql`select event_id from pending_decryptions`).toEqual([{ event_id: id }]);
    await dispatcher.handleOne({
      roomId: ROOM,
      encrypted: false,
      event: { type: "m.room.redaction", event_id: `$r${++seq}`, sender: ROJAS, redacts: id, content: {} },
    });
    expect(await db.sql`select event_id from pending_decryptions`).toEqual([]);
    await dispatcher.handleOne(command); // the key arrives: the decrypted command comes back
    expect(await db.sql`select * from sightings`).toHaveLength(0);
  });

  it("audits a refusal for lack of authority, though the command's own writes are rolled back", async () => {
    await dispatcher.handleOne(message(ROJAS, "!rfi ask to=USA -- where is SIN NOMBRE?"));
    const answer = message(ROJAS, "!rfi answer RFI-1 -- I know");
    await dispatcher.handleOne(answer);
    expect((await replies()).at(-1)).toContain("RFI-1 is for USA");
    const refused = await db.sql<{ event_id: string; why: string }[]>`
      select detail->>'eventId' as event_id, detail->>'why' as why from audit_log where action = 'command.refused'`;
    expect(refused).toHaveLength(1);
    expect(refused[0]?.event_id).toBe(answer.event.event_id);
  });

  it("says once per sender and ten minutes that it cannot read messages, and keeps them all for later", async () => {
    const unreadable = (sender: string, ts: number) => {
      const m = message(sender, "?");
      m.event = { ...m.event, type: "m.room.encrypted", origin_server_ts: ts, content: {} };
      return { ...m, decryptionError: "missing key", sessionId: "s" };
    };
    const t = Date.parse("2026-11-28T07:20:00Z");
    for (let i = 0; i < 5; i++) await dispatcher.handleOne(unreadable(ROJAS, t + i * 1000));
    await dispatcher.handleOne(unreadable(SMITH, t));
    await dispatcher.handleOne(unreadable(ROJAS, t + 11 * 60_000));
    expect((await replies()).filter((b) => b.startsWith("I can't read"))).toEqual([
      `I can't read ${ROJAS}'s message from 07:20Z yet (missing key); I'll process it when the key arrives.`,
      `I can't read ${SMITH}'s message from 07:20Z yet (missing key); I'll process it when the key arrives.`,
      `I can't read ${ROJAS}'s message from 07:31Z yet (missing key); I'll process it when the key arrives.`,
    ]);
    expect(await db.sql`select event_id from pending_decryptions`).toHaveLength(7);
  });

  it("records an event whose handling keeps failing, tells its sender, and goes on", async () => {
    const doomed = message(ROJAS, "!status", {}, BROKEN_ROOM);
    await dispatcher.handleOne(doomed);
    expect(await processed(doomed.event.event_id!)).toBe(1);
    expect((await replies()).at(-1)).toMatch(
      /^❌ Internal error, reference [0-9a-f]{8}: I could not process this message\.$/,
    );
    const audit = await db.sql`select action from audit_log`;
    expect(audit).toEqual([{ action: "event.failed" }]);
    const next = message(ROJAS, "!sight vessel 12.51,-79.20");
    await dispatcher.handleOne(next);
    expect((await replies()).at(-1)).toMatch(/^✅ S-1 logged/);
  });

  it.each([
    ["the largest integer canonical JSON allows", 2 ** 53 - 1],
    ["the smallest", -(2 ** 53) + 1],
    ["a time before 1970", -1],
    ["a fraction", T0 + 0.5],
    ["a string", "2026-11-28T07:14:00Z"],
  ])(
    "answers a command whose origin_server_ts is %s as if sent when received, and the next one too",
    async (_, ts) => {
      const odd = message(ROJAS, "!sight vessel 12.51,-79.20");
      odd.event.origin_server_ts = ts;
      await dispatcher.handleOne(odd);
      const next = message(ROJAS, "!sight vessel 12.52,-79.21");
      await dispatcher.handleOne(next);
      expect((await replies()).filter((b) => /^✅ S-\d logged/.test(b))).toHaveLength(2);
      const rows = await db.sql<{ seen_ms: string }[]>`
      select (extract(epoch from seen_at) * 1000)::bigint as seen_ms from sightings order by id`;
      expect(rows.map((r) => Number(r.seen_ms))).toEqual([T0 + 3_600_000, next.event.origin_server_ts]);
      const claims =
        await db.sql`select sent_at from processed_events where event_id = ${odd.event.event_id!}`;
      expect(claims).toEqual([{ sent_at: null }]);
    },
  );

  it("says it cannot read a message with an impossible time, without a time", async () => {
    const m = message(ROJAS, "?");
    m.event = { ...m.event, type: "m.room.encrypted", origin_server_ts: 2 ** 53 - 1, content: {} };
    await dispatcher.handleOne({ ...m, decryptionError: "missing key", sessionId: "s" });
    expect(await replies()).toEqual([
      `I can't read ${ROJAS}'s message yet (missing key); I'll process it when the key arrives.`,
    ]);
  });

  it("tells the room once which times it may have missed commands in, and audits the gap", async () => {
    const gap = {
      roomId: ROOM,
      from: Date.parse("2026-11-28T02:14:30Z"),
      to: Date.parse("2026-11-28T03:40:00Z"),
      at: "$oldest",
    };
    await dispatcher.noticeGap(gap);
    await dispatcher.noticeGap(gap); // the same sync, replayed after a crash
    expect(await replies()).toEqual([
      "I may have missed commands between 02:14Z and 03:40Z while I was away; please resend anything important.",
    ]);
    const audit = await db.sql`select action, room_id, detail from audit_log`;
    expect(audit).toEqual([
      {
        action: "sync.gap",
        room_id: ROOM,
        detail: {
          from: "2026-11-28T02:14:30.000Z",
          to: "2026-11-28T03:40:00.000Z",
          oldestReached: "$oldest",
        },
      },
    ]);
    await dispatcher.noticeGap({ roomId: ROOM, from: undefined, to: gap.to + 86_400_000, at: "$older" });
    expect((await replies()).at(-1)).toBe(
      "I may have missed commands sent before 03:40Z while I was away; please resend anything important.",
    );
  });

  describe("when recording a failure fails for the same reason as handling", () => {
    const poisoned = (failures: number) => {
      let left = failures;
      const db0 = db.db;
      const flaky = new Proxy(db0, {
        get(target, prop, receiver) {
          if (prop !== "transaction") return Reflect.get(target, prop, receiver);
          return (...args: Parameters<typeof db0.transaction>) => {
            if (left-- > 0) return Promise.reject(new RangeError("Invalid time value"));
            return target.transaction(...args);
          };
        },
      });
      const logged: string[] = [];
      const d = new Dispatcher({
        db: flaky,
        log: createLogger("error", {}, (line) => logged.push(line)),
        directory: directoryFromConfig(config),
        commands,
        isEncrypted: async () => true,
        runtime: () => Promise.reject(new Error("not here")),
        now: () => new Date(T0 + 3_600_000),
        onOutbox: () => {},
      });
      return { d, logged };
    };

    it("claims the event with its id and room alone, audited as failed", async () => {
      // Handling fails twice, then the full failure record: only the bare claim gets through.
      const { d } = poisoned(3);
      const doomed = message(ROJAS, "!sight vessel 12.51,-79.20");
      await d.handleOne(doomed);
      const claims = await db.sql`select room_id, sender from processed_events`;
      expect(claims).toEqual([{ room_id: ROOM, sender: null }]);
      const audit = await db.sql`select action, actor, detail->>'bare' as bare from audit_log`;
      expect(audit).toEqual([{ action: "event.failed", actor: ROJAS, bare: "true" }]);
      await d.handleOne(message(ROJAS, "!sight vessel 12.52,-79.21"));
      expect((await replies()).at(-1)).toMatch(/^✅ S-1 logged/);
    });

    it("logs and leaves the event when even the bare claim fails, and never throws", async () => {
      const { d, logged } = poisoned(4);
      await expect(d.handleOne(message(ROJAS, "!sight vessel 12.51,-79.20"))).resolves.toBeUndefined();
      expect(await db.sql`select * from processed_events`).toHaveLength(0);
      expect(logged.join("\n")).toContain("could not even claim the failed event");
      await d.handleOne(message(ROJAS, "!sight vessel 12.52,-79.21"));
      expect((await replies()).at(-1)).toMatch(/^✅ S-1 logged/);
    });

    it("still hands a transient failure back, so the batch is retried", async () => {
      const flaky = new Proxy(db.db, {
        get(target, prop, receiver) {
          if (prop !== "transaction") return Reflect.get(target, prop, receiver);
          return () => Promise.reject(Object.assign(new Error("connection reset"), { code: "ECONNRESET" }));
        },
      });
      const d = new Dispatcher({
        db: flaky,
        log: createLogger("error", {}, () => {}),
        directory: directoryFromConfig(config),
        commands,
        isEncrypted: async () => true,
        runtime: () => Promise.reject(new Error("not here")),
        now: () => new Date(T0),
        onOutbox: () => {},
      });
      await expect(d.handleOne(message(ROJAS, "!sight vessel 12.51,-79.20"))).rejects.toThrow(
        "connection reset",
      );
    });
  });
});
