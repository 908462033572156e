/**
 * In-memory repositories with the same meaning as the SQL ones (src/db/queries/sightings.ts,
 * rfis.ts); test/db/repos.contract.test.ts runs the same cases against both, so they cannot drift.
 */
import { identifierKeys } from "../../src/domain/identifiers.ts";
import {
  type DigestPeriod,
  type DigestRfi,
  type DigestSighting,
  digestAlerts,
} from "../../src/domain/digest.ts";
import { distanceNm } from "../../src/domain/position.ts";
import { formatRef } from "../../src/domain/refs.ts";
import type { Alert, AlertApproval, NewAlert } from "../../src/domain/alert.ts";
import { REMINDER_LEAD_MS } from "../../src/domain/reminders.ts";
import type {
  AlertRepo,
  ChatLang,
  ChatSchedule,
  DigestClaim,
  DigestRepo,
  NewRfi,
  NewSighting,
  RfiChange,
  RfiRepo,
  RoomSettingsRepo,
  SightingRepo,
  SightingSearch,
  TargetChange,
} from "../../src/domain/repos.ts";
import type { ShareableItem } from "../../src/domain/sharingRule.ts";
import { AWAITING_ANSWER, type Rfi } from "../../src/domain/rfi.ts";
import type { Sighting, SightingReport } from "../../src/domain/sighting.ts";

/** What a correction replaces: the report's own fields, whatever else the object carries. */
function reportOf(r: SightingReport): SightingReport {
  const { kind, position, seenAt, ids, course, speed, tlp, rel, grading, remarks } = r;
  return { kind, position, seenAt, ids, course, speed, tlp, rel, grading, remarks };
}

/** Newest seen first; of those seen at once, the later logged (higher number) first. */
const newestSeen = (a: Sighting, b: Sighting) => +b.seenAt - +a.seenAt || b.id - a.id;

export class MemorySightings implements SightingRepo {
  readonly rows: Sighting[] = [];
  async create(s: NewSighting): Promise<Sighting> {
    const id = this.rows.length + 1;
    const row: Sighting = { ...s, id, ref: formatRef("S", id) };
    this.rows.push(row);
    return row;
  }
  async get(id: number) {
    return this.rows.find((s) => s.id === id);
  }
  async correct(id: number, report: SightingReport, matches: string[], at: Date) {
    return this.replace(id, (s) => ({ ...s, ...reportOf(report), matches, correctedAt: at }));
  }
  async retract(id: number, _by: string, at: Date) {
    return this.replace(id, (s) => ({ ...s, retractedAt: at }));
  }
  async requestRetraction(id: number, by: string, at: Date) {
    return this.replace(id, (s) => ({ ...s, retractionRequestedAt: at, retractionRequestedBy: by }));
  }
  private replace(id: number, change: (s: Sighting) => Sighting): Sighting {
    const i = this.rows.findIndex((s) => s.id === id);
    const before = this.rows[i];
    if (before === undefined) throw new Error(`sighting ${id} vanished`);
    const row = change(before);
    this.rows[i] = row;
    return row;
  }
  async sharingIdentifiers(q: Parameters<SightingRepo["sharingIdentifiers"]>[0]) {
    return this.rows
      .filter(
        (s) =>
          s.roomId === q.roomId &&
          s.retractedAt === undefined &&
          s.id !== q.excludeId &&
          identifierKeys(s.ids).some((k) => q.keys.includes(k)) &&
          +s.seenAt >= +q.from &&
          +s.seenAt <= +q.to,
      )
      .sort(newestSeen)
      .slice(0, 50);
  }
  async search(q: SightingSearch) {
    const text = q.text?.toLowerCase();
    const found = this.rows
      .filter((s) => s.roomId === q.roomId && s.retractedAt === undefined && +s.seenAt >= +q.since)
      .filter((s) => q.kind === undefined || s.kind === q.kind)
      .filter((s) => q.near === undefined || distanceNm(s.position, q.near) <= q.near.radiusNm)
      .filter(
        (s) =>
          text === undefined ||
          [s.ids.name, s.ids.mmsi, s.ids.imo, s.ids.tail, s.ids.plate, s.remarks].some((v) =>
            v?.toLowerCase().includes(text),
          ),
      )
      .sort(newestSeen);
    return { sightings: found.slice(0, q.limit), total: found.length };
  }
  async receivedVia(alertRef: string) {
    return this.rows.filter((s) => s.received?.alertRef === alertRef);
  }
}

