import { asc } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ConfigFacts } from "../../commands/config.ts";
import { ATTACHMENT_KEY } from "../../src/bot/attachments.ts";
import { runDigests } from "../../src/bot/digests.ts";
import { openPostgres } from "../../src/db/client.ts";
import { verifyAudit } from "../../src/db/queries/audit.ts";
import { alertRepo } from "../../src/db/queries/alerts.ts";
import { digestRepo } from "../../src/db/queries/digests.ts";
import { sightingRepo } from "../../src/db/queries/sightings.ts";
import { auditLog } from "../../src/db/schema/audit.ts";
import type { NewSighting } from "../../src/domain/repos.ts";
import { createLogger } from "../../src/log.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const COL_USA = "!colusa:example.org";
const USA_JTF = "!usajtf:example.org";
const ROJAS = "@lo.col:example.org";
const HOUR = 3_600_000;
/** 06:00 in Bogotá. */
const DUE = new Date("2026-11-28T11:00:00Z");
const log = createLogger("error");

const FACTS: ConfigFacts = {
  partners: { COL: "Colombian Navy", USA: "US Coast Guard", JTF: "Joint Task Force" },
  rooms: {
    "col-usa": {
      roomId: COL_USA,
      partners: ["COL", "USA"],
      timeZone: "America/Bogota",
      digest: { cron: "0 6 * * *", tz: "America/Bogota", graceMs: 6 * HOUR },
    },
    "usa-jtf": { roomId: USA_JTF, partners: ["USA", "JTF"] },
  },
  corroboration: { windowHours: 6, distanceNm: 30 },
  sharing: [],
};

function sighting(over: Partial<NewSighting> = {}): NewSighting {
  return {
    kind: "vessel",
    position: { lat: 12.51, lon: -79.2, precisionM: 100, format: "decimal" },
    seenAt: new Date(+DUE - 4 * HOUR),
    ids: { name: "SIN NOMBRE" },
    tlp: "amber",
    roomId: COL_USA,
    reporter: ROJAS,
    reporterPartner: "COL",
    loggedAt: new Date(+DUE - 4 * HOUR),
    matches: [],
    ...over,
  };
}

