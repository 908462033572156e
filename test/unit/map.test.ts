import { describe, expect, it } from "vitest";
import { SIGHTING_KINDS } from "../../src/domain/kinds.ts";
import { placeLabels } from "../../src/map/labels.ts";
import { type MapSighting, renderMap } from "../../src/map/render.ts";
import { scaleBars } from "../../src/map/scale.ts";
import { composeMap, svgText } from "../../src/map/svg.ts";
import { KM_PER_DEGREE, toPixel } from "../../src/map/view.ts";
import { pngSize } from "../support/png.ts";

const period = {
  from: new Date("2026-11-27T11:00:00Z"),
  to: new Date("2026-11-28T11:00:00Z"),
  label: "27 Nov 06:00 → 28 Nov 06:00 (COT)",
};
const few: MapSighting[] = [
  { ref: "S-12", kind: "vessel", lat: 12.51, lon: -79.2 },
  { ref: "S-13", kind: "aircraft", lat: 11.2, lon: -73.1 },
  { ref: "S-14", kind: "vehicle", lat: 11.0, lon: -74.8 },
  { ref: "S-15", kind: "person", lat: 12.9, lon: -76.0 },
  { ref: "S-16", kind: "other", lat: 13.4, lon: -81.4 },
];

/** Deterministic scatter over the western Caribbean. */
function scatter(n: number, seed = 7): MapSighting[] {
  let s = seed;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  return Array.from({ length: n }, (_, i) => ({
    ref: `S-${1000 + i}`,
    kind: SIGHTING_KINDS[i % SIGHTING_KINDS.length] ?? "other",
    lat: 9 + rnd() * 6,
    lon: -82 + rnd() * 10,
  }));
}

const pathData = (svg: string, cls: string) => new RegExp(`class="${cls}" d="([^"]*)"`).exec(svg)?.[1] ?? "";

describe("the period map", () => {
  it("is a PNG of the size it says, 800×600 by default", () => {
    const map = renderMap({ sightings: few, period, marking: "TLP:AMBER" });
    expect({ width: map.width, height: map.height }).toEqual({ width: 800, height: 600 });
    expect(pngSize(map.png)).toEqual({ width: 800, height: 600 });
  });

  it("labels every sighting of a small set with its ref, and shows the marking and the period", () => {
    const { svg, labelled } = composeMap({ sightings: few, period, marking: "TLP:AMBER" });
    for (const s of few) expect(svg).toContain(`>${s.ref}</text>`);
    expect(labelled).toHaveLength(few.length);
    expect(svg).toContain(">TLP:AMBER</text>");
    expect(svg).toContain(">27 Nov 06:00 → 28 Nov 06:00 (COT)</text>");
    // One marker per sighting, by kind.
    for (const s of few) expect(svg).toContain(`href="#k-${s.kind}"`);
    expect(svg.match(/<use href="#k-/g)).toHaveLength(few.length + SIGHTING_KINDS.length); // + legend
  });

  it("shows every point inside the canvas, clear of the corner boxes' bands", () => {
    for (const set of [few, scatter(200), [few[0] as MapSighting, { ...(few[1] as MapSighting), lat: -4 }]]) {
      const { view } = composeMap({ sightings: set, period, marking: "TLP:AMBER" });
      for (const s of set) {
        const [x, y] = toPixel(view, s.lat, s.lon);
        expect(x).toBeGreaterThanOrEqual(24);
        expect(x).toBeLessThanOrEqual(776);
        expect(y).toBeGreaterThanOrEqual(48);
        expect(y).toBeLessThanOrEqual(600 - 56 - 8);
      }
    }
  });

  it("centres a single sighting and shows at least 200 km around it", () => {
    const one: MapSighting = { ref: "S-1", kind: "vessel", lat: 10.4, lon: -75.55 };
    const { view } = composeMap({ sightings: [one], period, marking: "TLP:GREEN" });
    const shortSideKm = Math.min(view.width, view.height) * view.degPerPx * KM_PER_DEGREE;
    expect(shortSideKm).toBeGreaterThanOrEqual(199.9);
    expect(shortSideKm).toBeLessThan(260);
    const [x, y] = toPixel(view, one.lat, one.lon);
    expect(x).toBeCloseTo(400, 0);
    expect(y).toBeCloseTo(48 + (600 - 40 - 56 - 16) / 2, 0);
  });

  it("draws coastlines, land and borders of the area (Colombia's Caribbean coast)", () => {
    const { svg, resolution } = composeMap({ sightings: few, period, marking: "TLP:AMBER" });
    expect(resolution).toBe("50m");
    expect(pathData(svg, "coast").length).toBeGreaterThan(200);
    expect(pathData(svg, "land").length).toBeGreaterThan(200);
    expect(pathData(svg, "borders").length).toBeGreaterThan(20);
  });

  it("leaves out coast that is nowhere near (mid-Pacific), and chooses coarser data for a wide area", () => {
    const pacific = composeMap({
      sightings: [{ ref: "S-2", kind: "vessel", lat: -30, lon: -130 }],
      period,
      marking: "TLP:AMBER",
    });
    expect(pathData(pacific.svg, "coast")).toBe("");
    const wide = composeMap({
      sightings: [few[0] as MapSighting, { ref: "S-3", kind: "aircraft", lat: 40, lon: -10 }],
      period,
      marking: "TLP:AMBER",
    });
    expect(wide.resolution).toBe("110m");
    expect(pathData(wide.svg, "coast").length).toBeGreaterThan(200);
  });

  it("labels at most 40 of 500 sightings, the first ones that find room, and says so", () => {
    const many = scatter(500);
    const { svg, labelled } = composeMap({ sightings: many, period, marking: "TLP:AMBER" });
    expect(labelled.length).toBeGreaterThan(10);
    expect(labelled.length).toBeLessThanOrEqual(40);
    expect(labelled[0]).toBe(0);
    expect(svg).toContain(`${labelled.length} of 500 labelled`);
    expect(svg.match(/<use href="#k-/g)?.length).toBe(500 + SIGHTING_KINDS.length);
  });

  it("never places two labels on top of each other", () => {
    const markers = Array.from({ length: 30 }, (_, i) => ({ x: 100 + (i % 3) * 4, y: 100, text: `S-${i}` }));
    const placed = placeLabels(markers, {
      fontSize: 12,
      markerRadius: 6,
      max: 40,
      canvas: { x: 0, y: 0, w: 800, h: 600 },
      avoid: [],
    });
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.length).toBeLessThan(30);
    for (const a of placed)
      for (const b of placed)
        if (a !== b) expect(Math.abs(a.x - b.x) >= 30 || Math.abs(a.y - b.y) >= 12).toBe(true);
  });

  it("escapes text and keeps it on one line", () => {
    expect(svgText('<b>"A&B"</b>\nx\u202e')).toBe("&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; x");
    const { svg } = composeMap({
      sightings: few,
      period: { ...period, label: "<script>" },
      marking: "TLP:AMBER",
    });
    expect(svg).not.toContain("<script>");
  });

  it("has round scale bars in km and nm", () => {
    const { km, nm } = scaleBars(1, 150);
    expect(km).toEqual({ label: "100 km", px: 100 });
    expect(nm.label).toBe("50 nm");
    expect(nm.px).toBeCloseTo(92.6, 1);
    expect(scaleBars(0.25, 150).km.label).toBe("20 km");
  });

  it("refuses to draw a map of nothing", () => {
    expect(() => composeMap({ sightings: [], period, marking: "TLP:AMBER" })).toThrow(RangeError);
  });
});
