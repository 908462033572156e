/**
 * What an export holds: the room's sightings as the room may see them (its own, and the copies
 * relayed into it as they were relayed: redacted fields absent, positions coarsened), and the
 * facts every format names (the room, when the file was made, the partners' names).
 */
import type { Sighting } from "../domain/sighting.ts";

export const EXPORT_FORMATS = ["cot", "stix", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportMeta {
  /** The room's key in tearline.yaml (`col-usa`). */
  room: string;
  generatedAt: Date;
  /** Partner code → display name. */
  partners: Readonly<Record<string, string>>;
}

/**
 * A stable id for the sighting across exports and rooms: a received copy is named by its origin
 * (`tearline-col-usa-S-112`), so TAK or MISP merge it with the origin room's export of the same sighting.
 */
export function stableUid(s: Sighting, room: string): string {
  return s.received === undefined
    ? `tearline-${room}-${s.ref}`
    : `tearline-${s.received.fromRoom}-${s.received.fromRef}`;
}

/** A relayed copy whose reporter was redacted holds an empty one: absent, then. */
export function reporterOf(s: Sighting): string | undefined {
  return s.reporter === "" ? undefined : s.reporter;
}

export function partnerOf(s: Sighting): string | undefined {
  return s.reporterPartner === "" ? undefined : s.reporterPartner;
}

/** `12:00Z` style stamp for file names: `20261128T0714Z`. */
export function fileStamp(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace(/[-:]/g, "")}Z`;
}
