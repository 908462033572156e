/**
 * A sighting as message pieces, one per field, so that a relay or a digest can leave fields out
 * (`fields.filter(f => f.id !== "sighting.remarks")`) and render the rest.
 */
import type { Match } from "../domain/corroboration.ts";
import type { Identifiers } from "../domain/identifiers.ts";
import { formatGrading, formatReleasability } from "../domain/marking.ts";
import { formatCourse, formatSpeed } from "../domain/motion.ts";
import { formatCoordinates } from "../domain/position.ts";
import { compassPoint, formatPositionAsGiven } from "../domain/positionFormat.ts";
import type { Sighting, SightingReport } from "../domain/sighting.ts";
import { NAME_CAP } from "../domain/userText.ts";
import { list, type Message, msg, type Piece, ref, time, userText } from "./message.ts";

/** Remarks in a one-line read-back: the start, enough to check it was understood. */
const READ_BACK_REMARKS = 60;
const MAX_MATCHES_SHOWN = 3;
const SAME_COURSE_DEG = 20;

function identifiers(ids: Identifiers): Message[] {
  const out: Message[] = [];
  if (ids.name) out.push(msg("sighting.name", { name: userText(ids.name, NAME_CAP) }));
  if (ids.mmsi) out.push(msg("sighting.mmsi", { mmsi: ids.mmsi }));
  if (ids.imo) out.push(msg("sighting.imo", { imo: ids.imo }));
  if (ids.tail) out.push(msg("sighting.tail", { tail: ids.tail }));
  if (ids.plate) out.push(msg("sighting.plate", { plate: ids.plate }));
  return out;
}

/** `vessel "SIN NOMBRE" · MMSI 367123450`, or the kind alone. */
export function what(r: Pick<SightingReport, "kind" | "ids">): Message {
  const ids = identifiers(r.ids);
  return ids.length === 0
    ? msg("sighting.what", { kind: r.kind })
    : msg("sighting.whatNamed", { kind: r.kind, ids: list(ids) });
}

/**
 * The read-back after `!sight`, everything that was understood, in the officer's own units:
 * `vessel "SIN NOMBRE" · 12°30.50'N 079°10.00'W (±1.8 km) · seen 28 Nov 07:14Z (02:14 Bogota) · course 045° · 32 kt · B2 · TLP:AMBER`.
 */
export function readBackFields(r: SightingReport, now: Date): Piece[] {
  const fields: Piece[] = [what(r), formatPositionAsGiven(r.position)];
  fields.push(msg("sighting.seen", { time: time(r.seenAt, now, "seen") }));
  if (r.course !== undefined) fields.push(msg("sighting.course", { course: formatCourse(r.course) }));
  if (r.speed !== undefined) fields.push(formatSpeed(r.speed));
  if (r.grading !== undefined) fields.push(formatGrading(r.grading));
  fields.push({ kind: "tlp", tlp: r.tlp });
  if (r.rel !== undefined) fields.push(formatReleasability(r.rel));
  if (r.remarks !== undefined)
    fields.push(msg("sighting.remarks", { remarks: userText(r.remarks, READ_BACK_REMARKS) }));
  return fields;
}

/** One line of `!sightings`: `S-112 · vessel "SIN NOMBRE" · 12°30.50'N 079°10.00'W · 28 Nov 07:14Z · COL · B2 · TLP:AMBER`. */
export function listLine(s: Sighting, now: Date): Message {
  const head: Piece =
    s.received === undefined
      ? ref(s.ref)
      : msg("sightings.received", {
          ref: ref(s.ref),
          alert: ref(s.received.alertRef),
          room: s.received.fromRoom,
        });
  const fields: Piece[] = [head, what(s), formatCoordinates(s.position)];
  fields.push(time(s.seenAt, now));
  if (s.reporterPartner !== "") fields.push(s.reporterPartner);
  if (s.grading !== undefined) fields.push(formatGrading(s.grading));
  fields.push({ kind: "tlp", tlp: s.tlp });
  if (s.matches.length > 0)
    fields.push(msg("sighting.matchesListed", { refs: list(s.matches.map(ref), ", ") }));
  return msg("sightings.line", { fields: list(fields) });
}

/**
 * `⚠ matches S-109 (USA, 3 h ago, 18 nm SW, same course) — corroborated`; the direction is
 * where the earlier sighting lies from this one.
 */
export function matchesMessage(
  report: SightingReport,
  matches: readonly Match[],
  now: Date,
): Message | undefined {
  if (matches.length === 0) return undefined;
  const shown = list(
    matches.slice(0, MAX_MATCHES_SHOWN).map((m) => matchPiece(report, m, now)),
    ", ",
  );
  return matches.length > MAX_MATCHES_SHOWN
    ? msg("sighting.matchesMore", { matches: shown, more: matches.length - MAX_MATCHES_SHOWN })
    : msg("sighting.matches", { matches: shown });
}

function matchPiece(report: SightingReport, m: Match, now: Date): Message {
  const s = m.sighting;
  const where =
    m.distanceNm < 0.5
      ? msg("sighting.samePlace")
      : msg("sighting.distance", { nm: formatNm(m.distanceNm), direction: compassPoint(m.bearing) });
  const details: Piece[] = [s.reporterPartner, time(s.seenAt, now, "relative"), where];
  if (s.course !== undefined) {
    const same = report.course !== undefined && angleBetween(report.course, s.course) <= SAME_COURSE_DEG;
    details.push(
      same ? msg("sighting.sameCourse") : msg("sighting.course", { course: formatCourse(s.course) }),
    );
  }
  return msg("sighting.match", { ref: ref(s.ref), details: list(details, ", ") });
}

function angleBetween(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

function formatNm(nm: number): string {
  return nm < 10 ? String(Math.round(nm * 10) / 10) : String(Math.round(nm));
}
