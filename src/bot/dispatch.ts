import { randomUUID } from "node:crypto";
import type { AnyCommand, CommandContext, RuntimeInfo } from "../../commands/types.ts";
import type { Db, Tx } from "../db/client.ts";
import { type AuditEntry, appendAudit } from "../db/queries/audit.ts";
import { claimEvent, enqueue, noteOnce, type OutboxMessage, savePendingDecryption } from "../db/queries/events.ts";
import { readCommand } from "../domain/reader.ts";
import type { Logger } from "../log.ts";
import type { RawEvent } from "../matrix/api.ts";
import type { TimelineItem } from "../matrix/sync.ts";
import type { Directory } from "./directory.ts";
import { cannotDecrypt, NEEDS_ENCRYPTION, notRostered, reactionContent, replyContent } from "./messages.ts";

export interface DispatchDeps {
  db: Db;
  log: Logger;
  directory: Directory;
  commands: readonly AnyCommand[];
  isEncrypted(roomId: string): Promise<boolean>;
  runtime(): Promise<RuntimeInfo>;
  now(): Date;
  /** Called after a transaction that queued messages has committed. */
  onOutbox(): void;
}

interface Effects {
  messages: OutboxMessage[];
  audit: AuditEntry[];
}

/**
 * Turns timeline items into effects, one PostgreSQL transaction per event: the event's claim in
 * processed_events, the command's rows, its audit entries and its outbox messages commit together.
 */
export class Dispatcher {
  constructor(private readonly deps: DispatchDeps) {}

  async handle(items: TimelineItem[]): Promise<void> {
    for (const item of items) await this.handleOne(item);
  }

  async handleOne(item: TimelineItem): Promise<void> {
    const { event } = item;
    const eventId = event.event_id;
    if (!eventId || !event.sender) return;
    if (item.decryptionError !== undefined) return this.undecryptable(item, eventId, event.sender);
    if (event.type !== "m.room.message") return;
    const body = typeof event.content.body === "string" ? event.content.body : "";
    const prefix = this.deps.directory.prefix;
    if (!body.startsWith(prefix) || event.content.msgtype === "m.notice") return;
    if (isEdit(event)) return; // edits of commands are handled by the commands that support them

    const encryptedRoom = await this.deps.isEncrypted(item.roomId);
    if (!item.encrypted) {
      if (encryptedRoom) return; // a plaintext message in an encrypted room: not trusted, ignored
      return this.inTransaction(eventId, item.roomId, async (tx, fx) => {
        if (await noteOnce(tx, item.roomId, "needs-encryption")) {
          fx.messages.push({ roomId: item.roomId, eventType: "m.room.message", content: replyContent(undefined, NEEDS_ENCRYPTION) });
        }
        fx.audit.push({ actor: event.sender!, action: "command.refused", roomId: item.roomId, detail: { eventId, why: "room not encrypted" } });
      });
    }
    await this.inTransaction(eventId, item.roomId, (tx, fx) => this.runCommand(tx, fx, item, eventId, body));
  }

