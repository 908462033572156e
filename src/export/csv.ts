/**
 * CSV (RFC 4180): a header row, CRLF line ends, a field quoted when it holds a comma, a quote, CR
 * or LF, quotes doubled. Against CSV injection (a spreadsheet runs a cell beginning with `=`, `+`,
 * `-`, `@`, tab or CR as a formula), a text cell that begins so gets a leading `'`, which
 * spreadsheets show as text and do not evaluate; numbers the bot writes (a negative latitude) are
 * left as they are, so they stay numbers.
 */
import { formatTlp } from "../domain/marking.ts";
import type { Sighting } from "../domain/sighting.ts";
import { type ExportMeta, partnerOf, reporterOf, stableUid } from "./item.ts";

type Cell = string | number | undefined;

export const CSV_COLUMNS = [
  "uid",
  "ref",
  "room",
  "origin_room",
  "origin_ref",
  "alert",
  "kind",
  "name",
  "mmsi",
  "imo",
  "tail",
  "plate",
  "lat",
  "lon",
  "precision_m",
  "position_format",
  "seen",
  "course",
  "speed_kt",
  "grading",
  "tlp",
  "rel",
  "partner",
  "reporter",
  "remarks",
  "logged",
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell: defused if a spreadsheet would read it as a formula, quoted if RFC 4180 needs it. */
export function textCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function cell(value: Cell): string {
  if (value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  return textCell(value);
}

function row(s: Sighting, room: string): Cell[] {
  const g = s.grading;
  return [
    stableUid(s, room),
    s.ref,
    room,
    s.received?.fromRoom,
    s.received?.fromRef,
    s.received?.alertRef,
    s.kind,
    s.ids.name,
    s.ids.mmsi,
    s.ids.imo,
    s.ids.tail,
    s.ids.plate,
    s.position.lat,
    s.position.lon,
    Math.round(s.position.precisionM),
    s.position.format,
    s.seenAt.toISOString(),
    s.course,
    s.speed === undefined ? undefined : Math.round(s.speed.knots * 10) / 10,
    g === undefined ? undefined : `${g.reliability}${g.credibility}`,
    formatTlp(s.tlp),
    s.rel?.join(" "),
    partnerOf(s),
    reporterOf(s),
    s.remarks,
    s.loggedAt.toISOString(),
  ];
}

export function toCsv(sightings: readonly Sighting[], meta: Pick<ExportMeta, "room">): string {
  const lines = [CSV_COLUMNS.join(","), ...sightings.map((s) => row(s, meta.room).map(cell).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
