import type { z } from "zod";
import type { AuditEntry } from "../src/db/queries/audit.ts";
import type { Result, UserError } from "../src/domain/result.ts";

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
  joinedRooms: number;
  lastSyncAt: Date | undefined;
  databaseOk: boolean;
  outboxBacklog: number;
  startedAt: Date;
}

export interface CommandContext {
  sender: string;
  member: Member | undefined;
  roomId: string;
  roomAlias: string | undefined;
  now: Date;
  prefix: string;
  runtime: () => Promise<RuntimeInfo>;
  commands: readonly AnyCommand[];
}

export interface Reply {
  text: string;
  audit?: AuditEntry[];
}

export interface CommandDef<A> {
  name: string;
  summary: string;
  usage: string;
  examples: string[];
  /** Roles allowed to run it; "rostered" = anyone on the roster. */
  roles: readonly Role[] | "rostered";
  /** Turns the reader's tokens into typed arguments; its messages are shown to the user. */
  args: z.ZodType<A, Tokens>;
  run(ctx: CommandContext, args: A): Promise<Result<Reply>>;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of commands holds many argument types
export type AnyCommand = CommandDef<any>;

export function defineCommand<A>(def: CommandDef<A>): CommandDef<A> {
  return def;
}

export type { Result, UserError };