  private async runCommand(tx: Tx, fx: Effects, item: TimelineItem, eventId: string, body: string): Promise<void> {
    const sender = item.event.sender!;
    const { roomId } = item;
    const say = (text: string, ok: boolean) => {
      fx.messages.push({ roomId, eventType: "m.room.message", content: replyContent(eventId, text) });
      fx.messages.push({ roomId, eventType: "m.reaction", content: reactionContent(eventId, ok ? "✅" : "❌") });
    };
    const parsed = readCommand(body, this.deps.directory.prefix);
    if (!parsed) return;
    const member = this.deps.directory.member(sender);
    if (!member) {
      say(notRostered(sender), false);
      fx.audit.push({ actor: sender, action: "command.refused", roomId, detail: { eventId, why: "not rostered" } });
      return;
    }
    if (!parsed.ok) {
      say(formatError(parsed.error), false);
      return;
    }
    const tokens = parsed.value;
    const command = this.deps.commands.find((c) => c.name === tokens.name);
    if (!command) {
      const names = this.deps.commands.map((c) => c.name).join(", ");
      say(`❌ "${tokens.name}" is not a Tearline command. Commands: ${names}.\nExample: ${this.deps.directory.prefix}help`, false);
      return;
    }
    if (command.roles !== "rostered" && !command.roles.some((r) => member.roles.includes(r))) {
      say(`❌ ${this.deps.directory.prefix}${command.name} needs one of these roles: ${command.roles.join(", ")}. You have: ${member.roles.join(", ") || "none"}.`, false);
      fx.audit.push({ actor: sender, action: "command.refused", roomId, detail: { eventId, command: command.name, why: "role" } });
      return;
    }
    const args = command.args.safeParse(tokens);
    if (!args.success) {
      const first = args.error.issues[0]?.message ?? "the arguments were not understood";
      say(`❌ ${first}\nUsage: ${command.usage.replace(/^!/, this.deps.directory.prefix)}\nExample: ${command.examples[0]?.replace(/^!/, this.deps.directory.prefix) ?? ""}`, false);
      return;
    }
    const ctx: CommandContext = {
      sender,
      member,
      roomId,
      roomAlias: this.deps.directory.roomAlias(roomId),
      now: this.deps.now(),
      prefix: this.deps.directory.prefix,
      runtime: this.deps.runtime,
      commands: this.deps.commands,
    };
    try {
      const result = await tx.transaction(() => command.run(ctx, args.data));
      if (result.ok) {
        say(result.value.text, true);
        fx.audit.push({ actor: sender, action: `command.${command.name}`, roomId, detail: { eventId } }, ...(result.value.audit ?? []));
      } else {
        say(formatError(result.error), false);
      }
    } catch (e) {
      const reference = randomUUID().slice(0, 8);
      this.deps.log.error("command failed", { reference, command: command.name, eventId, err: e });
      say(`❌ Internal error, reference ${reference}. The operator can find the details in the log.`, false);
    }
  }

  /** Says once in a room without encryption that Tearline needs it. */
  async noticeUnencrypted(roomId: string): Promise<void> {
    let queued = false;
    await this.deps.db.transaction(async (tx) => {
      if (!(await noteOnce(tx, roomId, "needs-encryption"))) return;
      await enqueue(tx, [{ roomId, eventType: "m.room.message", content: replyContent(undefined, NEEDS_ENCRYPTION) }]);
      queued = true;
    });
    if (queued) this.deps.onOutbox();
  }

  private async undecryptable(item: TimelineItem, eventId: string, sender: string): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      const fresh = await savePendingDecryption(tx, {
        eventId,
        roomId: item.roomId,
        sessionId: item.sessionId,
        event: item.event,
      });
      if (!fresh) return;
      this.deps.log.warn("cannot decrypt yet", { eventId, roomId: item.roomId, reason: item.decryptionError });
      const text = cannotDecrypt(sender, item.event.origin_server_ts);
      await enqueue(tx, [{ roomId: item.roomId, eventType: "m.room.message", content: replyContent(eventId, text) }]);
    });
    this.deps.onOutbox();
  }

  /** Runs fn with a claim on the event; does nothing if the event was already handled. */
  private async inTransaction(eventId: string, roomId: string, fn: (tx: Tx, fx: Effects) => Promise<void>): Promise<void> {
    let queued = false;
    await this.deps.db.transaction(async (tx) => {
      if (!(await claimEvent(tx, eventId, roomId))) return;
      const fx: Effects = { messages: [], audit: [] };
      await fn(tx, fx);
      await enqueue(tx, fx.messages);
      await appendAudit(tx, fx.audit, this.deps.now());
      queued = fx.messages.length > 0;
    });
    if (queued) this.deps.onOutbox();
  }
}

function isEdit(event: RawEvent): boolean {
  const rel = event.content["m.relates_to"];
  return typeof rel === "object" && rel !== null && (rel as Record<string, unknown>).rel_type === "m.replace";
}

export function formatError(e: { message: string; example?: string | undefined }): string {
  return `❌ ${e.message}${e.example ? `\nExample: ${e.example}` : ""}`;
}
