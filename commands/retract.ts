import { recallAlerts } from "./alerting.ts";
import { parseRef } from "../src/domain/refs.ts";
import { err, ok, type Result, t as tr } from "../src/domain/result.ts";
import { TEXT_CAP } from "../src/domain/userText.ts";
import { msg, ref as refPiece, userText } from "../src/render/message.ts";
import type { AuditedRefusal } from "./rfiAct.ts";
import { argsFrom, type CommandContext, defineCommand, type Reply, type Tokens } from "./types.ts";

export interface RetractArgs {
  id: number;
  reason?: string | undefined;
}

const EXAMPLE = "!retract S-12 -- wrong contact, it was a fishing boat";

export function parseRetractArgs(t: Tokens): Result<RetractArgs> {
  const extra = Object.keys(t.options)[0];
  if (t.positional.length !== 1 || extra !== undefined) return err(tr("retract.oneRef"), EXAMPLE);
  const id = parseRef("S", t.positional[0] ?? "", "ref");
  if (!id.ok) return err(id.error.message, EXAMPLE);
  return ok({ id: id.value, reason: t.rest?.trim() || undefined });
}

/** The reporter, or a duty officer of one of the room's partners (any duty officer in a room not configured). */
function mayRetract(ctx: CommandContext, reporter: string): boolean {
  if (ctx.sender === reporter) return true;
  if (ctx.member === undefined || !ctx.member.roles.includes("duty_officer")) return false;
  const room = ctx.roomAlias === undefined ? undefined : ctx.config.rooms[ctx.roomAlias];
  return room === undefined || room.partners.includes(ctx.member.partner);
}

/**
 * Retracting by command, not by deleting: the command arrives encrypted (and, under
 * trust.ignore_unverified, from a verified device), where a deletion is plaintext and unsigned.
 */
export default defineCommand<RetractArgs>({
  name: "retract",
  summary: "Retract a sighting of this room",
  usage: "!retract S-<n> [-- reason]",
  details: [
    "The sighting no longer shows in !sightings; the database and the audit log keep it.",
    "Its reporter or a duty officer of the room's partners may retract it. Deleting the !sight message does the same, except where only verified devices are trusted.",
  ],
  examples: [EXAMPLE, "!retract S-12"],
  roles: ["liaison", "duty_officer"],
  refused: "Nothing was retracted",
  args: argsFrom(parseRetractArgs),

  async run(ctx, args): Promise<Result<Reply>> {
    const s = await ctx.repos.sightings.get(args.id);
    const ref = `S-${args.id}`;
    if (s === undefined || s.roomId !== ctx.roomId) return err(tr("sighting.notHere", { ref }));
    if (s.retractedAt !== undefined) return err(tr("retract.already", { ref }));
    if (!mayRetract(ctx, s.reporter)) {
      // Audited like the runner's role refusals: someone tried to remove another's report.
      const error: AuditedRefusal = {
        message: tr("retract.notAllowed", { reporter: s.reporter, ref }),
        audit: [
          {
            actor: ctx.sender,
            action: "command.refused",
            roomId: ctx.roomId,
            detail: { command: "retract", ref, why: "not the reporter or a duty officer" },
          },
        ],
      };
      return { ok: false, error };
    }
    await ctx.repos.sightings.retract(s.id, ctx.sender, ctx.now);
    const recalled = await recallAlerts(ctx, ref);
    const list = `${ctx.prefix}sightings`;
    const done =
      args.reason === undefined
        ? msg("retract.done", { ref: refPiece(ref), command: list })
        : msg("retract.doneWhy", {
            ref: refPiece(ref),
            reason: userText(args.reason, TEXT_CAP),
            command: list,
          });
    return ok({
      message: msg(done.id, done.params, recalled.lines),
      notices: recalled.notices,
      audit: [
        {
          actor: ctx.sender,
          action: "sighting.retracted",
          roomId: ctx.roomId,
          detail: { ref, reason: args.reason, by: "command", reporter: s.reporter },
        },
        ...recalled.audit,
      ],
    });
  },
});
