/**
 * The period map as SVG: sea, land, coast and borders; one marker per sighting; ref labels; and
 * four corner boxes — the period (top left), the marking (top right), the legend (bottom left) and
 * the scale bars (bottom right). Pure: data in, text out (the geometry is read once, in world.ts).
 */
import { SIGHTING_KINDS, type SightingKind } from "../domain/kinds.ts";
import { sanitise } from "../domain/userText.ts";
import { linesPath, polygonsPath } from "./basemap.ts";
import { type Box, placeLabels, textWidth } from "./labels.ts";
import { scaleBars } from "./scale.ts";
import { MARKER_RADIUS, symbolDefs } from "./symbols.ts";
import { fitView, kmPerPx, toPixel, type View } from "./view.ts";
import { type Resolution, world } from "./world.ts";

export interface MapSighting {
  ref: string;
  kind: SightingKind;
  lat: number;
  lon: number;
}

export interface MapInput {
  /** Notable ones first: labels go to the first sightings that find room. */
  sightings: readonly MapSighting[];
  period: { from: Date; to: Date; label: string };
  marking: string;
}

export interface MapOptions {
  width?: number;
  height?: number;
  /** The shorter side of the map shows at least this many kilometres. */
  minKm?: number;
  maxLabels?: number;
}

export interface MapSvg {
  svg: string;
  width: number;
  height: number;
  view: View;
  resolution: Resolution;
  /** Indexes (into `sightings`) of the labelled ones. */
  labelled: number[];
}

const FONT = "DejaVu Sans";
const PAD = 8;
const TOP_BAND = 40;
const BOTTOM_BAND = 56;

/** Natural Earth's 1:10m reads well up to a few hundred km, 1:50m to a few thousand, then 1:110m. */
function resolutionFor(view: View): Resolution {
  const km = kmPerPx(view) * Math.max(view.width, view.height);
  return km <= 800 ? "10m" : km <= 4000 ? "50m" : "110m";
}