type StoredRfi = Rfi & { toRoomId?: string | undefined };

/** An RFI as the repository returns it: the addressee room's Matrix id is for finding it, not part of it. */
function asRfi({ toRoomId: _, ...rfi }: StoredRfi): Rfi {
  return rfi;
}

export class MemoryRfis implements RfiRepo {
  readonly rows: StoredRfi[] = [];
  async create(r: NewRfi) {
    const id = this.rows.length + 1;
    const row = { ...r, id, ref: formatRef("RFI", id), status: "open" as const, updatedAt: r.createdAt };
    this.rows.push(row);
    return asRfi(row);
  }
  async get(id: number, roomId: string) {
    const row = this.rows.find((r) => r.id === id && (r.roomId === roomId || r.toRoomId === roomId));
    return row === undefined ? undefined : asRfi(row);
  }
  async update(id: number, c: RfiChange) {
    const i = this.rows.findIndex((r) => r.id === id);
    const before = this.rows[i];
    if (before === undefined) throw new Error(`RFI ${id} vanished`);
    const row = {
      ...before,
      status: c.status ?? before.status,
      priority: c.priority ?? before.priority,
      ltiov: c.ltiov === undefined ? before.ltiov : (c.ltiov ?? undefined),
      to: c.to ?? before.to,
      toRoomId: c.toRoomId === undefined ? before.toRoomId : (c.toRoomId ?? undefined),
      question: c.question ?? before.question,
      reason: c.reason === undefined ? before.reason : (c.reason ?? undefined),
      ...(c.answer && { answer: c.answer.text, answeredBy: c.answer.by, answeredAt: c.answer.at }),
      updatedAt: c.at,
    };
    this.rows[i] = row;
    return asRfi(row);
  }
  async list(q: Parameters<RfiRepo["list"]>[0]) {
    const awaiting = (r: Rfi) => AWAITING_ANSWER.includes(r.status);
    const keep = {
      open: awaiting,
      mine: (r: Rfi) => r.originator === q.user && !["closed", "withdrawn"].includes(r.status),
      overdue: (r: Rfi) => awaiting(r) && r.ltiov !== undefined && +r.ltiov < +q.now,
      all: () => true,
    }[q.filter];
    const found = this.rows
      .filter((r) => (r.roomId === q.roomId || r.toRoomId === q.roomId) && keep(r))
      .sort((a, b) => +b.createdAt - +a.createdAt || b.id - a.id);
    return { rfis: found.slice(0, q.limit).map(asRfi), total: found.length };
  }
}

/** Alerts as the SQL repository keeps them: copies in, copies out, so a caller's later change is not stored. */
export class MemoryAlerts implements AlertRepo {
  readonly rows: Alert[] = [];
  async create(a: NewAlert) {
    const id = this.rows.length + 1;
    const ref = formatRef("A", id);
    const row: Alert = {
      ...structuredClone(a),
      id,
      ref,
      item: { ...structuredClone(a.item), ref: a.sourceRef ?? ref },
      approvals: [],
    };
    this.rows.push(row);
    return structuredClone(row);
  }
  async get(id: number) {
    const row = this.rows.find((a) => a.id === id);
    if (row === undefined) return undefined;
    const copy = structuredClone(row);
    copy.approvals.sort((x, y) => +x.at - +y.at);
    return copy;
  }
  async bySource(roomId: string, sourceRef: string) {
    return this.rows
      .filter((a) => a.roomId === roomId && a.sourceRef === sourceRef)
      .map((a) => structuredClone(a));
  }
  async setTarget(alertId: number, room: string, c: TargetChange) {
    const t = this.find(alertId).targets.find((x) => x.room === room);
    if (t === undefined) return;
    t.outcome = c.outcome;
    t.reason = c.reason;
    t.decidedAt = c.decidedAt;
  }
  async recordApproval(alertId: number, a: AlertApproval) {
    const row = this.find(alertId);
    const i = row.approvals.findIndex((x) => x.user === a.user);
    const before = row.approvals[i];
    if (before === undefined) {
      row.approvals.push(structuredClone(a));
      return true;
    }
    if (a.decision === "ignored" || before.decision !== "ignored") return false;
    row.approvals[i] = structuredClone(a);
    return true;
  }
  async updateItem(alertId: number, item: ShareableItem) {
    const row = this.find(alertId);
    row.item = { ...structuredClone(item), ref: row.sourceRef ?? row.ref };
    row.tlp = item.tlp;
    row.rel = item.rel === undefined ? undefined : [...item.rel];
  }
  private find(id: number): Alert {
    const row = this.rows.find((a) => a.id === id);
    if (row === undefined) throw new Error(`alert ${id} vanished`);
    return row;
  }
}

