import type { Identifiers } from "./identifiers.ts";
import type { SightingKind } from "./kinds.ts";
import type { Grading, Tlp } from "./marking.ts";
import type { Speed } from "./motion.ts";
import type { Position } from "./position.ts";

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
  /** A copy relayed from another room (its redacted fields are simply not there). */
  received?: Received | undefined;
}

/** Where a received sighting came from: the origin room's alias and ref, and the alert that brought it. */
export interface Received {
  fromRoom: string;
  fromRef: string;
  alertRef: string;
}
