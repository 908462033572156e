import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { noFaults } from "../../src/bot/faults.ts";
import { type OutboxOptions, OutboxSender, type Sender } from "../../src/bot/outbox.ts";
import { verifyAudit } from "../../src/db/queries/audit.ts";
import { enqueue } from "../../src/db/queries/events.ts";
import { MAX_SEND_ATTEMPTS } from "../../src/db/queries/outbox.ts";
import { createLogger } from "../../src/log.ts";
import { MatrixError } from "../../src/matrix/http.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const A = "!a:x";
const B = "!b:x";

const msg = (roomId: string, body: string) => ({ roomId, eventType: "m.room.message", content: { body } });

interface Sent {
  roomId: string;
  body: unknown;
  txnId: string;
}

/** A sender that fails for the rooms told to, and records what it sent (room, body, txn id). */
function scriptedSender(failures: Map<string, () => Error>) {
  const sent: Sent[] = [];
  const sender: Sender = {
    async send(roomId, _type, content, txnId) {
      const fail = failures.get(roomId);
      if (fail) throw fail();
      sent.push({ roomId, body: content.body, txnId });
      return `$${sent.length}`;
    },
  };
  return { sender, sent };
}

const bodiesIn = (sent: Sent[], roomId: string) => sent.filter((s) => s.roomId === roomId).map((s) => s.body);
const forbidden = () => new MatrixError(403, "M_FORBIDDEN", "User @bot:x not in room", "/send");

