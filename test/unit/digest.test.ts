import { describe, expect, it } from "vitest";
import {
  composeDigest,
  type DigestInput,
  type DigestRfi,
  type DigestSighting,
} from "../../src/domain/digest.ts";
import { digestMessage, MAX_LINES } from "../../src/render/digest.ts";
import { render } from "../../src/render/render.ts";

const COL_USA = "!colusa:example.org";
const USA_JTF = "!usajtf:example.org";
const FROM = new Date("2026-11-27T11:00Z");
const TO = new Date("2026-11-28T11:00Z");
const at = (iso: string) => new Date(iso);

let n = 100;
function sighting(over: Partial<DigestSighting> = {}): DigestSighting {
  n += 1;
  return {
    ref: `S-${n}`,
    roomId: COL_USA,
    kind: "vessel",
    lat: 12.51,
    lon: -79.2,
    seenAt: at("2026-11-28T03:00Z"),
    ids: {},
    tlp: "green",
    corroboratedBy: 0,
    ...over,
  };
}

function rfi(over: Partial<DigestRfi> & Pick<DigestRfi, "ref">): DigestRfi {
  return {
    roomId: COL_USA,
    to: { partner: "USA" },
    priority: "routine",
    status: "open",
    createdAt: at("2026-11-27T20:00Z"),
    ...over,
  };
}

/** The morning digest of scenarios.md §5, as data. */
function scenario(): DigestInput {
  n = 100;
  const plain = Array.from({ length: 9 }, () => sighting());
  return {
    room: { alias: "col-usa", roomId: COL_USA, timeZone: "America/Bogota" },
    period: { from: FROM, to: TO },
    sightings: [
      sighting({
        ref: "S-112",
        ids: { name: "SIN NOMBRE" },
        seenAt: at("2026-11-28T07:14Z"),
        grading: { reliability: "B", credibility: 2 },
        tlp: "amber",
        corroboratedBy: 1,
      }),
      sighting({
        ref: "S-104",
        kind: "aircraft",
        ids: { tail: "N4F2" },
        lat: 11.9,
        lon: -72.3,
        seenAt: at("2026-11-27T22:30Z"),
        grading: { reliability: "C", credibility: 3 },
      }),
      sighting({ ref: "S-110", kind: "aircraft", corroboratedBy: 2, seenAt: at("2026-11-28T01:00Z") }),
      sighting({
        ref: "S-111",
        kind: "vehicle",
        corroboratedBy: 1,
        received: { from: "usa-jtf", alertRef: "A-31" },
      }),
      sighting({ ref: "S-113", received: { from: "usa-jtf" } }),
      ...plain,
      // Out of the period, and another room's: neither counts.
      sighting({ seenAt: at("2026-11-27T10:59Z"), tlp: "red" }),
      sighting({ roomId: USA_JTF, tlp: "red", ref: "S-999", corroboratedBy: 5 }),
    ],
    rfis: [
      rfi({ ref: "RFI-40", status: "answered", answeredAt: at("2026-11-27T22:12Z") }),
      rfi({ ref: "RFI-41" }),
      rfi({ ref: "RFI-38", createdAt: at("2026-11-25T10:00Z"), ltiov: at("2026-11-28T02:00Z") }),
      rfi({
        ref: "RFI-39",
        createdAt: at("2026-11-25T10:00Z"),
        priority: "priority",
        ltiov: at("2026-11-28T14:00Z"),
      }),
      rfi({ ref: "RFI-77", roomId: USA_JTF, createdAt: at("2026-11-28T01:00Z") }),
    ],
    alerts: {
      sent: { approved: 2, denied: 1, refused: 0, pending: 0 },
      received: 5,
      awaiting: [{ ref: "A-33", since: at("2026-11-28T10:12Z") }],
    },
  };
}

