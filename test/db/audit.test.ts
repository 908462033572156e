import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appendAudit, verifyAudit } from "../../src/db/queries/audit.ts";
import { type DbUnderTest, ENGINES } from "../support/database.ts";

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
