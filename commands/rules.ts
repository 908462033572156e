/**
 * `!rules` — the sharing rules from and into this room; `!rules S-<n>` / `!rules A-<n>` — a dry
 * run: for every other room, whether the item would go, how, and what of it. Nothing is sent.
 */
import { formatDuration } from "../src/domain/dtg.ts";
import { parseRef } from "../src/domain/refs.ts";
import { err, ok, type Result, t as tr } from "../src/domain/result.ts";
import { dryRun } from "../src/domain/sharing.ts";
import type { ShareableItem, SharingRule } from "../src/domain/sharingRule.ts";
import { formatSize, goesPiece, needs, refusalReason } from "../src/render/alert.ts";
import { type Message, msg, ref } from "../src/render/message.ts";
import { roomInfo, sightingItem } from "./alerting.ts";
import { argsFrom, type CommandContext, defineCommand, type Reply, type Tokens } from "./types.ts";

export type RulesArgs = { of?: { kind: "S" | "A"; id: number } | undefined };

export function parseRulesArgs(t: Tokens): Result<RulesArgs> {
  const [first, ...extra] = t.positional;
  if (extra.length > 0 || Object.keys(t.options).length > 0 || t.rest !== null)
    return err(tr("rules.oneRef"), "!rules S-112");
  if (first === undefined) return ok({});
  const kind = /^a/i.test(first) ? "A" : "S";
  const id = parseRef(kind, first, "ref");
  return id.ok ? ok({ of: { kind, id: id.value } }) : err(id.error.message, "!rules S-112");
}

function ruleLine(r: SharingRule): Message {
  const approval =
    r.approval === "auto"
      ? msg("rules.auto")
      : msg("rules.approval", {
          count: r.approval.count,
          role: r.approval.role,
          notRequester: r.approval.notRequester ? msg("rules.notRequester") : undefined,
          expires: formatDuration(r.approval.expiresMs),
        });
  return msg("rules.line", {
    name: r.name,
    kinds: r.kinds.join(", "),
    tlp: { kind: "tlp", tlp: r.maxTlp },
    approval,
    redact:
      r.redact.length === 0 ? msg("rules.redactNone") : msg("rules.redact", { fields: r.redact.join(", ") }),
    precision:
      r.positionPrecisionM === undefined
        ? msg("rules.precisionNone")
        : msg("rules.precision", { size: formatSize(r.positionPrecisionM) }),
    forward: r.forward ? msg("rules.forward") : msg("rules.noForward"),
  });
}

async function itemOf(
  ctx: CommandContext,
  of: NonNullable<RulesArgs["of"]>,
  here: string,
): Promise<Result<ShareableItem>> {
  if (of.kind === "A") {
    const a = await ctx.repos.alerts.get(of.id);
    if (a === undefined || a.roomId !== ctx.roomId) return err(tr("alert.notHere", { ref: `A-${of.id}` }));
    return ok(a.item);
  }
  const s = await ctx.repos.sightings.get(of.id);
  if (s === undefined || s.roomId !== ctx.roomId || s.retractedAt !== undefined)
    return err(tr("sighting.notLiveHere", { ref: `S-${of.id}` }));
  return ok(sightingItem(ctx, s, here));
}

export default defineCommand<RulesArgs>({
  name: "rules",
  summary: "The sharing rules from and into this room, or a dry run of where an item would go",
  usage: "!rules [S-<n> | A-<n>]",
  examples: ["!rules", "!rules S-112", "!rules A-31"],
  roles: "rostered",
  args: argsFrom(parseRulesArgs),
  async run(ctx, args): Promise<Result<Reply>> {
    const here = ctx.roomAlias;
    if (here === undefined) return err(tr("rules.roomNotConfigured"));
    if (args.of === undefined) {
      const rules = ctx.config.sharing.filter((r) => r.from === here || r.to === here);
      if (rules.length === 0) return ok({ message: msg("rules.none", { room: here }) });
      return ok({ message: msg("rules.head", { room: here }, rules.map(ruleLine)) });
    }
    const item = await itemOf(ctx, args.of, here);
    if (!item.ok) return item;
    const label = `${args.of.kind}-${args.of.id}`;
    const rooms = Object.keys(ctx.config.rooms)
      .filter((r) => r !== here)
      .map((r) => roomInfo(ctx, r));
    if (rooms.length === 0) return ok({ message: msg("rules.noRooms", { ref: ref(label) }) });
    const origin = roomInfo(ctx, here);
    const lines = dryRun(ctx.config.sharing, item.value, origin, rooms, ctx.now).map((line): Message => {
      const d = line.decision;
      const target = roomInfo(ctx, line.room);
      if (d.outcome === "refused")
        return msg("rules.dryRefused", {
          room: line.room,
          reason: refusalReason(d, item.value, origin, target),
        });
      const goes = line.redaction === undefined ? undefined : goesPiece(line.redaction, item.value.kind);
      return d.outcome === "relay"
        ? msg("rules.dryRelay", { room: line.room, rule: d.rule.name, goes })
        : msg("rules.dryPending", {
            room: line.room,
            needs: needs(d.approval),
            source: here,
            rule: d.rule.name,
            goes,
          });
    });
    return ok({ message: msg("rules.dryHead", { ref: ref(label) }, lines) });
  },
});
