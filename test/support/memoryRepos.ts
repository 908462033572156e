/**
 * In-memory repositories with the same meaning as the SQL ones (src/db/queries/sightings.ts,
 * rfis.ts); test/db/repos.contract.test.ts runs the same cases against both, so they cannot drift.
 */
import { identifierKeys } from "../../src/domain/identifiers.ts";
import { distanceNm } from "../../src/domain/position.ts";
import { formatRef } from "../../src/domain/refs.ts";
import type { RfiRepo, SightingRepo } from "../../src/domain/repos.ts";
import { AWAITING_ANSWER, type Rfi } from "../../src/domain/rfi.ts";
import type { Sighting } from "../../src/domain/sighting.ts";

export class MemorySightings implements SightingRepo {
  readonly rows: Sighting[] = [];
  async create(s: Parameters<SightingRepo["create"]>[0]): Promise<Sighting> {
    const id = this.rows.length + 1;
    const row: Sighting = { ...s, id, ref: formatRef("S", id) };
    this.rows.push(row);
    return row;
  }
  async get(id: number) {
    return this.rows.find((s) => s.id === id);
  }
  async correct(id: number, report: Parameters<SightingRepo["correct"]>[1], matches: string[], at: Date) {
    const i = this.rows.findIndex((s) => s.id === id);
    const row = { ...this.rows[i]!, ...report, matches, correctedAt: at };
    this.rows[i] = row;
    return row;
  }
  async retract(id: number, _by: string, at: Date) {
    const i = this.rows.findIndex((s) => s.id === id);
    const row = { ...this.rows[i]!, retractedAt: at };
    this.rows[i] = row;
    return row;
  }
  async sharingIdentifiers(q: Parameters<SightingRepo["sharingIdentifiers"]>[0]) {
    return this.rows.filter(
      (s) =>
        s.roomId === q.roomId &&
        s.retractedAt === undefined &&
        s.id !== q.excludeId &&
        identifierKeys(s.ids).some((k) => q.keys.includes(k)) &&
        +s.seenAt >= +q.from &&
        +s.seenAt <= +q.to,
    );
  }
  async search(q: Parameters<SightingRepo["search"]>[0]) {
    const text = q.text?.toLowerCase();
    const found = this.rows
      .filter((s) => s.roomId === q.roomId && s.retractedAt === undefined && +s.seenAt >= +q.since)
      .filter((s) => q.kind === undefined || s.kind === q.kind)
      .filter((s) => q.near === undefined || distanceNm(s.position, q.near) <= q.near.radiusNm)
      .filter(
        (s) =>
          text === undefined ||
          [...Object.values(s.ids), s.remarks].some((v) => v?.toLowerCase().includes(text)),
      )
      .sort((a, b) => +b.seenAt - +a.seenAt);
    return { sightings: found.slice(0, q.limit), total: found.length };
  }
}

export class MemoryRfis implements RfiRepo {
  readonly rows: Array<Rfi & { toRoomId?: string | undefined }> = [];
  async create(r: Parameters<RfiRepo["create"]>[0]) {
    const id = this.rows.length + 1;
    const row = { ...r, id, ref: formatRef("RFI", id), status: "open" as const, updatedAt: r.createdAt };
    this.rows.push(row);
    return row;
  }
  async get(id: number, roomId: string) {
    return this.rows.find((r) => r.id === id && (r.roomId === roomId || r.toRoomId === roomId));
  }
  async update(id: number, c: Parameters<RfiRepo["update"]>[1]) {
    const i = this.rows.findIndex((r) => r.id === id);
    const before = this.rows[i]!;
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
    return row;
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
    return { rfis: found.slice(0, q.limit), total: found.length };
  }
}