describe("scheduled digests in PostgreSQL", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("digests");
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate sightings, rfis, alerts, alert_targets, alert_approvals, outbox, audit_log, digest_runs, digest_schedules restart identity`;
    await db.sql`delete from bot_state where key = 'audit.head'`;
  });

  const outbox = () =>
    db.sql<{ id: number; room_id: string; content: Record<string, unknown> }[]>`
      select id, room_id, content from outbox order by id`.then((rows) => [...rows]);
  const actions = async () =>
    (await db.db.select().from(auditLog).orderBy(asc(auditLog.id))).map((a) => a.action);

  it("posts the room's digest once at its minute, not as a reply, with only its own items", async () => {
    await sightingRepo(db.db).create(sighting({ grading: { reliability: "B", credibility: 2 } }));
    await sightingRepo(db.db).create(sighting({ roomId: USA_JTF, tlp: "red", matches: ["S-1"] }));
    const queued = await runDigests(db.db, FACTS, new Date(+DUE + 20_000), log);
    expect(queued.map((q) => q.alias)).toEqual(["col-usa"]);
    const [row, map, ...rest] = await outbox();
    expect(rest).toEqual([]);
    expect(map?.content).toHaveProperty(ATTACHMENT_KEY);
    expect(row?.room_id).toBe(COL_USA);
    const body = String(row?.content.body).split("\n");
    expect(body[0]).toBe("DAILY DIGEST · col-usa · 27 Nov 06:00 → 28 Nov 06:00 (COT) · TLP:AMBER");
    expect(body).toContain('  S-1 vessel "SIN NOMBRE" 12.5N 079.2W 0700Z B2');
    expect(row?.content["m.relates_to"]).toBeUndefined();
    expect(queued[0]?.digest.map.points).toEqual([
      { ref: "S-1", kind: "vessel", lat: 12.51, lon: -79.2, received: false },
    ]);
    // The next minutes, a restart, a second pass: nothing more.
    await runDigests(db.db, FACTS, new Date(+DUE + 60_000), log);
    await runDigests(db.db, FACTS, new Date(+DUE + 20_000), log);
    expect(await outbox()).toHaveLength(2);
    const [run] = await db.sql`select outbox_id, late, status from digest_runs`;
    expect(run).toEqual({ outbox_id: row?.id, late: false, status: "posted" });
    expect(await actions()).toEqual(["digest.posted"]);
  });

  it("queues the map right behind its digest: the digest's points, period and marking, received ones as stored", async () => {
    await sightingRepo(db.db).create(sighting({ tlp: "green" }));
    const received = { fromRoom: "usa-jtf", fromRef: "S-40", alertRef: "A-31" };
    await sightingRepo(db.db).create(
      sighting({
        kind: "aircraft",
        position: { lat: 11.25, lon: -74.25, precisionM: 10_000, format: "decimal" },
        reporter: "",
        remarks: undefined,
        received,
      }),
    );
    const points = [
      { ref: "S-1", kind: "vessel", lat: 12.51, lon: -79.2 },
      { ref: "S-2", kind: "aircraft", lat: 11.25, lon: -74.25 },
    ];
    const [queued] = await runDigests(db.db, FACTS, new Date(+DUE + 20_000), log);
    const [text, map, ...rest] = await outbox();
    expect(rest).toEqual([]);

    expect(String(text?.content.body)).toContain(
      '  S-2 aircraft "SIN NOMBRE" 11.3N 074.3W 0700Z ⇐ from usa-jtf (A-31)',
    );
    expect(map?.room_id).toBe(COL_USA);
    expect(map?.content).toEqual({
      [ATTACHMENT_KEY]: {
        kind: "map-png",
        body: "Map · col-usa · 27 Nov 06:00 → 28 Nov 06:00 (COT) · TLP:AMBER",
        filename: "digest-col-usa-20261128T1100Z.png",
        map: {
          sightings: points,
          period: {
            from: "2026-11-27T11:00:00.000Z",
            to: "2026-11-28T11:00:00.000Z",
            label: "27 Nov 06:00 → 28 Nov 06:00 (COT)",
          },
          marking: "TLP:AMBER",
        },
      },
    });
    // Exactly the digest's points: the text and the map show the same sightings.
    expect(queued?.digest.map.points.map(({ ref, kind, lat, lon }) => ({ ref, kind, lat, lon }))).toEqual(
      points,
    );
  });

  it("counts the room's alerts in the scheduled digest, and names one awaiting approval", async () => {
    await alertRepo(db.db).create({
      roomId: COL_USA,
      room: "col-usa",
      kind: "text",
      sourceRef: null,
      item: {
        kind: "text",
        ref: "",
        tlp: "green",
        text: { text: "hi", reporter: ROJAS, reporterPartner: "COL" },
      },
      tlp: "green",
      requester: ROJAS,
      createdAt: new Date(+DUE - 55 * 60_000),
      targets: [{ room: "usa-jtf", roomId: USA_JTF, outcome: "pending" }],
    });
    await runDigests(db.db, FACTS, new Date(+DUE + 20_000), log);
    const body = String((await outbox())[0]?.content.body).split("\n");
    expect(body.slice(-2)).toEqual([
      "Shared: 1 alerts out (1 pending) · 0 received",
      "Awaiting approval: A-1 (since 05:05)",
    ]);
  });

  it("queues no map when nothing in the period had a position", async () => {
    await sightingRepo(db.db).create(sighting({ roomId: USA_JTF }));
    await runDigests(db.db, FACTS, new Date(+DUE + 20_000), log);
    const rows = await outbox();
    expect(rows.map((r) => r.room_id)).toEqual([COL_USA]);
    expect(rows[0]?.content).not.toHaveProperty(ATTACHMENT_KEY);
  });

  it("queues the digest and its map in the claim's transaction: a failed map leaves no digest and no claim", async () => {
    await sightingRepo(db.db).create(sighting());
    // The map's row cannot be written: the whole (room, period) must be as if never tried.
    await db.sql.unsafe(`
      create function refuse_map() returns trigger language plpgsql as $$
      begin
        if new.content ? '${ATTACHMENT_KEY}' then raise exception 'no map today'; end if;
        return new;
      end $$;
      create trigger refuse_map before insert on outbox for each row execute function refuse_map();`);
    try {
      await expect(runDigests(db.db, FACTS, new Date(+DUE + 20_000), log)).rejects.toThrow();
      expect(await outbox()).toEqual([]);
      expect([...(await db.sql`select id from digest_runs`)]).toEqual([]);
      expect(await actions()).toEqual([]);
    } finally {
      await db.sql.unsafe("drop trigger refuse_map on outbox; drop function refuse_map();");
    }
    // The next pass in the same minute posts both, once.
    await runDigests(db.db, FACTS, new Date(+DUE + 40_000), log);
    const rows = await outbox();
    expect(rows.map((r) => ATTACHMENT_KEY in r.content)).toEqual([false, true]);
    expect(await actions()).toEqual(["digest.posted"]);
  });

  it("gives two schedulers racing for the same room and period one digest", async () => {
    // Two pools on one database stand for two processes (a hot standby that took over, say).
    const second = openPostgres(db.url);
    try {
      const passes = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          runDigests((i % 2 === 0 ? db : second).db, FACTS, new Date(+DUE + i * 1000), log),
        ),
      );
      expect(passes.flat()).toHaveLength(1);
      expect(await outbox()).toHaveLength(1);
      expect(await actions()).toEqual(["digest.posted"]);
    } finally {
      await second.close();
    }
  });

  it("catches up late inside the grace and marks it", async () => {
    await runDigests(db.db, FACTS, new Date(+DUE + 5 * HOUR), log);
    const [row] = await outbox();
    expect(String(row?.content.body).split("\n")[0]).toBe(
      "DAILY DIGEST · col-usa · 27 Nov 06:00 → 28 Nov 06:00 (COT) · TLP:CLEAR · LATE (posted 11:00)",
    );
    expect((await db.sql`select late from digest_runs`)[0]).toEqual({ late: true });
  });

  it("skips beyond the grace, audited once", async () => {
    await runDigests(db.db, FACTS, new Date(+DUE + 7 * HOUR), log);
    await runDigests(db.db, FACTS, new Date(+DUE + 7 * HOUR + 60_000), log);
    expect(await outbox()).toEqual([]);
    expect(await actions()).toEqual(["digest.skipped"]);
    expect((await verifyAudit(db.db)).ok).toBe(true);
  });

  it("follows a chat schedule over the file's, and none after !digest off", async () => {
    const repo = digestRepo(db.db);
    const setAt = new Date(+DUE - 24 * HOUR);
    await repo.setSchedule({
      roomId: COL_USA,
      cron: "30 7 * * *",
      tz: "America/Bogota",
      setBy: ROJAS,
      setAt,
    });
    expect(await runDigests(db.db, FACTS, new Date(+DUE + 60_000), log)).toEqual([]);
    const posted = await runDigests(db.db, FACTS, new Date(+DUE + 90 * 60_000), log);
    expect(posted.map((p) => p.digest.period.to)).toEqual([new Date(+DUE + 90 * 60_000)]);
    await repo.setSchedule({ roomId: COL_USA, tz: "America/Bogota", setBy: ROJAS, setAt });
    expect(await runDigests(db.db, FACTS, new Date(+DUE + 24 * HOUR), log)).toEqual([]);
    await repo.resetSchedule(COL_USA);
    expect(await runDigests(db.db, FACTS, new Date(+DUE + 24 * HOUR), log)).toHaveLength(1);
  });
});
