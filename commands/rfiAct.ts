/** What happens to an RFI after it is asked: dispositions, the answer, closing, withdrawing, listing. */
import { err, ok, type Result } from "../src/domain/result.ts";
import {
  type Addressee,
  addresseePartners,
  formatAddressee,
  pastTense,
  type Rfi,
  type RfiAction,
  rfiLine,
  transition,
} from "../src/domain/rfi.ts";
import type { RfiChange, RfiFilter } from "./repos.ts";
import type { AddresseeName, RfiArgs } from "./rfiArgs.ts";
import type { CommandContext, Member, Reply } from "./types.ts";

export const LIST_LIMIT = 20;

/** A partner, or a configured room with its partners and Matrix room. */
export function resolveAddressee(
  ctx: CommandContext,
  name: AddresseeName,
): { to: Addressee; toRoomId?: string | undefined } {
  if ("partner" in name) return { to: { partner: name.partner } };
  const room = ctx.config.rooms[name.room];
  return { to: { room: name.room, partners: [...(room?.partners ?? [])] }, toRoomId: room?.roomId };
}

/** `PO Smith (USA)`, or the user id when the roster gives no name. */
function whoIs(userId: string, member: Member | undefined): string {
  if (member === undefined) return userId;
  return `${member.name ?? userId} (${member.partner})`;
}

function isDutyOfficer(member: Member | undefined): boolean {
  return member?.roles.includes("duty_officer") ?? false;
}

/** Accept, defer, refer, deny, answer: the addressee's people or a duty officer. Close: the originator or a duty officer. */
function mayAct(ctx: CommandContext, rfi: Rfi, action: RfiAction): Result<true> {
  if (isDutyOfficer(ctx.member)) return ok(true);
  if (action === "close") {
    return ctx.sender === rfi.originator
      ? ok(true)
      : err(`only its originator (${rfi.originator}) or a duty officer can close ${rfi.ref}.`);
  }
  const partners = addresseePartners(rfi.to);
  if (ctx.member !== undefined && partners.includes(ctx.member.partner)) return ok(true);
  return err(
    `${rfi.ref} is for ${formatAddressee(rfi.to)}: only ${partners.join(" or ") || "its addressee"} or a duty officer can ${action} it` +
      ` (you are with ${ctx.member?.partner ?? "no partner"}).`,
  );
}

async function load(ctx: CommandContext, id: number): Promise<Result<Rfi>> {
  const rfi = await ctx.repos.rfis.get(id, ctx.roomId);
  return rfi === undefined
    ? err(`there is no RFI-${id} in this room.`, `${ctx.prefix}rfi list all`)
    : ok(rfi);
}

/**
 * The reply in the command's room mentions the originator; when the command came from the
 * addressed room, the originating room is told too.
 */
function tell(ctx: CommandContext, rfi: Rfi, head: string, body: string[], audit: Reply["audit"]): Reply {
  const notify = rfi.originator !== ctx.sender;
  const text = [`${head}${notify ? ` · ${rfi.originator} notified` : ""}`, ...body].join("\n");
  const mentions = notify ? [rfi.originator] : [];
  const notices = ctx.roomId !== rfi.roomId ? [{ roomId: rfi.roomId, text, mentions: [rfi.originator] }] : [];
  return { text, mentions, notices, audit };
}

async function respond(
  ctx: CommandContext,
  args: Exclude<RfiArgs, { action: "ask" | "list" }>,
): Promise<Result<Reply>> {
  const found = await load(ctx, args.id);
  if (!found.ok) return found;
  const rfi = found.value;
  const allowed = mayAct(ctx, rfi, args.action);
  if (!allowed.ok) return allowed;
  const next = transition(rfi, args.action);
  if (!next.ok) return next;
  const by = whoIs(ctx.sender, ctx.member);
  const change: RfiChange = { status: next.value, at: ctx.now };
  let head = `✅ ${rfi.ref} ${pastTense(args.action)} by ${by}`;
  const body: string[] = [];
  if (args.action === "answer") {
    change.answer = { text: args.text, by: ctx.sender, at: ctx.now };
    change.reason = null;
    if (rfi.status === "answered") head = `✅ ${rfi.ref} answer updated by ${by}`;
    body.push(`Q: ${rfi.question}`, `A: ${args.text}`);
  } else {
    change.reason = args.reason ?? null;
    if (args.action === "refer") {
      const { to, toRoomId } = resolveAddressee(ctx, args.to);
      change.to = to;
      change.toRoomId = toRoomId ?? null;
      head = `✅ ${rfi.ref} referred to ${formatAddressee(to)} by ${by}`;
    }
    if (args.reason !== undefined) body.push(`Reason: ${args.reason}`);
  }
  const updated = await ctx.repos.rfis.update(rfi.id, change);
  const detail: Record<string, unknown> = { ref: rfi.ref, from: rfi.status, to: updated.status };
  if (args.action === "answer") detail.answer = args.text;
  if (args.action === "refer") detail.addressee = updated.to;
  if (change.reason) detail.reason = change.reason;
  return ok(
    tell(ctx, rfi, head, body, [
      { actor: ctx.sender, action: `rfi.${pastTense(args.action)}`, roomId: ctx.roomId, detail },
    ]),
  );
}

/** Deleting the `!rfi ask` message withdraws the RFI. */
async function withdraw(ctx: CommandContext, id: number): Promise<Result<Reply>> {
  const found = await load(ctx, id);
  if (!found.ok) return found;
  const rfi = found.value;
  if (rfi.status === "withdrawn") return ok({ text: `${rfi.ref} was already withdrawn.` });
  const next = transition(rfi, "withdraw");
  if (!next.ok) return next;
  await ctx.repos.rfis.update(rfi.id, { status: next.value, at: ctx.now });
  return ok({
    text: `✅ ${rfi.ref} withdrawn: its message was deleted. It no longer needs an answer; the audit log keeps it.`,
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

const TITLES: Record<RfiFilter, string> = {
  open: "awaiting an answer",
  mine: "raised by you",
  overdue: "overdue",
  all: "in all states",
};

async function list(ctx: CommandContext, filter: RfiFilter): Promise<Result<Reply>> {
  const { rfis, total } = await ctx.repos.rfis.list({
    roomId: ctx.roomId,
    filter,
    user: ctx.sender,
    now: ctx.now,
    limit: LIST_LIMIT,
  });
  if (total === 0) return ok({ text: `No RFIs ${TITLES[filter]} in this room.` });
  const head = `${total} RFI${total === 1 ? "" : "s"} ${TITLES[filter]} in this room, newest first:`;
  const more = total > rfis.length ? [`… and ${total - rfis.length} more.`] : [];
  return ok({ text: [head, ...rfis.map((r) => rfiLine(r, ctx.now)), ...more].join("\n") });
}

export const act = { respond, withdraw, list };
