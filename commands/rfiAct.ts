/** What happens to an RFI after it is asked: dispositions, the answer, closing, withdrawing, listing. */
import type { AuditEntry } from "../src/domain/audit.ts";
import {
  type ErrorText,
  err,
  ok,
  orList,
  type Result,
  t as tr,
  type UserError,
} from "../src/domain/result.ts";
import {
  type Addressee,
  addresseePartners,
  formatAddressee,
  pastTense,
  type Rfi,
  type RfiAction,
  transition,
} from "../src/domain/rfi.ts";
import type { RfiChange, RfiFilter } from "../src/domain/repos.ts";
import { TEXT_CAP } from "../src/domain/userText.ts";
import {
  type Message,
  type MessageId,
  msg,
  type Params,
  type Piece,
  ref,
  user,
  userText,
} from "../src/render/message.ts";
import { rfiLine } from "../src/render/rfi.ts";
import type { AddresseeName, RfiArgs } from "./rfiArgs.ts";
import { alertRfi, withAlert } from "./rfiAlert.ts";
import type { CommandContext, Member, Reply } from "./types.ts";

export const LIST_LIMIT = 20;

/**
 * A refusal on grounds of authority or sharing, carrying its audit entry (`command.refused`, as
 * the runner writes for roster and role refusals), so that it can be recorded although the
 * command's own writes are rolled back.
 */
export interface AuditedRefusal extends UserError {
  audit: AuditEntry[];
}

function refuse(ctx: CommandContext, message: ErrorText, detail: Record<string, unknown>): Result<never> {
  const error: AuditedRefusal = {
    message,
    audit: [
      {
        actor: ctx.sender,
        action: "command.refused",
        roomId: ctx.roomId,
        detail: { command: "rfi", ...detail },
      },
    ],
  };
  return { ok: false, error };
}

/** Where an RFI goes, and the sharing rule that lets it into another room (if it goes to one). */
export interface Route {
  to: Addressee;
  toRoomId?: string | undefined;
  rule?: { from: string; to: string } | undefined;
}

function aliasOf(ctx: CommandContext, roomId: string): string | undefined {
  return Object.entries(ctx.config.rooms).find(([, r]) => r.roomId === roomId)?.[0];
}

function partnersOf(ctx: CommandContext, roomId: string): readonly string[] {
  const alias = aliasOf(ctx, roomId);
  return alias === undefined ? [] : (ctx.config.rooms[alias]?.partners ?? []);
}

/**
 * A partner, always (the RFI stays in its room). A room only if it is the RFI's own room, or a
 * sharing rule from the RFI's room to it includes RFIs: deny by default (design §6).
 */
export function routeRfi(
  ctx: CommandContext,
  rfi: Pick<Rfi, "roomId" | "originatorPartner"> & { ref?: string | undefined },
  name: AddresseeName,
  doing: "ask" | "refer" | "correct",
): Result<Route> {
  if ("partner" in name) return ok({ to: { partner: name.partner } });
  const target = ctx.config.rooms[name.room];
  const to: Addressee = { room: name.room, partners: [...(target?.partners ?? [])] };
  if (target !== undefined && target.roomId === rfi.roomId) return ok({ to, toRoomId: target.roomId });
  const from = aliasOf(ctx, rfi.roomId);
  const rule =
    from === undefined
      ? undefined
      : ctx.config.sharing.find((r) => r.from === from && r.to === name.room && r.kinds.includes("rfi"));
  if (target !== undefined && from !== undefined && rule !== undefined) {
    return ok({ to, toRoomId: target.roomId, rule: { from, to: name.room } });
  }
  const others = partnersOf(ctx, rfi.roomId).filter((p) => p !== rfi.originatorPartner);
  const partner =
    others.length > 0
      ? tr("rfi.addressPartners", { options: orList(others.map((p) => `to=${p}`)) })
      : tr("rfi.addressPartner");
  const why = from === undefined ? tr("rfi.roomNotConfigured") : tr("rfi.noRule", { from, to: name.room });
  return refuse(ctx, tr("rfi.cannotGo", { ref: rfi.ref ?? tr("rfi.this"), room: name.room, why, partner }), {
    action: doing,
    ...(rfi.ref !== undefined && { ref: rfi.ref }),
    why: "no sharing rule",
    kind: "rfi",
    from: from ?? rfi.roomId,
    to: name.room,
  });
}

