/**
 * `!rfi` — requests for information, tracked to closure.
 *
 * Who may do what (written down here and in !help rfi):
 * - ask: liaison officers, duty officers and commanders.
 * - accept, defer, refer, deny, answer: anyone on the roster whose partner is the addressee (or,
 *   for a room addressee, one of that room's partners), and any duty officer. Referring to a room:
 *   the originator, or a duty officer of one of the originating room's partners.
 * - addressing a room (ask, refer, correct): only where a sharing rule from the RFI's room to that
 *   room includes RFIs (deny by default, design §6); a partner addressee keeps the RFI in its room.
 * - close: the originator, or a duty officer.
 * - correct (edit the `!rfi ask` message) or withdraw (delete it): the originator. Once referred,
 *   an RFI keeps the addressee it was referred to: the edit's to= is ignored.
 * - list: anyone on the roster; a room sees the RFIs raised in it and those addressed to it.
 * Every change is told to the originator: the reply mentions them, in the originating room.
 */
import { formatDuration } from "../src/domain/dtg.ts";
import { parseRef } from "../src/domain/refs.ts";
import { REMINDER_LEAD_MS } from "../src/domain/reminders.ts";
import { err, ok, type Result, t as tr } from "../src/domain/result.ts";
import { type Addressee, formatAddressee, isAwaitingAnswer } from "../src/domain/rfi.ts";
import { TEXT_CAP } from "../src/domain/userText.ts";
import { msg, ref, userText } from "../src/render/message.ts";
import { due } from "../src/render/rfi.ts";
import { act, type Route, routeRfi } from "./rfiAct.ts";
import { type AddresseeName, parseRfiArgs, type RfiArgs } from "./rfiArgs.ts";
import { alertRfi, withAlert } from "./rfiAlert.ts";
import { argsFrom, type CommandContext, type CommandRecord, defineCommand, type Reply } from "./types.ts";

const lead = (p: keyof typeof REMINDER_LEAD_MS) => formatDuration(REMINDER_LEAD_MS[p]);

export const ASK_ROLES = ["liaison", "duty_officer", "commander"] as const;

/** Without to=: the one other partner of this room, if there is exactly one. */
function defaultAddressee(ctx: CommandContext): AddresseeName | undefined {
  const room = ctx.roomAlias === undefined ? undefined : ctx.config.rooms[ctx.roomAlias];
  const others = (room?.partners ?? []).filter((p) => p !== ctx.member?.partner);
  return others.length === 1 && others[0] !== undefined ? { partner: others[0] } : undefined;
}

function sameAddressee(name: AddresseeName, to: Addressee): boolean {
  return "partner" in name
    ? "partner" in to && to.partner === name.partner
    : "room" in to && to.room === name.room;
}

function nameOf(name: AddresseeName): string {
  return "partner" in name ? name.partner : name.room;
}

async function ask(ctx: CommandContext, a: Extract<RfiArgs, { action: "ask" }>): Promise<Result<Reply>> {
  const member = ctx.member;
  if (member === undefined || !ASK_ROLES.some((r) => member.roles.includes(r))) {
    return err(tr("rfi.askRoles", { roles: ASK_ROLES.join(", ") }));
  }
  const name = a.to ?? defaultAddressee(ctx);
  if (name === undefined) {
    return err(tr("rfi.sayWho"), `${ctx.prefix}rfi ask to=USA -- question?`);
  }
  const route = routeRfi(ctx, { roomId: ctx.roomId, originatorPartner: member.partner }, name, "ask");
  if (!route.ok) return route;
  const { to, toRoomId, rule } = route.value;
  const rfi = await ctx.repos.rfis.create({
    roomId: ctx.roomId,
    originator: ctx.sender,
    originatorPartner: member.partner,
    priority: a.priority,
    ltiov: a.ltiov,
    to,
    // Another room sees it only once its alert is relayed there.
    toRoomId: rule === undefined ? toRoomId : undefined,
    question: a.question,
    createdAt: ctx.now,
  });
  const alerted = withAlert(ctx, rule === undefined ? undefined : await alertRfi(ctx, rfi, rule.to), rfi);
  const raised = {
    ref: ref(rfi.ref),
    to: formatAddressee(to),
    priority: rfi.priority.toUpperCase(),
    due: due(rfi, ctx.now),
  };
  return ok({
    message: msg("rfi.raised", raised, alerted.lines),
    record: { ref: rfi.ref },
    notices: alerted.notices,
    replyRef: alerted.replyRef,
    audit: [
      {
        actor: ctx.sender,
        action: "rfi.raised",
        roomId: ctx.roomId,
        detail: {
          ref: rfi.ref,
          priority: rfi.priority,
          ltiov: a.ltiov,
          to,
          question: a.question,
          ...(rule !== undefined && { sharing: rule }),
        },
      },
      ...(alerted.audit ?? []),
    ],
  });
}

