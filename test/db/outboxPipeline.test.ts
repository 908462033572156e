/**
 * The outbox's lanes with a sender that prepares (encrypts) apart from its PUT: the next row of a
 * room is prepared while the row before it is PUT, the PUTs stay one at a time and in order, and
 * a room whose lane ended gets a new one as soon as it has work, whatever other rooms are doing.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { noFaults } from "../../src/bot/faults.ts";
import { LANE_TURN, type OutboxOptions, OutboxSender, type Sender } from "../../src/bot/outbox.ts";
import { enqueue } from "../../src/db/queries/events.ts";
import { dueRoomStarts } from "../../src/db/queries/outbox.ts";
import { createLogger } from "../../src/log.ts";
import { MatrixError } from "../../src/matrix/http.ts";
import { countingDb, createTestDatabase, type TestDatabase } from "../support/database.ts";

const A = "!a:x";
const B = "!b:x";
const msg = (roomId: string, body: string) => ({ roomId, eventType: "m.room.message", content: { body } });

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Resolves when `check` holds, re-checked whenever `notify` is called; bounded so a bug fails, not hangs. */
function waiter() {
  const checks = new Set<() => void>();
  return {
    notify: () => {
      for (const c of [...checks]) c();
    },
    until: (what: string, check: () => boolean, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`never happened: ${what}`)), timeoutMs);
        const c = () => {
          if (!check()) return;
          clearTimeout(timer);
          checks.delete(c);
          resolve();
        };
        checks.add(c);
        c();
      }),
  };
}

