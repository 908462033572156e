import { describe, expect, it } from "vitest";
import sight from "../../../commands/sight.ts";
import {
  COL_USA,
  contextFor,
  editTo,
  error,
  OTHER_ROOM,
  recordOf,
  ROJAS,
  SMITH,
  send,
  text,
  world,
} from "./fakes.ts";

const BOGOTA = "America/Bogota";

const SCENARIO =
  "!sight vessel 12°30.5'N 079°10'W \"SIN NOMBRE\" time=280714ZNOV26 course=045 speed=32kt conf=B2 -- go-fast, 3 outboards, no flag";

describe("!sight", () => {
  it("logs the scenario's sighting and reads back what it understood, in the officer's units", async () => {
    const w = world();
    const reply = await send(sight, SCENARIO, contextFor(w));
    expect(text(reply, BOGOTA)).toBe(
      "✅ S-1 logged · vessel \"SIN NOMBRE\" · 12°30.50'N 079°10.00'W (±1.8 km) · seen 28 Nov 07:14Z (02:14 Bogota)" +
        ' · course 045° · 32 kt · B2 · TLP:AMBER · remarks "go-fast, 3 outboards, no flag"',
    );
    const [s] = w.sightings.rows;
    expect(s).toMatchObject({
      kind: "vessel",
      ids: { name: "SIN NOMBRE" },
      seenAt: new Date("2026-11-28T07:14:00Z"),
      course: 45,
      speed: { knots: 32, unit: "kt" },
      tlp: "amber",
      grading: { reliability: "B", credibility: 2 },
      remarks: "go-fast, 3 outboards, no flag",
      reporter: ROJAS,
      reporterPartner: "COL",
      roomId: COL_USA,
    });
    expect(s?.position.lat).toBeCloseTo(12.50833, 4);
    expect(s?.position.lon).toBeCloseTo(-79.16667, 4);
    expect(reply.ok && reply.value.record).toEqual({ ref: "S-1" });
    // The reply is data: a relay or a digest can render it with fields left out.
    const message = reply.ok ? reply.value.message : undefined;
    expect(message?.id).toBe("sighting.logged");
    expect(message?.params?.ref).toEqual({ kind: "ref", ref: "S-1" });
    const fields = message?.params?.readBack;
    expect(fields).toMatchObject({ kind: "list", sep: " · " });
    const ids = fields !== undefined && typeof fields === "object" && "items" in fields ? fields.items : [];
    expect(ids.map((f) => (typeof f === "object" && "id" in f ? f.id : typeof f))).toEqual([
      "sighting.whatNamed",
      "string",
      "sighting.seen",
      "sighting.course",
      "string",
      "string",
      "object",
      "sighting.remarks",
    ]);
    expect(ids.at(-1)).toEqual({
      id: "sighting.remarks",
      params: { remarks: { kind: "text", text: "go-fast, 3 outboards, no flag", max: 60 } },
    });
    expect(reply.ok && reply.value.audit?.[0]).toMatchObject({
      action: "sighting.logged",
      detail: { ref: "S-1" },
    });
  });

  it("defaults the time to when the officer sent the command, and the marking to TLP:AMBER", async () => {
    const w = world();
    const sentAt = new Date("2026-11-28T07:02:00Z");
    const reply = await send(
      sight,
      "!sight aircraft 12.51,-79.20",
      contextFor(w, ROJAS, COL_USA, { sentAt }),
    );
    expect(text(reply, BOGOTA)).toBe(
      "✅ S-1 logged · aircraft · 12.5100, -79.2000 (±1.1 km) · seen 28 Nov 07:02Z (02:02 Bogota) · TLP:AMBER",
    );
    expect(w.sightings.rows[0]?.seenAt).toEqual(sentAt);
  });

  it("reads back MGRS as a grid reference and its latitude and longitude", async () => {
    const w = world();
    const reply = await send(sight, "!sight vehicle 18PTR1234567890 plate=abc-123 tlp=red", contextFor(w));
    expect(text(reply)).toMatch(
      /^✅ S-1 logged · vehicle plate ABC-123 · 18P TR 12345 67890 = 09°39\.04'N 077°37\.26'W \(±1 m\) · seen 28 Nov 07:20Z/,
    );
    expect(text(reply)).toContain("TLP:RED");
  });

  it("reads back identifiers, km/h, releasability and the time outside a configured room", async () => {
    const w = world();
    const reply = await send(
      sight,
      "!sight vessel 12.5N 79.1W mmsi=367123450 imo=9074729 speed=60km/h rel=usa,col",
      contextFor(w, ROJAS, OTHER_ROOM),
    );
    expect(text(reply)).toBe(
      "✅ S-1 logged · vessel MMSI 367123450 · IMO 9074729 · 12.5000, -79.1000 (±11 km) · seen 28 Nov 07:20Z" +
        " · 60 km/h (32.4 kt) · TLP:AMBER · REL TO USA, COL",
    );
  });

  it("takes unquoted words after the position as the name", async () => {
    const w = world();
    await send(sight, "!sight vessel 12.51,-79.20 SIN NOMBRE", contextFor(w));
    expect(w.sightings.rows[0]?.ids.name).toBe("SIN NOMBRE");
  });

  it("reads a space after the comma between latitude and longitude", async () => {
    const w = world();
    await send(sight, "!sight vessel 12.5, -79.1 SIN NOMBRE", contextFor(w));
    expect(w.sightings.rows[0]).toMatchObject({
      position: { lat: 12.5, lon: -79.1 },
      ids: { name: "SIN NOMBRE" },
    });
  });

  it.each([
    [
      "!sight vessel 12,5 -79,1",
      '"12,5 -79,1" looks like decimal commas; use a point for decimals and a comma between latitude and longitude.',
    ],
    [
      "!sight vessel 12,5,-79,1",
      '"12,5,-79,1" has too many commas: use a point for decimals and one comma between latitude and longitude.',
    ],
    [
      "!sight vessel 12.51,-79.20 045",
      '"12.51,-79.20 045" has a bare number after the position: give a course with course= and a name with name=.',
    ],
  ])("refuses %j (a position it could misread) and stores nothing", async (command, message) => {
    const w = world();
    const reply = await send(sight, command, contextFor(w));
    expect(error(reply)).toContain(message);
    expect(w.sightings.rows).toHaveLength(0);
  });

  it.each([
    [
      "!sight vesel 12.5N 79.1W",
      '"vesel" is not a kind of sighting. Kinds: vessel, aircraft, vehicle, person, other. Did you mean "vessel"?',
    ],
    ["!sight", "the kind of sighting is missing. Kinds: vessel, aircraft, vehicle, person, other."],
    ["!sight vessel", "A position is missing."],
    ["!sight vessel 12.51 -79.20", '"12.51 -79.20" needs a comma between latitude and longitude.'],
    [
      "!sight vessel 12.51,-79.20 tlp=white",
      '"white" is the old name: TLP 2.0 renamed TLP:WHITE to TLP:CLEAR.',
    ],
    ["!sight vessel 12.51,-79.20 rel=USA,GBR", '"GBR" is not a partner code. Partners: COL, JTF, USA.'],
    ["!sight vessel 12.51,-79.20 conf=G2", 'Reliability "G" in "G2" is not A–F'],
    ["!sight vessel 12.51,-79.20 course=045M", "is a magnetic course"],
    ["!sight vessel 12.51,-79.20 mmsi=12345", '"12345" is not an MMSI: an MMSI has 9 digits.'],
    ["!sight vessel 12.51,-79.20 imo=9074728", "IMO 9074728 fails its check digit"],
    ["!sight vessel 12.51,-79.20 colour=red", '"colour=" is not an option of !sight.'],
    ["!sight vessel 12.51,-79.20 SIN name=OTRO", "two names are given"],
    ["!sight vessel 12.51,-79.20 time=281015ZNOV26", "in the future"],
    ["!sight vessel 12.51,-79.20 time=0714", '"0714" is not a time'],
    ["!sight vessel 12.51,-79.20 time=280714NOV26", "has no time zone letter"],
  ])("refuses %j and stores nothing", async (command, message) => {
    const w = world();
    const reply = await send(sight, command, contextFor(w));
    expect(error(reply)).toContain(message);
    expect(w.sightings.rows).toHaveLength(0);
  });

  it("accepts a time a few minutes ahead (clocks drift), but not more", async () => {
    const w = world(new Date("2026-11-28T07:20:00Z"));
    expect(text(await send(sight, "!sight vessel 12.51,-79.20 time=280730ZNOV26", contextFor(w)))).toContain(
      "seen 28 Nov 07:30Z",
    );
    expect(error(await send(sight, "!sight vessel 12.51,-79.20 time=280740ZNOV26", contextFor(w)))).toContain(
      "20 m in the future",
    );
  });
});

