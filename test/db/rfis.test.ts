import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { NewRfi, RfiRepo } from "../../src/domain/repos.ts";
import { rfiRepo } from "../../src/db/queries/rfis.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const COL_USA = "!colusa:example.org";
const USA_JTF = "!usajtf:example.org";
const ROJAS = "@lo.col:example.org";
const SMITH = "@po.usa:example.org";
const T0 = new Date("2026-11-28T07:14:00Z");
const minutes = (m: number) => new Date(+T0 + m * 60_000);

function ask(over: Partial<NewRfi> = {}): NewRfi {
  return {
    roomId: COL_USA,
    originator: ROJAS,
    originatorPartner: "COL",
    priority: "immediate",
    ltiov: new Date("2026-11-28T10:00:00Z"),
    to: { partner: "USA" },
    question: 'last known position of "SIN NOMBRE"?',
    createdAt: T0,
    ...over,
  };
}

describe("RFIs in PostgreSQL", () => {
  let db: TestDatabase;
  let repo: RfiRepo;
  beforeAll(async () => {
    db = await createTestDatabase("rfis");
    repo = rfiRepo(db.db);
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate rfis restart identity`;
  });

  it("numbers RFIs RFI-1, RFI-2, … independently of sightings", async () => {
    await db.sql`insert into sightings (room_id, reporter, reporter_partner, kind, lat, lon, precision_m, position_format, seen_at, tlp, logged_at)
      values ('r', 'u', 'COL', 'vessel', 0, 0, 1, 'decimal', now(), 'amber', now())`;
    expect((await repo.create(ask())).ref).toBe("RFI-1");
    expect((await repo.create(ask())).ref).toBe("RFI-2");
  });

  it("goes through its life: raised, accepted, referred, answered, closed — every step stored", async () => {
    const r = await repo.create(ask());
    expect(r).toMatchObject({ status: "open", to: { partner: "USA" }, createdAt: T0, updatedAt: T0 });
    await repo.update(r.id, { status: "accepted", reason: null, at: minutes(5) });
    await repo.update(r.id, {
      status: "referred",
      to: { room: "usa-jtf", partners: ["USA", "JTF"] },
      toRoomId: USA_JTF,
      reason: "JTF has it",
      at: minutes(10),
    });
    expect(await repo.get(r.id, USA_JTF)).toMatchObject({
      status: "referred",
      to: { room: "usa-jtf", partners: ["USA", "JTF"] },
      reason: "JTF has it",
    });
    await repo.update(r.id, {
      status: "answered",
      answer: { text: "AIS dark", by: SMITH, at: minutes(20) },
      reason: null,
      at: minutes(20),
    });
    const closed = await repo.update(r.id, { status: "closed", at: minutes(30) });
    expect(closed).toMatchObject({
      ref: "RFI-1",
      status: "closed",
      answer: "AIS dark",
      answeredBy: SMITH,
      answeredAt: minutes(20),
      reason: undefined,
      updatedAt: minutes(30),
      createdAt: T0,
    });
  });

  it("corrects what was asked, and can drop the deadline", async () => {
    const r = await repo.create(ask());
    const c = await repo.update(r.id, {
      priority: "routine",
      ltiov: null,
      question: "anything?",
      to: { partner: "JTF" },
      at: minutes(1),
    });
    expect(c).toMatchObject({
      priority: "routine",
      ltiov: undefined,
      question: "anything?",
      to: { partner: "JTF" },
    });
  });

  it("is seen from the room it was raised in and the room it is addressed to, nowhere else", async () => {
    const r = await repo.create(
      ask({ to: { room: "usa-jtf", partners: ["USA", "JTF"] }, toRoomId: USA_JTF }),
    );
    expect((await repo.get(r.id, COL_USA))?.ref).toBe("RFI-1");
    expect((await repo.get(r.id, USA_JTF))?.ref).toBe("RFI-1");
    expect(await repo.get(r.id, "!other:example.org")).toBeUndefined();
    expect(await repo.get(99, COL_USA)).toBeUndefined();
  });

  it("lists open, mine, overdue and all exactly", async () => {
    const now = new Date("2026-11-28T11:00:00Z");
    await repo.create(ask({ createdAt: minutes(1) })); // RFI-1 open, LTIOV 10:00 → overdue
    await repo.create(ask({ createdAt: minutes(2), ltiov: new Date("2026-11-28T12:00:00Z") })); // RFI-2 open, not yet due
    const answered = await repo.create(ask({ createdAt: minutes(3) })); // RFI-3 answered (past LTIOV but not overdue)
    await repo.update(answered.id, {
      status: "answered",
      answer: { text: "x", by: SMITH, at: minutes(4) },
      at: minutes(4),
    });
    await repo.create(ask({ createdAt: minutes(4), originator: SMITH, ltiov: undefined })); // RFI-4 Smith's
    const closed = await repo.create(ask({ createdAt: minutes(5) })); // RFI-5 closed
    await repo.update(closed.id, { status: "closed", at: minutes(6) });
    const deferred = await repo.create(ask({ createdAt: minutes(6) })); // RFI-6 deferred, overdue
    await repo.update(deferred.id, { status: "deferred", at: minutes(7) });
    await repo.create(ask({ roomId: "!other:example.org", createdAt: minutes(7) })); // RFI-7 elsewhere
    const list = async (filter: "open" | "mine" | "overdue" | "all", user = ROJAS) =>
      (await repo.list({ roomId: COL_USA, filter, user, now, limit: 50 })).rfis.map((r) => r.ref);
    expect(await list("open")).toEqual(["RFI-6", "RFI-4", "RFI-2", "RFI-1"]);
    expect(await list("overdue")).toEqual(["RFI-6", "RFI-1"]);
    expect(await list("mine")).toEqual(["RFI-6", "RFI-3", "RFI-2", "RFI-1"]);
    expect(await list("mine", SMITH)).toEqual(["RFI-4"]);
    expect(await list("all")).toEqual(["RFI-6", "RFI-5", "RFI-4", "RFI-3", "RFI-2", "RFI-1"]);
    const page = await repo.list({ roomId: COL_USA, filter: "all", user: ROJAS, now, limit: 2 });
    expect([page.rfis.length, page.total]).toEqual([2, 6]);
  });

  it("refuses a row with two addressees or an unknown status", async () => {
    await expect(db.sql`insert into rfis (room_id, originator, originator_partner, priority, to_partner, to_room, question, created_at, updated_at)
      values ('r', 'u', 'COL', 'routine', 'USA', 'usa-jtf', 'q', now(), now())`).rejects.toThrow(
      /rfis_addressee/,
    );
    const r = await repo.create(ask());
    await expect(db.sql`update rfis set status = 'lost' where id = ${r.id}`).rejects.toThrow(/rfis_status/);
  });
});