describe("the commanders' digest", () => {
  it("matches the reviewed text for the scenario's data set", () => {
    const d = composeDigest(scenario());
    const { body } = render(digestMessage(d, TO), { lang: "en" });
    expect(body).toBe(
      [
        "DAILY DIGEST · col-usa · 27 Nov 06:00 → 28 Nov 06:00 (COT) · TLP:AMBER",
        "Period 271100ZNOV26 → 281100ZNOV26",
        "Sightings 14 (vessel 11, aircraft 2, vehicle 1) · 3 corroborated",
        "  S-110 aircraft 12.5N 079.2W 0100Z ⚠ corroborated by 2",
        "  S-111 vehicle 12.5N 079.2W 0300Z ⚠ corroborated by 1 ⇐ from usa-jtf (A-31)",
        '  S-112 vessel "SIN NOMBRE" 12.5N 079.2W 0714Z B2 ⚠ corroborated by 1',
        "  S-113 vessel 12.5N 079.2W 0300Z ⇐ from usa-jtf",
        "  S-104 aircraft tail N4F2 11.9N 072.3W 2230Z C3",
        "RFIs: 2 opened · 1 answered (RFI-40, 2 h 12 m) · 1 overdue (RFI-38, USA) · 1 nearing LTIOV (RFI-39, 3 h left)",
        "Shared: 3 alerts out (2 approved, 1 denied) · 5 received",
        "Awaiting approval: A-33 (since 05:12)",
      ].join("\n"),
    );
  });

  it("writes refs in bold and user words escaped in the HTML body", () => {
    const input = scenario();
    input.sightings = [sighting({ ref: "S-5", ids: { name: "<b>X</b>" }, corroboratedBy: 1 })];
    const html = render(digestMessage(composeDigest(input), TO), { lang: "en" }).formatted_body;
    expect(html).toContain("<b>S-5</b> vessel &quot;&lt;b&gt;X&lt;/b&gt;&quot;");
    expect(html.split("<br>")[0]).toBe(
      "DAILY DIGEST · col-usa · 27 Nov 06:00 → 28 Nov 06:00 (COT) · TLP:GREEN",
    );
  });

  it("never shows another room's items, nor lets them raise the marking", () => {
    const d = composeDigest(scenario());
    const body = render(digestMessage(d, TO), { lang: "en" }).body;
    expect(body).not.toContain("S-999");
    expect(body).not.toContain("RFI-77");
    expect(d.marking).toBe("amber");
    expect(d.map.points.map((p) => p.ref)).not.toContain("S-999");
    expect(d.map.points).toHaveLength(14);
  });

  it("is marked TLP:CLEAR when it contains nothing marked", () => {
    const input = { ...scenario(), sightings: [], rfis: [], alerts: undefined };
    expect(render(digestMessage(composeDigest(input), TO)).body).toBe(
      [
        "DAILY DIGEST · col-usa · 27 Nov 06:00 → 28 Nov 06:00 (COT) · TLP:CLEAR",
        "Period 271100ZNOV26 → 281100ZNOV26",
        "No sightings",
        "RFIs: none opened, answered or due",
      ].join("\n"),
    );
  });

  it("fits a phone screen and points at the rest", () => {
    const input = scenario();
    input.sightings = Array.from({ length: 30 }, (_, i) =>
      sighting({ corroboratedBy: 1, ref: `S-${i + 1}` }),
    );
    const body = render(digestMessage(composeDigest(input), TO)).body.split("\n");
    expect(body).toHaveLength(MAX_LINES);
    expect(body).toContain("  and 25 more — !sightings since=24h");
  });

  it("says when it is late", () => {
    const d = composeDigest({ ...scenario(), late: true });
    const first = render(digestMessage(d, at("2026-11-28T13:40Z"))).body.split("\n")[0];
    expect(first).toBe(
      "DAILY DIGEST · col-usa · 27 Nov 06:00 → 28 Nov 06:00 (COT) · TLP:AMBER · LATE (posted 08:40)",
    );
  });

  it("writes Madrid's zone as it changes across the period", () => {
    const d = composeDigest({
      ...scenario(),
      room: { alias: "esp", roomId: COL_USA, timeZone: "Europe/Madrid" },
      period: { from: at("2026-03-28T05:00Z"), to: at("2026-03-29T04:00Z") },
    });
    expect(render(digestMessage(d, TO)).body.split("\n")[0]).toBe(
      "DAILY DIGEST · esp · 28 Mar 06:00 → 29 Mar 06:00 (CET/CEST) · TLP:CLEAR",
    );
  });
});
