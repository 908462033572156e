/** The export formats: CoT a TAK library reads, STIX that OASIS's validator passes, RFC 4180 CSV. */
import { describe, expect, it } from "vitest";
import { xml2js } from "xml-js";
import type { Sighting } from "../../src/domain/sighting.ts";
import { COT_TYPES, cotEvent, toCot } from "../../src/export/cot.ts";
import { CSV_COLUMNS, toCsv } from "../../src/export/csv.ts";
import { exportFile } from "../../src/export/file.ts";
import { stixBundle, TLP2_MARKINGS, toStix } from "../../src/export/stix.ts";
import { uuidV5 } from "../../src/export/uuid.ts";
import { ownSighting, receivedSighting } from "../support/exportFixtures.ts";
import { validateStix } from "../support/stixValidator.ts";
import { loadTakCoT } from "../support/takCot.ts";

const META = {
  room: "col-usa",
  generatedAt: new Date("2026-11-29T00:00:00Z"),
  partners: { COL: "Colombian Navy", USA: "US Coast Guard" },
};
const NASTY = "a <b> & \"c\" 'd' \u0001\u0008 line\nbreak \u202e =cmd|' /C calc'!A0";

const ALL: Sighting[] = [
  ownSighting(),
  receivedSighting(),
  ownSighting({ id: 14, ref: "S-14", kind: "person", tlp: "red", ids: {}, remarks: NASTY }),
  ownSighting({ id: 15, ref: "S-15", kind: "vehicle", reporterPartner: "USA", tlp: "clear", rel: undefined }),
  ownSighting({
    id: 16,
    ref: "S-16",
    kind: "other",
    tlp: "amber+strict",
    course: undefined,
    speed: undefined,
  }),
];

interface XmlElement {
  type: string;
  name?: string;
  attributes?: Record<string, string>;
  elements?: XmlElement[];
  text?: string;
}

/** Parses strictly (xml-js runs sax in strict mode: a malformed document throws). */
function parseXml(text: string): XmlElement {
  const doc = xml2js(text, { compact: false }) as XmlElement;
  const root = doc.elements?.filter((e) => e.type === "element") ?? [];
  expect(root).toHaveLength(1);
  return root[0]!;
}

const child = (e: XmlElement, name: string) => e.elements?.find((c) => c.name === name);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe("Cursor-on-Target", () => {
  const lines = toCot(ALL, META)
    .split("\n")
    .filter((l) => l !== "");

  it("is one well-formed <event> per sighting, with every attribute the CoT base schema requires", () => {
    expect(lines).toHaveLength(ALL.length);
    for (const line of lines) {
      const event = parseXml(line);
      expect(event.name).toBe("event");
      const a = event.attributes ?? {};
      expect(a.version).toBe("2.0");
      for (const k of ["uid", "type", "how", "time", "start", "stale"]) expect(a[k], k).toBeTruthy();
      expect(a.type).toMatch(/^a-u-[SAG](-[A-Z])*$/);
      expect(a.how).toMatch(/^[hm](-[a-z])+$/);
      for (const k of ["time", "start", "stale"]) expect(a[k]).toMatch(ISO);
      expect(Date.parse(a.stale!)).toBeGreaterThan(Date.parse(a.start!));
      const point = child(event, "point")?.attributes ?? {};
      for (const k of ["lat", "lon", "hae", "ce", "le"])
        expect(Number.isFinite(Number(point[k])), k).toBe(true);
      expect(Math.abs(Number(point.lat))).toBeLessThanOrEqual(90);
      expect(Math.abs(Number(point.lon))).toBeLessThanOrEqual(180);
      expect(child(event, "detail")).toBeDefined();
    }
  });

  it("is read back by a TAK library (@tak-ps/node-cot): uid, type and point", async () => {
    const CoT = await loadTakCoT();
    const back = lines.map((l) => new CoT(l));
    expect(back.map((c) => c.raw.event._attributes.uid)).toEqual([
      "tearline-col-usa-S-12",
      "tearline-col-usa-S-9",
      "tearline-col-usa-S-14",
      "tearline-col-usa-S-15",
      "tearline-col-usa-S-16",
    ]);
    expect(back.map((c) => c.raw.event._attributes.type)).toEqual([
      "a-u-S",
      "a-u-A",
      "a-u-G-U-C-I",
      "a-u-G-E-V",
      "a-u-G",
    ]);
    expect(back[0]!.position()).toEqual([-79.1667, 12.5083]);
    expect(back[1]!.position()).toEqual([-79.15, 12.55]);
    expect(back[0]!.callsign()).toBe("SIN NOMBRE");
  });

  it("takes ce from the position's precision (a coarsened copy: the grid's size) and leaves hae and le unknown", () => {
    const point = (s: Sighting) => child(parseXml(cotEvent(s, "col-usa")), "point")?.attributes;
    expect(point(receivedSighting())).toMatchObject({ ce: "10000.0", hae: "9999999.0", le: "9999999.0" });
    expect(point(ownSighting())?.ce).toBe("1852.0");
    expect(point(ownSighting({ position: { lat: 1, lon: 2, precisionM: 1, format: "mgrs" } }))?.ce).toBe(
      "1.0",
    );
  });

  it("puts the marking first in the remarks and in <__tearline>, and escapes what people typed", () => {
    const event = parseXml(lines[2]!);
    const detail = child(event, "detail")!;
    const remarks = child(detail, "remarks")?.elements?.[0]?.text ?? "";
    expect(remarks.startsWith("TLP:RED · REL TO USA, COL · S-14 (col-usa) · ")).toBe(true);
    // Control characters XML cannot carry are dropped; everything else comes back as typed.
    expect(remarks.endsWith(NASTY.replaceAll("\u0001", "").replaceAll("\u0008", ""))).toBe(true);
    expect(child(detail, "__tearline")?.attributes).toMatchObject({
      marking: "TLP:RED",
      rel: "USA,COL",
      ref: "S-14",
    });
    const hostileName = cotEvent(ownSighting({ ids: { name: '"/><script>' } }), 'x"y');
    expect(child(child(parseXml(hostileName), "detail")!, "contact")?.attributes?.callsign).toBe(
      '"/><script>',
    );
  });

  it("maps every kind to an unknown-affiliation atom", () => {
    expect(Object.values(COT_TYPES).every((t) => t.startsWith("a-u-"))).toBe(true);
  });
});