/** `PO Smith (USA)`, or the user id when the roster gives no name. */
function whoIs(userId: string, member: Member | undefined): Piece {
  if (member === undefined) return user(userId);
  return msg("rfi.by", { name: member.name ?? user(userId), partner: member.partner });
}

type Verb = Exclude<RfiAction, "withdraw">;
const DONE: Record<Verb, MessageId> = {
  accept: "rfi.accepted",
  defer: "rfi.deferred",
  refer: "rfi.referred",
  deny: "rfi.denied",
  answer: "rfi.answered",
  close: "rfi.closed",
};

function isDutyOfficer(member: Member | undefined): boolean {
  return member?.roles.includes("duty_officer") ?? false;
}

/** Accept, defer, refer, deny, answer: the addressee's people or a duty officer. Close: the originator or a duty officer. */
function mayAct(ctx: CommandContext, rfi: Rfi, action: RfiAction): Result<true> {
  if (isDutyOfficer(ctx.member)) return ok(true);
  const partner = ctx.member?.partner;
  const detail = { action, ref: rfi.ref, partner };
  if (action === "close") {
    return ctx.sender === rfi.originator
      ? ok(true)
      : refuse(ctx, tr("rfi.closeNotAllowed", { originator: rfi.originator, ref: rfi.ref }), {
          ...detail,
          why: "not the originator",
        });
  }
  const partners = addresseePartners(rfi.to);
  if (partner !== undefined && partners.includes(partner)) return ok(true);
  return refuse(
    ctx,
    tr(`rfi.actNotAllowed.${action}`, {
      ref: rfi.ref,
      to: formatAddressee(rfi.to),
      who: partners.length > 0 ? orList(partners) : tr("rfi.itsAddressee"),
      partner: partner ?? tr("rfi.noPartner"),
    }),
    { ...detail, why: "not the addressee", addressee: formatAddressee(rfi.to) },
  );
}

/**
 * Referring into a room puts the RFI before that room's partners, which is the originating
 * room's decision: its originator's, or a duty officer's of one of its partners.
 */
function mayReferToRoom(ctx: CommandContext, rfi: Rfi): Result<true> {
  if (ctx.sender === rfi.originator) return ok(true);
  const partner = ctx.member?.partner;
  const origin = partnersOf(ctx, rfi.roomId);
  const duty = isDutyOfficer(ctx.member);
  if (duty && partner !== undefined && origin.includes(partner)) return ok(true);
  const you =
    partner === undefined
      ? tr("rfi.youNoPartner")
      : tr(duty ? "rfi.youWith" : "rfi.youWithNotDuty", { partner });
  return refuse(
    ctx,
    tr("rfi.referNotAllowed", {
      originator: rfi.originator,
      partners: origin.length > 0 ? orList(origin) : tr("rfi.roomPartners"),
      ref: rfi.ref,
      you,
    }),
    { action: "refer", ref: rfi.ref, partner, why: "refer to a room" },
  );
}

async function load(ctx: CommandContext, id: number): Promise<Result<Rfi>> {
  const rfi = await ctx.repos.rfis.get(id, ctx.roomId);
  return rfi === undefined
    ? err(tr("alert.notHere", { ref: `RFI-${id}` }), `${ctx.prefix}rfi list all`)
    : ok(rfi);
}

/**
 * The reply in the command's room mentions the originator; when the command came from the
 * addressed room, the originating room is told too.
 */
function tell(
  ctx: CommandContext,
  rfi: Rfi,
  head: { id: MessageId; params: Params },
  body: Message[],
  audit: Reply["audit"],
): Reply {
  const notify = rfi.originator !== ctx.sender;
  const notified = notify ? msg("rfi.notified", { user: user(rfi.originator) }) : undefined;
  const message = msg(head.id, { ...head.params, notified }, body);
  const mentions = notify ? [rfi.originator] : [];
  const notices =
    ctx.roomId !== rfi.roomId ? [{ roomId: rfi.roomId, message, mentions: [rfi.originator] }] : [];
  return { message, mentions, notices, audit };
}

