import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { NewSighting, SightingRepo } from "../../src/domain/repos.ts";
import { sightingRepo } from "../../src/db/queries/sightings.ts";
import type { Position } from "../../src/domain/position.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const ROOM = "!colusa:example.org";
const NOW = new Date("2026-11-28T07:20:00Z");

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

/** What only PostgreSQL shows; what every repository must do is in repos.contract.test.ts. */
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

  it("numbers sightings S-1, S-2, … and never gives a number twice, even to concurrent reports", async () => {
    expect((await repo.create(sighting())).ref).toBe("S-1");
    expect((await repo.create(sighting())).ref).toBe("S-2");
    const concurrent = await Promise.all(
      Array.from({ length: 20 }, () => db.db.transaction((tx) => sightingRepo(tx).create(sighting()))),
    );
    const ids = concurrent.map((s) => s.id).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
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
