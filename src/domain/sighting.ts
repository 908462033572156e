import { type Identifiers, formatIdentifiers } from "./identifiers.ts";
import type { SightingKind } from "./kinds.ts";
import { formatGrading, formatReleasability, formatTlp, type Grading, type Tlp } from "./marking.ts";
import { formatCourse, formatSpeed, type Speed } from "./motion.ts";
import { formatCoordinates, type Position } from "./position.ts";
import { formatPositionAsGiven } from "./positionFormat.ts";
import { quote } from "./result.ts";
import { formatSeen, formatZulu } from "./when.ts";

/** What an officer reported, as understood (design §5: SALUTE / SPOTREP fields). */
export interface SightingReport {
  kind: SightingKind;
  position: Position;
  seenAt: Date;
  ids: Identifiers;
  course?: number | undefined;
  speed?: Speed | undefined;
  tlp: Tlp;
  /** Partner codes it may be released to; undefined when none were given. */
  rel?: string[] | undefined;
  grading?: Grading | undefined;
  remarks?: string | undefined;
}

/** A logged sighting. `ref` is `S-<id>`, unique per deployment. */
export interface Sighting extends SightingReport {
  id: number;
  ref: string;
  roomId: string;
  reporter: string;
  reporterPartner: string;
  loggedAt: Date;
  /** Refs of the earlier sightings it matched when logged (corroboration). */
  matches: string[];
  correctedAt?: Date | undefined;
  retractedAt?: Date | undefined;
  /** Its message was deleted where a deletion only asks (trust.ignore_unverified); still live. */
  retractionRequestedAt?: Date | undefined;
  retractionRequestedBy?: string | undefined;
}

/**
 * The read-back after `!sight`: everything that was understood, in the officer's own units.
 * `vessel "SIN NOMBRE" · 12°30.50'N 079°10.00'W (±1.8 km) · seen 28 Nov 07:14Z (02:14 Bogota) ·
 * course 045° · 32 kt · B2 · TLP:AMBER`
 */
export function readBack(r: SightingReport, now: Date, timeZone?: string): string {
  const ids = formatIdentifiers(r.ids);
  const parts = [ids === "" ? r.kind : `${r.kind} ${ids}`, formatPositionAsGiven(r.position)];
  parts.push(`seen ${formatSeen(r.seenAt, now, timeZone)}`);
  if (r.course !== undefined) parts.push(`course ${formatCourse(r.course)}`);
  if (r.speed !== undefined) parts.push(formatSpeed(r.speed));
  if (r.grading !== undefined) parts.push(formatGrading(r.grading));
  parts.push(formatTlp(r.tlp));
  if (r.rel !== undefined) parts.push(formatReleasability(r.rel));
  if (r.remarks !== undefined) parts.push(`remarks ${quote(r.remarks, 60)}`);
  return parts.join(" · ");
}

/** One line of `!sightings`: `S-112 · vessel "SIN NOMBRE" · 12°30.50'N 079°10.00'W · 28 Nov 07:14Z · COL · B2 · TLP:AMBER`. */
export function listLine(s: Sighting, now: Date): string {
  const ids = formatIdentifiers(s.ids);
  const parts = [s.ref, ids === "" ? s.kind : `${s.kind} ${ids}`, formatCoordinates(s.position)];
  parts.push(formatZulu(s.seenAt, now), s.reporterPartner);
  if (s.grading !== undefined) parts.push(formatGrading(s.grading));
  parts.push(formatTlp(s.tlp));
  if (s.matches.length > 0) parts.push(`⚠ matches ${s.matches.join(", ")}`);
  return parts.join(" · ");
}
