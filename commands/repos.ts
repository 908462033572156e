/**
 * What commands may ask of storage and configuration. Declared here, on the commands' side, so
 * commands know nothing of SQL; implemented over the dispatcher's transaction in src/db/queries.
 */
import type { Addressee, Rfi, RfiPriority, RfiStatus } from "../src/domain/rfi.ts";
import type { Sighting, SightingReport } from "../src/domain/sighting.ts";
import type { SightingKind } from "../src/domain/kinds.ts";
import type { SharingRule } from "../src/domain/sharingRule.ts";

export interface NewSighting extends SightingReport {
  roomId: string;
  reporter: string;
  reporterPartner: string;
  loggedAt: Date;
  matches: string[];
}

export interface SightingSearch {
  roomId: string;
  since: Date;
  kind?: SightingKind | undefined;
  /** Within radiusNm (great circle) of a point. */
  near?: { lat: number; lon: number; radiusNm: number } | undefined;
  /** Case-insensitive substring of name, identifiers or remarks. */
  text?: string | undefined;
  limit: number;
}

export interface SightingRepo {
  create(s: NewSighting): Promise<Sighting>;
  get(id: number): Promise<Sighting | undefined>;
  /** Replaces what was reported; who, where and when it was logged stay. */
  correct(id: number, report: SightingReport, matches: string[], at: Date): Promise<Sighting>;
  /** Marks it retracted (never deletes). */
  retract(id: number, by: string, at: Date): Promise<Sighting>;
  /** Live sightings of a room sharing one of the identifier keys, seen in [from, to]. */
  sharingIdentifiers(q: {
    roomId: string;
    keys: string[];
    from: Date;
    to: Date;
    excludeId?: number;
  }): Promise<Sighting[]>;
  /** Live sightings matching, newest seen first, at most `limit`; `total` counts all matches. */
  search(q: SightingSearch): Promise<{ sightings: Sighting[]; total: number }>;
}

export type NewRfi = Pick<
  Rfi,
  "roomId" | "originator" | "originatorPartner" | "priority" | "ltiov" | "to" | "question" | "createdAt"
> & {
  /** The Matrix room of a room addressee, so it can act on the RFI there. */
  toRoomId?: string | undefined;
};

export interface RfiChange {
  status?: RfiStatus;
  priority?: RfiPriority;
  ltiov?: Date | null;
  to?: Addressee;
  toRoomId?: string | null;
  question?: string;
  reason?: string | null;
  answer?: { text: string; by: string; at: Date };
  at: Date;
}

export type RfiFilter = "open" | "mine" | "overdue" | "all";

export interface RfiRepo {
  create(r: NewRfi): Promise<Rfi>;
  /** The RFI if it can be seen from `roomId`: raised there, or addressed to it. */
  get(id: number, roomId: string): Promise<Rfi | undefined>;
  update(id: number, change: RfiChange): Promise<Rfi>;
  /** Newest first, at most `limit`; `total` counts all that match. */
  list(q: {
    roomId: string;
    filter: RfiFilter;
    user: string;
    now: Date;
    limit: number;
  }): Promise<{ rfis: Rfi[]; total: number }>;
}

export interface Repositories {
  sightings: SightingRepo;
  rfis: RfiRepo;
}

export interface RoomFacts {
  roomId: string;
  partners: readonly string[];
  /** IANA zone for local times (the room's digest zone), if configured. */
  timeZone?: string | undefined;
}

/**
 * A sharing rule of tearline.yaml for one target room (both ends by alias): a rule written with
 * `to: [a, b]` is one of these per target. The pure decisions are in src/domain/sharing.ts.
 */
export type SharingFacts = SharingRule;

/** The loaded configuration, as far as commands need it. */
export interface ConfigFacts {
  /** Partner code → display name. */
  partners: Readonly<Record<string, string>>;
  /** Configured rooms by alias. */
  rooms: Readonly<Record<string, RoomFacts>>;
  corroboration: { windowHours: number; distanceNm: number };
  /** Deny by default: an item goes to another room only if one of these rules lets its kind go there. */
  sharing: readonly SharingFacts[];
}
