import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { NewSighting, SightingRepo } from "../../src/domain/repos.ts";
import { sightingRepo } from "../../src/db/queries/sightings.ts";
import type { Position } from "../../src/domain/position.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const ROOM = "!colusa:example.org";
const NOW = new Date("2026-11-28T07:20:00Z");
const NM_LAT = 1 / 60; // one nautical mile of latitude, in degrees

function at(lat: number, lon: number): Position {
  return { lat, lon, precisionM: 100, format: "decimal" };
}

function sighting(over: Partial<NewSighting> = {}): NewSighting {
  return {
    kind: "vessel",
    position: at(12.5, -79.2),
    seenAt: new Date(+NOW - 3_600_000),
    ids: {},
    tlp: "amber",
    roomId: ROOM,
    reporter: "@lo.col:example.org",
    reporterPartner: "COL",
    loggedAt: NOW,
    matches: [],
    ...over,
  };
}

describe("sightings in PostgreSQL", () => {
  let db: TestDatabase;
  let repo: SightingRepo;
  beforeAll(async () => {
    db = await createTestDatabase("sightings");
    repo = sightingRepo(db.db);
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate sightings restart identity`;
  });

  const refs = async (q: Partial<Parameters<SightingRepo["search"]>[0]> = {}) =>
    (await repo.search({ roomId: ROOM, since: new Date(+NOW - 86_400_000), limit: 50, ...q })).sightings.map(
      (s) => s.ref,
    );

  it("numbers sightings S-1, S-2, … and never gives a number twice, even to concurrent reports", async () => {
    expect((await repo.create(sighting())).ref).toBe("S-1");
    expect((await repo.create(sighting())).ref).toBe("S-2");
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, () => db.db.transaction((tx) => sightingRepo(tx).create(sighting()))),
    );
    const ids = concurrent.map((s) => s.id).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
  });

  it("keeps every field of a report as it was given", async () => {
    const s = await repo.create(
      sighting({
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
      }),
    );
    const { id: _id, ref: _ref, ...stored } = (await repo.get(s.id))!;
    expect(stored).toEqual({
      kind: "aircraft",
      position: { lat: 12.508333, lon: -79.166667, precisionM: 1808.3, format: "dm" },
      seenAt: new Date(+NOW - 3_600_000),
      ids: { name: "SIN NOMBRE", mmsi: "367123450", imo: "9074729", tail: "HK-4F2", plate: "ABC 123" },
      course: 45,
      speed: { knots: 32.4, value: 60, unit: "km/h" },
      tlp: "amber+strict",
      rel: ["USA", "COL"],
      grading: { reliability: "B", credibility: 2 },
      remarks: "go-fast, 3 outboards",
      matches: ["S-9"],
      roomId: ROOM,
      reporter: "@lo.col:example.org",
      reporterPartner: "COL",
      loggedAt: NOW,
      correctedAt: undefined,
      retractedAt: undefined,
    });
  });

  it("near= returns exactly the sightings within the radius, across the antimeridian too", async () => {
    await repo.create(sighting({ position: at(12.5 + 9.9 * NM_LAT, -79.2) })); // S-1: 9.9 nm N
    await repo.create(sighting({ position: at(12.5 + 10.1 * NM_LAT, -79.2) })); // S-2: 10.1 nm N
    await repo.create(sighting({ position: at(12.5, -79.2) })); // S-3: at the centre
    await repo.create(sighting({ position: at(0, 179.9) })); // S-4
    await repo.create(sighting({ position: at(0, -179.9) })); // S-5: 12 nm east of S-4, across 180°
    expect(await refs({ near: { lat: 12.5, lon: -79.2, radiusNm: 10 } })).toEqual(["S-3", "S-1"]);
    expect(await refs({ near: { lat: 12.5, lon: -79.2, radiusNm: 10.2 } })).toEqual(["S-3", "S-2", "S-1"]);
    expect(await refs({ near: { lat: 0, lon: 179.95, radiusNm: 10 } })).toEqual(["S-5", "S-4"]);
  });

  it("since= returns exactly the sightings seen in the period, newest first", async () => {
    const hoursAgo = (h: number) => new Date(+NOW - h * 3_600_000);
    await repo.create(sighting({ seenAt: hoursAgo(23.9) }));
    await repo.create(sighting({ seenAt: hoursAgo(24.1) }));
    await repo.create(sighting({ seenAt: hoursAgo(1) }));
    await repo.create(sighting({ seenAt: hoursAgo(0.5) }));
    expect(await refs({ since: hoursAgo(24) })).toEqual(["S-4", "S-3", "S-1"]);
    expect(await refs({ since: hoursAgo(1) })).toEqual(["S-4", "S-3"]);
  });

  it("kind= and text= narrow the list; text is literal (no wildcards) and case-insensitive", async () => {
    await repo.create(sighting({ kind: "vessel", ids: { name: "Sin Nombre" } }));
    await repo.create(sighting({ kind: "aircraft", ids: { tail: "HK-4F2" } }));
    await repo.create(sighting({ kind: "vessel", remarks: "100% sure, 3_outboards" }));
    await repo.create(sighting({ kind: "person" }));
    expect(await refs({ kind: "vessel" })).toEqual(["S-3", "S-1"]);
    expect(await refs({ text: "NOMBRE" })).toEqual(["S-1"]);
    expect(await refs({ text: "hk-4f" })).toEqual(["S-2"]);
    expect(await refs({ text: "100%" })).toEqual(["S-3"]);
    expect(await refs({ text: "%" })).toEqual(["S-3"]);
    expect(await refs({ text: "3_o" })).toEqual(["S-3"]);
    expect(await refs({ kind: "vessel", text: "sure" })).toEqual(["S-3"]);
  });

  it("shows a room only its own sightings, never retracted ones, and counts beyond the limit", async () => {
    for (let i = 0; i < 5; i++) await repo.create(sighting({ seenAt: new Date(+NOW - i * 60_000) }));
    await repo.create(sighting({ roomId: "!other:example.org" }));
    await repo.retract(2, "@lo.col:example.org", NOW);
    const page = await repo.search({ roomId: ROOM, since: new Date(+NOW - 86_400_000), limit: 3 });
    expect(page.sightings.map((s) => s.ref)).toEqual(["S-1", "S-3", "S-4"]);
    expect(page.total).toBe(4);
    expect(await refs({ roomId: "!other:example.org" })).toEqual(["S-6"]);
    expect(await refs({ roomId: "!nobody:example.org" })).toEqual([]);
  });

  it("finds live sightings of this room sharing an identifier within the time span", async () => {
    const seen = (h: number) => new Date(+NOW - h * 3_600_000);
    await repo.create(sighting({ ids: { name: "SIN NOMBRE" }, seenAt: seen(3) })); // S-1
    await repo.create(sighting({ ids: { name: "sin  nombre" }, seenAt: seen(8) })); // S-2: too early
    await repo.create(sighting({ ids: { mmsi: "367123450" }, seenAt: seen(2) })); // S-3
    await repo.create(
      sighting({ ids: { name: "SIN NOMBRE" }, seenAt: seen(1), roomId: "!other:example.org" }),
    ); // S-4
    await repo.create(sighting({ ids: { name: "SIN NOMBRE" }, seenAt: seen(1) })); // S-5: retracted
    await repo.retract(5, "x", NOW);
    const found = await repo.sharingIdentifiers({
      roomId: ROOM,
      keys: ["name:sin nombre", "mmsi:367123450"],
      from: seen(6),
      to: NOW,
      excludeId: 3,
    });
    expect(found.map((s) => s.ref)).toEqual(["S-1"]);
  });

  it("corrects a sighting in place, and marks a retracted one without deleting it", async () => {
    const s = await repo.create(sighting({ ids: { name: "SIN NOMBRE" } }));
    const corrected = await repo.correct(
      s.id,
      { ...sighting(), ids: { name: "OTRO" }, course: 90 },
      ["S-7"],
      NOW,
    );
    expect(corrected).toMatchObject({
      ref: "S-1",
      ids: { name: "OTRO" },
      course: 90,
      matches: ["S-7"],
      correctedAt: NOW,
    });
    const keys = await db.sql<
      { match_keys: string[] }[]
    >`select match_keys from sightings where id = ${s.id}`;
    expect(keys[0]?.match_keys).toEqual(["name:otro"]);
    await repo.retract(s.id, "@lo.col:example.org", NOW);
    const rows =
      await db.sql`select extract(epoch from retracted_at)::float8 as at, retracted_by from sightings where id = ${s.id}`;
    expect(rows).toEqual([{ at: +NOW / 1000, retracted_by: "@lo.col:example.org" }]);
    expect((await repo.get(s.id))?.retractedAt).toEqual(NOW);
  });

  it("refuses impossible rows at the database too", async () => {
    await expect(repo.create(sighting({ position: at(91, 0) }))).rejects.toThrow();
    await expect(db.sql`insert into sightings (room_id, reporter, reporter_partner, kind, lat, lon, precision_m, position_format, seen_at, tlp, logged_at)
      values ('r', 'u', 'COL', 'boat', 0, 0, 1, 'decimal', now(), 'amber', now())`).rejects.toThrow(
      /sightings_kind/,
    );
  });
});
