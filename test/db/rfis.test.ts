import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { NewRfi, RfiRepo } from "../../src/domain/repos.ts";
import { rfiRepo } from "../../src/db/queries/rfis.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const COL_USA = "!colusa:example.org";
const ROJAS = "@lo.col:example.org";
const T0 = new Date("2026-11-28T07:14:00Z");

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

/** What only PostgreSQL shows; what every repository must do is in repos.contract.test.ts. */
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

  it("refuses a row with two addressees or an unknown status", async () => {
    await expect(db.sql`insert into rfis (room_id, originator, originator_partner, priority, to_partner, to_room, question, created_at, updated_at)
      values ('r', 'u', 'COL', 'routine', 'USA', 'usa-jtf', 'q', now(), now())`).rejects.toThrow(
      /rfis_addressee/,
    );
    const r = await repo.create(ask());
    await expect(db.sql`update rfis set status = 'lost' where id = ${r.id}`).rejects.toThrow(/rfis_status/);
  });
});
