import { asc } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { NewRfi, RfiRepo } from "../../src/domain/repos.ts";
import { runReminders, Scheduler } from "../../src/bot/scheduler.ts";
import { verifyAudit } from "../../src/db/queries/audit.ts";
import { rfiRepo } from "../../src/db/queries/rfis.ts";
import { auditLog } from "../../src/db/schema/audit.ts";
import { createLogger } from "../../src/log.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const COL_USA = "!colusa:example.org";
const USA_JTF = "!usajtf:example.org";
const ROJAS = "@lo.col:example.org";
const SMITH = "@po.usa:example.org";
const QUESTION = 'last known position of "SIN NOMBRE"?';
const at = (hhmm: string) => new Date(`2026-11-28T${hhmm}:00Z`);

function ask(over: Partial<NewRfi> = {}): NewRfi {
  return {
    roomId: COL_USA,
    originator: ROJAS,
    originatorPartner: "COL",
    priority: "immediate",
    ltiov: at("10:00"),
    to: { partner: "USA" },
    question: QUESTION,
    createdAt: at("07:14"),
    ...over,
  };
}

const notice = (body: string, mentions?: string[]) => ({
  msgtype: "m.notice",
  body,
  format: "org.matrix.custom.html",
  formatted_body: expect.any(String),
  "m.mentions": mentions ? { user_ids: mentions } : {},
});
/** The question as a reminder echoes it: quoted, on one line. */
const QUOTED = `"${QUESTION}"`;

