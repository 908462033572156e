/** A fake command context over the in-memory repositories (test/support/memoryRepos.ts). */
import type { ConfigFacts, SharingFacts } from "../../../commands/config.ts";
import type { AuditedRefusal } from "../../../commands/rfiAct.ts";
import {
  type AnyCommand,
  argsEnvOf,
  type RuntimeInfo,
  argsSchema,
  type CommandContext,
  type CommandRecord,
  type Member,
  type Reply,
} from "../../../commands/types.ts";
import type { Directory } from "../../../src/bot/directory.ts";
import type { RunnerStorage } from "../../../src/bot/runner.ts";
import type { AuditEntry } from "../../../src/domain/audit.ts";
import { readCommand } from "../../../src/domain/reader.ts";
import { type ErrorText, err, type Result, t } from "../../../src/domain/result.ts";
import { plain } from "../../../src/render/render.ts";
import {
  MemoryAlerts,
  MemoryDigests,
  MemoryRfis,
  MemoryRoomSettings,
  MemorySightings,
} from "../../support/memoryRepos.ts";

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

export interface World {
  sightings: MemorySightings;
  rfis: MemoryRfis;
  alerts: MemoryAlerts;
  digests: MemoryDigests;
  rooms: MemoryRoomSettings;
  now: Date;
}

export function world(now = new Date("2026-11-28T07:20:00Z")): World {
  const sightings = new MemorySightings();
  const rfis = new MemoryRfis();
  const alerts = new MemoryAlerts();
  return {
    sightings,
    rfis,
    alerts,
    digests: new MemoryDigests(sightings, rfis, alerts),
    rooms: new MemoryRoomSettings(),
    now,
  };
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
    repos: { sightings: w.sightings, rfis: w.rfis, alerts: w.alerts, digests: w.digests, rooms: w.rooms },
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
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const text = issue?.code === "custom" ? (issue.params?.text as ErrorText | undefined) : undefined;
    return err(text ?? t("e.arguments"));
  }
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

/** The reply as the room reads it (plain text, rendered in English as the runner does). */
export function text(r: Result<Reply>, timeZone?: string): string {
  if (!r.ok) throw new Error(`expected a reply, got the error: ${plain(r.error.message)}`);
  return plain(r.value.message, { lang: "en", timeZone });
}

export function error(r: Result<Reply>): string {
  if (r.ok) throw new Error(`expected an error, got: ${plain(r.value.message)}`);
  return plain(r.error.message);
}

/** The audit entries a refusal carries for the runner to record (none for plain input errors). */
export function refusalAudit(r: Result<Reply>): AuditEntry[] {
  if (r.ok) throw new Error(`expected an error, got: ${plain(r.value.message)}`);
  return "audit" in r.error ? (r.error as AuditedRefusal).audit : [];
}

/** The directory the runner sees for CONFIG and ROSTER. */
export const runnerDirectory: Directory = {
  prefix: "!",
  member: (userId) => ROSTER[userId],
  roomAlias: (roomId) => Object.entries(CONFIG.rooms).find(([, r]) => r.roomId === roomId)?.[0],
  acceptsInvite: () => false,
  facts: CONFIG,
};

/** What `!status` reads, as of `at` (last sync and start-up). */
export function runtimeAt(at: Date): () => Promise<RuntimeInfo> {
  return async () => ({
    version: "0.1.0",
    userId: "@tearline:example.org",
    deviceId: "TEARLINE",
    fingerprint: "q83vEjRWeJA",
    crossSigned: true,
    joinedRooms: 2,
    lastSyncAt: at,
    databaseOk: true,
    databaseEngine: "postgres",
    outboxBacklog: 0,
    startedAt: at,
  });
}

/** The world is the runner's "transaction": its repositories, and the records it keeps of commands. */
export type RunnerTx = World & { records: CommandRecord[] };
export const memoryRunnerStorage: RunnerStorage<RunnerTx> = {
  repos: (tx) => ({
    sightings: tx.sightings,
    rfis: tx.rfis,
    alerts: tx.alerts,
    digests: tx.digests,
    rooms: tx.rooms,
  }),
  savepoint: (tx, fn) => fn(tx),
};
