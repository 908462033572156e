/**
 * The tearline itself: what of an item a target room may see. Fields a rule strips are left out
 * of a freshly built object — never set to null or "" — so no renderer and no JSON key can leak
 * them; positions are snapped to the centre of a grid cell, so the copy reveals only the cell.
 */
import type { Position } from "./position.ts";
import type { RedactField, RedactedItem, ShareableItem, SharedSighting, SharingRule } from "./sharingRule.ts";

const M_PER_DEGREE = 111_120; // 60 nautical miles, as in position.ts
const IDENTIFIER_KEYS = ["mmsi", "imo", "tail", "plate"] as const;

/** A cell of the grid: [south, north) × [west, east) in degrees, and its centre. */
export interface GridCell {
  south: number;
  north: number;
  west: number;
  east: number;
  centre: { lat: number; lon: number };
}

/**
 * The cell of a grid at least `sizeM` on every side that holds (lat, lon). Rows are equal bands
 * of latitude; each row is cut into equal columns as narrow as its poleward edge allows, so no
 * cell is smaller than `sizeM` anywhere (near the poles a row may be one cell all round).
 */
export function gridCell(lat: number, lon: number, sizeM: number): GridCell {
  const rows = Math.max(1, Math.floor((180 * M_PER_DEGREE) / sizeM));
  const height = 180 / rows;
  const row = Math.min(rows - 1, Math.max(0, Math.floor((lat + 90) / height)));
  const south = -90 + row * height;
  const north = south + height;
  const poleward = Math.min(90, Math.max(Math.abs(south), Math.abs(north)));
  const metresPerDegreeLon = M_PER_DEGREE * Math.cos((poleward * Math.PI) / 180);
  const columns = Math.max(1, Math.floor((360 * metresPerDegreeLon) / sizeM));
  const width = 360 / columns;
  // Degrees east of the antimeridian, in [0, 360); adding 360 only when needed keeps 179.99…° from
  // rounding onto -180° and landing a whole world away.
  const fromAntimeridian = (lon + 180) % 360;
  const east0 = fromAntimeridian < 0 ? fromAntimeridian + 360 : fromAntimeridian;
  const column = Math.min(columns - 1, Math.max(0, Math.floor(east0 / width)));
  const west = -180 + column * width;
  const east = west + width;
  return { south, north, west, east, centre: { lat: (south + north) / 2, lon: (west + east) / 2 } };
}

/** The cell centre, claiming no finer precision than the grid or the original. */
export function coarsenPosition(p: Position, sizeM: number): Position {
  const { centre } = gridCell(p.lat, p.lon, sizeM);
  return { lat: centre.lat, lon: centre.lon, precisionM: Math.max(p.precisionM, sizeM), format: p.format };
}

/** The rule's fields that this item actually has (the ones a redaction would take away). */
export function fieldsOf(item: ShareableItem): RedactField[] {
  if (item.kind !== "sighting") return ["reporter"];
  const s = item.sighting;
  const present: [RedactField, boolean][] = [
    ["reporter", true],
    ["remarks", s.remarks !== undefined],
    ["name", s.ids.name !== undefined],
    ["identifiers", IDENTIFIER_KEYS.some((k) => s.ids[k] !== undefined)],
    ["position", true],
    ["course", s.course !== undefined],
    ["speed", s.speed !== undefined],
    ["grading", s.grading !== undefined],
  ];
  return present.filter(([, has]) => has).map(([field]) => field);
}

/** Copies `keys` of `from` that are set, and nothing else. */
function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out;
}

type RedactedSighting = (RedactedItem & { kind: "sighting" })["sighting"];

function redactSighting(s: SharedSighting, rule: SharingRule): RedactedSighting {
  const strip = new Set(rule.redact);
  const ids = pick(s.ids, [
    ...(strip.has("name") ? [] : (["name"] as const)),
    ...(strip.has("identifiers") ? [] : IDENTIFIER_KEYS),
  ]);
  const kept = pick(s, [
    ...(strip.has("course") ? [] : (["course"] as const)),
    ...(strip.has("speed") ? [] : (["speed"] as const)),
    ...(strip.has("grading") ? [] : (["grading"] as const)),
    ...(strip.has("remarks") ? [] : (["remarks"] as const)),
    ...(strip.has("reporter") ? [] : (["reporter"] as const)),
  ]);
  const sighting: RedactedSighting = {
    kind: s.kind,
    seenAt: s.seenAt,
    ids,
    reporterPartner: s.reporterPartner,
    ...kept,
  };
  if (!strip.has("position")) {
    sighting.position =
      rule.positionPrecisionM === undefined
        ? { ...s.position }
        : coarsenPosition(s.position, rule.positionPrecisionM);
  }
  return sighting;
}

/**
 * The item as `rule`'s target may see it. Its marking (ref, TLP, REL TO) stays; where it came
 * from before (`relayed`) does not — the copy names its origin room, not the rooms before it.
 */
export function redactForTarget(item: ShareableItem, rule: SharingRule): RedactedItem {
  const marking = { ref: item.ref, tlp: item.tlp, ...(item.rel !== undefined && { rel: [...item.rel] }) };
  const stripReporter = rule.redact.includes("reporter");
  switch (item.kind) {
    case "sighting":
      return { kind: "sighting", ...marking, sighting: redactSighting(item.sighting, rule) };
    case "rfi": {
      const { question, priority, originatorPartner } = item.rfi;
      const rest = pick(item.rfi, stripReporter ? ["ltiov"] : ["ltiov", "originator"]);
      return { kind: "rfi", ...marking, rfi: { question, priority, originatorPartner, ...rest } };
    }
    case "text": {
      const { text, reporterPartner } = item.text;
      const rest = pick(item.text, stripReporter ? [] : ["reporter"]);
      return { kind: "text", ...marking, text: { text, reporterPartner, ...rest } };
    }
  }
}

/** For a dry run: which of the item's fields would reach the target, which not, and how coarse. */
export interface RedactionSummary {
  kept: RedactField[];
  removed: RedactField[];
  coarsened?: { fromM: number; toM: number } | undefined;
}

export function describeRedaction(item: ShareableItem, rule: SharingRule): RedactionSummary {
  const present = fieldsOf(item);
  const removed = present.filter((f) => rule.redact.includes(f));
  const kept = present.filter((f) => !rule.redact.includes(f));
  if (item.kind !== "sighting" || !kept.includes("position") || rule.positionPrecisionM === undefined) {
    return { kept, removed };
  }
  const fromM = item.sighting.position.precisionM;
  return { kept, removed, coarsened: { fromM, toM: Math.max(fromM, rule.positionPrecisionM) } };
}
