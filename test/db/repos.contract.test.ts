/**
 * One contract for the repositories (src/domain/repos.ts), run against the SQL ones over a real
 * PostgreSQL and over the embedded PGlite, and the in-memory ones the command tests use, so a command test can never pass on
 * memory behaviour that PostgreSQL does not have. What only SQL can show (concurrent numbering,
 * stored columns, constraints) stays in sightings.test.ts and rfis.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alertRepo } from "../../src/db/queries/alerts.ts";
import { digestRepo } from "../../src/db/queries/digests.ts";
import { rfiRepo } from "../../src/db/queries/rfis.ts";
import { roomSettingsRepo } from "../../src/db/queries/roomSettings.ts";
import { sightingRepo } from "../../src/db/queries/sightings.ts";
import type { Position } from "../../src/domain/position.ts";
import type { AlertApproval, NewAlert } from "../../src/domain/alert.ts";
import type { NewRfi, NewSighting, Repositories, SightingRepo } from "../../src/domain/repos.ts";
import type { ShareableItem } from "../../src/domain/sharingRule.ts";
import { type DbUnderTest, ENGINES } from "../support/database.ts";
import {
  MemoryAlerts,
  MemoryDigests,
  MemoryRfis,
  MemoryRoomSettings,
  MemorySightings,
} from "../support/memoryRepos.ts";

interface Backend {
  name: string;
  open(): Promise<void>;
  /** Empty repositories, numbering from 1 again. */
  fresh(): Promise<Repositories>;
  close(): Promise<void>;
}

const memory: Backend = {
  name: "in memory",
  open: async () => {},
  fresh: async () => {
    const sightings = new MemorySightings();
    const rfis = new MemoryRfis();
    const alerts = new MemoryAlerts();
    return {
      sightings,
      rfis,
      alerts,
      digests: new MemoryDigests(sightings, rfis, alerts),
      rooms: new MemoryRoomSettings(),
    };
  },
  close: async () => {},
};

/** The SQL repositories, on a PostgreSQL server and on the embedded PGlite. */
function sql(engine: (typeof ENGINES)[number]): Backend {
  let db: DbUnderTest;
  return {
    name: engine.name,
    open: async () => {
      db = await engine.open("repos");
    },
    fresh: async () => {
      await db.sql`truncate sightings, rfis, alerts, alert_targets, alert_approvals, digest_runs, digest_schedules, bot_state restart identity`;
      return {
        sightings: sightingRepo(db.db),
        rfis: rfiRepo(db.db),
        alerts: alertRepo(db.db),
        digests: digestRepo(db.db),
        rooms: roomSettingsRepo(db.db),
      };
    },
    close: () => db.drop(),
  };
}

const COL_USA = "!colusa:example.org";
const USA_JTF = "!usajtf:example.org";
const OTHER = "!other:example.org";
const ROJAS = "@lo.col:example.org";
const SMITH = "@po.usa:example.org";
const NOW = new Date("2026-11-28T07:20:00Z");
const T0 = new Date("2026-11-28T07:14:00Z");
const NM_LAT = 1 / 60; // one nautical mile of latitude, in degrees
const hoursAgo = (h: number) => new Date(+NOW - h * 3_600_000);
const minutes = (m: number) => new Date(+T0 + m * 60_000);

function at(lat: number, lon: number): Position {
  return { lat, lon, precisionM: 100, format: "decimal" };
}

function sighting(over: Partial<NewSighting> = {}): NewSighting {
  return {
    kind: "vessel",
    position: at(12.5, -79.2),
    seenAt: hoursAgo(1),
    ids: {},
    tlp: "amber",
    roomId: COL_USA,
    reporter: ROJAS,
    reporterPartner: "COL",
    loggedAt: NOW,
    matches: [],
    ...over,
  };
}

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

const FULL: Partial<NewSighting> = {
  kind: "aircraft",
  position: { lat: 12.508333, lon: -79.166667, precisionM: 1808.3, format: "dm" },
  ids: { name: "SIN NOMBRE", mmsi: "367123450", imo: "9074729", tail: "HK-4F2", plate: "ABC 123" },
  course: 45,
  speed: { knots: 32.4, value: 60, unit: "km/h" },
  tlp: "amber+strict",
  rel: ["USA", "COL"],
  grading: { reliability: "B", credibility: 2 },
  remarks: "go-fast, 3 outboards",
  matches: ["S-9"],
};

