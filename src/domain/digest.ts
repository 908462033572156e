/**
 * The commanders' digest as data: what a room saw in a period (its own sightings, those relayed
 * into it, its RFIs, the alerts it sent and received), composed from plain inputs and a clock.
 * Rendering (src/render/digest.ts) makes the text; the map renderer takes `map`.
 */
import type { TargetOutcome } from "./alert.ts";
import type { Identifiers } from "./identifiers.ts";
import type { SightingKind } from "./kinds.ts";
import { SIGHTING_KINDS } from "./kinds.ts";
import { type Grading, highestTlp, type Tlp } from "./marking.ts";
import { REMINDER_LEAD_MS } from "./reminders.ts";
import { type Addressee, isAwaitingAnswer, type RfiPriority, type RfiStatus } from "./rfi.ts";

/** A sighting as the room may see it: a relayed one carries only what the tearline let through. */
export interface DigestSighting {
  ref: string;
  /** The room it is stored for: its own room, or the room it was relayed into. */
  roomId: string;
  kind: SightingKind;
  lat: number;
  lon: number;
  seenAt: Date;
  ids: Identifiers;
  grading?: Grading | undefined;
  tlp: Tlp;
  /** How many other sightings it was matched with (corroboration). */
  corroboratedBy: number;
  /** Set when it came into the room by relay: where from (room alias or partner) and the alert. */
  received?: { from: string; alertRef?: string | undefined } | undefined;
}

export interface DigestRfi {
  ref: string;
  /** The room it was raised in. */
  roomId: string;
  /** The Matrix room of a room addressee. */
  toRoomId?: string | undefined;
  to: Addressee;
  priority: RfiPriority;
  status: RfiStatus;
  createdAt: Date;
  answeredAt?: Date | undefined;
  ltiov?: Date | undefined;
}

/** Alerts of the period, as counts. */
export interface DigestAlerts {
  sent: { approved: number; denied: number; refused: number; pending: number };
  received: number;
  /** Alerts from this room still waiting for their approvals, oldest first. */
  awaiting: Array<{ ref: string; since: Date }>;
}

/** An alert as the digest reads it: where it came from, when, and what became of it per target. */
export interface DigestAlertRow {
  ref: string;
  /** The source room. */
  roomId: string;
  createdAt: Date;
  targets: ReadonlyArray<{ roomId: string; outcome: TargetOutcome; decidedAt?: Date | undefined }>;
}

const within = (at: Date | undefined, p: DigestPeriod) => at !== undefined && +at >= +p.from && +at < +p.to;

export type AlertStanding = keyof DigestAlerts["sent"];

/**
 * What one alert came to, over all its targets: approved once any copy went (and stands), pending
 * while any still waits, denied when approvers said no or let it expire, refused otherwise (no rule
 * let it go, or it was recalled — taken back, it does not stand).
 */
export function alertStanding(targets: DigestAlertRow["targets"]): AlertStanding {
  const has = (...o: TargetOutcome[]) => targets.some((t) => o.includes(t.outcome));
  if (has("relayed")) return "approved";
  if (has("pending")) return "pending";
  if (has("denied", "expired")) return "denied";
  return "refused";
}

/**
 * The alert counts of `roomId`'s digest: sent = its alerts raised in the period, by standing;
 * received = alerts whose copy was relayed into it in the period; awaiting = its alerts raised by
 * the period's end with a target still waiting for approval, oldest first. Rows of alerts that are
 * neither from nor to the room count for nothing.
 */
export function digestAlerts(roomId: string, p: DigestPeriod, rows: readonly DigestAlertRow[]): DigestAlerts {
  const sent = { approved: 0, denied: 0, refused: 0, pending: 0 };
  const awaiting: DigestAlerts["awaiting"] = [];
  let received = 0;
  for (const a of rows) {
    if (a.roomId === roomId) {
      if (within(a.createdAt, p)) sent[alertStanding(a.targets)] += 1;
      if (+a.createdAt < +p.to && a.targets.some((t) => t.outcome === "pending"))
        awaiting.push({ ref: a.ref, since: a.createdAt });
    }
    if (a.targets.some((t) => t.roomId === roomId && t.outcome === "relayed" && within(t.decidedAt, p)))
      received += 1;
  }
  awaiting.sort((x, y) => +x.since - +y.since);
  return { sent, received, awaiting };
}

export interface DigestPeriod {
  from: Date;
  to: Date;
}