/** RFC 4180, read back: fields split on commas outside quotes, quotes undoubled, records on CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else {
      expect(c, `bare ${JSON.stringify(c)} outside quotes`).not.toMatch(/[\r\n"]/);
      field += c;
    }
  }
  expect(field).toBe("");
  expect(row).toEqual([]);
  return rows;
}

describe("CSV", () => {
  const csv = toCsv(ALL, META);
  const rows = parseCsv(csv);
  const col = (r: string[], name: (typeof CSV_COLUMNS)[number]) => r[CSV_COLUMNS.indexOf(name)];

  it("has a header row, one record per sighting, CRLF line ends and equal field counts", () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(ALL.length + 1);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.replace(/\r\n/g, "").includes("\r")).toBe(false);
  });

  it("quotes what needs it and doubles quotes, so every value comes back whole", () => {
    expect(col(rows[1]!, "remarks")).toBe("go-fast, 3 outboards, no flag");
    expect(col(rows[3]!, "remarks")).toBe(NASTY);
    expect(csv).toContain('"a <b> & ""c"" \'d\'');
  });

  it("defuses cells a spreadsheet would run as a formula, and leaves numbers numbers", () => {
    const evil = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"];
    const r = parseCsv(
      toCsv(
        evil.map((remarks, i) => ownSighting({ id: i, remarks, ids: { name: remarks } })),
        META,
      ),
    );
    for (const [i, e] of evil.entries()) {
      expect(col(r[i + 1]!, "remarks")).toBe(`'${e}`);
      expect(col(r[i + 1]!, "name")).toBe(`'${e}`);
    }
    expect(col(r[1]!, "lon")).toBe("-79.1667");
    expect(col(r[1]!, "reporter")).toBe("'@lo.col:example.org");
  });
});

describe("STIX 2.1", () => {
  it("passes OASIS's stix2-validator with strict settings", { timeout: 300_000 }, async () => {
    const v = await validateStix(toStix(ALL, META));
    expect(v.output).toContain("STIX JSON: Valid");
    expect(v.ok, v.output).toBe(true);
  });

  it("fails the validator when an object is broken (the check can fail)", { timeout: 300_000 }, async () => {
    const bundle = stixBundle(ALL, META) as { objects: Record<string, unknown>[] };
    const sighting = bundle.objects.find((o) => o.type === "sighting")!;
    delete sighting.sighting_of_ref;
    expect((await validateStix(JSON.stringify(bundle))).ok).toBe(false);
  });

  it("credits each object to its partner's identity and marks it with the official TLP 2.0 definition", () => {
    const { objects } = stixBundle(ALL, META) as { objects: Record<string, unknown>[] };
    const identities = objects.filter((o) => o.type === "identity" && o.identity_class === "organization");
    expect(identities.map((o) => o.name).sort()).toEqual(["Colombian Navy", "US Coast Guard"]);
    const sightings = objects.filter((o) => o.type === "sighting");
    expect(sightings).toHaveLength(ALL.length);
    const byId = new Map(objects.map((o) => [o.id, o]));
    for (const s of sightings) {
      expect(identities.map((i) => i.id)).toContain(s.created_by_ref);
      expect(byId.get(s.sighting_of_ref as string)).toBeDefined();
      expect(byId.get((s.where_sighted_refs as string[])[0])?.type).toBe("location");
    }
    expect(sightings.map((s) => s.object_marking_refs)).toEqual(ALL.map((s) => [TLP2_MARKINGS[s.tlp]]));
    expect(objects.find((o) => o.id === TLP2_MARKINGS.amber)).toMatchObject({
      name: "TLP:AMBER",
      extensions: { "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": { tlp_2_0: "amber" } },
    });
    const location = byId.get((sightings[1]!.where_sighted_refs as string[])[0]);
    expect(location).toMatchObject({ latitude: 12.55, longitude: -79.15, precision: 10_000 });
  });

  it("gives the same ids to the same sightings in a later export", () => {
    const ids = (at: string) =>
      (stixBundle(ALL, { ...META, generatedAt: new Date(at) }) as { objects: { id: string }[] }).objects.map(
        (o) => o.id,
      );
    expect(ids("2026-11-29T00:00:00Z")).toEqual(ids("2026-11-30T00:00:00Z"));
  });

  it("makes RFC 9562 version-5 UUIDs (the RFC's own example)", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });
});

describe("an export file", () => {
  it("is named by room and time and typed by format", () => {
    expect(exportFile("csv", ALL, META)).toMatchObject({
      filename: "tearline-col-usa-20261129T0000Z.csv",
      mimetype: "text/csv",
      count: 5,
    });
    expect(exportFile("cot", ALL, META).filename).toMatch(/\.cot$/);
    expect(exportFile("stix", ALL, META).filename).toMatch(/\.stix\.json$/);
  });
});
