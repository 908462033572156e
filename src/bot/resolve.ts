/** From a command message to a command, its sender's roster entry and its typed arguments — or the reply that says why not. */
import type { AnyCommand, Member, Tokens } from "../../commands/types.ts";
import { argsEnvOf, argsSchema, withPrefix } from "../../commands/types.ts";
import { readCommand } from "../domain/reader.ts";
import { NAME_CAP } from "../domain/userText.ts";
import { lowerFirst, type Message, msg, type Piece, upperFirst, userText } from "../render/message.ts";
import type { Example } from "../domain/result.ts";
import { errorMessage, exampleLines } from "../render/errors.ts";
import type { Effects } from "./effects.ts";
import { notRostered } from "./messages.ts";
import type { CommandMessage, RunnerDeps } from "./runner.ts";

type ResolveDeps = Pick<RunnerDeps, "directory" | "commands">;

/** The command named in the message, for a rostered sender with a role it allows; or says why not. */
export function resolveCommand(
  deps: ResolveDeps,
  fx: Effects,
  m: CommandMessage,
  reply: (message: Message, ok: boolean) => void,
): { command: AnyCommand; tokens: Tokens; member: Member } | undefined {
  const prefix = deps.directory.prefix;
  const parsed = readCommand(m.body, prefix);
  if (!parsed) return undefined;
  const member = deps.directory.member(m.sender);
  if (!member) {
    reply(notRostered(m.sender), false);
    fx.audit.push({
      actor: m.sender,
      action: "command.refused",
      roomId: m.roomId,
      detail: { eventId: m.eventId, why: "not rostered" },
    });
    return undefined;
  }
  const alias = deps.directory.roomAlias(m.roomId);
  const room = alias === undefined ? undefined : deps.directory.facts.rooms[alias];
  if (alias !== undefined && room !== undefined && !room.partners.includes(member.partner)) {
    reply(outsider(member.partner, alias, room.partners), false);
    fx.audit.push({
      actor: m.sender,
      action: "command.refused",
      roomId: m.roomId,
      detail: { eventId: m.eventId, why: "partner not in room", partner: member.partner },
    });
    return undefined;
  }
  if (!parsed.ok) return void reply(errorMessage(parsed.error), false);
  const tokens: Tokens = parsed.value;
  const command = deps.commands.find((c) => c.name === tokens.name);
  if (!command) {
    const names = deps.commands.map((c) => c.name).join(", ");
    // The name is whatever followed the prefix: quoted and capped like any echoed input.
    const unknown = msg("refusal.unknownCommand", { name: userText(tokens.name, NAME_CAP), names }, [
      msg("error.example", { example: `${prefix}help` }),
    ]);
    return void reply(unknown, false);
  }
  if (command.roles !== "rostered" && !command.roles.some((r) => member.roles.includes(r))) {
    const has = member.roles.join(", ") || "none";
    const roles = command.roles.join(", ");
    reply(msg("refusal.role", { command: `${prefix}${command.name}`, roles, has }), false);
    fx.audit.push({
      actor: m.sender,
      action: "command.refused",
      roomId: m.roomId,
      detail: { eventId: m.eventId, command: command.name, why: "role" },
    });
    return undefined;
  }
  return { command, tokens, member };
}

/** A rostered person of a partner that does not share this configured room. */
function outsider(partner: string, alias: string, partners: readonly string[]): Message {
  return msg("refusal.outsider", { partner, room: alias, partners: partners.join(" and ") });
}

/** The command's typed arguments, or the reply that says what was wrong, the usage and an example. */
export function parseArguments(
  deps: ResolveDeps,
  command: AnyCommand,
  tokens: Tokens,
  now: Date,
  lead: Piece,
): { ok: true; value: unknown } | { ok: false; message: Message } {
  const prefix = deps.directory.prefix;
  const args = argsSchema(command, argsEnvOf(deps.directory.facts, now)).safeParse(tokens);
  if (args.success) return { ok: true as const, value: args.data as unknown };
  const issue = args.error.issues[0];
  const given = issue?.code === "custom" ? issue.params : undefined;
  const text: Piece = isErrorText(given?.text) ? given.text : msg("e.arguments");
  const example = isExample(given?.example) ? given.example : command.examples[0];
  const head =
    lead === undefined
      ? msg("error", { message: upperFirst(text) })
      : msg("error.lead", { lead, message: lowerFirst(text) });
  const lines = [
    msg("error.usage", { usage: withPrefix(command.usage, prefix) }),
    ...exampleLines(example === undefined ? undefined : withPrefixes(example, prefix)),
  ];
  return { ok: false as const, message: msg(head.id, head.params, lines) };
}

function isErrorText(v: unknown): v is Message {
  return typeof v === "object" && v !== null && "id" in v && typeof v.id === "string";
}

function isExample(v: unknown): v is Example {
  return typeof v === "string" || (Array.isArray(v) && v.every((e) => typeof e === "string"));
}

function withPrefixes(example: Example, prefix: string): Example {
  return typeof example === "string"
    ? withPrefix(example, prefix)
    : example.map((e) => withPrefix(e, prefix));
}
