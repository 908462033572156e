/**
 * `!alert` — propose relaying a sighting, an RFI or a text to other rooms across the tearline.
 * Each candidate room gets one decision: relayed now, pending approval (who, until when), or
 * refused with the reason. The reply is the approval request: ✅/❌ reactions on it decide.
 */
import { err, ok, type Result, t as tr } from "../src/domain/result.ts";
import type { ShareableItem } from "../src/domain/sharingRule.ts";
import { ALERT_ROLES, raiseAlert, rfiItem, sightingItem } from "./alerting.ts";
import { type AlertArgs, parseAlertArgs } from "./alertArgs.ts";
import { outboxRefs } from "../src/domain/alert.ts";
import { argsFrom, type CommandContext, defineCommand, type Reply } from "./types.ts";

/** Every room a rule from `origin` names, in the configuration's order. */
export function ruleTargets(ctx: CommandContext, origin: string): string[] {
  return [...new Set(ctx.config.sharing.filter((r) => r.from === origin).map((r) => r.to))];
}

async function itemFor(ctx: CommandContext, a: AlertArgs, here: string): Promise<Result<ShareableItem>> {
  const s = a.source;
  switch (s.kind) {
    case "sighting": {
      const found = await ctx.repos.sightings.get(s.id);
      if (found === undefined || found.roomId !== ctx.roomId)
        return err(tr("sighting.notHere", { ref: `S-${s.id}` }));
      if (found.retractedAt !== undefined) return err(tr("alert.retracted", { ref: `S-${s.id}` }));
      return ok(sightingItem(ctx, found, here));
    }
    case "rfi": {
      const found = await ctx.repos.rfis.get(s.id, ctx.roomId);
      if (found === undefined || found.roomId !== ctx.roomId)
        return err(tr("alert.rfiNotHere", { ref: `RFI-${s.id}` }));
      return ok(rfiItem(found));
    }
    case "text":
      return ok({
        kind: "text",
        ref: "",
        tlp: s.tlp,
        ...(s.rel !== undefined && { rel: s.rel }),
        text: { text: s.text, reporter: ctx.sender, reporterPartner: ctx.member?.partner ?? "" },
      });
  }
}

export default defineCommand<AlertArgs>({
  name: "alert",
  summary: "Propose relaying a sighting, an RFI or a text to other rooms, under the sharing rules",
  usage:
    "!alert S-<n> [to=room,…]\n!alert RFI-<n> [to=room,…]\n!alert [tlp=amber] [rel=USA,JTF] [to=room,…] -- text",
  synopsis: "!alert S-<n> | RFI-<n> | [tlp=… rel=…] -- text [to=room,…]",
  details: [
    "Without to=, every room a sharing rule from this room names is a candidate. Each gets one line: relayed, waiting for approval, or not sent and why.",
    "The reply is the approval request: an approver of this room reacts ✅ (approve) or ❌ (deny) on it, or sends !approve A-<n> / !deny A-<n> -- reason.",
    "What reaches the other room is stripped as the rule says (redact, position_precision); TLP:RED and TLP:AMBER+STRICT never leave.",
  ],
  examples: [
    "!alert S-112 to=usa-jtf",
    "!alert RFI-40",
    "!alert tlp=green rel=USA,JTF -- go-fast heading north at dusk",
  ],
  roles: ALERT_ROLES,
  refused: "Nothing was alerted",
  args: (env) => argsFrom((t) => parseAlertArgs(t, env)),

  async run(ctx, args): Promise<Result<Reply>> {
    const here = ctx.roomAlias;
    if (here === undefined) return err(tr("rules.roomNotConfigured"));
    const item = await itemFor(ctx, args, here);
    if (!item.ok) return item;
    const candidates = args.to ?? ruleTargets(ctx, here);
    if (candidates.length === 0) return err(tr("alert.noTargets", { room: here }));
    const sourceRef = args.source.kind === "text" ? null : item.value.ref;
    const raised = await raiseAlert(ctx, here, item.value, candidates, sourceRef);
    return ok({
      message: raised.message,
      notices: raised.notices,
      audit: raised.audit,
      replyRef: outboxRefs.request(raised.alert.id),
      reaction: raised.going ? "✅" : "❌",
    });
  },
});