describe("corroboration", () => {
  it("does not count the officer's own earlier report as corroboration", async () => {
    const w = world();
    await send(sight, '!sight vessel 12.5,-79.2 "SIN NOMBRE" time=280600ZNOV26', contextFor(w));
    const reply = await send(sight, '!sight vessel 12.51,-79.20 "SIN NOMBRE"', contextFor(w));
    expect(text(reply)).not.toContain("matches");
    expect(w.sightings.rows[1]?.matches).toEqual([]);
  });
  async function earlier(w: ReturnType<typeof world>, command: string, roomId = COL_USA) {
    return send(sight, command, contextFor(w, SMITH, roomId));
  }

  it("says which earlier sighting of the same name it matches, how long ago, how far, which way and how it moved", async () => {
    const w = world(new Date("2026-11-28T07:20:00Z"));
    // 18 nm south-west of the new position, 3 h earlier, course 040.
    await earlier(w, '!sight vessel 12.2963,-79.3853 "sin nombre" time=280420ZNOV26 course=040');
    const reply = await send(
      sight,
      SCENARIO.replace("time=280714ZNOV26", "time=280720ZNOV26"),
      contextFor(w),
    );
    expect(text(reply).split("\n")[1]).toBe(
      "⚠ matches S-1 (USA, 3 h ago, 18 nm SW, same course) — corroborated",
    );
    expect(w.sightings.rows[1]?.matches).toEqual(["S-1"]);
  });

  it("matches on MMSI, IMO, tail or plate regardless of case and dashes", async () => {
    const w = world();
    await earlier(w, "!sight aircraft 12.5,-79.2 tail=hk4f2 time=280600ZNOV26");
    const reply = await send(sight, "!sight aircraft 12.6,-79.1 tail=HK-4F2", contextFor(w));
    expect(text(reply)).toMatch(/⚠ matches S-1 \(USA, 1 h 20 m ago, 8\.4 nm SW\) — corroborated$/);
  });

  it.each([
    ["outside the time window", '!sight vessel 12.5,-79.2 "SIN NOMBRE" time=272300ZNOV26', COL_USA],
    ["beyond the distance", '!sight vessel 13.5,-79.2 "SIN NOMBRE" time=280600ZNOV26', COL_USA],
    ["with another name", '!sight vessel 12.5,-79.2 "OTRO" time=280600ZNOV26', COL_USA],
    [
      "in another room (it would cross the tearline)",
      '!sight vessel 12.5,-79.2 "SIN NOMBRE" time=280600ZNOV26',
      OTHER_ROOM,
    ],
  ])("does not match a sighting %s", async (_why, command, roomId) => {
    const w = world();
    await earlier(w, command, roomId);
    const reply = await send(sight, '!sight vessel 12.51,-79.20 "SIN NOMBRE"', contextFor(w));
    expect(text(reply)).not.toContain("matches");
  });
});