/** Text for SVG: escaped, one line, no control or bidi-override characters, capped. */
export function svgText(text: string, max = 80): string {
  return sanitise(text, max)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** TLP 2.0's colours: the label in colour on black. */
function markingColour(marking: string): string {
  const m = marking.toUpperCase();
  if (m.includes("RED")) return "#ff2b2b";
  if (m.includes("AMBER")) return "#ffc000";
  if (m.includes("GREEN")) return "#33ff00";
  return "#ffffff";
}

function box(b: Box, fill = "#ffffff", opacity = 0.88): string {
  return `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="4" fill="${fill}" fill-opacity="${opacity}" stroke="#5b6770" stroke-width="0.8"/>`;
}

function legend(counts: Map<SightingKind, number>, total: number, labelled: number, height: number) {
  const rows = SIGHTING_KINDS.filter((k) => (counts.get(k) ?? 0) > 0).map((k) => `${k} ${counts.get(k)}`);
  const note = labelled < total ? `${labelled} of ${total} labelled` : undefined;
  const columns = rows.map((text) => 22 + textWidth(text, 12) * 0.85);
  const w =
    Math.max(
      columns.reduce((a, b) => a + b, 0),
      note ? textWidth(note, 11) * 0.85 : 0,
    ) +
    2 * PAD;
  const h = note ? 40 : 24;
  const b: Box = { x: PAD, y: height - PAD - h, w, h };
  let x = b.x + PAD;
  let items = "";
  SIGHTING_KINDS.filter((k) => (counts.get(k) ?? 0) > 0).forEach((k, i) => {
    items += `<use href="#k-${k}" x="${x + 6}" y="${b.y + 12}"/>`;
    items += `<text x="${x + 16}" y="${b.y + 16}" font-size="12">${svgText(rows[i] ?? "")}</text>`;
    x += columns[i] ?? 0;
  });
  if (note)
    items += `<text x="${b.x + PAD}" y="${b.y + 33}" font-size="11" fill="#3c464d">${svgText(note)}</text>`;
  return { box: b, svg: box(b) + items };
}

function scale(view: View) {
  const bars = scaleBars(kmPerPx(view), 150);
  const w = Math.max(bars.km.px, bars.nm.px) + 2 * PAD + 52;
  const b: Box = { x: view.width - PAD - w, y: view.height - PAD - 40, w, h: 40 };
  const bar = (y: number, px: number, label: string) => {
    const x = b.x + PAD;
    return (
      `<path d="M${x} ${y - 4}V${y}H${x + px}V${y - 4}" fill="none" stroke="#1a1a1a" stroke-width="1.6"/>` +
      `<text x="${x + px + 6}" y="${y + 1}" font-size="11">${svgText(label)}</text>`
    );
  };
  return {
    box: b,
    svg: box(b) + bar(b.y + 16, bars.km.px, bars.km.label) + bar(b.y + 32, bars.nm.px, bars.nm.label),
  };
}

export function composeMap(input: MapInput, o: MapOptions = {}): MapSvg {
  const width = o.width ?? 800;
  const height = o.height ?? 600;
  const frame = { x: 24, y: TOP_BAND + 8, width: width - 48, height: height - TOP_BAND - BOTTOM_BAND - 16 };
  const view = fitView(input.sightings, { width, height, frame, minKm: o.minKm ?? 200, padding: 0.05 });
  const resolution = resolutionFor(view);
  const w = world(resolution);

  const title = svgText(input.period.label);
  const titleBox: Box = { x: PAD, y: PAD, w: textWidth(title, 14) * 0.85 + 2 * PAD, h: 26 };
  const mark = svgText(input.marking, 24);
  const markBox: Box = {
    x: width - PAD - (textWidth(mark, 14) + 2 * PAD),
    y: PAD,
    w: textWidth(mark, 14) + 2 * PAD,
    h: 26,
  };

  const counts = new Map<SightingKind, number>();
  for (const s of input.sightings) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  const points = input.sightings.map((s) => {
    const [x, y] = toPixel(view, s.lat, s.lon);
    return { x, y, text: s.ref };
  });
  const sc = scale(view);
  // The legend's size depends on how many get labels, so place them against its largest box.
  const legendBox = legend(counts, input.sightings.length, 0, height).box;
  const labels = placeLabels(points, {
    fontSize: 12,
    markerRadius: MARKER_RADIUS,
    max: o.maxLabels ?? 40,
    canvas: { x: 0, y: 0, w: width, h: height },
    avoid: [titleBox, markBox, sc.box, legendBox],
  });
  const lg = legend(counts, input.sightings.length, labels.length, height);

  const fmt = (n: number) => (Math.round(n * 10) / 10).toString();
  const markers = input.sightings
    .map((s, i) => `<use href="#k-${s.kind}" x="${fmt(points[i]?.x ?? 0)}" y="${fmt(points[i]?.y ?? 0)}"/>`)
    .join("");
  const labelText = labels
    .map((l) => `<text x="${fmt(l.x)}" y="${fmt(l.y)}">${svgText(l.text, 16)}</text>`)
    .join("");

  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" fill="#1a1a1a">`,
    `<defs>${symbolDefs()}</defs>`,
    `<rect width="${width}" height="${height}" fill="#d6e6f2"/>`,
    `<path class="land" d="${polygonsPath(w.land, view)}" fill="#f3efe4" fill-rule="evenodd"/>`,
    `<path class="borders" d="${linesPath(w.borders, view)}" fill="none" stroke="#9a8a98" stroke-width="0.8" stroke-dasharray="4 2"/>`,
    `<path class="coast" d="${linesPath(w.coast, view)}" fill="none" stroke="#5f7889" stroke-width="0.9"/>`,
    `<g class="markers">${markers}</g>`,
    `<g class="labels" font-size="12" font-weight="bold" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${labelText}</g>`,
    box(titleBox),
    `<text x="${titleBox.x + PAD}" y="${titleBox.y + 18}" font-size="14" font-weight="bold">${title}</text>`,
    box(markBox, "#000000", 1),
    `<text x="${markBox.x + PAD}" y="${markBox.y + 18}" font-size="14" font-weight="bold" fill="${markingColour(input.marking)}">${mark}</text>`,
    lg.svg,
    sc.svg,
    "</svg>",
  ].join("");
  return { svg, width, height, view, resolution, labelled: labels.map((l) => l.index) };
}