export interface DigestRoom {
  alias: string;
  roomId: string;
  /** IANA zone the period is shown in. */
  timeZone: string;
}

export interface DigestInput {
  room: DigestRoom;
  period: DigestPeriod;
  sightings: readonly DigestSighting[];
  rfis: readonly DigestRfi[];
  alerts?: DigestAlerts | undefined;
  /** Posted after its time (catch-up after downtime). */
  late?: boolean | undefined;
}

/** One point of the period's map. */
export interface MapPoint {
  ref: string;
  kind: SightingKind;
  lat: number;
  lon: number;
  received: boolean;
}

export interface Digest {
  room: DigestRoom;
  period: DigestPeriod;
  late: boolean;
  /** The highest TLP of what it contains, TLP:CLEAR when it contains nothing marked. */
  marking: Tlp;
  sightings: {
    total: number;
    /** Kinds with at least one sighting, most first. */
    byKind: Array<{ kind: SightingKind; count: number }>;
    corroborated: number;
    /** Corroborated, received and graded sightings, most notable first. */
    notable: DigestSighting[];
  };
  rfis: {
    opened: string[];
    answered: Array<{ ref: string; afterMs: number }>;
    overdue: Array<{ ref: string; to: Addressee }>;
    nearing: Array<{ ref: string; ltiov: Date }>;
  };
  alerts?: DigestAlerts | undefined;
  /** The map's input: every sighting of the period with a position (all of them have one). */
  map: { points: MapPoint[] };
}

/** Lower is better: A1 first, F6 last; ungraded after every grading. */
function gradingRank(g: Grading | undefined): number {
  return g === undefined ? 100 : (g.reliability.charCodeAt(0) - 65) * 10 + g.credibility;
}

function isNotable(s: DigestSighting): boolean {
  return s.corroboratedBy > 0 || s.received !== undefined || s.grading !== undefined;
}

function byNotability(a: DigestSighting, b: DigestSighting): number {
  return (
    b.corroboratedBy - a.corroboratedBy ||
    Number(b.received !== undefined) - Number(a.received !== undefined) ||
    gradingRank(a.grading) - gradingRank(b.grading) ||
    +b.seenAt - +a.seenAt
  );
}

/**
 * The digest of `input.period` for `input.room`. Items of other rooms are left out here too, not
 * only by the query that loads them: a digest must never show what its room may not see.
 */
export function composeDigest(input: DigestInput): Digest {
  const { room, period } = input;
  const sightings = input.sightings.filter((s) => s.roomId === room.roomId && within(s.seenAt, period));
  const rfis = input.rfis.filter((r) => r.roomId === room.roomId || r.toRoomId === room.roomId);
  const counts = new Map<SightingKind, number>();
  for (const s of sightings) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  const byKind = SIGHTING_KINDS.filter((k) => counts.has(k))
    .map((kind) => ({ kind, count: counts.get(kind) ?? 0 }))
    .sort((a, b) => b.count - a.count);
  const awaitingAtEnd = (r: DigestRfi) => isAwaitingAnswer(r.status) && r.ltiov !== undefined;
  return {
    room,
    period,
    late: input.late === true,
    marking: highestTlp(sightings.map((s) => s.tlp)),
    sightings: {
      total: sightings.length,
      byKind,
      corroborated: sightings.filter((s) => s.corroboratedBy > 0).length,
      notable: sightings.filter(isNotable).sort(byNotability),
    },
    rfis: {
      opened: rfis.filter((r) => within(r.createdAt, period)).map((r) => r.ref),
      answered: rfis
        .filter((r) => within(r.answeredAt, period))
        .map((r) => ({ ref: r.ref, afterMs: +(r.answeredAt ?? r.createdAt) - +r.createdAt })),
      overdue: rfis
        .filter((r) => awaitingAtEnd(r) && +(r.ltiov ?? 0) <= +period.to)
        .map((r) => ({ ref: r.ref, to: r.to })),
      nearing: rfis
        .filter((r) => {
          const left = +(r.ltiov ?? 0) - +period.to;
          return awaitingAtEnd(r) && left > 0 && left <= REMINDER_LEAD_MS[r.priority];
        })
        .map((r) => ({ ref: r.ref, ltiov: r.ltiov ?? period.to })),
    },
    alerts: input.alerts,
    map: {
      points: sightings.map((s) => ({
        ref: s.ref,
        kind: s.kind,
        lat: s.lat,
        lon: s.lon,
        received: s.received !== undefined,
      })),
    },
  };
}
