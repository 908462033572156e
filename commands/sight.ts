import { correctAlerts, recallAlerts, sightingItem } from "./alerting.ts";
import { corroborations, type Match, matchSpan } from "../src/domain/corroboration.ts";
import { identifierKeys } from "../src/domain/identifiers.ts";
import { parseRef } from "../src/domain/refs.ts";
import { err, ok, type Result, t as tr } from "../src/domain/result.ts";
import type { Sighting, SightingReport } from "../src/domain/sighting.ts";
import { list, msg, ref } from "../src/render/message.ts";
import { matchesMessage, readBackFields } from "../src/render/sighting.ts";
import { parseSightArgs, type SightArgs } from "./sightArgs.ts";
import { argsFrom, type CommandContext, type CommandRecord, defineCommand, type Reply } from "./types.ts";

/** Earlier sightings in this room that this report corroborates (never another room's: tearline). */
async function findMatches(ctx: CommandContext, report: SightingReport, excludeId?: number) {
  const keys = identifierKeys(report.ids);
  if (keys.length === 0) return [];
  const span = matchSpan(report.seenAt, ctx.config.corroboration);
  const candidates = await ctx.repos.sightings.sharingIdentifiers({
    roomId: ctx.roomId,
    keys,
    ...span,
    excludeId,
  });
  return corroborations(report, candidates, ctx.config.corroboration, ctx.sender);
}

/** `✅ S-12 logged · <read-back>`, and the corroboration line when it matched earlier sightings. */
function describe(
  ctx: CommandContext,
  s: Sighting,
  id: "sighting.logged" | "sighting.corrected",
  matches: Match[],
) {
  const matchLine = matchesMessage(s, matches, ctx.now);
  return msg(id, { ref: ref(s.ref), readBack: list(readBackFields(s, ctx.now)) }, matchLine && [matchLine]);
}

async function loadOwn(ctx: CommandContext, original: CommandRecord): Promise<Result<Sighting>> {
  const id = parseRef("S", original.ref);
  const s = id.ok ? await ctx.repos.sightings.get(id.value) : undefined;
  if (s === undefined || s.roomId !== ctx.roomId) return err(tr("sighting.notHere", { ref: original.ref }));
  return ok(s);
}

export default defineCommand<SightArgs>({
  name: "sight",
  summary: "Log a sighting: kind, position, and what else you know",
  usage:
    '!sight <kind> <position> ["name"] [time=DTG] [course=045] [speed=32kt] [tlp=amber] [rel=USA,COL] [conf=B2] [mmsi=… imo=… tail=… plate=…] [-- remarks]',
  synopsis: '!sight <kind> <position> ["name"] [time=…] [course=… speed=… tlp=… rel=… conf=…] [-- remarks]',
  details: [
    "Kinds: vessel, aircraft, vehicle, person, other. Position: 12.51,-79.20 · 12°30.5'N 079°10'W · 18PTR1234567890.",
    "time=: a DTG (280714ZNOV26) or ISO 8601 (2026-11-28T07:14Z); default: when you sent the message. tlp=: clear, green, amber (default), amber+strict, red. rel=: partner codes. conf=: source reliability A–F and credibility 1–6.",
    "A sighting of the same name, MMSI, IMO, tail or plate in this room, close in time and place, is reported as a match.",
    "Edit your message to correct the sighting; delete it (or send !retract S-<n>) to retract it.",
  ],
  examples: [
    '!sight vessel 12.51,-79.17 "NAME" time=280714ZNOV26 -- remarks',
    "!sight vessel 12°30.5'N 079°10'W \"SIN NOMBRE\" time=280714ZNOV26 course=045 speed=32kt conf=B2 -- go-fast, 3 outboards",
    "!sight aircraft 18PTR1234567890 tail=HK-4F2 course=310 speed=180kt tlp=red",
  ],
  roles: ["liaison", "duty_officer"],
  refused: "I didn't log that",
  args: (env) => argsFrom((t) => parseSightArgs(t, env)),

  async run(ctx, args): Promise<Result<Reply>> {
    if (ctx.member === undefined) return err(tr("sight.notRostered"));
    const report: SightingReport = { ...args, seenAt: args.seenAt ?? ctx.sentAt };
    const matches = await findMatches(ctx, report);
    const s = await ctx.repos.sightings.create({
      ...report,
      roomId: ctx.roomId,
      reporter: ctx.sender,
      reporterPartner: ctx.member.partner,
      loggedAt: ctx.now,
      matches: matches.map((m) => m.sighting.ref),
    });
    return ok({
      message: describe(ctx, s, "sighting.logged", matches),
      record: { ref: s.ref },
      audit: [
        { actor: ctx.sender, action: "sighting.logged", roomId: ctx.roomId, detail: { ref: s.ref, report } },
      ],
    });
  },

  async edit(ctx, args, original): Promise<Result<Reply>> {
    const found = await loadOwn(ctx, original);
    if (!found.ok) return found;
    const before = found.value;
    if (before.retractedAt !== undefined) return err(tr("sight.retracted", { ref: before.ref }));
    const report: SightingReport = { ...args, seenAt: args.seenAt ?? ctx.sentAt };
    const matches = await findMatches(ctx, report, before.id);
    const s = await ctx.repos.sightings.correct(
      before.id,
      report,
      matches.map((m) => m.sighting.ref),
      ctx.now,
    );
    const { id: _id, ref: _ref, roomId: _room, ...was } = before;
    const followed = await correctAlerts(ctx, s.ref, sightingItem(ctx, s, ctx.roomAlias ?? ""));
    const described = describe(ctx, s, "sighting.corrected", matches);
    return ok({
      message: msg(described.id, described.params, [...(described.more ?? []), ...followed.lines]),
      notices: followed.notices,
      audit: [
        {
          actor: ctx.sender,
          action: "sighting.corrected",
          roomId: ctx.roomId,
          detail: { ref: s.ref, before: was, after: report },
        },
        ...followed.audit,
      ],
    });
  },

  async retract(ctx, original): Promise<Result<Reply>> {
    const found = await loadOwn(ctx, original);
    if (!found.ok) return found;
    if (found.value.retractedAt !== undefined)
      return ok({ message: msg("sighting.alreadyRetracted", { ref: ref(original.ref) }) });
    const s = await ctx.repos.sightings.retract(found.value.id, ctx.sender, ctx.now);
    const recalled = await recallAlerts(ctx, s.ref);
    return ok({
      message: msg(
        "sighting.retracted",
        { ref: ref(s.ref), command: `${ctx.prefix}sightings` },
        recalled.lines,
      ),
      notices: recalled.notices,
      audit: [
        { actor: ctx.sender, action: "sighting.retracted", roomId: ctx.roomId, detail: { ref: s.ref } },
        ...recalled.audit,
      ],
    });
  },

  async retractionRequested(ctx, original): Promise<Result<Reply>> {
    const found = await loadOwn(ctx, original);
    if (!found.ok) return found;
    if (found.value.retractedAt !== undefined)
      return ok({ message: msg("sighting.alreadyRetracted", { ref: ref(original.ref) }) });
    const s = await ctx.repos.sightings.requestRetraction(found.value.id, ctx.sender, ctx.now);
    return ok({
      message: msg("sighting.retractionRequested", { ref: ref(s.ref), command: `${ctx.prefix}retract` }),
      audit: [
        {
          actor: ctx.sender,
          action: "sighting.retraction_requested",
          roomId: ctx.roomId,
          detail: { ref: s.ref },
        },
      ],
    });
  },
});
