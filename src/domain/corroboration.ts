import { identifierKeys } from "./identifiers.ts";
import { distanceNm } from "./position.ts";
import { bearingDeg, compassPoint } from "./positionFormat.ts";
import type { Sighting, SightingReport } from "./sighting.ts";
import { formatRelative } from "./when.ts";

export interface CorroborationWindow {
  windowHours: number;
  distanceNm: number;
}

export interface Match {
  sighting: Sighting;
  distanceNm: number;
  bearing: number;
}

const SAME_COURSE_DEG = 20;
const MAX_SHOWN = 3;

/** The time span in which a sighting seen at `seenAt` may match others. */
export function matchSpan(seenAt: Date, w: CorroborationWindow): { from: Date; to: Date } {
  const ms = w.windowHours * 3_600_000;
  return { from: new Date(+seenAt - ms), to: new Date(+seenAt + ms) };
}

/**
 * The candidates that corroborate a report: they share an identifier (name, MMSI, IMO, tail or
 * plate, case-insensitive), were seen within the time window and lie within the distance.
 * Nearest in time first. A sighting by `reporter` (the report's own author) never counts: an
 * officer repeating a report is not a second source.
 */
export function corroborations(
  report: SightingReport,
  candidates: readonly Sighting[],
  w: CorroborationWindow,
  reporter?: string,
): Match[] {
  const keys = new Set(identifierKeys(report.ids));
  if (keys.size === 0) return [];
  const windowMs = w.windowHours * 3_600_000;
  return candidates
    .filter((c) => reporter === undefined || c.reporter !== reporter)
    .filter((c) => c.retractedAt === undefined && identifierKeys(c.ids).some((k) => keys.has(k)))
    .filter((c) => Math.abs(+c.seenAt - +report.seenAt) <= windowMs)
    .map((c) => ({
      sighting: c,
      distanceNm: distanceNm(report.position, c.position),
      bearing: bearingDeg(report.position, c.position),
    }))
    .filter((m) => m.distanceNm <= w.distanceNm)
    .sort(
      (a, b) => Math.abs(+a.sighting.seenAt - +report.seenAt) - Math.abs(+b.sighting.seenAt - +report.seenAt),
    );
}

/**
 * `⚠ matches S-109 (USA, 3 h ago, 18 nm SW, same course) — corroborated`; the direction is
 * where the earlier sighting lies from this one.
 */
export function describeMatches(
  report: SightingReport,
  matches: readonly Match[],
  now: Date,
): string | undefined {
  if (matches.length === 0) return undefined;
  const shown = matches.slice(0, MAX_SHOWN).map((m) => describeMatch(report, m, now));
  const more = matches.length > MAX_SHOWN ? ` and ${matches.length - MAX_SHOWN} more` : "";
  return `⚠ matches ${shown.join(", ")}${more} — corroborated`;
}

function describeMatch(report: SightingReport, m: Match, now: Date): string {
  const s = m.sighting;
  const where = m.distanceNm < 0.5 ? "same place" : `${formatNm(m.distanceNm)} nm ${compassPoint(m.bearing)}`;
  const parts = [s.reporterPartner, formatRelative(s.seenAt, now), where];
  if (s.course !== undefined) {
    const same = report.course !== undefined && angleBetween(report.course, s.course) <= SAME_COURSE_DEG;
    parts.push(same ? "same course" : `course ${String(s.course).padStart(3, "0")}°`);
  }
  return `${s.ref} (${parts.join(", ")})`;
}

function angleBetween(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

function formatNm(nm: number): string {
  return nm < 10 ? String(Math.round(nm * 10) / 10) : String(Math.round(nm));
}