describe("RFI reminders in PostgreSQL", () => {
  let db: TestDatabase;
  let repo: RfiRepo;
  beforeAll(async () => {
    db = await createTestDatabase("reminders");
    repo = rfiRepo(db.db);
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate rfis, outbox, audit_log restart identity`;
    await db.sql`delete from bot_state where key = 'audit.head'`;
  });

  const outbox = () =>
    db.sql<{ room_id: string; event_type: string; content: unknown }[]>`
      select room_id, event_type, content from outbox order by id`.then((rows) => [...rows]);
  const audit = () =>
    db.db
      .select({
        at: auditLog.at,
        actor: auditLog.actor,
        action: auditLog.action,
        room_id: auditLog.roomId,
        detail: auditLog.detail,
      })
      .from(auditLog)
      .orderBy(asc(auditLog.id));

  it("queues the reminder once in the lead window and the overdue notice once past the LTIOV", async () => {
    await repo.create(ask());
    expect(await runReminders(db.db, at("07:59"))).toEqual([]);

    const first = await runReminders(db.db, at("08:00"));
    expect(first.map((q) => [q.ref, q.kind])).toEqual([["RFI-1", "reminder"]]);
    expect(await runReminders(db.db, at("08:00"))).toEqual([]);
    expect(await runReminders(db.db, at("09:59"))).toEqual([]);

    expect((await runReminders(db.db, at("10:01"))).map((q) => q.kind)).toEqual(["overdue"]);
    expect(await runReminders(db.db, at("10:01"))).toEqual([]);
    expect(await runReminders(db.db, at("23:00"))).toEqual([]);

    expect(await outbox()).toEqual([
      {
        room_id: COL_USA,
        event_type: "m.room.message",
        content: notice(`⏰ RFI-1 (IMMEDIATE) for USA is due in 2 h: ${QUOTED}`, [ROJAS]),
      },
      {
        room_id: COL_USA,
        event_type: "m.room.message",
        content: notice(`⏰ RFI-1 (IMMEDIATE) for USA is now OVERDUE (LTIOV 28 Nov 10:00Z): ${QUOTED}`, [
          ROJAS,
        ]),
      },
    ]);
    const ltiov = "2026-11-28T10:00:00.000Z";
    expect(await audit()).toEqual([
      {
        at: at("08:00"),
        actor: "tearline",
        action: "rfi.reminded",
        room_id: COL_USA,
        detail: { ref: "RFI-1", ltiov, rooms: [COL_USA] },
      },
      {
        at: at("10:01"),
        actor: "tearline",
        action: "rfi.overdue",
        room_id: COL_USA,
        detail: { ref: "RFI-1", ltiov, rooms: [COL_USA] },
      },
    ]);
    expect(await verifyAudit(db.db)).toMatchObject({ ok: true, entries: 2 });
  });

  it("also tells the addressed room, without mentioning the originator there", async () => {
    await repo.create(ask({ to: { room: "usa-jtf", partners: ["USA", "JTF"] }, toRoomId: USA_JTF }));
    await runReminders(db.db, at("08:00"));
    await runReminders(db.db, at("08:01"));
    const body = `⏰ RFI-1 (IMMEDIATE) for usa-jtf is due in 2 h: ${QUOTED}`;
    expect(await outbox()).toEqual([
      { room_id: COL_USA, event_type: "m.room.message", content: notice(body, [ROJAS]) },
      { room_id: USA_JTF, event_type: "m.room.message", content: notice(body) },
    ]);
    expect((await audit()).map((a) => a.detail)).toEqual([
      { ref: "RFI-1", ltiov: "2026-11-28T10:00:00.000Z", rooms: [COL_USA, USA_JTF] },
    ]);
  });

  it("never reminds an answered RFI, nor one without a deadline, nor one far from its deadline", async () => {
    const answered = await repo.create(ask());
    await repo.update(answered.id, {
      status: "answered",
      answer: { text: "AIS dark since 0600Z", by: SMITH, at: at("07:50") },
      at: at("07:50"),
    });
    await repo.create(ask({ ltiov: undefined }));
    await repo.create(ask({ priority: "priority", ltiov: at("23:00") }));
    for (const t of ["08:00", "10:01", "16:59"]) expect(await runReminders(db.db, at(t))).toEqual([]);
    expect(await outbox()).toEqual([]);
    expect(await audit()).toEqual([]);
  });

  it("re-arms the reminder when a correction changes the LTIOV", async () => {
    const r = await repo.create(ask());
    await runReminders(db.db, at("08:00"));
    await repo.update(r.id, { ltiov: at("14:00"), at: at("08:30") });
    expect(await runReminders(db.db, at("08:31"))).toEqual([]);
    expect((await runReminders(db.db, at("12:00"))).map((q) => q.kind)).toEqual(["reminder"]);
    expect(await runReminders(db.db, at("12:01"))).toEqual([]);
    expect((await outbox()).map((m) => (m.content as { body: string }).body)).toEqual([
      `⏰ RFI-1 (IMMEDIATE) for USA is due in 2 h: ${QUOTED}`,
      `⏰ RFI-1 (IMMEDIATE) for USA is due in 2 h: ${QUOTED}`,
    ]);
    expect((await audit()).map((a) => (a.detail as { ltiov: string }).ltiov)).toEqual([
      "2026-11-28T10:00:00.000Z",
      "2026-11-28T14:00:00.000Z",
    ]);
  });

  it("queues each notice once when passes run at the same time", async () => {
    for (let i = 0; i < 5; i++) await repo.create(ask({ createdAt: at(`07:1${i}`) }));
    const runs = await Promise.all([1, 2, 3].map(() => runReminders(db.db, at("08:00"))));
    expect(
      runs
        .flat()
        .map((q) => q.ref)
        .sort(),
    ).toEqual(["RFI-1", "RFI-2", "RFI-3", "RFI-4", "RFI-5"]);
    expect(await outbox()).toHaveLength(5);
    expect(await audit()).toHaveLength(5);
    expect(await verifyAudit(db.db)).toMatchObject({ ok: true, entries: 5 });
  });

  it("the scheduler runs one pass at a time with its clock, and kicks the outbox when it queued something", async () => {
    await repo.create(ask());
    let kicks = 0;
    const scheduler = new Scheduler({
      db: db.db,
      log: createLogger("error", {}, () => {}),
      now: () => at("08:00"),
      onOutbox: () => {
        kicks++;
      },
    });
    scheduler.start();
    const [a, b] = [scheduler.tick(), scheduler.tick()];
    expect(a).toBe(b);
    await a;
    await scheduler.tick();
    expect(kicks).toBe(1);
    expect(await outbox()).toHaveLength(1);
    await scheduler.stop();
  });
});
