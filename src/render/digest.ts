/**
 * The digest as the room reads it, on a phone: a header that names it, the sightings by kind,
 * the notable ones one line each with their ref, then RFIs and alerts — at most `MAX_LINES`
 * lines, the rest pointed at with `!sightings since=…`.
 */
import { formatDtg } from "../domain/dtg.ts";
import type { Digest, DigestSighting } from "../domain/digest.ts";
import { formatGrading, formatTlp } from "../domain/marking.ts";
import { formatAddressee } from "../domain/rfi.ts";
import { localTime, zoneAbbreviation } from "../domain/zone.ts";
import { formatLocalStamp } from "../domain/when.ts";
import { duration, list, localStamp, type Message, msg, type Piece, ref } from "./message.ts";
import { what } from "./sighting.ts";

/** What fits on a phone screen without scrolling, header included. */
export const MAX_LINES = 12;
/** Refs named per RFI group (`1 answered (RFI-40, 2 h 12 m)`); the count says the rest. */
const REFS_PER_GROUP = 2;

const pad = (n: number) => String(n).padStart(2, "0");

/** `27 Nov 06:00` in the room's zone, English (the map's drawn label; messages use a `localStamp` piece). */
export function englishStamp(at: Date, timeZone: string): string {
  return formatLocalStamp(at, timeZone);
}

/** `05:12` in the room's zone. */
export function localClock(at: Date, timeZone: string): string {
  const t = localTime(at, timeZone);
  return `${pad(t.hour)}:${pad(t.minute)}`;
}

/** `COT`, or `CET/CEST` for a period across a clock change. */
function zoneLabel(d: Digest): string {
  const a = zoneAbbreviation(d.period.from, d.room.timeZone);
  const b = zoneAbbreviation(d.period.to, d.room.timeZone);
  return a === b ? b : `${a}/${b}`;
}

/** About a day, whatever a clock change did to it. */
function isDaily(d: Digest): boolean {
  const hours = (+d.period.to - +d.period.from) / 3_600_000;
  return hours >= 23 && hours <= 25;
}

/** `12.5N 079.2W`: enough to place it on a chart at a glance; the ref gives the rest. */
export function shortPosition(lat: number, lon: number): string {
  const la = `${Math.abs(lat).toFixed(1)}${lat < 0 ? "S" : "N"}`;
  const lo = `${Math.abs(lon).toFixed(1).padStart(5, "0")}${lon < 0 ? "W" : "E"}`;
  return `${la} ${lo}`;
}

function hhmmZ(at: Date): string {
  return `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}Z`;
}

export function headerMessage(d: Digest, now: Date): Message {
  const params = {
    title: msg(isDaily(d) ? "digest.daily" : "digest.title"),
    room: d.room.alias,
    from: localStamp(d.period.from, d.room.timeZone),
    to: localStamp(d.period.to, d.room.timeZone),
    zone: zoneLabel(d),
    marking: { kind: "tlp", tlp: d.marking } as const,
  };
  if (!d.late) return msg("digest.head", params);
  return msg("digest.headLate", { ...params, posted: localClock(now, d.room.timeZone) });
}

function sightingsLine(d: Digest): Message {
  const s = d.sightings;
  if (s.total === 0) return msg("digest.noSightings");
  const kinds = list(
    s.byKind.map((k) => msg("digest.kindCount", { kind: k.kind, count: k.count })),
    ", ",
  );
  return s.corroborated > 0
    ? msg("digest.sightingsCorroborated", { total: s.total, kinds, corroborated: s.corroborated })
    : msg("digest.sightings", { total: s.total, kinds });
}

/** `S-112 vessel "SIN NOMBRE" 12.5N 079.2W 0714Z B2 ⚠ corroborated by 1 · from usa-jtf (A-33)`. */
export function notableLine(s: DigestSighting): Message {
  const fields: Piece[] = [ref(s.ref), what(s), shortPosition(s.lat, s.lon), hhmmZ(s.seenAt)];
  if (s.grading !== undefined) fields.push(formatGrading(s.grading));
  if (s.corroboratedBy > 0) fields.push(msg("digest.corroboratedBy", { count: s.corroboratedBy }));
  if (s.received !== undefined) {
    const alert = s.received.alertRef;
    fields.push(
      alert === undefined
        ? msg("digest.receivedFrom", { from: s.received.from })
        : msg("digest.receivedFromAlert", { from: s.received.from, alert: ref(alert) }),
    );
  }
  return msg("digest.notable", { fields: list(fields, " ") });
}

function refs<T>(items: readonly T[], piece: (t: T) => Piece): Piece {
  const shown = items.slice(0, REFS_PER_GROUP).map(piece);
  if (items.length > REFS_PER_GROUP) shown.push("…");
  return list(shown, "; ");
}

