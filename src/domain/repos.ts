/**
 * What commands may ask of storage: the repository interfaces (ports). Declared in the domain, which
 * both sides may import, so commands know nothing of SQL and src/db implements them without
 * importing commands/ (scripts/layers.ts). Implemented over the dispatcher's transaction in
 * src/db/queries, and in memory for tests (test/support/memoryRepos.ts).
 */
import type { DigestPeriod, DigestRfi, DigestSighting } from "./digest.ts";
import type { SightingKind } from "./kinds.ts";
import type { Addressee, Rfi, RfiPriority, RfiStatus } from "./rfi.ts";
import type { Sighting, SightingReport } from "./sighting.ts";

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
  /** Notes that its message was deleted where a deletion cannot retract; it stays live. */
  requestRetraction(id: number, by: string, at: Date): Promise<Sighting>;
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

/** A room's digest schedule set from chat; `cron` undefined means `!digest off`. */
export interface ChatSchedule {
  roomId: string;
  cron?: string | undefined;
  tz: string;
  setBy: string;
  setAt: Date;
}

export interface DigestClaim {
  roomId: string;
  period: DigestPeriod;
  trigger: "schedule" | "command";
  status: "posted" | "skipped";
  late: boolean;
  at: Date;
}

export interface DigestRepo {
  /** What the room may see of the period: its live sightings seen in it, and its RFIs that matter then. */
  items(roomId: string, period: DigestPeriod): Promise<{ sightings: DigestSighting[]; rfis: DigestRfi[] }>;
  /** The end of the room's last posted digest, if any. */
  lastEnd(roomId: string): Promise<Date | undefined>;
  /** Claims (room, period end); false when it is already claimed (exactly once). */
  claim(c: DigestClaim): Promise<boolean>;
  schedule(roomId: string): Promise<ChatSchedule | undefined>;
  setSchedule(s: ChatSchedule): Promise<void>;
  /** Forgets the chat schedule (the file's applies again); false if there was none. */
  resetSchedule(roomId: string): Promise<boolean>;
}

export interface Repositories {
  sightings: SightingRepo;
  rfis: RfiRepo;
  digests: DigestRepo;
}

/** The command message that created a record, as the dispatcher remembers it. */
export interface CommandRecord {
  eventId: string;
  command: string;
  ref: string;
  roomId: string;
  sender: string;
  sentAt: Date;
}
