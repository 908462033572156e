import { z } from "zod";
import type { AuditEntry } from "../src/domain/audit.ts";
import type { CommandRecord, Repositories } from "../src/domain/repos.ts";
import type { Result, UserError } from "../src/domain/result.ts";
import type { ExportFile } from "../src/export/file.ts";
import type { MapFile } from "../src/render/digest.ts";
import type { Message } from "../src/render/message.ts";
import type { ConfigFacts } from "./config.ts";

export type Role = "liaison" | "duty_officer" | "approver" | "commander" | "operator";

/** The words of a command as the reader split them. */
export interface Tokens {
  name: string;
  positional: string[];
  options: Record<string, string>;
  rest: string | null;
}

export interface Member {
  partner: string;
  roles: readonly string[];
  name?: string | undefined;
}

/** Live facts for !status, gathered by the dispatcher. */
export interface RuntimeInfo {
  version: string;
  userId: string;
  deviceId: string;
  fingerprint: string;
  /** This device is signed by the bot's own cross-signing identity. */
  crossSigned: boolean;
  joinedRooms: number;
  lastSyncAt: Date | undefined;
  databaseOk: boolean;
  /** A PostgreSQL server, or the embedded PGlite (one process, no hot standby). */
  databaseEngine: "postgres" | "pglite";
  outboxBacklog: number;
  startedAt: Date;
}

export interface CommandContext {
  sender: string;
  member: Member | undefined;
  roomId: string;
  roomAlias: string | undefined;
  now: Date;
  /** When the officer sent the command (for an edit: the original message), the default "time seen". */
  sentAt: Date;
  /** The command message's event id (for an edit or deletion: the original's). */
  eventId?: string | undefined;
  prefix: string;
  runtime: () => Promise<RuntimeInfo>;
  commands: readonly AnyCommand[];
  config: ConfigFacts;
  repos: Repositories;
}

/**
 * A message the bot says besides the reply: in another room (telling an RFI's originating room,
 * an alert's copy), or in the same room as a reply to an earlier message of its own.
 */
export interface Notice {
  roomId: string;
  message: Message;
  mentions?: string[];
  /** More content keys (e.g. `org.tearline.alert`), beside body and formatted_body. */
  content?: Record<string, unknown>;
  /** A name for this message, so later ones can reply to it (`alert:31:to:usa-jtf`). */
  ref?: string;
  /** Sent as a reply to the message named so; its event id is looked up when this is sent. */
  replyToRef?: string;
}

/** What a command did, as data; the runner renders it for the room. */
export interface Reply {
  message: Message;
  audit?: AuditEntry[];
  /** The record the command created (`S-112`): an edit of the command corrects it, a redaction retracts it. */
  record?: { ref: string };
  /** Users the reply mentions (pinged through `m.mentions`). */
  mentions?: string[];
  notices?: Notice[];
  /** Files the bot makes and sends in the command's room after the reply (a digest's map, an export). */
  attachments?: (MapFile | ExportFile)[];
  /** A name for the reply itself (the approval request of an alert: `alert:31:request`). */
  replyRef?: string;
  /** The reaction on the command, when it is not ✅ (an alert that went nowhere). */
  reaction?: "✅" | "❌";
}

/** What argument parsing may depend on besides the words: the clock and the configured names. */
export interface ArgsEnv {
  now: Date;
  partners: readonly string[];
  roomAliases: readonly string[];
  /** Configured Matrix room IDs (of any room version) → their alias, so `to=` may name either. */
  roomIds: Readonly<Record<string, string>>;
}

export function argsEnvOf(config: ConfigFacts, now: Date): ArgsEnv {
  return {
    now,
    partners: Object.keys(config.partners),
    roomAliases: Object.keys(config.rooms),
    roomIds: Object.fromEntries(Object.entries(config.rooms).map(([alias, r]) => [r.roomId, alias])),
  };
}

export type ArgsSchema<A> = z.ZodType<A, Tokens> | ((env: ArgsEnv) => z.ZodType<A, Tokens>);

export interface CommandDef<A> {
  name: string;
  summary: string;
  /** One line per form of the command. */
  usage: string;
  /** A short form for the `!help` list, when the usage is long. */
  synopsis?: string;
  /** More for `!help <command>`: formats, defaults, who may do what. */
  details?: string[];
  examples: string[];
  /** Roles allowed to run it; "rostered" = anyone on the roster. */
  roles: readonly Role[] | "rostered";
  /** How a refusal of bad arguments starts, e.g. "I didn't log that"; the reason follows. */
  refused?: string;
  /** Turns the reader's tokens into typed arguments; its messages are shown to the user. */
  args: ArgsSchema<A>;
  run(ctx: CommandContext, args: A): Promise<Result<Reply>>;
  /** The officer edited the command that created `original.ref`; `args` are read from the new text. */
  edit?(ctx: CommandContext, args: A, original: CommandRecord): Promise<Result<Reply>>;
  /** The officer deleted the command that created `original.ref`. */
  retract?(ctx: CommandContext, original: CommandRecord): Promise<Result<Reply>>;
  /**
   * The command was deleted where a deletion cannot be trusted (trust.ignore_unverified: it is
   * plaintext and unsigned): the record stays, marked, and the room learns how to retract it.
   */
  retractionRequested?(ctx: CommandContext, original: CommandRecord): Promise<Result<Reply>>;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of commands holds many argument types
export type AnyCommand = CommandDef<any>;

export function defineCommand<A>(def: CommandDef<A>): CommandDef<A> {
  return def;
}

/** Writes the configured prefix where a usage or example says `!` at the start of a line or a form. */
export function withPrefix(text: string, prefix: string): string {
  return text.replace(/(^|\n)!/g, `$1${prefix}`);
}

export function argsSchema<A>(def: CommandDef<A>, env: ArgsEnv): z.ZodType<A, Tokens> {
  return typeof def.args === "function" ? def.args(env) : def.args;
}

/**
 * An argument schema from a parser that returns a Result: its error becomes the zod issue the
 * user sees, its text in `params.text` and its example (if any) in `params.example`.
 */
export function argsFrom<A>(parse: (t: Tokens) => Result<A>): z.ZodType<A, Tokens> {
  return z.custom<Tokens>().transform((t, ctx) => {
    const r = parse(t);
    if (r.ok) return r.value;
    // zod wants a string message: the id; the text itself travels in params, rendered by the runner.
    ctx.issues.push({
      code: "custom",
      message: r.error.message.id,
      input: t,
      params: { text: r.error.message, example: r.error.example },
    });
    return z.NEVER;
  });
}

export type { CommandRecord, Result, UserError };