describe("editing and deleting the !sight message", () => {
  it("corrects the sighting in place and says so, keeping the original send time as the default time", async () => {
    const w = world();
    const sentAt = new Date("2026-11-28T07:05:00Z");
    const ctx = contextFor(w, ROJAS, COL_USA, { sentAt });
    const first = await send(sight, '!sight vessel 12.51,-79.20 "SIN NOMBRE"', ctx);
    w.now = new Date("2026-11-28T07:30:00Z");
    const reply = await editTo(
      sight,
      '!sight vessel 12.51,-79.25 "SIN NOMBRE" course=090',
      contextFor(w, ROJAS, COL_USA, { sentAt }),
      recordOf(first, "sight", ctx),
    );
    expect(text(reply, BOGOTA)).toBe(
      '✅ S-1 corrected · vessel "SIN NOMBRE" · 12.5100, -79.2500 (±1.1 km) · seen 28 Nov 07:05Z (02:05 Bogota) · course 090° · TLP:AMBER',
    );
    expect(w.sightings.rows).toHaveLength(1);
    expect(w.sightings.rows[0]).toMatchObject({ course: 90, seenAt: sentAt, correctedAt: w.now });
    expect(reply.ok && reply.value.audit?.[0]).toMatchObject({
      action: "sighting.corrected",
      detail: { ref: "S-1" },
    });
  });

  it("refuses a correction that does not parse, leaving the sighting as it was", async () => {
    const w = world();
    const ctx = contextFor(w);
    const first = await send(sight, "!sight vessel 12.51,-79.20", ctx);
    expect(error(await editTo(sight, "!sight vessel 12.51", ctx, recordOf(first, "sight", ctx)))).toContain(
      "only one number",
    );
    expect(w.sightings.rows[0]?.correctedAt).toBeUndefined();
  });

  it("retracts the sighting when its message is deleted, and keeps the row", async () => {
    const w = world();
    const ctx = contextFor(w);
    const first = await send(sight, "!sight vessel 12.51,-79.20", ctx);
    const reply = await sight.retract!(ctx, recordOf(first, "sight", ctx));
    expect(text(reply)).toBe(
      "✅ S-1 retracted: its message was deleted. It no longer shows in !sightings; the audit log keeps it.",
    );
    expect(w.sightings.rows[0]?.retractedAt).toEqual(w.now);
    expect(
      error(await editTo(sight, "!sight vessel 12.51,-79.20", ctx, recordOf(first, "sight", ctx))),
    ).toContain("was retracted");
  });
});