const inPeriod = (at: Date | undefined, p: DigestPeriod) => at !== undefined && +at >= +p.from && +at < +p.to;

/** Digest runs and chat schedules in memory, reading the sightings, RFIs and alerts of the repos beside it. */
export class MemoryDigests implements DigestRepo {
  readonly runs: DigestClaim[] = [];
  readonly schedules = new Map<string, ChatSchedule>();
  constructor(
    private readonly sightings: MemorySightings,
    private readonly rfis: MemoryRfis,
    private readonly alertRows: MemoryAlerts,
  ) {}
  async items(roomId: string, period: DigestPeriod) {
    const sightings: DigestSighting[] = this.sightings.rows
      .filter((s) => s.roomId === roomId && s.retractedAt === undefined && inPeriod(s.seenAt, period))
      .map((s) => ({
        ref: s.ref,
        roomId: s.roomId,
        kind: s.kind,
        lat: s.position.lat,
        lon: s.position.lon,
        seenAt: s.seenAt,
        ids: s.ids,
        grading: s.grading,
        tlp: s.tlp,
        corroboratedBy: s.matches.length,
        received:
          s.received === undefined ? undefined : { from: s.received.fromRoom, alertRef: s.received.alertRef },
      }));
    const lead = Math.max(...Object.values(REMINDER_LEAD_MS));
    const rfis: DigestRfi[] = this.rfis.rows
      .filter((r) => r.roomId === roomId || r.toRoomId === roomId)
      .filter(
        (r) =>
          inPeriod(r.createdAt, period) ||
          inPeriod(r.answeredAt, period) ||
          (AWAITING_ANSWER.includes(r.status) && r.ltiov !== undefined && +r.ltiov <= +period.to + lead),
      )
      .map((r) => ({
        ref: r.ref,
        roomId: r.roomId,
        toRoomId: r.toRoomId,
        to: r.to,
        priority: r.priority,
        status: r.status,
        createdAt: r.createdAt,
        answeredAt: r.answeredAt,
        ltiov: r.ltiov,
      }));
    return { sightings, rfis };
  }
  async alerts(roomId: string, period: DigestPeriod) {
    return digestAlerts(
      roomId,
      period,
      this.alertRows.rows.map((a) => ({
        ref: a.ref,
        roomId: a.roomId,
        createdAt: a.createdAt,
        targets: a.targets,
      })),
    );
  }
  async lastEnd(roomId: string) {
    const ends = this.runs
      .filter((r) => r.roomId === roomId && r.status === "posted")
      .map((r) => +r.period.to);
    return ends.length === 0 ? undefined : new Date(Math.max(...ends));
  }
  async claim(c: DigestClaim) {
    if (this.runs.some((r) => r.roomId === c.roomId && +r.period.to === +c.period.to)) return false;
    this.runs.push(c);
    return true;
  }
  async schedule(roomId: string) {
    return this.schedules.get(roomId);
  }
  async setSchedule(s: ChatSchedule) {
    this.schedules.set(s.roomId, s);
  }
  async resetSchedule(roomId: string) {
    return this.schedules.delete(roomId);
  }
}

/** Room settings set from chat, in memory. */
export class MemoryRoomSettings implements RoomSettingsRepo {
  readonly langs = new Map<string, ChatLang>();
  async lang(roomId: string) {
    const s = this.langs.get(roomId);
    return s === undefined ? undefined : { ...s };
  }
  async setLang(s: ChatLang) {
    this.langs.set(s.roomId, { ...s });
  }
}