describe("the outbox sender", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("outbox");
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate outbox, audit_log, bot_state restart identity`;
    await enqueue(db.db, [msg(A, "a1"), msg(B, "b1"), msg(A, "a2"), msg(B, "b2")]);
  });
  const log = createLogger("error", {}, () => {});
  const outboxWith = (sender: Sender, o: Partial<OutboxOptions> = {}) =>
    new OutboxSender({
      db: db.db,
      sender,
      log,
      txnPrefix: "tl-",
      faults: noFaults,
      isJoined: () => true,
      ...o,
    });
  const unsent = () =>
    db.sql<{ id: number; room_id: string; attempts: number; last_error: string | null }[]>`
      select id::int as id, room_id, attempts, last_error from outbox where sent_at is null order by id`;

  it("sends every row once, in order within its room, with a transaction id derived from the row", async () => {
    const { sender, sent } = scriptedSender(new Map());
    const outbox = outboxWith(sender);
    expect(await outbox.drain()).toEqual({ sent: 4, failed: 0, dropped: 0 });
    expect(await outbox.drain()).toEqual({ sent: 0, failed: 0, dropped: 0 });
    expect(sent.filter((s) => s.roomId === A)).toEqual([
      { roomId: A, body: "a1", txnId: "tl-1" },
      { roomId: A, body: "a2", txnId: "tl-3" },
    ]);
    expect(sent.filter((s) => s.roomId === B)).toEqual([
      { roomId: B, body: "b1", txnId: "tl-2" },
      { roomId: B, body: "b2", txnId: "tl-4" },
    ]);
  });

  it("keeps a failing room's order, backs off, and goes on with the other rooms", async () => {
    const failures = new Map([[A, () => new Error("wasm: something went wrong")]]);
    const { sender, sent } = scriptedSender(failures);
    const outbox = outboxWith(sender);
    expect(await outbox.drain()).toEqual({ sent: 2, failed: 1, dropped: 0 });
    expect(sent.map((s) => s.body)).toEqual(["b1", "b2"]);
    const rows = await db.sql<{ id: number; attempts: number; waits: boolean }[]>`
      select id::int as id, attempts, coalesce(next_attempt_at > now(), false) as waits
      from outbox where sent_at is null order by id`;
    expect(rows).toEqual([
      { id: 1, attempts: 1, waits: true }, // backing off
      { id: 3, attempts: 0, waits: false }, // a2 waits behind a1 all the same
    ]);
    failures.clear();
    expect(await outbox.drain()).toEqual({ sent: 0, failed: 0, dropped: 0 }); // not yet due
    await db.sql`update outbox set next_attempt_at = now() - interval '1 second'`;
    expect(await outbox.drain()).toEqual({ sent: 2, failed: 0, dropped: 0 });
    expect(sent.map((s) => s.body)).toEqual(["b1", "b2", "a1", "a2"]);
  });

  it("lets 50 rows behind a failing head hold up only their own room", async () => {
    await db.sql`truncate outbox restart identity`;
    // Room A first, so that "the oldest rows overall" would be A's alone.
    await enqueue(db.db, [
      msg(A, "a0"),
      ...Array.from({ length: 50 }, (_, i) => msg(A, `a${i + 1}`)),
      ...Array.from({ length: 5 }, (_, i) => msg(B, `b${i + 1}`)),
    ]);
    const failures = new Map([[A, () => new MatrixError(413, "M_TOO_LARGE", "event too large", "/send")]]);
    const { sender, sent } = scriptedSender(failures);
    const outbox = outboxWith(sender);

    expect(await outbox.drain()).toEqual({ sent: 5, failed: 1, dropped: 0 });
    expect(sent.map((s) => s.body)).toEqual(["b1", "b2", "b3", "b4", "b5"]);
    // A reply queued for B while A's head backs off goes out at once, too.
    await enqueue(db.db, [msg(B, "b6")]);
    expect(await outbox.drain()).toEqual({ sent: 1, failed: 0, dropped: 0 });
    expect(bodiesIn(sent, B).at(-1)).toBe("b6");
    expect(bodiesIn(sent, A)).toEqual([]);
    expect((await unsent()).map((r) => r.attempts)).toEqual([1, ...Array(50).fill(0)]);

    // Once A's head goes through, its rows follow in their order.
    failures.clear();
    await db.sql`update outbox set next_attempt_at = now() - interval '1 second' where next_attempt_at is not null`;
    expect(await outbox.drain()).toEqual({ sent: 51, failed: 0, dropped: 0 });
    expect(bodiesIn(sent, A)).toEqual(Array.from({ length: 51 }, (_, i) => `a${i}`));
    expect(await unsent()).toEqual([]);
  });

  it("sends to several rooms at once, never more than its lanes, one row at a time per room", async () => {
    await db.sql`truncate outbox restart identity`;
    const rooms = Array.from({ length: 6 }, (_, i) => `!r${i}:x`);
    await enqueue(
      db.db,
      [1, 2, 3].flatMap((n) => rooms.map((r) => msg(r, `${r} ${n}`))),
    );
    let inFlight = 0;
    let maxInFlight = 0;
    const perRoom = new Map<string, number>();
    let maxPerRoom = 0;
    const sent: Sent[] = [];
    const sender: Sender = {
      async send(roomId, _type, content, txnId) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        perRoom.set(roomId, (perRoom.get(roomId) ?? 0) + 1);
        maxPerRoom = Math.max(maxPerRoom, perRoom.get(roomId) ?? 0);
        await sleep(15);
        perRoom.set(roomId, (perRoom.get(roomId) ?? 0) - 1);
        inFlight--;
        sent.push({ roomId, body: content.body, txnId });
        return "$x";
      },
    };
    expect(await outboxWith(sender, { lanes: 3 }).drain()).toEqual({ sent: 18, failed: 0, dropped: 0 });
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxPerRoom).toBe(1);
    for (const r of rooms) expect(bodiesIn(sent, r)).toEqual([`${r} 1`, `${r} 2`, `${r} 3`]);
  });

  it("sends a room's new reply at once, on a kick, while another room's send is still under way", async () => {
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sent: string[] = [];
    const sender: Sender = {
      async send(roomId, _type, content) {
        if (roomId === A) await slow; // e.g. the homeserver being retried for A
        sent.push(String(content.body));
        return "$x";
      },
    };
    await db.sql`truncate outbox restart identity`;
    await enqueue(db.db, [msg(A, "a1")]);
    const outbox = outboxWith(sender);
    const draining = outbox.drain();
    await sleep(50);
    await enqueue(db.db, [msg(B, "b1")]);
    outbox.kick();
    for (let i = 0; i < 100 && !sent.includes("b1"); i++) await sleep(10);
    expect(sent).toEqual(["b1"]);
    release();
    expect(await draining).toEqual({ sent: 2, failed: 0, dropped: 0 });
  });

  it("drops the rows of a room the bot is no longer in, with an audit entry", async () => {
    const { sender, sent } = scriptedSender(new Map([[A, forbidden]]));
    const asked: string[] = [];
    const outbox = outboxWith(sender, {
      isJoined: (roomId) => {
        asked.push(roomId);
        return roomId !== A;
      },
      now: () => new Date("2026-11-28T07:14:00Z"),
    });
    expect(await outbox.drain()).toEqual({ sent: 2, failed: 0, dropped: 2 });
    expect(asked).toEqual([A]);
    expect(bodiesIn(sent, B)).toEqual(["b1", "b2"]);
    expect(await unsent()).toEqual([
      { id: 1, room_id: A, attempts: MAX_SEND_ATTEMPTS, last_error: "left the room" },
      { id: 3, room_id: A, attempts: MAX_SEND_ATTEMPTS, last_error: "left the room" },
    ]);
    const audit = await db.sql`select actor, action, room_id, detail from audit_log order by id`;
    expect([...audit]).toEqual([
      {
        actor: "tearline",
        action: "outbox.dropped",
        room_id: A,
        detail: { count: 2, firstId: 1, lastId: 3, reason: "left the room" },
      },
    ]);
    expect(await verifyAudit(db.db)).toMatchObject({ ok: true, entries: 1 });
    expect(await outbox.drain()).toEqual({ sent: 0, failed: 0, dropped: 0 });
  });

  it.each([
    ["the bot is still in the room", () => true],
    [
      "membership cannot be checked",
      (): boolean => {
        throw new Error("joined_rooms: connection refused");
      },
    ],
  ])("keeps a refused room's rows when %s", async (_, isJoined) => {
    const { sender } = scriptedSender(new Map([[A, forbidden]]));
    const outbox = outboxWith(sender, { isJoined });
    expect(await outbox.drain()).toEqual({ sent: 2, failed: 1, dropped: 0 });
    expect(await unsent()).toMatchObject([
      { id: 1, attempts: 1, last_error: expect.stringContaining("M_FORBIDDEN") },
      { id: 3, attempts: 0, last_error: null },
    ]);
    expect(await db.sql`select 1 from audit_log`).toHaveLength(0);
  });

  it("does not ask about membership for a refusal that is not M_FORBIDDEN", async () => {
    const tooLarge = () => new MatrixError(413, "M_TOO_LARGE", "event too large", "/send");
    const { sender } = scriptedSender(new Map([[A, tooLarge]]));
    let asked = 0;
    const outbox = outboxWith(sender, {
      isJoined: () => {
        asked++;
        return false;
      },
    });
    expect(await outbox.drain()).toEqual({ sent: 2, failed: 1, dropped: 0 });
    expect(asked).toBe(0);
  });

  it("leaves a row that keeps failing for the operator, after the last attempt", async () => {
    const { sender } = scriptedSender(new Map([[A, forbidden]]));
    const outbox = outboxWith(sender);
    for (let i = 0; i < MAX_SEND_ATTEMPTS + 2; i++) {
      await outbox.drain();
      await db.sql`update outbox set next_attempt_at = now() - interval '1 second' where next_attempt_at is not null`;
    }
    const rows = await unsent();
    expect(rows[0]).toMatchObject({ id: 1, attempts: MAX_SEND_ATTEMPTS });
    expect(String(rows[0]?.last_error)).toContain("M_FORBIDDEN");
  });

  it("tells the sender which rows may go out unencrypted", async () => {
    await db.sql`truncate outbox restart identity`;
    await enqueue(db.db, [
      { roomId: A, eventType: "m.room.message", content: { body: "needs encryption" }, plaintextOk: true },
      { roomId: A, eventType: "m.room.message", content: { body: "S-1 logged" } },
    ]);
    const seen: boolean[] = [];
    const sender: Sender = {
      async send(_room, _type, _content, _txn, opts) {
        seen.push(opts.plaintextOk);
        return "$x";
      },
    };
    await outboxWith(sender).drain();
    expect(seen).toEqual([true, false]);
  });

  it("stops promptly in the middle of a backlog", async () => {
    await db.sql`truncate outbox restart identity`;
    await enqueue(
      db.db,
      Array.from({ length: 200 }, (_, i) => msg(i % 2 ? A : B, `m${i}`)),
    );
    let sent = 0;
    const sender: Sender = {
      async send() {
        await sleep(20);
        sent++;
        return "$x";
      },
    };
    const outbox = outboxWith(sender);
    outbox.start();
    while (sent < 4) await sleep(5);
    const t0 = Date.now();
    await outbox.stop();
    expect(Date.now() - t0).toBeLessThan(500);
    expect(sent).toBeLessThan(200);
  });

  describe("replies by ref", () => {
    /** A sender that keeps each content it sent. */
    function keepingSender() {
      const contents: Record<string, unknown>[] = [];
      const sender: Sender = {
        async send(_roomId, _type, content) {
          contents.push(content);
          return `$sent${contents.length}`;
        },
      };
      return { sender, contents };
    }
    const relation = (c: Record<string, unknown> | undefined) => c?.["m.relates_to"];

    it("sends a row with reply_to_ref as a reply to the event the named row was sent as", async () => {
      await db.sql`truncate outbox restart identity`;
      await enqueue(db.db, [
        { ...msg(A, "copy"), ref: "alert:1:to:a" },
        { ...msg(B, "other") },
        { ...msg(A, "recall"), ref: "alert:1:to:a:recall", replyToRef: "alert:1:to:a" },
      ]);
      const { sender, contents } = keepingSender();
      await outboxWith(sender).drain();
      const copy = contents.find((c) => c.body === "copy");
      const recall = contents.find((c) => c.body === "recall");
      expect(relation(copy)).toBeUndefined();
      const [row] = await db.sql<
        { sent_event_id: string }[]
      >`select sent_event_id from outbox where ref = 'alert:1:to:a'`;
      expect(relation(recall)).toEqual({ "m.in_reply_to": { event_id: row?.sent_event_id } });
      const stored = await db.sql<
        { content: Record<string, unknown> }[]
      >`select content from outbox where id = 3`;
      expect(relation(stored[0]?.content)).toBeUndefined(); // resolved when sent, not stored
    });

    it("sends the reply without the relation when the row it names was given up", async () => {
      await db.sql`truncate outbox restart identity`;
      await enqueue(db.db, [{ ...msg(A, "copy"), ref: "c" }]);
      await db.sql`update outbox set attempts = ${MAX_SEND_ATTEMPTS}`;
      await enqueue(db.db, [{ ...msg(A, "recall"), replyToRef: "c" }]);
      const { sender, contents } = keepingSender();
      expect((await outboxWith(sender).drain()).sent).toBe(1);
      expect(contents).toEqual([{ body: "recall" }]);
    });

    it("refuses a second row with the same ref", async () => {
      await db.sql`truncate outbox restart identity`;
      await enqueue(db.db, [{ ...msg(A, "one"), ref: "same" }]);
      await expect(enqueue(db.db, [{ ...msg(A, "two"), ref: "same" }])).rejects.toThrow();
    });
  });
});