function rfisLine(d: Digest): Message {
  const r = d.rfis;
  const parts: Piece[] = [];
  if (r.opened.length > 0) parts.push(msg("digest.rfisOpened", { count: r.opened.length }));
  if (r.answered.length > 0) {
    const which = refs(r.answered, (a) =>
      msg("digest.rfiAfter", { ref: ref(a.ref), after: duration(a.afterMs) }),
    );
    parts.push(msg("digest.rfisAnswered", { count: r.answered.length, which }));
  }
  if (r.overdue.length > 0) {
    const which = refs(r.overdue, (o) => msg("digest.rfiTo", { ref: ref(o.ref), to: formatAddressee(o.to) }));
    parts.push(msg("digest.rfisOverdue", { count: r.overdue.length, which }));
  }
  if (r.nearing.length > 0) {
    const which = refs(r.nearing, (n) =>
      msg("digest.rfiLeft", { ref: ref(n.ref), left: duration(+n.ltiov - +d.period.to) }),
    );
    parts.push(msg("digest.rfisNearing", { count: r.nearing.length, which }));
  }
  return parts.length === 0 ? msg("digest.noRfis") : msg("digest.rfis", { parts: list(parts) });
}

function alertLines(d: Digest): Message[] {
  const a = d.alerts;
  if (a === undefined) return [];
  const sent = a.sent.approved + a.sent.denied + a.sent.refused + a.sent.pending;
  const outcomes: Piece[] = (["approved", "denied", "refused", "pending"] as const)
    .filter((k) => a.sent[k] > 0)
    .map((k) => msg(`digest.alerts.${k}`, { count: a.sent[k] }));
  const out =
    outcomes.length === 0
      ? msg("digest.alertsOut", { count: sent })
      : msg("digest.alertsOutHow", { count: sent, how: list(outcomes, ", ") });
  const lines = [msg("digest.shared", { out, received: a.received })];
  if (a.awaiting.length > 0) {
    const which = list(
      a.awaiting
        .slice(0, REFS_PER_GROUP + 1)
        .map((w) =>
          msg("digest.awaitingOne", { ref: ref(w.ref), since: localClock(w.since, d.room.timeZone) }),
        ),
      ", ",
    );
    const more = a.awaiting.length > REFS_PER_GROUP + 1 ? a.awaiting.length - REFS_PER_GROUP - 1 : 0;
    lines.push(more > 0 ? msg("digest.awaitingMore", { which, more }) : msg("digest.awaiting", { which }));
  }
  return lines;
}

/** `24h`, `36h`, `7d`: a since= that covers the period, for the pointer to the full list. */
function sinceFor(d: Digest, now: Date): string {
  const hours = Math.ceil((+now - +d.period.from) / 3_600_000);
  return hours <= 72 ? `${hours}h` : `${Math.ceil(hours / 24)}d`;
}

/** The digest's message: its first line names it, every other line carries a ref or a count. */
export function digestMessage(d: Digest, now: Date, prefix = "!"): Message {
  const fixed: Message[] = [
    msg("digest.period", { from: formatDtg(d.period.from), to: formatDtg(d.period.to) }),
    sightingsLine(d),
  ];
  const tail = [rfisLine(d), ...alertLines(d)];
  const room = MAX_LINES - 1 - fixed.length - tail.length;
  const notable = d.sightings.notable;
  const shown = notable.length <= room ? notable : notable.slice(0, Math.max(0, room - 1));
  const more =
    shown.length < notable.length
      ? [
          msg("digest.more", {
            more: notable.length - shown.length,
            command: `${prefix}sightings since=${sinceFor(d, now)}`,
          }),
        ]
      : [];
  return {
    ...headerMessage(d, now),
    more: [...fixed, ...shown.map(notableLine), ...more, ...tail],
  };
}

/** A map file to send after a digest: what the map shows, its caption, and what it is saved as. */
export interface MapFile {
  /** Rendered in the room's language when the file is queued. */
  caption: Message;
  filename: string;
  sightings: Array<{ ref: string; kind: Digest["map"]["points"][number]["kind"]; lat: number; lon: number }>;
  period: { from: Date; to: Date; label: string };
  marking: string;
}

/**
 * The digest's map: exactly its points (a received one where it was stored, already coarsened),
 * the period as the header says it, and the digest's marking. Undefined when there is nothing to
 * place on it.
 */
export function digestMap(d: Digest): MapFile | undefined {
  if (d.map.points.length === 0) return undefined;
  const label = `${englishStamp(d.period.from, d.room.timeZone)} → ${englishStamp(d.period.to, d.room.timeZone)} (${zoneLabel(d)})`;
  const marking = { kind: "tlp", tlp: d.marking } as const;
  const stamp = d.period.to.toISOString().slice(0, 16).replace(/[-:]/g, "");
  return {
    caption: msg("digest.mapCaption", {
      room: d.room.alias,
      period: list(
        [localStamp(d.period.from, d.room.timeZone), localStamp(d.period.to, d.room.timeZone)],
        " → ",
      ),
      zone: zoneLabel(d),
      marking,
    }),
    filename: `digest-${d.room.alias}-${stamp}Z.png`,
    sightings: d.map.points.map((p) => ({ ref: p.ref, kind: p.kind, lat: p.lat, lon: p.lon })),
    period: { from: d.period.from, to: d.period.to, label },
    marking: formatTlp(d.marking),
  };
}