async function correct(ctx: CommandContext, args: RfiArgs, original: CommandRecord): Promise<Result<Reply>> {
  if (args.action !== "ask")
    return err(tr("rfi.editAsk", { ref: original.ref, command: `${ctx.prefix}rfi ask` }));
  const id = parseRef("RFI", original.ref);
  const before = id.ok ? await ctx.repos.rfis.get(id.value, ctx.roomId) : undefined;
  if (before === undefined) return err(tr("rfi.notHere", { ref: original.ref }));
  if (!isAwaitingAnswer(before.status)) {
    return err(tr("rfi.cannotChange", { ref: before.ref, status: tr(`rfi.state.${before.status}`) }));
  }
  const moved = args.to !== undefined && !sameAddressee(args.to, before.to) ? args.to : undefined;
  // A referral decided who answers: re-reading the ask's to= must not undo it.
  const ignored = moved !== undefined && before.status === "referred" ? moved : undefined;
  let route: Route | undefined;
  if (moved !== undefined && ignored === undefined) {
    const routed = routeRfi(ctx, before, moved, "correct");
    if (!routed.ok) return routed;
    route = routed.value;
  }
  const rfi = await ctx.repos.rfis.update(before.id, {
    priority: args.priority,
    ltiov: args.ltiov ?? null,
    ...(route !== undefined && {
      to: route.to,
      toRoomId: route.rule === undefined ? (route.toRoomId ?? null) : null,
    }),
    question: args.question,
    at: ctx.now,
  });
  const lines = [msg("rfi.question", { question: userText(rfi.question, TEXT_CAP) })];
  if (ignored !== undefined) {
    const kept = { name: nameOf(ignored), ref: ref(rfi.ref), to: formatAddressee(rfi.to) };
    lines.push(msg("rfi.referralKept", kept));
  }
  const alerted = withAlert(
    ctx,
    route?.rule === undefined ? undefined : await alertRfi(ctx, rfi, route.rule.to),
    rfi,
  );
  lines.push(...alerted.lines);
  const corrected = {
    ref: ref(rfi.ref),
    to: formatAddressee(rfi.to),
    priority: rfi.priority.toUpperCase(),
    due: due(rfi, ctx.now),
  };
  return ok({
    message: msg("rfi.corrected", corrected, lines),
    notices: alerted.notices,
    replyRef: alerted.replyRef,
    audit: [
      {
        actor: ctx.sender,
        action: "rfi.corrected",
        roomId: ctx.roomId,
        detail: {
          ref: rfi.ref,
          before: {
            priority: before.priority,
            ltiov: before.ltiov,
            to: before.to,
            question: before.question,
          },
          after: { priority: rfi.priority, ltiov: rfi.ltiov, to: rfi.to, question: rfi.question },
          ...(ignored !== undefined && { ignoredTo: nameOf(ignored) }),
          ...(route?.rule !== undefined && { sharing: route.rule }),
        },
      },
      ...(alerted.audit ?? []),
    ],
  });
}

export default defineCommand<RfiArgs>({
  name: "rfi",
  summary: "Requests for information to partners, tracked to closure",
  usage: [
    "!rfi ask [priority=routine|priority|immediate] [ltiov=DTG] [to=PARTNER|room] -- question",
    "!rfi accept|defer|deny|close RFI-<n> [-- reason]",
    "!rfi refer RFI-<n> to=PARTNER|room [-- reason]",
    "!rfi answer RFI-<n> -- answer",
    "!rfi list [open|mine|overdue|all]",
  ].join("\n"),
  synopsis: "!rfi ask|accept|defer|refer|deny|answer|close|list …",
  details: [
    "Without to=, an RFI goes to the room's other partner (when there is exactly one). Past its LTIOV, an RFI still awaiting an answer is overdue.",
    `With an LTIOV, I post one ⏰ reminder before it (${lead("immediate")} ahead for IMMEDIATE, ${lead("priority")} for PRIORITY, ${lead("routine")} for ROUTINE) and one notice if it passes unanswered.`,
    "Who may: ask — liaison officers, duty officers, commanders · accept, defer, refer, deny, answer — the addressee partner's people, or any duty officer · refer to a room — the originator, or a duty officer of a partner of the room it was raised in · close — the originator, or a duty officer.",
    "to= a room works only where a sharing rule from the RFI's room to that room includes RFIs; the RFI then shows in !rfi list there. to= a partner keeps it in its room.",
    "Edit your !rfi ask message to correct the RFI (once referred, it keeps the addressee it was referred to); delete it to withdraw the RFI. The originator is told of every change.",
  ],
  examples: [
    '!rfi ask priority=immediate ltiov=281000ZNOV26 to=USA -- last known position of "SIN NOMBRE"?',
    "!rfi answer RFI-40 -- AIS dark since 0600Z; P-8 contact at 12.9N 078.6W 0742Z",
    "!rfi list overdue",
  ],
  roles: "rostered",
  args: (env) => argsFrom((t) => parseRfiArgs(t, env)),

  run(ctx, args) {
    switch (args.action) {
      case "ask":
        return ask(ctx, args);
      case "list":
        return act.list(ctx, args.filter);
      default:
        return act.respond(ctx, args);
    }
  },

  edit: correct,

  async retract(ctx, original) {
    const id = parseRef("RFI", original.ref);
    if (!id.ok) return err(tr("rfi.notAnRfi", { ref: original.ref }));
    return act.withdraw(ctx, id.value);
  },
});