describe.each([memory, ...ENGINES.map(sql)])("repositories ($name)", (backend) => {
  let repos: Repositories;
  beforeAll(() => backend.open());
  afterAll(() => backend.close());
  beforeEach(async () => {
    repos = await backend.fresh();
  });

  describe("sightings", () => {
    const refs = async (q: Partial<Parameters<SightingRepo["search"]>[0]> = {}) =>
      (await repos.sightings.search({ roomId: COL_USA, since: hoursAgo(24), limit: 50, ...q })).sightings.map(
        (s) => s.ref,
      );

    it("numbers sightings S-1, S-2, … and gets them back by number", async () => {
      expect((await repos.sightings.create(sighting())).ref).toBe("S-1");
      const second = await repos.sightings.create(sighting());
      expect(second).toMatchObject({ id: 2, ref: "S-2" });
      expect(await repos.sightings.get(2)).toEqual(second);
      expect(await repos.sightings.get(3)).toBeUndefined();
    });

    it("keeps every field of a report as it was given", async () => {
      const created = await repos.sightings.create(sighting(FULL));
      const { id: _id, ref: _ref, ...stored } = (await repos.sightings.get(created.id))!;
      expect(stored).toEqual({
        ...FULL,
        seenAt: hoursAgo(1),
        roomId: COL_USA,
        reporter: ROJAS,
        reporterPartner: "COL",
        loggedAt: NOW,
        correctedAt: undefined,
        retractedAt: undefined,
      });
      expect(created).toEqual(await repos.sightings.get(created.id));
    });

    it("near= returns exactly the sightings within the radius, across the antimeridian too", async () => {
      await repos.sightings.create(sighting({ position: at(12.5 + 9.9 * NM_LAT, -79.2) })); // S-1: 9.9 nm N
      await repos.sightings.create(sighting({ position: at(12.5 + 10.1 * NM_LAT, -79.2) })); // S-2: 10.1 nm N
      await repos.sightings.create(sighting({ position: at(12.5, -79.2) })); // S-3: at the centre
      await repos.sightings.create(sighting({ position: at(0, 179.9) })); // S-4
      await repos.sightings.create(sighting({ position: at(0, -179.9) })); // S-5: 12 nm east of S-4, across 180°
      // All seen at the same time: ties go newest logged first.
      expect(await refs({ near: { lat: 12.5, lon: -79.2, radiusNm: 10 } })).toEqual(["S-3", "S-1"]);
      expect(await refs({ near: { lat: 12.5, lon: -79.2, radiusNm: 10.2 } })).toEqual(["S-3", "S-2", "S-1"]);
      expect(await refs({ near: { lat: 0, lon: 179.95, radiusNm: 10 } })).toEqual(["S-5", "S-4"]);
    });

    it("since= returns exactly the sightings seen in the period, newest first", async () => {
      await repos.sightings.create(sighting({ seenAt: hoursAgo(23.9) }));
      await repos.sightings.create(sighting({ seenAt: hoursAgo(24.1) }));
      await repos.sightings.create(sighting({ seenAt: hoursAgo(1) }));
      await repos.sightings.create(sighting({ seenAt: hoursAgo(0.5) }));
      expect(await refs({ since: hoursAgo(24) })).toEqual(["S-4", "S-3", "S-1"]);
      expect(await refs({ since: hoursAgo(1) })).toEqual(["S-4", "S-3"]);
    });

    it("kind= and text= narrow the list; text is literal (no wildcards) and case-insensitive", async () => {
      await repos.sightings.create(sighting({ kind: "vessel", ids: { name: "Sin Nombre" } }));
      await repos.sightings.create(sighting({ kind: "aircraft", ids: { tail: "HK-4F2" } }));
      await repos.sightings.create(sighting({ kind: "vessel", remarks: "100% sure, 3_outboards" }));
      await repos.sightings.create(sighting({ kind: "person", ids: { plate: "ABC 123" } }));
      await repos.sightings.create(sighting({ kind: "vessel", ids: { mmsi: "367123450", imo: "9074729" } }));
      expect(await refs({ kind: "vessel" })).toEqual(["S-5", "S-3", "S-1"]);
      expect(await refs({ text: "NOMBRE" })).toEqual(["S-1"]);
      expect(await refs({ text: "hk-4f" })).toEqual(["S-2"]);
      expect(await refs({ text: "abc 1" })).toEqual(["S-4"]);
      expect(await refs({ text: "3671" })).toEqual(["S-5"]);
      expect(await refs({ text: "907472" })).toEqual(["S-5"]);
      expect(await refs({ text: "100%" })).toEqual(["S-3"]);
      expect(await refs({ text: "%" })).toEqual(["S-3"]);
      expect(await refs({ text: "3_o" })).toEqual(["S-3"]);
      expect(await refs({ text: "vessel" })).toEqual([]);
      expect(await refs({ kind: "vessel", text: "sure" })).toEqual(["S-3"]);
    });

    it("shows a room only its own sightings, never retracted ones, and counts beyond the limit", async () => {
      for (let i = 0; i < 5; i++)
        await repos.sightings.create(sighting({ seenAt: new Date(+NOW - i * 60_000) }));
      await repos.sightings.create(sighting({ roomId: OTHER }));
      await repos.sightings.retract(2, ROJAS, NOW);
      const page = await repos.sightings.search({ roomId: COL_USA, since: hoursAgo(24), limit: 3 });
      expect(page.sightings.map((s) => s.ref)).toEqual(["S-1", "S-3", "S-4"]);
      expect(page.total).toBe(4);
      expect(await refs({ roomId: OTHER })).toEqual(["S-6"]);
      expect(await refs({ roomId: "!nobody:example.org" })).toEqual([]);
      expect(await repos.sightings.search({ roomId: "!nobody:example.org", since: NOW, limit: 3 })).toEqual({
        sightings: [],
        total: 0,
      });
    });

    it("finds live sightings of this room sharing an identifier within the time span, newest first", async () => {
      await repos.sightings.create(sighting({ ids: { name: "SIN NOMBRE" }, seenAt: hoursAgo(3) })); // S-1
      await repos.sightings.create(sighting({ ids: { name: "sin  nombre" }, seenAt: hoursAgo(8) })); // S-2: too early
      await repos.sightings.create(sighting({ ids: { mmsi: "367123450" }, seenAt: hoursAgo(2) })); // S-3: excluded
      await repos.sightings.create(
        sighting({ ids: { name: "SIN NOMBRE" }, seenAt: hoursAgo(1), roomId: OTHER }),
      ); // S-4
      await repos.sightings.create(sighting({ ids: { name: "SIN NOMBRE" }, seenAt: hoursAgo(1) })); // S-5: retracted
      await repos.sightings.retract(5, ROJAS, NOW);
      await repos.sightings.create(sighting({ ids: { name: "Sin Nombre" }, seenAt: hoursAgo(0.5) })); // S-6
      await repos.sightings.create(sighting({ ids: { mmsi: "367123450" }, seenAt: hoursAgo(4) })); // S-7
      await repos.sightings.create(sighting({ ids: { name: "OTRO" }, seenAt: hoursAgo(1) })); // S-8: no match
      const found = await repos.sightings.sharingIdentifiers({
        roomId: COL_USA,
        keys: ["name:sin nombre", "mmsi:367123450"],
        from: hoursAgo(6),
        to: NOW,
        excludeId: 3,
      });
      expect(found.map((s) => s.ref)).toEqual(["S-6", "S-1", "S-7"]);
      const none = { roomId: COL_USA, keys: [], from: hoursAgo(6), to: NOW };
      expect(await repos.sightings.sharingIdentifiers(none)).toEqual([]);
    });

    it("corrects what was reported in place; who, where and when it was logged stay", async () => {
      const s = await repos.sightings.create(sighting(FULL));
      const report = {
        kind: "vessel" as const,
        position: at(12.6, -79.3),
        seenAt: hoursAgo(2),
        ids: { name: "OTRO" },
      };
      const corrected = await repos.sightings.correct(
        s.id,
        { ...report, tlp: "green" as const },
        ["S-7"],
        NOW,
      );
      const expected = {
        id: s.id,
        ref: "S-1",
        ...report,
        tlp: "green",
        matches: ["S-7"],
        correctedAt: NOW,
        roomId: COL_USA,
        reporter: ROJAS,
        reporterPartner: "COL",
        loggedAt: NOW,
        // Left out of the correction, so gone: a correction replaces the whole report.
        course: undefined,
        speed: undefined,
        rel: undefined,
        grading: undefined,
        remarks: undefined,
        retractedAt: undefined,
      };
      expect(corrected).toEqual(expected);
      expect(await repos.sightings.get(s.id)).toEqual(expected);
      expect(await refs({ text: "nombre" })).toEqual([]);
      expect(await refs({ text: "otro" })).toEqual(["S-1"]);
    });

    it("marks a retracted sighting without deleting it", async () => {
      const s = await repos.sightings.create(sighting({ ids: { name: "SIN NOMBRE" } }));
      const retracted = await repos.sightings.retract(s.id, ROJAS, NOW);
      expect(retracted).toEqual({ ...s, retractedAt: NOW });
      expect(await repos.sightings.get(s.id)).toEqual({ ...s, retractedAt: NOW });
      expect(await refs()).toEqual([]);
    });

    it("refuses to correct or retract a sighting that does not exist", async () => {
      await expect(repos.sightings.correct(7, sighting(), [], NOW)).rejects.toThrow();
      await expect(repos.sightings.retract(7, ROJAS, NOW)).rejects.toThrow();
      expect(await repos.sightings.get(7)).toBeUndefined();
    });
  });

  describe("RFIs", () => {
    it("numbers RFIs RFI-1, RFI-2, … and starts them open", async () => {
      const first = await repos.rfis.create(ask());
      expect(first).toEqual({
        id: 1,
        ref: "RFI-1",
        ...ask(),
        status: "open",
        reason: undefined,
        answer: undefined,
        answeredBy: undefined,
        answeredAt: undefined,
        updatedAt: T0,
      });
      expect((await repos.rfis.create(ask())).ref).toBe("RFI-2");
      expect(await repos.rfis.get(1, COL_USA)).toEqual(first);
    });

    it("goes through its life: raised, accepted, referred, answered, closed — every step stored", async () => {
      const r = await repos.rfis.create(ask());
      await repos.rfis.update(r.id, { status: "accepted", reason: null, at: minutes(5) });
      const referred = await repos.rfis.update(r.id, {
        status: "referred",
        to: { room: "usa-jtf", partners: ["USA", "JTF"] },
        toRoomId: USA_JTF,
        reason: "JTF has it",
        at: minutes(10),
      });
      expect(await repos.rfis.get(r.id, USA_JTF)).toEqual(referred);
      expect(referred).toMatchObject({
        status: "referred",
        to: { room: "usa-jtf", partners: ["USA", "JTF"] },
        reason: "JTF has it",
        updatedAt: minutes(10),
      });
      await repos.rfis.update(r.id, {
        status: "answered",
        answer: { text: "AIS dark", by: SMITH, at: minutes(20) },
        reason: null,
        at: minutes(20),
      });
      const closed = await repos.rfis.update(r.id, { status: "closed", at: minutes(30) });
      expect(closed).toEqual({
        ...r,
        to: { room: "usa-jtf", partners: ["USA", "JTF"] },
        status: "closed",
        answer: "AIS dark",
        answeredBy: SMITH,
        answeredAt: minutes(20),
        reason: undefined,
        updatedAt: minutes(30),
      });
      expect(await repos.rfis.get(r.id, COL_USA)).toEqual(closed);
    });

    it("corrects what was asked, and can drop the deadline and move it back to a partner", async () => {
      const r = await repos.rfis.create(
        ask({ to: { room: "usa-jtf", partners: ["USA", "JTF"] }, toRoomId: USA_JTF }),
      );
      const c = await repos.rfis.update(r.id, {
        priority: "routine",
        ltiov: null,
        question: "anything?",
        to: { partner: "JTF" },
        toRoomId: null,
        at: minutes(1),
      });
      expect(c).toEqual({
        ...r,
        priority: "routine",
        ltiov: undefined,
        question: "anything?",
        to: { partner: "JTF" },
        updatedAt: minutes(1),
      });
      expect(await repos.rfis.get(r.id, USA_JTF)).toBeUndefined();
    });

    it("is seen from the room it was raised in and the room it is addressed to, nowhere else", async () => {
      const r = await repos.rfis.create(
        ask({ to: { room: "usa-jtf", partners: ["USA", "JTF"] }, toRoomId: USA_JTF }),
      );
      expect((await repos.rfis.get(r.id, COL_USA))?.ref).toBe("RFI-1");
      expect((await repos.rfis.get(r.id, USA_JTF))?.ref).toBe("RFI-1");
      expect(await repos.rfis.get(r.id, OTHER)).toBeUndefined();
      expect(await repos.rfis.get(99, COL_USA)).toBeUndefined();
      const listed = await repos.rfis.list({
        roomId: USA_JTF,
        filter: "all",
        user: SMITH,
        now: NOW,
        limit: 5,
      });
      expect(listed.rfis.map((x) => x.ref)).toEqual(["RFI-1"]);
    });

    it("lists open, mine, overdue and all exactly, newest first, counting beyond the limit", async () => {
      const now = new Date("2026-11-28T11:00:00Z");
      await repos.rfis.create(ask({ createdAt: minutes(1) })); // RFI-1 open, LTIOV 10:00 → overdue
      await repos.rfis.create(ask({ createdAt: minutes(2), ltiov: new Date("2026-11-28T12:00:00Z") })); // RFI-2 not yet due
      const answered = await repos.rfis.create(ask({ createdAt: minutes(3) })); // RFI-3 answered (past LTIOV, not overdue)
      await repos.rfis.update(answered.id, {
        status: "answered",
        answer: { text: "x", by: SMITH, at: minutes(4) },
        at: minutes(4),
      });
      await repos.rfis.create(ask({ createdAt: minutes(4), originator: SMITH, ltiov: undefined })); // RFI-4 Smith's
      const closed = await repos.rfis.create(ask({ createdAt: minutes(5) })); // RFI-5 closed
      await repos.rfis.update(closed.id, { status: "closed", at: minutes(6) });
      const deferred = await repos.rfis.create(ask({ createdAt: minutes(6) })); // RFI-6 deferred, overdue
      await repos.rfis.update(deferred.id, { status: "deferred", at: minutes(7) });
      await repos.rfis.create(ask({ roomId: OTHER, createdAt: minutes(7) })); // RFI-7 elsewhere
      const withdrawn = await repos.rfis.create(ask({ createdAt: minutes(8) })); // RFI-8 withdrawn
      await repos.rfis.update(withdrawn.id, { status: "withdrawn", at: minutes(9) });
      await repos.rfis.create(ask({ createdAt: minutes(6) })); // RFI-9: same time as RFI-6, so after it by number
      const list = async (filter: "open" | "mine" | "overdue" | "all", user = ROJAS) =>
        (await repos.rfis.list({ roomId: COL_USA, filter, user, now, limit: 50 })).rfis.map((r) => r.ref);
      expect(await list("open")).toEqual(["RFI-9", "RFI-6", "RFI-4", "RFI-2", "RFI-1"]);
      expect(await list("overdue")).toEqual(["RFI-9", "RFI-6", "RFI-1"]);
      expect(await list("mine")).toEqual(["RFI-9", "RFI-6", "RFI-3", "RFI-2", "RFI-1"]);
      expect(await list("mine", SMITH)).toEqual(["RFI-4"]);
      expect(await list("all")).toEqual([
        "RFI-8",
        "RFI-9",
        "RFI-6",
        "RFI-5",
        "RFI-4",
        "RFI-3",
        "RFI-2",
        "RFI-1",
      ]);
      const page = await repos.rfis.list({ roomId: COL_USA, filter: "all", user: ROJAS, now, limit: 2 });
      expect([page.rfis.map((r) => r.ref), page.total]).toEqual([["RFI-8", "RFI-9"], 8]);
      const empty = await repos.rfis.list({
        roomId: "!nobody:example.org",
        filter: "all",
        user: ROJAS,
        now,
        limit: 2,
      });
      expect(empty).toEqual({ rfis: [], total: 0 });
    });

    it("refuses to update an RFI that does not exist", async () => {
      await expect(repos.rfis.update(7, { status: "closed", at: NOW })).rejects.toThrow();
      expect(await repos.rfis.get(7, COL_USA)).toBeUndefined();
    });
  });

  describe("alerts", () => {
    const item: ShareableItem = {
      kind: "sighting",
      ref: "S-112",
      tlp: "amber",
      rel: ["USA", "JTF"],
      sighting: {
        kind: "vessel",
        position: at(12.5, -79.2),
        seenAt: T0,
        ids: { name: "SIN NOMBRE" },
        remarks: "go-fast",
        reporter: ROJAS,
        reporterPartner: "COL",
      },
    };
    const alert = (over: Partial<NewAlert> = {}): NewAlert => ({
      roomId: COL_USA,
      room: "col-usa",
      kind: "sighting",
      sourceRef: "S-112",
      item,
      tlp: "amber",
      rel: ["USA", "JTF"],
      requester: ROJAS,
      createdAt: NOW,
      commandEventId: "$cmd",
      targets: [
        {
          room: "usa-jtf",
          roomId: USA_JTF,
          rule: "col-usa→usa-jtf",
          outcome: "pending",
          approval: { role: "approver", count: 1, notRequester: true },
          expiresAt: new Date(+NOW + 86_400_000),
        },
        {
          room: "col-pan",
          roomId: OTHER,
          outcome: "refused",
          reason: "no rule from col-usa to col-pan",
          decidedAt: NOW,
        },
      ],
      ...over,
    });
    const vote = (user: string, decision: AlertApproval["decision"], minute = 1): AlertApproval => ({
      user,
      name: "CDR Miller",
      roles: ["approver"],
      decision,
      via: "reaction",
      at: new Date(+NOW + minute * 60_000),
    });

    it("numbers alerts A-1, A-2, … and gives back the item, its Dates and its targets in order", async () => {
      const a = await repos.alerts.create(alert());
      expect(a.ref).toBe("A-1");
      expect(a.item).toEqual(item);
      expect(a.targets.map((t) => [t.room, t.outcome, t.rule, t.reason])).toEqual([
        ["usa-jtf", "pending", "col-usa→usa-jtf", undefined],
        ["col-pan", "refused", undefined, "no rule from col-usa to col-pan"],
      ]);
      expect(a.targets[0]?.approval).toEqual({ role: "approver", count: 1, notRequester: true });
      expect(await repos.alerts.get(1)).toEqual(a);
      expect((await repos.alerts.create(alert())).ref).toBe("A-2");
      expect(await repos.alerts.get(3)).toBeUndefined();
    });

    it("names a text alert's item by the alert's own ref", async () => {
      const text: ShareableItem = {
        kind: "text",
        ref: "",
        tlp: "green",
        text: { text: "hi", reporter: ROJAS, reporterPartner: "COL" },
      };
      const a = await repos.alerts.create(alert({ kind: "text", sourceRef: null, item: text }));
      expect(a.item.ref).toBe("A-1");
    });

    it("finds the alerts of a source record in its room", async () => {
      await repos.alerts.create(alert());
      await repos.alerts.create(alert({ sourceRef: "S-113" }));
      await repos.alerts.create(alert());
      await repos.alerts.create(alert({ roomId: OTHER }));
      expect((await repos.alerts.bySource(COL_USA, "S-112")).map((a) => a.ref)).toEqual(["A-1", "A-3"]);
    });

    it("changes one target's outcome and leaves the others", async () => {
      await repos.alerts.create(alert());
      await repos.alerts.setTarget(1, "usa-jtf", { outcome: "relayed", decidedAt: NOW });
      const a = await repos.alerts.get(1);
      expect(a?.targets.map((t) => t.outcome)).toEqual(["relayed", "refused"]);
      expect(a?.targets[0]?.decidedAt).toEqual(NOW);
    });

    it("keeps one decision per user: a counted one is never replaced, an ignored one only by a counted one", async () => {
      await repos.alerts.create(alert());
      expect(await repos.alerts.recordApproval(1, vote(SMITH, "ignored", 1))).toBe(true);
      expect(await repos.alerts.recordApproval(1, vote(SMITH, "ignored", 2))).toBe(false);
      expect(await repos.alerts.recordApproval(1, vote(ROJAS, "approve", 3))).toBe(true);
      expect(await repos.alerts.recordApproval(1, vote(ROJAS, "deny", 4))).toBe(false);
      expect(await repos.alerts.recordApproval(1, vote(ROJAS, "ignored", 5))).toBe(false);
      expect(await repos.alerts.recordApproval(1, vote(SMITH, "approve", 6))).toBe(true);
      const a = await repos.alerts.get(1);
      expect(a?.approvals.map((v) => [v.user, v.decision, +v.at])).toEqual([
        [ROJAS, "approve", +NOW + 3 * 60_000],
        [SMITH, "approve", +NOW + 6 * 60_000],
      ]);
      expect(a?.approvals[0]).toMatchObject({ name: "CDR Miller", roles: ["approver"], via: "reaction" });
    });

    it("stores a corrected item for later copies", async () => {
      await repos.alerts.create(alert());
      const corrected = { ...item, tlp: "green" as const, rel: undefined };
      await repos.alerts.updateItem(1, corrected);
      const a = await repos.alerts.get(1);
      expect(a?.item).toEqual({ ...corrected });
      expect([a?.tlp, a?.rel]).toEqual(["green", undefined]);
    });
  });

  describe("received sightings", () => {
    it("keep where they came from, and are found by the alert that brought them", async () => {
      const received = { fromRoom: "col-usa", fromRef: "S-112", alertRef: "A-31" };
      const s = await repos.sightings.create(sighting({ roomId: USA_JTF, reporter: "", received }));
      await repos.sightings.create(sighting());
      expect(s.received).toEqual(received);
      expect((await repos.sightings.get(s.id))?.received).toEqual(received);
      expect((await repos.sightings.get(2))?.received).toBeUndefined();
      expect((await repos.sightings.receivedVia("A-31")).map((x) => x.ref)).toEqual([s.ref]);
      expect(await repos.sightings.receivedVia("A-32")).toEqual([]);
    });
  });

  describe("digests", () => {
    const period = { from: hoursAgo(24), to: NOW };

    it("gives a room only its own live sightings of the period, with their corroboration", async () => {
      const mine = await repos.sightings.create(
        sighting({ matches: ["S-9", "S-8"], grading: { reliability: "B", credibility: 2 } }),
      );
      await repos.sightings.create(sighting({ roomId: USA_JTF }));
      await repos.sightings.create(sighting({ seenAt: hoursAgo(25) }));
      await repos.sightings.create(sighting({ seenAt: NOW }));
      const gone = await repos.sightings.create(sighting());
      await repos.sightings.retract(gone.id, ROJAS, NOW);
      const { sightings } = await repos.digests.items(COL_USA, period);
      expect(sightings).toEqual([
        {
          ref: mine.ref,
          roomId: COL_USA,
          kind: "vessel",
          lat: 12.5,
          lon: -79.2,
          seenAt: hoursAgo(1),
          ids: { name: undefined, mmsi: undefined, imo: undefined, tail: undefined, plate: undefined },
          grading: { reliability: "B", credibility: 2 },
          tlp: "amber",
          corroboratedBy: 2,
        },
      ]);
    });

    it("gives the RFIs raised in or addressed to the room that the period speaks of", async () => {
      const opened = await repos.rfis.create(ask({ createdAt: hoursAgo(2), ltiov: undefined }));
      const addressed = await repos.rfis.create(
        ask({
          roomId: USA_JTF,
          toRoomId: COL_USA,
          to: { room: "col-usa", partners: ["COL", "USA"] },
          createdAt: hoursAgo(30),
          ltiov: hoursAgo(1),
        }),
      );
      await repos.rfis.create(ask({ roomId: USA_JTF, createdAt: hoursAgo(2) }));
      await repos.rfis.create(ask({ createdAt: hoursAgo(48), ltiov: undefined }));
      const refs = (await repos.digests.items(COL_USA, period)).rfis.map((r) => r.ref).sort();
      expect(refs).toEqual([opened.ref, addressed.ref].sort());
    });

    it("gives a received copy with where it came from and the alert that brought it", async () => {
      const received = { fromRoom: "col-usa", fromRef: "S-112", alertRef: "A-31" };
      const copy = await repos.sightings.create(
        sighting({ roomId: USA_JTF, reporter: "", position: at(12.6, -79.1), received }),
      );
      await repos.sightings.create(sighting());
      const { sightings } = await repos.digests.items(USA_JTF, period);
      expect(sightings.map((s) => [s.ref, s.lat, s.lon, s.received])).toEqual([
        [copy.ref, 12.6, -79.1, { from: "col-usa", alertRef: "A-31" }],
      ]);
      expect((await repos.digests.items(COL_USA, period)).sightings[0]?.received).toBeUndefined();
    });

    it("counts the room's alerts of the period by standing, those relayed into it, and those awaiting approval", async () => {
      const item: ShareableItem = {
        kind: "text",
        ref: "",
        tlp: "green",
        text: { text: "hi", reporter: ROJAS, reporterPartner: "COL" },
      };
      type Target = NewAlert["targets"][number];
      const to = (
        outcome: Target["outcome"],
        decidedAt?: Date,
        roomId = USA_JTF,
        room = "usa-jtf",
      ): Target => ({
        room,
        roomId,
        outcome,
        decidedAt,
      });
      const raise = (roomId: string, createdAt: Date, targets: Target[]) =>
        repos.alerts.create({
          roomId,
          room: roomId === COL_USA ? "col-usa" : "usa-jtf",
          kind: "text",
          sourceRef: null,
          item,
          tlp: "green",
          requester: ROJAS,
          createdAt,
          targets,
        });
      // From col-usa in the period: relayed to one room and refused for another (approved), pending, denied, expired, refused, none.
      await raise(COL_USA, hoursAgo(3), [
        to("relayed", hoursAgo(3)),
        to("refused", hoursAgo(3), OTHER, "col-pan"),
      ]);
      await raise(COL_USA, hoursAgo(2), [to("pending")]);
      await raise(COL_USA, hoursAgo(5), [to("denied", hoursAgo(4))]);
      await raise(COL_USA, hoursAgo(6), [to("expired", hoursAgo(1))]);
      await raise(COL_USA, hoursAgo(7), [to("refused", hoursAgo(7))]);
      await raise(COL_USA, hoursAgo(8), []);
      // From col-usa before the period: still pending (awaiting, not counted as sent), and one long relayed.
      await raise(COL_USA, hoursAgo(30), [to("pending"), to("refused", hoursAgo(30), OTHER, "col-pan")]);
      await raise(COL_USA, hoursAgo(40), [to("relayed", hoursAgo(40))]);
      // Into col-usa: relayed in the period, before it, pending, recalled.
      await raise(USA_JTF, hoursAgo(2), [to("relayed", hoursAgo(2), COL_USA, "col-usa")]);
      await raise(USA_JTF, hoursAgo(30), [to("relayed", hoursAgo(26), COL_USA, "col-usa")]);
      await raise(USA_JTF, hoursAgo(2), [to("pending", undefined, COL_USA, "col-usa")]);
      await raise(USA_JTF, hoursAgo(2), [to("recalled", hoursAgo(1), COL_USA, "col-usa")]);
      // At the period's end: the next period's.
      await raise(COL_USA, NOW, [to("pending")]);
      expect(await repos.digests.alerts(COL_USA, period)).toEqual({
        sent: { approved: 1, denied: 2, refused: 2, pending: 1 },
        received: 1,
        awaiting: [
          { ref: "A-7", since: hoursAgo(30) },
          { ref: "A-2", since: hoursAgo(2) },
        ],
      });
      expect(await repos.digests.alerts(USA_JTF, period)).toEqual({
        sent: { approved: 1, denied: 0, refused: 1, pending: 1 },
        received: 1,
        awaiting: [{ ref: "A-11", since: hoursAgo(2) }],
      });
      expect(await repos.digests.alerts(OTHER, period)).toEqual({
        sent: { approved: 0, denied: 0, refused: 0, pending: 0 },
        received: 0,
        awaiting: [],
      });
    });

    it("claims a room's period once", async () => {
      const claim = {
        roomId: COL_USA,
        period,
        trigger: "schedule",
        status: "posted",
        late: false,
        at: NOW,
      } as const;
      expect(await repos.digests.claim(claim)).toBe(true);
      expect(await repos.digests.claim({ ...claim, trigger: "command" })).toBe(false);
      expect(await repos.digests.claim({ ...claim, roomId: USA_JTF })).toBe(true);
      expect(await repos.digests.lastEnd(COL_USA)).toEqual(NOW);
      expect(await repos.digests.lastEnd(OTHER)).toBeUndefined();
    });

    it("keeps a chat schedule until it is reset", async () => {
      const s = { roomId: COL_USA, cron: "0 6 * * *", tz: "America/Bogota", setBy: ROJAS, setAt: NOW };
      await repos.digests.setSchedule(s);
      await repos.digests.setSchedule({ ...s, cron: undefined });
      expect(await repos.digests.schedule(COL_USA)).toEqual({ ...s, cron: undefined });
      expect(await repos.digests.resetSchedule(COL_USA)).toBe(true);
      expect(await repos.digests.resetSchedule(COL_USA)).toBe(false);
      expect(await repos.digests.schedule(COL_USA)).toBeUndefined();
    });
  });

  describe("room settings", () => {
    it("keeps a room's chat language, the latest one set, for that room only", async () => {
      expect(await repos.rooms.lang(COL_USA)).toBeUndefined();
      await repos.rooms.setLang({ roomId: COL_USA, lang: "es", setBy: ROJAS, setAt: T0 });
      await repos.rooms.setLang({ roomId: COL_USA, lang: "pt", setBy: SMITH, setAt: NOW });
      await repos.rooms.setLang({ roomId: USA_JTF, lang: "fr", setBy: SMITH, setAt: T0 });
      expect(await repos.rooms.lang(COL_USA)).toEqual({
        roomId: COL_USA,
        lang: "pt",
        setBy: SMITH,
        setAt: NOW,
      });
      expect(await repos.rooms.lang(USA_JTF)).toEqual({
        roomId: USA_JTF,
        lang: "fr",
        setBy: SMITH,
        setAt: T0,
      });
      expect(await repos.rooms.lang(OTHER)).toBeUndefined();
    });
  });
});
