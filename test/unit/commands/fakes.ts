/** A fake command context: in-memory repositories with the same meaning as the SQL ones. */
import type { ConfigFacts, RfiRepo, SharingFacts, SightingRepo } from "../../../commands/repos.ts";
import type { AuditedRefusal } from "../../../commands/rfiAct.ts";
import {
  type AnyCommand,
  argsEnvOf,
  argsSchema,
  type CommandContext,
  type CommandRecord,
  type Member,
  type Reply,
} from "../../../commands/types.ts";
import type { AuditEntry } from "../../../src/db/queries/audit.ts";
import { identifierKeys } from "../../../src/domain/identifiers.ts";
import { distanceNm } from "../../../src/domain/position.ts";
import { readCommand } from "../../../src/domain/reader.ts";
import { formatRef } from "../../../src/domain/refs.ts";
import { err, type Result } from "../../../src/domain/result.ts";
import { AWAITING_ANSWER, type Rfi } from "../../../src/domain/rfi.ts";
import type { Sighting } from "../../../src/domain/sighting.ts";

export const COL_USA = "!colusa:example.org";
/** A room version 12 ID (Synapse 1.163's default room version): no server part. */
export const USA_JTF = "!j0VKTSAuGHXMzVpV_GfT6s46fHw7fH-dbw7-A-nnv6o";
export const OTHER_ROOM = "!other:example.org";
export const ROJAS = "@lo.col:example.org";
export const SMITH = "@po.usa:example.org";
export const MILLER = "@do.jtf:example.org";
export const COMMANDER = "@cdr.col:example.org";

export const ROSTER: Record<string, Member> = {
  [ROJAS]: { partner: "COL", roles: ["liaison"], name: "Lt. Rojas" },
  [SMITH]: { partner: "USA", roles: ["liaison"], name: "PO Smith" },
  [MILLER]: { partner: "JTF", roles: ["duty_officer", "approver"], name: "CDR Miller" },
  [COMMANDER]: { partner: "COL", roles: ["commander"] },
};

export const CONFIG: ConfigFacts = {
  partners: { COL: "Colombian Navy", USA: "US Coast Guard", JTF: "Joint Task Force" },
  rooms: {
    "col-usa": { roomId: COL_USA, partners: ["COL", "USA"], timeZone: "America/Bogota" },
    "usa-jtf": { roomId: USA_JTF, partners: ["USA", "JTF"] },
  },
  corroboration: { windowHours: 6, distanceNm: 30 },
  sharing: [sharingRule("col-usa", "usa-jtf", ["sighting", "rfi", "text"])],
};

/** A rule that lets `kinds` go from one room to another at once, up to TLP:AMBER, unredacted. */
export function sharingRule(from: string, to: string, kinds: SharingFacts["kinds"]): SharingFacts {
  return {
    name: `${from}→${to}`,
    from,
    to,
    kinds,
    maxTlp: "amber",
    approval: "auto",
    redact: [],
    forward: false,
  };
}

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

export interface World {
  sightings: MemorySightings;
  rfis: MemoryRfis;
  now: Date;
}

export function world(now = new Date("2026-11-28T07:20:00Z")): World {
  return { sightings: new MemorySightings(), rfis: new MemoryRfis(), now };
}

/** The context for `sender` in `roomId` of the world. */
export function contextFor(
  w: World,
  sender = ROJAS,
  roomId = COL_USA,
  over: Partial<CommandContext> = {},
): CommandContext {
  const alias = Object.entries(CONFIG.rooms).find(([, r]) => r.roomId === roomId)?.[0];
  return {
    sender,
    member: ROSTER[sender],
    roomId,
    roomAlias: alias,
    now: w.now,
    sentAt: w.now,
    prefix: "!",
    runtime: () => Promise.reject(new Error("no runtime in unit tests")),
    commands: [],
    config: CONFIG,
    repos: { sightings: w.sightings, rfis: w.rfis },
    ...over,
  };
}

/** Reads the text, parses the command's arguments as the dispatcher does, then calls `call`. */
async function through(
  def: AnyCommand,
  text: string,
  ctx: CommandContext,
  call: (args: unknown) => Promise<Result<Reply>>,
): Promise<Result<Reply>> {
  const read = readCommand(text, "!");
  if (read === null) throw new Error(`not a command: ${text}`);
  if (!read.ok) return read;
  const parsed = argsSchema(def, argsEnvOf(ctx.config, ctx.now)).safeParse(read.value);
  if (!parsed.success) return err(parsed.error.issues[0]?.message ?? "?");
  return call(parsed.data);
}

export function send(def: AnyCommand, text: string, ctx: CommandContext): Promise<Result<Reply>> {
  return through(def, text, ctx, (args) => def.run(ctx, args));
}

export function editTo(def: AnyCommand, text: string, ctx: CommandContext, original: CommandRecord) {
  return through(def, text, ctx, (args) => def.edit!(ctx, args, original));
}

/** The record the dispatcher would keep for a successful command. */
export function recordOf(reply: Result<Reply>, command: string, ctx: CommandContext): CommandRecord {
  if (!reply.ok || reply.value.record === undefined) throw new Error("the command made no record");
  return {
    eventId: "$original",
    command,
    ref: reply.value.record.ref,
    roomId: ctx.roomId,
    sender: ctx.sender,
    sentAt: ctx.sentAt,
  };
}

export function text(r: Result<Reply>): string {
  if (!r.ok) throw new Error(`expected a reply, got the error: ${r.error.message}`);
  return r.value.text;
}

export function error(r: Result<Reply>): string {
  if (r.ok) throw new Error(`expected an error, got: ${r.value.text}`);
  return r.error.message;
}

/** The audit entries a refusal carries for the runner to record (none for plain input errors). */
export function refusalAudit(r: Result<Reply>): AuditEntry[] {
  if (r.ok) throw new Error(`expected an error, got: ${r.value.text}`);
  return "audit" in r.error ? (r.error as AuditedRefusal).audit : [];
}