async function respond(
  ctx: CommandContext,
  args: Exclude<RfiArgs, { action: "ask" | "list" }>,
): Promise<Result<Reply>> {
  const found = await load(ctx, args.id);
  if (!found.ok) return found;
  const rfi = found.value;
  const allowed =
    args.action === "refer" && "room" in args.to ? mayReferToRoom(ctx, rfi) : mayAct(ctx, rfi, args.action);
  if (!allowed.ok) return allowed;
  const next = transition(rfi, args.action);
  if (!next.ok) return next;
  const by = whoIs(ctx.sender, ctx.member);
  const change: RfiChange = { status: next.value, at: ctx.now };
  const head: { id: MessageId; params: Record<string, Piece> } = {
    id: DONE[args.action],
    params: { ref: ref(rfi.ref), by },
  };
  const body: Message[] = [];
  let rule: Route["rule"];
  if (args.action === "answer") {
    change.answer = { text: args.text, by: ctx.sender, at: ctx.now };
    change.reason = null;
    if (rfi.status === "answered") head.id = "rfi.answerUpdated";
    body.push(
      msg("rfi.question", { question: userText(rfi.question, TEXT_CAP) }),
      msg("rfi.answer", { answer: userText(args.text, TEXT_CAP) }),
    );
  } else {
    change.reason = args.reason ?? null;
    if (args.action === "refer") {
      const route = routeRfi(ctx, rfi, args.to, "refer");
      if (!route.ok) return route;
      change.to = route.value.to;
      // Into another room only once its alert is relayed there.
      change.toRoomId = route.value.rule === undefined ? (route.value.toRoomId ?? null) : null;
      rule = route.value.rule;
      head.params.to = formatAddressee(route.value.to);
    }
    if (args.reason !== undefined) body.push(msg("rfi.reason", { reason: userText(args.reason, TEXT_CAP) }));
  }
  const updated = await ctx.repos.rfis.update(rfi.id, change);
  const alerted = withAlert(
    ctx,
    rule === undefined ? undefined : await alertRfi(ctx, updated, rule.to),
    updated,
  );
  body.push(...alerted.lines);
  const detail: Record<string, unknown> = { ref: rfi.ref, from: rfi.status, to: updated.status };
  if (args.action === "answer") detail.answer = args.text;
  if (args.action === "refer") detail.addressee = updated.to;
  if (rule !== undefined) detail.sharing = rule;
  if (change.reason) detail.reason = change.reason;
  const told = tell(ctx, rfi, head, body, [
    { actor: ctx.sender, action: `rfi.${pastTense(args.action)}`, roomId: ctx.roomId, detail },
    ...(alerted.audit ?? []),
  ]);
  return ok({
    ...told,
    notices: [...(told.notices ?? []), ...(alerted.notices ?? [])],
    replyRef: alerted.replyRef,
  });
}

/** Deleting the `!rfi ask` message withdraws the RFI. */
async function withdraw(ctx: CommandContext, id: number): Promise<Result<Reply>> {
  const found = await load(ctx, id);
  if (!found.ok) return found;
  const rfi = found.value;
  if (rfi.status === "withdrawn") return ok({ message: msg("rfi.alreadyWithdrawn", { ref: ref(rfi.ref) }) });
  const next = transition(rfi, "withdraw");
  if (!next.ok) return next;
  await ctx.repos.rfis.update(rfi.id, { status: next.value, at: ctx.now });
  return ok({
    message: msg("rfi.withdrawn", { ref: ref(rfi.ref) }),
    audit: [
      {
        actor: ctx.sender,
        action: "rfi.withdrawn",
        roomId: ctx.roomId,
        detail: { ref: rfi.ref, from: rfi.status },
      },
    ],
  });
}

const TITLES: Record<RfiFilter, MessageId> = {
  open: "rfi.filterOpen",
  mine: "rfi.filterMine",
  overdue: "rfi.filterOverdue",
  all: "rfi.filterAll",
};

async function list(ctx: CommandContext, filter: RfiFilter): Promise<Result<Reply>> {
  const { rfis, total } = await ctx.repos.rfis.list({
    roomId: ctx.roomId,
    filter,
    user: ctx.sender,
    now: ctx.now,
    limit: LIST_LIMIT,
  });
  const title = msg(TITLES[filter]);
  if (total === 0) return ok({ message: msg("rfi.listNone", { filter: title }) });
  const more = total > rfis.length ? [msg("rfi.listMore", { more: total - rfis.length })] : [];
  const lines = [...rfis.map((r) => rfiLine(r, ctx.now)), ...more];
  return ok({
    message:
      total === 1
        ? msg("rfi.listHeadOne", { filter: title }, lines)
        : msg("rfi.listHead", { total, filter: title }, lines),
  });
}

export const act = { respond, withdraw, list };
