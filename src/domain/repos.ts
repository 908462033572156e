/**
 * What commands may ask of storage: the repository interfaces (ports). Declared in the domain, which
 * both sides may import, so commands know nothing of SQL and src/db implements them without
 * importing commands/ (scripts/layers.ts). Implemented over the dispatcher's transaction in
 * src/db/queries, and in memory for tests (test/support/memoryRepos.ts).
 */
import type { Alert, AlertApproval, NewAlert, TargetOutcome } from "./alert.ts";
import type { DigestAlerts, DigestPeriod, DigestRfi, DigestSighting } from "./digest.ts";
import type { SightingKind } from "./kinds.ts";
import type { Lang } from "./lang.ts";
import type { Addressee, Rfi, RfiPriority, RfiStatus } from "./rfi.ts";
import type { ShareableItem } from "./sharingRule.ts";
import type { Received, Sighting, SightingReport } from "./sighting.ts";

export interface NewSighting extends SightingReport {
  roomId: string;
  reporter: string;
  reporterPartner: string;
  loggedAt: Date;
  matches: string[];
  received?: Received | undefined;
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
  /** The received copies an alert brought (live or retracted). */
  receivedVia(alertRef: string): Promise<Sighting[]>;
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

export interface TargetChange {
  outcome: TargetOutcome;
  reason?: string | undefined;
  decidedAt: Date;
}

export interface AlertRepo {
  create(a: NewAlert): Promise<Alert>;
  /** With its targets (in the order given at creation) and its approvals (oldest first). */
  get(id: number): Promise<Alert | undefined>;
  /** The alerts raised for a record of a room (`S-112`), oldest first. */
  bySource(roomId: string, sourceRef: string): Promise<Alert[]>;
  setTarget(alertId: number, room: string, change: TargetChange): Promise<void>;
  /**
   * Records a user's decision. One per user: false (and nothing changes) when the user already
   * has one that was counted; an ignored one is kept as it was unless this one counts.
   */
  recordApproval(alertId: number, approval: AlertApproval): Promise<boolean>;
  /** The source was corrected: later copies are made from this. */
  updateItem(alertId: number, item: ShareableItem): Promise<void>;
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
  /** The alerts the room sent in the period (by standing), received in it, and still awaiting approval. */
  alerts(roomId: string, period: DigestPeriod): Promise<DigestAlerts>;
  /** The end of the room's last posted digest, if any. */
  lastEnd(roomId: string): Promise<Date | undefined>;
  /** Claims (room, period end); false when it is already claimed (exactly once). */
  claim(c: DigestClaim): Promise<boolean>;
  schedule(roomId: string): Promise<ChatSchedule | undefined>;
  setSchedule(s: ChatSchedule): Promise<void>;
  /** Forgets the chat schedule (the file's applies again); false if there was none. */
  resetSchedule(roomId: string): Promise<boolean>;
}

/** A room's language set from chat (`!lang`); it overrides tearline.yaml's `lang:`. */
export interface ChatLang {
  roomId: string;
  lang: Lang;
  setBy: string;
  setAt: Date;
}

export interface RoomSettingsRepo {
  lang(roomId: string): Promise<ChatLang | undefined>;
  setLang(s: ChatLang): Promise<void>;
}

export interface Repositories {
  sightings: SightingRepo;
  rfis: RfiRepo;
  alerts: AlertRepo;
  digests: DigestRepo;
  rooms: RoomSettingsRepo;
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
