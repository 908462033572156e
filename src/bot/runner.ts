import { randomUUID } from "node:crypto";
import type {
  AnyCommand,
  CommandContext,
  CommandRecord,
  Member,
  Reply,
  RuntimeInfo,
} from "../../commands/types.ts";
import { decideAlert, type Verdict } from "../../commands/approving.ts";
import type { AuditEntry } from "../domain/audit.ts";
import type { Repositories } from "../domain/repos.ts";
import type { Result, UserError } from "../domain/result.ts";
import type { Logger } from "../log.ts";
import type { Directory } from "./directory.ts";
import { type Message, msg, ref, user } from "../render/message.ts";
import { attach, type Effects, errorMessage, notify, say } from "./effects.ts";
import { notRostered } from "./messages.ts";
import { lookupStyle, type RoomStyle } from "./roomStyle.ts";
import { parseArguments, resolveCommand } from "./resolve.ts";
import { readCommand } from "../domain/reader.ts";
import { type CommandResult, UNKNOWN_COMMAND } from "./observe.ts";

/**
 * What the runner needs of storage inside the event's transaction `T`. The dispatcher gives it
 * the SQL ones (src/bot/sqlStorage.ts); the property tests run it over in-memory repositories.
 */
export interface RunnerStorage<T> {
  /** The repositories a command sees, writing through `tx`. */
  repos(tx: T): Repositories;
  /** Runs `fn` in a savepoint of `tx`: if it throws, what it wrote through `sp` is undone. */
  savepoint<R>(tx: T, fn: (sp: T) => Promise<R>): Promise<R>;
}

export interface RunnerDeps<T = unknown> {
  log: Logger;
  directory: Directory;
  commands: readonly AnyCommand[];
  /** Health facts, read through the command's transaction `tx`. */
  runtime(tx: T): Promise<RuntimeInfo>;
  now(): Date;
  storage: RunnerStorage<T>;
}

/** A command as the officer sent it. `eventId` is the message people see (for an edit: the original). */
export interface CommandMessage {
  eventId: string;
  roomId: string;
  sender: string;
  body: string;
  sentAt: Date;
  /** The thread the command was sent in (its root event), so replies go there too. */
  thread?: string | undefined;
}

type Invocation = (ctx: CommandContext) => Promise<Result<Reply>>;

/** Rolls a savepoint back when the command refuses, so a refusal never leaves rows behind. */
class Refusal {
  constructor(readonly error: UserError) {}
}

/**
 * Runs commands inside the dispatcher's transaction: reads the words, checks the roster and
 * roles, parses arguments, calls the command (run, edit or retract) and turns its result into
 * replies, audit entries and the record of which message created what.
 */
export class CommandRunner<T> {
  constructor(private readonly deps: RunnerDeps<T>) {}

  private get prefix(): string {
    return this.deps.directory.prefix;
  }

  /** A new command (or an edit of a message that created no record, which is then run afresh). */
  async run(tx: T, fx: Effects, m: CommandMessage): Promise<void> {
    let style = await this.style(tx, m.roomId);
    const reply = (
      message: Message,
      ok: boolean,
      mentions?: readonly string[],
      extra: { ref?: string | undefined; reaction?: "✅" | "❌" | undefined } = {},
    ) =>
      say(fx, m.roomId, m.eventId, message, {
        reaction: extra.reaction ?? (ok ? "✅" : "❌"),
        mentions,
        style,
        thread: m.thread,
        ref: extra.ref,
      });
    const count = (command: string, result: CommandResult) => fx.counts.push({ command, result });
    let refused = false;
    const found = resolveCommand(this.deps, fx, m, (message, ok) => {
      refused ||= !ok;
      reply(message, ok);
    });
    if (!found) {
      if (refused) count(this.knownName(m.body), "refused");
      return;
    }
    const { command, tokens, member } = found;
    const now = this.deps.now();
    const args = parseArguments(this.deps, command, tokens, now, command.refused);
    if (!args.ok) {
      count(command.name, "refused");
      return reply(args.message, false);
    }
    const watch = { langSet: false };
    const value = await this.invoke(
      tx,
      fx,
      (sp) => this.context(sp, m, member, now, watch),
      {
        command: command.name,
        eventId: m.eventId,
        refused: (message) => reply(message, false),
        failed: (result) => count(command.name, result),
      },
      (c) => command.run(c, args.value),
    );
    if (value === undefined) return;
    count(command.name, "handled");
    // Looked up again if the command changed the room's language (!lang): it says so in the new one.
    if (watch.langSet) style = await this.style(tx, m.roomId);
    reply(value.message, true, value.mentions, { ref: value.replyRef, reaction: value.reaction });
    await this.effects(tx, fx, value, {
      actor: m.sender,
      action: `command.${command.name}`,
      roomId: m.roomId,
      detail: { eventId: m.eventId },
    });
    const ref = value.record?.ref;
    if (ref !== undefined)
      fx.commands.push({
        eventId: m.eventId,
        command: command.name,
        ref,
        roomId: m.roomId,
        sender: m.sender,
        sentAt: m.sentAt,
      });
  }