describe("the outbox's lanes, with a sender that prepares apart from its PUT", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("outbox_pipeline");
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate outbox, audit_log, bot_state restart identity`;
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

  /** Logs `prepare <body>`, `put <body>` and `done <body>`; a PUT waits while its body is held. */
  function steppedSender() {
    const steps: string[] = [];
    const held = new Map<string, () => Promise<void>>();
    const w = waiter();
    const note = (s: string) => {
      steps.push(s);
      w.notify();
    };
    let putting = 0;
    let maxPutting = 0;
    const sender: Sender = {
      send: () => Promise.reject(new Error("prepare is used")),
      async prepare(_room, _type, content) {
        const body = String(content.body);
        note(`prepare ${body}`);
        return async () => {
          putting++;
          maxPutting = Math.max(maxPutting, putting);
          note(`put ${body}`);
          await held.get(body)?.();
          putting--;
          note(`done ${body}`);
          return `$${body}`;
        };
      },
    };
    return { sender, steps, held, until: w.until, maxPutting: () => maxPutting };
  }

  it("prepares a batch of a room's rows before its first PUT and the next batch while it is PUT, PUTting one at a time, in order", async () => {
    await enqueue(db.db, [msg(A, "a1"), msg(A, "a2"), msg(A, "a3"), msg(A, "a4"), msg(A, "a5")]);
    const s = steppedSender();
    const a1 = deferred();
    s.held.set("a1", () => a1.promise);
    const draining = outboxWith(s.sender, { batch: 2 }).drain();
    // a1 and a2 are encrypted before a1's PUT (one crypto-store flush for both); while a1's PUT
    // is held, the next batch gets encrypted, but its PUTs wait for a1's.
    await s.until("a4 prepared", () => s.steps.includes("prepare a4"));
    expect(s.steps).toEqual(["prepare a1", "prepare a2", "put a1", "prepare a3", "prepare a4"]);
    a1.resolve();
    expect(await draining).toEqual({ sent: 5, failed: 0, dropped: 0 });
    const puts = s.steps.filter((x) => x.startsWith("put"));
    expect(puts).toEqual(["put a1", "put a2", "put a3", "put a4", "put a5"]);
    expect(s.maxPutting()).toBe(1);
    expect(s.steps.indexOf("put a2")).toBeGreaterThan(s.steps.indexOf("done a1"));
    // Batch by batch: a5 is prepared only after a3's PUT began (while a3 and a4 are PUT).
    expect(s.steps.indexOf("prepare a5")).toBeGreaterThan(s.steps.indexOf("put a3"));
    const sent = await db.sql<{ body: string; ev: string }[]>`
      select content->>'body' as body, sent_event_id as ev from outbox order by id`;
    expect([...sent]).toEqual(["a1", "a2", "a3", "a4", "a5"].map((b) => ({ body: b, ev: `$${b}` })));
  });

  it(`lets another room have its turn after ${LANE_TURN} rows, batches or not`, async () => {
    const a = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => msg(A, `a${from + i}`));
    // b1 is queued after a5: once A has had its turn, B's head is older than A's next.
    await enqueue(db.db, a(1, 5));
    await enqueue(db.db, [msg(B, "b1")]);
    await enqueue(db.db, a(6, LANE_TURN + 5));
    const s = steppedSender();
    expect(await outboxWith(s.sender, { lanes: 1, batch: 8 }).drain()).toEqual({
      sent: LANE_TURN + 6,
      failed: 0,
      dropped: 0,
    });
    const puts = s.steps.filter((x) => x.startsWith("put")).map((x) => x.slice(4));
    // A's head is the oldest: its turn goes, then B (queued before a6), then A's rest.
    const turn = Array.from({ length: LANE_TURN }, (_, i) => `a${i + 1}`);
    expect(puts.slice(0, LANE_TURN + 1)).toEqual([...turn, "b1"]);
    expect(puts.slice(LANE_TURN + 1)).toEqual(Array.from({ length: 5 }, (_, i) => `a${LANE_TURN + 1 + i}`));
  });

  it("never PUTs a row prepared behind a row that failed, and sends it in order later", async () => {
    await enqueue(db.db, [msg(A, "a1"), msg(A, "a2")]);
    const steps: string[] = [];
    let refuse = true;
    const sender: Sender = {
      send: () => Promise.reject(new Error("prepare is used")),
      async prepare(_room, _type, content) {
        const body = String(content.body);
        steps.push(`prepare ${body}`);
        return async () => {
          if (body === "a1" && refuse) {
            // Not before a2 was prepared behind it, so the failure leaves a prepared row behind.
            for (let i = 0; i < 400 && !steps.includes("prepare a2"); i++) await sleep(5);
            throw new MatrixError(500, "M_UNKNOWN", "internal error", "/send");
          }
          steps.push(`put ${body}`);
          return `$${body}`;
        };
      },
    };
    const outbox = outboxWith(sender);
    expect(await outbox.drain()).toEqual({ sent: 0, failed: 1, dropped: 0 });
    expect(steps).toEqual(["prepare a1", "prepare a2"]);
    refuse = false;
    await db.sql`update outbox set next_attempt_at = now() - interval '1 second' where next_attempt_at is not null`;
    expect(await outbox.drain()).toEqual({ sent: 2, failed: 0, dropped: 0 });
    expect(steps.filter((x) => x.startsWith("put"))).toEqual(["put a1", "put a2"]);
  });

  it("prepares a reply by ref only once the row it replies to was sent", async () => {
    await enqueue(db.db, [
      { ...msg(A, "copy"), ref: "alert:1:to:a" },
      { ...msg(A, "recall"), replyToRef: "alert:1:to:a" },
    ]);
    const s = steppedSender();
    // The copy's PUT takes a while: time enough for a look-ahead to read the recall too early.
    s.held.set("copy", () => sleep(200));
    const contents: Record<string, unknown>[] = [];
    const prepare = s.sender.prepare?.bind(s.sender);
    const sender: Sender = {
      send: s.sender.send,
      prepare: (room, type, content, txn, opts) => {
        contents.push(content);
        if (!prepare) throw new Error("unreachable");
        return prepare(room, type, content, txn, opts);
      },
    };
    expect(await outboxWith(sender).drain()).toEqual({ sent: 2, failed: 0, dropped: 0 });
    expect(s.steps.indexOf("prepare recall")).toBeGreaterThan(s.steps.indexOf("done copy"));
    expect(contents[1]?.["m.relates_to"]).toEqual({ "m.in_reply_to": { event_id: "$copy" } });
  });

  it("gives a room whose lane ended a new one for its next row, while another room's PUT is still held", async () => {
    await enqueue(db.db, [msg(B, "b1"), msg(A, "a1")]);
    const s = steppedSender();
    const b1 = deferred();
    s.held.set("b1", () => b1.promise);
    // a1's PUT ends after A's look-ahead found nothing more, so A's lane ends with it.
    s.held.set("a1", () => sleep(100));
    const outbox = outboxWith(s.sender);
    const draining = outbox.drain();
    await s.until("a1 sent", () => s.steps.includes("done a1"));
    // a1 is marked sent right after its PUT; then A's lane is over.
    const sentA1 = async () =>
      (await db.sql`select 1 from outbox where id = 2 and sent_at is not null`).length === 1;
    for (let i = 0; i < 500 && !(await sentA1()); i++) await sleep(10);
    await enqueue(db.db, [msg(A, "a2")]);
    outbox.kick();
    await s.until("a2 sent while b1 is held", () => s.steps.includes("done a2"));
    expect(s.steps).not.toContain("done b1");
    b1.resolve();
    expect(await draining).toEqual({ sent: 3, failed: 0, dropped: 0 });
  });

  it("reads the rooms' heads again on a kick only for a room without a running lane", async () => {
    const { db: counted, queries } = countingDb(db.sql);
    const headReads = () => queries.filter((q) => q.includes("row_number()")).length;
    await enqueue(db.db, [msg(A, "a1")]);
    const s = steppedSender();
    const a1 = deferred();
    s.held.set("a1", () => a1.promise);
    const outbox = outboxWith(s.sender, { db: counted });
    const draining = outbox.drain();
    await s.until("a1 PUT", () => s.steps.includes("put a1"));
    const before = headReads();
    await enqueue(db.db, [msg(A, "a2")]);
    outbox.kick([A]);
    await sleep(50);
    expect(headReads()).toBe(before); // A's lane is running: it is A's to find a2
    await enqueue(db.db, [msg(B, "b1")]);
    outbox.kick([B]);
    await s.until("b1 sent while a1 is held", () => s.steps.includes("done b1"));
    expect(headReads()).toBeGreaterThan(before);
    a1.resolve();
    expect(await draining).toEqual({ sent: 3, failed: 0, dropped: 0 });
    expect(s.steps.filter((x) => x.startsWith("put"))).toEqual(["put a1", "put b1", "put a2"]);
  });

  it("reads the heads once for a pass whose lanes empty their rooms with no kick since, and again after a kick", async () => {
    const { db: counted, queries } = countingDb(db.sql);
    const headReads = () => queries.filter((q) => q.includes("row_number()")).length;
    await enqueue(db.db, [msg(A, "a1"), msg(A, "a2"), msg(B, "b1")]);
    const s = steppedSender();
    const outbox = outboxWith(s.sender, { db: counted });
    expect(await outbox.drain()).toEqual({ sent: 3, failed: 0, dropped: 0 });
    // The reply and the reaction of a command: one read, where both lanes start; none after.
    expect(headReads()).toBe(1);
    // A kick for A while its lane runs, after the lane's read: A is read again once the lane ends.
    await enqueue(db.db, [msg(A, "a3")]);
    const a3 = deferred();
    s.held.set("a3", () => a3.promise);
    const draining = outbox.drain();
    await s.until("a3 PUT", () => s.steps.includes("put a3"));
    await enqueue(db.db, [msg(A, "a4")]);
    outbox.kick([A]);
    a3.resolve();
    expect(await draining).toEqual({ sent: 2, failed: 0, dropped: 0 });
    expect(headReads()).toBe(3);
    expect(s.steps.filter((x) => x.startsWith("put a"))).toEqual(["put a1", "put a2", "put a3", "put a4"]);
  });

  it("marks the rows of a batch sent before it gives up the room at a refusal further on", async () => {
    await enqueue(db.db, [msg(A, "a1"), msg(A, "a2"), msg(A, "a3")]);
    const sender: Sender = {
      send: () => Promise.reject(new Error("prepare is used")),
      async prepare(_room, _type, content) {
        const body = String(content.body);
        return async () => {
          if (body === "a2") throw new MatrixError(403, "M_FORBIDDEN", "not in the room", "/send");
          return `$${body}`;
        };
      },
    };
    expect(await outboxWith(sender, { isJoined: () => false }).drain()).toEqual({
      sent: 1,
      failed: 0,
      dropped: 2,
    });
    const rows = await db.sql<{ body: string; ev: string | null; err: string | null }[]>`
      select content->>'body' as body, sent_event_id as ev, last_error as err from outbox order by id`;
    expect([...rows]).toEqual([
      { body: "a1", ev: "$a1", err: null },
      { body: "a2", ev: null, err: "left the room" },
      { body: "a3", ev: null, err: "left the room" },
    ]);
  });

  it("tells a waiter when what was kicked has been sent, at once if nothing was, and after maxMs at the latest", async () => {
    const s = steppedSender();
    const a2 = deferred();
    s.held.set("a2", () => a2.promise);
    const outbox = outboxWith(s.sender);
    outbox.start();
    try {
      const t0 = performance.now();
      await outbox.settled(5_000); // nothing kicked yet
      expect(performance.now() - t0).toBeLessThan(1_000);
      await enqueue(db.db, [msg(A, "a1")]);
      outbox.kick([A]);
      await outbox.settled(5_000);
      expect(s.steps).toContain("done a1");
      // A PUT that hangs: the waiter is let go after maxMs, not held by it.
      await enqueue(db.db, [msg(A, "a2")]);
      outbox.kick([A]);
      const t1 = performance.now();
      await outbox.settled(200);
      expect(performance.now() - t1).toBeGreaterThanOrEqual(190);
      expect(s.steps).not.toContain("done a2");
      a2.resolve();
      await outbox.settled(5_000);
      expect(s.steps).toContain("done a2");
    } finally {
      a2.resolve();
      await outbox.stop();
    }
  });

  it("reads where lanes start in one query: each due room's head and the rows behind it, longest waiting first", async () => {
    const C = "!c:x";
    const D = "!d:x";
    await enqueue(db.db, [
      msg(B, "b1"),
      msg(A, "a1"),
      msg(A, "a2"),
      msg(A, "a3"),
      msg(C, "c1"),
      msg(D, "d1"),
    ]);
    await enqueue(db.db, [msg(B, "b2"), msg(C, "c2"), msg(C, "c3")]);
    // C's second row backs off (a failed attempt): C's start ends before it. D's head backs off: no D.
    await db.sql`update outbox set next_attempt_at = now() + interval '1 hour'
      where content->>'body' in ('c2', 'd1')`;
    const bodies = (starts: { content: unknown }[][]) =>
      starts.map((rows) => rows.map((r) => (r.content as { body: string }).body));
    expect(bodies(await dueRoomStarts(db.db, { except: [], limit: 8, rows: 2 }))).toEqual([
      ["b1", "b2"],
      ["a1", "a2"],
      ["c1"],
    ]);
    expect(bodies(await dueRoomStarts(db.db, { except: [B], limit: 1, rows: 16 }))).toEqual([
      ["a1", "a2", "a3"],
    ]);
    const { db: counted, queries } = countingDb(db.sql);
    const s = steppedSender();
    await db.sql`update outbox set next_attempt_at = null`;
    expect(await outboxWith(s.sender, { db: counted }).drain()).toEqual({ sent: 9, failed: 0, dropped: 0 });
    // Every lane started with its rows in hand: none read its room's rows (dueRoomRows) itself.
    expect(queries.filter((q) => q.includes("row_number()")).length).toBeGreaterThan(0);
    expect(queries.filter((q) => q.includes(`"outbox"."id" >`))).toEqual([]);
  });
});
