import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appendAudit, verifyAudit } from "../../src/db/queries/audit.ts";
import {
  countingDb,
  createTestDatabase,
  type DbUnderTest,
  ENGINES,
  type TestDatabase,
} from "../support/database.ts";

describe.each(ENGINES)("the audit log's hash chain ($name)", (engine) => {
  let db: DbUnderTest;
  beforeAll(async () => {
    db = await engine.open("audit");
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate audit_log restart identity`;
    await db.sql`delete from bot_state where key = 'audit.head'`;
    const at = new Date("2026-11-28T07:14:00Z");
    for (let i = 0; i < 5; i++) {
      await db.db.transaction((tx) =>
        appendAudit(
          tx,
          [
            {
              actor: "@lo.col:example.org",
              action: "sighting.logged",
              roomId: "!r:x",
              detail: { ref: `S-${i + 1}`, nested: { b: 2, a: [1, "x"] } },
            },
          ],
          at,
        ),
      );
    }
  });

  it("verifies an untouched chain", async () => {
    expect(await verifyAudit(db.db)).toMatchObject({ ok: true, entries: 5, head: { id: 5 } });
  });

  it("detects an edited entry", async () => {
    await db.sql`update audit_log set detail = '{"ref":"S-99"}' where id = 3`;
    expect(await verifyAudit(db.db)).toMatchObject({ ok: false, id: 3 });
  });

  it("detects a deleted entry", async () => {
    await db.sql`delete from audit_log where id = 2`;
    expect(await verifyAudit(db.db)).toMatchObject({ ok: false, id: 3 });
  });

  it("detects entries cut from the end, down to an empty log", async () => {
    await db.sql`delete from audit_log where id = 5`;
    expect(await verifyAudit(db.db)).toMatchObject({ ok: false, id: 5 });
    await db.sql`delete from audit_log`;
    expect(await verifyAudit(db.db)).toMatchObject({ ok: false, id: 5 });
  });

  it("keeps the break visible when entries are appended after a cut", async () => {
    await db.sql`delete from audit_log where id = 5`;
    await db.db.transaction((tx) =>
      appendAudit(tx, [{ actor: "@a:x", action: "t", detail: {} }], new Date()),
    );
    // The new entry chains from the recorded head (entry 5), which is no longer there.
    expect(await verifyAudit(db.db)).toMatchObject({ ok: false, id: 6 });
  });

  it("starts a chain on a new database, where no head is recorded yet, concurrently", async () => {
    await db.sql`truncate audit_log restart identity`;
    await db.sql`delete from bot_state where key = 'audit.head'`;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        db.db.transaction((tx) =>
          appendAudit(
            tx,
            [
              { actor: "@a:x", action: "t", detail: { i } },
              { actor: "@b:x", action: "u", detail: { i } },
            ],
            new Date(),
          ),
        ),
      ),
    );
    expect(await verifyAudit(db.db)).toMatchObject({ ok: true, entries: 20, head: { id: 20 } });
  });

  it("keeps one chain when transactions append concurrently", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.db.transaction((tx) =>
          appendAudit(tx, [{ actor: "@a:x", action: "t", detail: { i } }], new Date()),
        ),
      ),
    );
    expect(await verifyAudit(db.db)).toMatchObject({ ok: true, entries: 25 });
  });
});

describe("appending to the audit log", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("auditstmts");
  });
  afterAll(async () => {
    await db.drop();
  });

  it("takes two statements whatever the number of entries, once a head is recorded", async () => {
    const { db: counted, queries } = countingDb(db.sql);
    const entries = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ actor: "@a:x", action: "t", detail: { i } }));
    await counted.transaction((tx) => appendAudit(tx, entries(1), new Date()));
    for (const n of [1, 2, 5]) {
      queries.length = 0;
      await counted.transaction((tx) => appendAudit(tx, entries(n), new Date()));
      expect(queries.map((q) => q.split(" ")[0])).toEqual(["select", "with"]);
    }
    expect(await verifyAudit(db.db)).toMatchObject({ ok: true, entries: 9, head: { id: 9 } });
  });
});