  /** The officer edited the message that created `original.ref`: the same command corrects it. */
  async edit(tx: T, fx: Effects, m: CommandMessage, original: CommandRecord, editId: string): Promise<void> {
    const style = await this.style(tx, m.roomId);
    const reply = (message: Message, mentions?: readonly string[]) =>
      say(fx, m.roomId, original.eventId, message, { mentions, style, thread: m.thread });
    if (m.sender !== original.sender) {
      fx.audit.push(refusal(m.sender, m.roomId, editId, original, "edited by someone else"));
      return reply(msg("edit.notSender", { ref: ref(original.ref), sender: user(original.sender) }));
    }
    const found = resolveCommand(this.deps, fx, m, (message) => reply(message));
    if (!found) return;
    const { command, tokens, member } = found;
    if (command.name !== original.command || command.edit === undefined) {
      const how = `${this.prefix}${original.command}`;
      return reply(msg("edit.otherCommand", { ref: ref(original.ref), command: how }));
    }
    const now = this.deps.now();
    const unchanged = msg("edit.unchanged", { ref: ref(original.ref) });
    const args = parseArguments(this.deps, command, tokens, now, unchanged);
    if (!args.ok) return reply(args.message);
    const edit = command.edit;
    const asOriginal = { ...m, sentAt: original.sentAt };
    const value = await this.invoke(
      tx,
      fx,
      (sp) => this.context(sp, asOriginal, member, now),
      { command: command.name, eventId: editId, refused: (message) => reply(message) },
      (c) => edit(c, args.value, original),
    );
    if (value === undefined) return;
    reply(value.message, value.mentions);
    await this.effects(tx, fx, value, {
      actor: m.sender,
      action: `command.${command.name}.edit`,
      roomId: m.roomId,
      detail: { eventId: editId, original: original.eventId, ref: original.ref },
    });
  }

  /**
   * The message that created `original.ref` was deleted: the command retracts the record, or,
   * when deletions are not trusted (trust.ignore_unverified), only marks it as asked to.
   */
  async retract(
    tx: T,
    fx: Effects,
    redaction: { eventId: string; sender: string; roomId: string; thread?: string | undefined },
    original: CommandRecord,
    trusted = true,
  ): Promise<void> {
    const style = await this.style(tx, original.roomId);
    const reply = (message: Message, mentions?: readonly string[]) =>
      say(fx, original.roomId, original.eventId, message, { mentions, style, thread: redaction.thread });
    const command = this.deps.commands.find((c) => c.name === original.command);
    if (command?.retract === undefined) return;
    const hook = trusted ? command.retract : command.retractionRequested;
    if (redaction.sender !== original.sender) {
      fx.audit.push(
        refusal(redaction.sender, original.roomId, redaction.eventId, original, "deleted by someone else"),
      );
      return reply(msg("retract.notSender", { ref: ref(original.ref), sender: user(original.sender) }));
    }
    const member = this.deps.directory.member(redaction.sender);
    if (!member) return reply(notRostered(redaction.sender));
    const m = {
      eventId: original.eventId,
      roomId: original.roomId,
      sender: redaction.sender,
      body: "",
      sentAt: original.sentAt,
    };
    if (hook === undefined) {
      fx.audit.push(
        refusal(redaction.sender, original.roomId, redaction.eventId, original, "deletion not trusted"),
      );
      return reply(msg("retract.deletionNotTrusted", { ref: ref(original.ref) }));
    }
    const now = this.deps.now();
    const value = await this.invoke(
      tx,
      fx,
      (sp) => this.context(sp, m, member, now),
      { command: command.name, eventId: redaction.eventId, refused: (message) => reply(message) },
      (c) => hook(c, original),
    );
    if (value === undefined) return;
    reply(value.message, value.mentions);
    await this.effects(tx, fx, value, {
      actor: redaction.sender,
      action: `command.${command.name}.${trusted ? "retract" : "retraction_requested"}`,
      roomId: original.roomId,
      detail: { eventId: redaction.eventId, original: original.eventId, ref: original.ref },
    });
  }

