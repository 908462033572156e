import { identifierKeys } from "./identifiers.ts";
import { distanceNm } from "./position.ts";
import { bearingDeg } from "./positionFormat.ts";
import type { Sighting, SightingReport } from "./sighting.ts";

export interface CorroborationWindow {
  windowHours: number;
  distanceNm: number;
}

export interface Match {
  sighting: Sighting;
  distanceNm: number;
  bearing: number;
}

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
