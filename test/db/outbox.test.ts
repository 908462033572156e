import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { noFaults } from "../../src/bot/faults.ts";
import { OutboxSender, type Sender } from "../../src/bot/outbox.ts";
import { enqueue, MAX_SEND_ATTEMPTS } from "../../src/db/queries/events.ts";
import { createLogger } from "../../src/log.ts";
import { MatrixError } from "../../src/matrix/http.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const A = "!a:x";
const B = "!b:x";

/** A sender that fails for the rooms told to, and records what it sent (room, body, txn id). */
function scriptedSender(failures: Map<string, () => Error>) {
  const sent: { roomId: string; body: unknown; txnId: string }[] = [];
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

describe("the outbox sender", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("outbox");
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate outbox restart identity`;
    const msg = (roomId: string, body: string) => ({
      roomId,
      eventType: "m.room.message",
      content: { body },
    });
    await enqueue(db.db, [msg(A, "a1"), msg(B, "b1"), msg(A, "a2"), msg(B, "b2")]);
  });
  const log = createLogger("error", {}, () => {});

  it("sends every row once, in order, with a transaction id derived from the row", async () => {
    const { sender, sent } = scriptedSender(new Map());
    const outbox = new OutboxSender(db.db, sender, log, "tl-", noFaults);
    expect(await outbox.drain()).toEqual({ sent: 4, failed: 0 });
    expect(await outbox.drain()).toEqual({ sent: 0, failed: 0 });
    expect(sent).toEqual([
      { roomId: A, body: "a1", txnId: "tl-1" },
      { roomId: B, body: "b1", txnId: "tl-2" },
      { roomId: A, body: "a2", txnId: "tl-3" },
      { roomId: B, body: "b2", txnId: "tl-4" },
    ]);
  });

  it("keeps a failing room's order, backs off, and goes on with the other rooms", async () => {
    const failures = new Map([[A, () => new Error("wasm: something went wrong")]]);
    const { sender, sent } = scriptedSender(failures);
    const outbox = new OutboxSender(db.db, sender, log, "tl-", noFaults);
    expect(await outbox.drain()).toEqual({ sent: 2, failed: 1 });
    expect(sent.map((s) => s.body)).toEqual(["b1", "b2"]);
    const rows = await db.sql<{ id: number; attempts: number; waits: boolean }[]>`
      select id::int as id, attempts, coalesce(next_attempt_at > now(), false) as waits
      from outbox where sent_at is null order by id`;
    expect(rows).toEqual([
      { id: 1, attempts: 1, waits: true }, // backing off
      { id: 3, attempts: 0, waits: false }, // a2 waits behind a1 all the same
    ]);
    failures.clear();
    expect(await outbox.drain()).toEqual({ sent: 0, failed: 0 }); // not yet due
    await db.sql`update outbox set next_attempt_at = now() - interval '1 second'`;
    expect(await outbox.drain()).toEqual({ sent: 2, failed: 0 });
    expect(sent.map((s) => s.body)).toEqual(["b1", "b2", "a1", "a2"]);
  });

  it("leaves a row that keeps failing for the operator, after the last attempt", async () => {
    const refusal = () => new MatrixError(403, "M_FORBIDDEN", "not in room", "/send");
    const { sender } = scriptedSender(new Map([[A, refusal]]));
    const outbox = new OutboxSender(db.db, sender, log, "tl-", noFaults);
    for (let i = 0; i < MAX_SEND_ATTEMPTS + 2; i++) {
      await outbox.drain();
      await db.sql`update outbox set next_attempt_at = now() - interval '1 second' where next_attempt_at is not null`;
    }
    const rows =
      await db.sql`select id::int as id, attempts, last_error from outbox where sent_at is null order by id`;
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
    await new OutboxSender(db.db, sender, log, "tl-", noFaults).drain();
    expect(seen).toEqual([true, false]);
  });
});