  /**
   * A ✅ or ❌ reaction on an alert's approval request: decided like !approve / !deny, but said
   * only as replies to the request (a reaction that does not count is ignored silently, and recorded).
   */
  async react(
    tx: T,
    fx: Effects,
    r: { eventId: string; roomId: string; sender: string; alertId: number; verdict: Verdict },
  ): Promise<void> {
    const member = this.deps.directory.member(r.sender);
    const now = this.deps.now();
    const m = { sender: r.sender, roomId: r.roomId, sentAt: now, eventId: r.eventId };
    const value = await this.invoke(
      tx,
      fx,
      (sp) => this.context(sp, m, member, now),
      { command: r.verdict, eventId: r.eventId, refused: () => {} },
      async (c): Promise<Result<Reply>> => {
        const d = await decideAlert(c, r.alertId, r.verdict, "reaction");
        return d.ok
          ? { ok: true, value: { message: d.value.message, notices: d.value.notices, audit: d.value.audit } }
          : d;
      },
    );
    if (value === undefined) return;
    await this.effects(tx, fx, value, {
      actor: r.sender,
      action: "alert.reaction",
      roomId: r.roomId,
      detail: { eventId: r.eventId, alert: `A-${r.alertId}`, verdict: r.verdict },
    });
  }

  /** The command the message names, if it is one of ours; else `unknown` (metric labels stay bounded). */
  private knownName(body: string): string {
    const read = readCommand(body, this.prefix);
    const name = read?.ok ? read.value.name : undefined;
    return this.deps.commands.some((c) => c.name === name) ? (name as string) : UNKNOWN_COMMAND;
  }

  /** The room's language (chat setting over tearline.yaml) and time zone, read in `tx`. */
  private style(tx: T, roomId: string): Promise<RoomStyle> {
    return lookupStyle(this.deps.directory.facts, this.deps.storage.repos(tx).rooms, roomId);
  }

  private context(
    tx: T,
    m: Pick<CommandMessage, "sender" | "roomId" | "sentAt"> & { eventId?: string | undefined },
    member: Member | undefined,
    now: Date,
    watch?: { langSet: boolean },
  ): CommandContext {
    const repos = this.deps.storage.repos(tx);
    const { rooms } = repos;
    return {
      sender: m.sender,
      member,
      eventId: m.eventId,
      roomId: m.roomId,
      roomAlias: this.deps.directory.roomAlias(m.roomId),
      now,
      sentAt: m.sentAt,
      prefix: this.prefix,
      runtime: () => this.deps.runtime(tx),
      commands: this.deps.commands,
      config: this.deps.directory.facts,
      repos: watch
        ? {
            ...repos,
            rooms: {
              lang: (roomId) => rooms.lang(roomId),
              setLang: async (setting) => {
                await rooms.setLang(setting);
                watch.langSet = true;
              },
            },
          }
        : repos,
    };
  }

  /**
   * Calls the command in a savepoint of the event's transaction: a refusal or a crash rolls its
   * rows back (the event's claim stays). A crash is logged under a reference shown in the room.
   */
  /**
   * Runs the command in a savepoint. Returns its reply, or undefined after saying why not: a
   * refusal (its rows rolled back, its carried audit entries kept) or an internal error.
   */
  private async invoke(
    tx: T,
    fx: Effects,
    makeContext: (sp: T) => CommandContext,
    at: {
      command: string;
      eventId: string;
      refused: (message: Message) => void;
      /** Told how the command failed: refused (its own answer) or an internal error. */
      failed?: (result: "refused" | "error") => void;
    },
    fn: Invocation,
  ): Promise<Reply | undefined> {
    try {
      return await this.deps.storage.savepoint(tx, async (sp) => {
        const r = await fn(makeContext(sp));
        if (!r.ok) throw new Refusal(r.error);
        return r.value;
      });
    } catch (e) {
      if (e instanceof Refusal) {
        fx.audit.push(...carriedAudit(e.error, at.eventId));
        at.refused(errorMessage(e.error));
        at.failed?.("refused");
        return undefined;
      }
      const reference = randomUUID().slice(0, 8);
      this.deps.log.error("command failed", { reference, command: at.command, eventId: at.eventId, err: e });
      at.failed?.("error");
      at.refused(msg("error.internal", { reference }));
      return undefined;
    }
  }

  private async effects(tx: T, fx: Effects, reply: Reply, entry: Effects["audit"][number]): Promise<void> {
    await notify(fx, reply.notices ?? [], (roomId) => this.style(tx, roomId));
    // Files go to the command's room, the one its audit entry names.
    const files = reply.attachments ?? [];
    if (entry.roomId && files.length > 0) attach(fx, entry.roomId, files, await this.style(tx, entry.roomId));
    fx.audit.push(entry, ...(reply.audit ?? []));
  }
}

function refusal(actor: string, roomId: string, eventId: string, original: CommandRecord, why: string) {
  return {
    actor,
    action: "command.refused",
    roomId,
    detail: { eventId, original: original.eventId, ref: original.ref, why },
  };
}

/**
 * A refusal may carry the audit entries that record it (e.g. an RFI action by someone without the
 * authority); they are written with the dispatch transaction, outside the command's rolled-back savepoint.
 */
function carriedAudit(error: UserError, eventId: string): AuditEntry[] {
  const carried = "audit" in error && Array.isArray(error.audit) ? (error.audit as AuditEntry[]) : [];
  return carried.map((a) => ({ ...a, detail: { ...a.detail, eventId } }));
}
