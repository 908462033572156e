/**
 * Cursor-on-Target for TAK: one CoT 2.0 `<event>` per sighting, one per line — the stream TAK
 * servers take on their streaming input (`nc takserver 8087 < file`) and that a TAK library reads
 * event by event.
 * - `type`: the MIL-STD-2525 atom for an unknown-affiliation track of the kind (`a-u-…`): vessel
 *   `a-u-S` (sea surface track), aircraft `a-u-A` (air track), vehicle `a-u-G-E-V` (ground
 *   vehicle), person `a-u-G-U-C-I` (ground unit, infantry: 2525 has no individual civilian, and
 *   this is what TAK clients use for people on foot), other `a-u-G` (ground track).
 * - `how`: `h-e`, "human, estimated": an officer reported the position by eye or chart, it was
 *   not measured by a machine (`m-…`) and is not a fat-finger placeholder (`h-g-i-g-o`).
 * - `time` and `start`: when it was seen; `stale`: six hours later (a track nobody has reported
 *   since is stale, and TAK shows it so).
 * - `point`: `ce` is the position's stated precision in metres (the side of the cell its last
 *   digit, its MGRS square or the tearline's coarsening grid leaves open); `hae` and `le` are
 *   CoT's "unknown", 9999999.0.
 * - `detail`: `contact callsign` (the name, else the ref), `track` (course, speed in m/s),
 *   `remarks` beginning with the marking, and `__tearline` with the marking and refs as attributes.
 */
import { formatReleasability, formatTlp } from "../domain/marking.ts";
import type { SightingKind } from "../domain/kinds.ts";
import type { Sighting } from "../domain/sighting.ts";
import { type ExportMeta, partnerOf, stableUid } from "./item.ts";
import { attributes, escapeXml } from "./xml.ts";

export const COT_TYPES: Record<SightingKind, string> = {
  vessel: "a-u-S",
  aircraft: "a-u-A",
  vehicle: "a-u-G-E-V",
  person: "a-u-G-U-C-I",
  other: "a-u-G",
};
export const COT_HOW = "h-e";
export const STALE_MS = 6 * 3_600_000;
/** CoT's value for a height or error nobody knows. */
export const UNKNOWN = "9999999.0";
const M_PER_S_PER_KNOT = 1852 / 3600;

/** `TLP:AMBER · REL TO USA, JTF`: the first words of every event's remarks. */
export function markingText(s: Pick<Sighting, "tlp" | "rel">): string {
  return s.rel === undefined ? formatTlp(s.tlp) : `${formatTlp(s.tlp)} · ${formatReleasability(s.rel)}`;
}

function remarks(s: Sighting, room: string): string {
  const origin =
    s.received === undefined
      ? `${s.ref} (${room})`
      : `${s.received.fromRef} (${s.received.fromRoom}, received ${s.received.alertRef} as ${s.ref})`;
  const parts = [markingText(s), origin];
  if (s.remarks !== undefined) parts.push(s.remarks);
  return parts.join(" · ");
}

function detail(s: Sighting, room: string): string {
  const callsign = s.ids.name ?? s.ref;
  const track =
    s.course === undefined && s.speed === undefined
      ? ""
      : `<track${attributes([
          ["course", s.course?.toFixed(1)],
          ["speed", s.speed === undefined ? undefined : (s.speed.knots * M_PER_S_PER_KNOT).toFixed(2)],
        ])}/>`;
  const tearline = `<__tearline${attributes([
    ["ref", s.ref],
    ["room", room],
    ["marking", formatTlp(s.tlp)],
    ["rel", s.rel?.join(",")],
    ["partner", partnerOf(s)],
    ["kind", s.kind],
    ["precision_m", Math.round(s.position.precisionM)],
    ["origin_room", s.received?.fromRoom],
    ["origin_ref", s.received?.fromRef],
    ["alert", s.received?.alertRef],
  ])}/>`;
  return `<detail><contact${attributes([["callsign", callsign]])}/>${track}<remarks>${escapeXml(remarks(s, room))}</remarks>${tearline}</detail>`;
}

/** One `<event>` for a sighting. */
export function cotEvent(s: Sighting, room: string): string {
  const seen = s.seenAt.toISOString();
  const event = attributes([
    ["version", "2.0"],
    ["uid", stableUid(s, room)],
    ["type", COT_TYPES[s.kind]],
    ["how", COT_HOW],
    ["time", seen],
    ["start", seen],
    ["stale", new Date(+s.seenAt + STALE_MS).toISOString()],
  ]);
  const point = attributes([
    ["lat", s.position.lat.toFixed(6)],
    ["lon", s.position.lon.toFixed(6)],
    ["hae", UNKNOWN],
    ["ce", Math.max(1, s.position.precisionM).toFixed(1)],
    ["le", UNKNOWN],
  ]);
  return `<event${event}><point${point}/>${detail(s, room)}</event>`;
}

/** The file: one event per line (LF), nothing else. */
export function toCot(sightings: readonly Sighting[], meta: Pick<ExportMeta, "room">): string {
  return sightings.map((s) => `${cotEvent(s, meta.room)}\n`).join("");
}
