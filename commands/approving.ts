/**
 * Deciding on a pending alert, by reaction (✅/❌ on the approval request) or by !approve/!deny.
 * A decision counts only from a user of one of the source room's partners who holds the rule's
 * role, once per user, and not from the requester where the rule says `not_requester`. Anything
 * else is recorded as ignored (so it is never counted later) and audited.
 */
import { type Alert, type AlertApproval, type AlertTarget, outboxRefs } from "../src/domain/alert.ts";
import type { AuditEntry } from "../src/domain/audit.ts";
import { err, ok, type Result, t as tr } from "../src/domain/result.ts";
import { quorum } from "../src/domain/sharing.ts";
import { TEXT_CAP } from "../src/domain/userText.ts";
import { needs } from "../src/render/alert.ts";
import { list, type Message, msg, ref, userText } from "../src/render/message.ts";
import { decideNow, type Outcome, relay } from "./alerting.ts";
import type { CommandContext, Notice } from "./types.ts";

export interface Decided extends Outcome {
  /** What the decider is told (a !approve reply); a reaction gets no reply. */
  message: Message;
  /** It counted (✅) or was ignored (❌). */
  counted: boolean;
}

export type Verdict = "approve" | "deny";

function requestReply(alert: Alert, message: Message): Notice {
  return { roomId: alert.roomId, message, replyToRef: outboxRefs.request(alert.id) };
}

/** Pending targets past their expiry become expired: said as a reply to the request, audited. */
export async function expireDue(
  ctx: Pick<CommandContext, "repos" | "now" | "sender">,
  alert: Alert,
): Promise<Outcome> {
  const due = alert.targets.filter(
    (t) => t.outcome === "pending" && t.expiresAt !== undefined && +t.expiresAt < +ctx.now,
  );
  if (due.length === 0) return { notices: [], audit: [] };
  for (const t of due) {
    await ctx.repos.alerts.setTarget(alert.id, t.room, { outcome: "expired", decidedAt: ctx.now });
    t.outcome = "expired";
  }
  const rooms = due.map((t) => t.room);
  return {
    notices: [requestReply(alert, expiredMessage(alert.ref, rooms))],
    audit: [
      { actor: ctx.sender, action: "alert.expired", roomId: alert.roomId, detail: { ref: alert.ref, rooms } },
    ],
  };
}

export function expiredMessage(alertRef: string, rooms: readonly string[]): Message {
  return msg("alert.expired", { alert: ref(alertRef), rooms: list(rooms, ", ") });
}

function nameOf(ctx: CommandContext): string {
  return ctx.member?.name ?? ctx.sender;
}

/** Which pending targets this user may decide on, or why none. */
function qualifies(ctx: CommandContext, alert: Alert, pending: readonly AlertTarget[]) {
  const member = ctx.member;
  const partners = ctx.config.rooms[alert.room]?.partners ?? [];
  if (member === undefined || !partners.includes(member.partner)) {
    return {
      targets: [],
      why: "partner",
      message: msg("alert.notPartner", {
        alert: ref(alert.ref),
        partners: partners.join(", "),
        room: alert.room,
        partner: member?.partner ?? "no partner",
      }),
    };
  }
  const targets = pending.filter(
    (t) =>
      t.approval !== undefined &&
      member.roles.includes(t.approval.role) &&
      !(t.approval.notRequester && ctx.sender === alert.requester),
  );
  if (targets.length > 0) return { targets, why: undefined, message: undefined };
  const asked = pending.find((t) => t.approval?.notRequester && ctx.sender === alert.requester);
  if (asked !== undefined && member.roles.includes(asked.approval?.role ?? "")) {
    return {
      targets,
      why: "requester",
      message: msg("alert.notRequester", { alert: ref(alert.ref), rule: asked.rule ?? "" }),
    };
  }
  return {
    targets,
    why: "role",
    message: msg("alert.needsRole", {
      alert: ref(alert.ref),
      role: pending[0]?.approval?.role ?? "approver",
      room: alert.room,
      has: member.roles.join(", ") || "no roles",
    }),
  };
}

/** Decides on alert `alertId` of this room for the sender. Errors only for an alert that is not there. */
export async function decideAlert(
  ctx: CommandContext,
  alertId: number,
  verdict: Verdict,
  via: AlertApproval["via"],
  reason?: string | undefined,
): Promise<Result<Decided>> {
  const alert = await ctx.repos.alerts.get(alertId);
  if (alert === undefined || alert.roomId !== ctx.roomId)
    return err(tr("alert.notHere", { ref: `A-${alertId}` }));
  const out: Outcome = await expireDue(ctx, alert);
  const audit = (action: string, detail: Record<string, unknown>): AuditEntry => ({
    actor: ctx.sender,
    action,
    roomId: alert.roomId,
    detail: { ref: alert.ref, via, ...detail },
  });
  const vote: AlertApproval = {
    user: ctx.sender,
    name: nameOf(ctx),
    roles: ctx.member?.roles ?? [],
    decision: verdict,
    via,
    at: ctx.now,
    ...(reason !== undefined && { reason }),
  };
  const ignore = async (why: string, message: Message): Promise<Result<Decided>> => {
    await ctx.repos.alerts.recordApproval(alert.id, { ...vote, decision: "ignored", reason: why });
    out.audit.push(audit("alert.approval_ignored", { user: ctx.sender, verdict, why }));
    return ok({ ...out, message, counted: false });
  };
  const pending = alert.targets.filter((t) => t.outcome === "pending");
  if (pending.length === 0) {
    const states = list(
      alert.targets.map((t) => msg("alert.targetState", { room: t.room, outcome: t.outcome })),
      ", ",
    );
    return ignore("not pending", msg("alert.notPending", { alert: ref(alert.ref), states }));
  }
  const q = qualifies(ctx, alert, pending);
  if (q.message !== undefined) return ignore(q.why ?? "role", q.message);
  const earlier = alert.approvals.find((a) => a.user === ctx.sender && a.decision !== "ignored");
  if (earlier !== undefined || !(await ctx.repos.alerts.recordApproval(alert.id, vote))) {
    const decision = earlier?.decision ?? verdict;
    return ignore("duplicate", msg("alert.alreadyDecided", { alert: ref(alert.ref), decision }));
  }
  if (verdict === "deny") {
    for (const t of q.targets) {
      await ctx.repos.alerts.setTarget(alert.id, t.room, { outcome: "denied", reason, decidedAt: ctx.now });
    }
    const by = nameOf(ctx);
    const message =
      reason === undefined
        ? msg("alert.denied", { alert: ref(alert.ref), by })
        : msg("alert.deniedWhy", { alert: ref(alert.ref), by, reason: userText(reason, TEXT_CAP) });
    out.notices.push(requestReply(alert, message));
    out.audit.push(audit("alert.denied", { by: ctx.sender, rooms: q.targets.map((t) => t.room), reason }));
    return ok({ ...out, message, counted: true });
  }
  out.audit.push(audit("alert.approval", { by: ctx.sender, rooms: q.targets.map((t) => t.room) }));
  const votes = [...alert.approvals.filter((a) => a.decision === "approve"), vote];
  const relayed: string[] = [];
  const approvers = new Set<string>();
  const waiting: Message[] = [];
  for (const t of q.targets) {
    const approval = t.approval;
    if (approval === undefined || t.expiresAt === undefined) continue;
    const counted = quorum({ ...approval, expiresAt: t.expiresAt }, alert.requester, votes, ctx.now);
    if (!counted.met) {
      waiting.push(msg("alert.stillNeeds", { more: approval.count - counted.counted.length }));
      continue;
    }
    // Sent under the rules as they are now: a rule tightened since the request applies.
    const now = decideNow(ctx, alert, t.room);
    if (now.outcome === "refused") {
      await ctx.repos.alerts.setTarget(alert.id, t.room, {
        outcome: "refused",
        reason: now.detail,
        decidedAt: ctx.now,
      });
      out.audit.push(
        audit("alert.decision", {
          room: t.room,
          outcome: "refused",
          reason: now.reason,
          rule: now.rule?.name ?? null,
        }),
      );
      continue;
    }
    const who = votes.filter((v) => counted.counted.includes(v.user));
    for (const v of who) approvers.add(v.name ?? v.user);
    const target = { ...t, roomId: ctx.config.rooms[t.room]?.roomId ?? t.roomId };
    const sent = await relay(ctx, alert, target, now.rule, who);
    out.notices.push(...sent.notices);
    out.audit.push(...sent.audit);
    relayed.push(t.room);
  }
  if (relayed.length > 0) {
    const message = msg("alert.approved", {
      alert: ref(alert.ref),
      by: list([...approvers], ", "),
      rooms: list(relayed, ", "),
    });
    out.notices.push(requestReply(alert, message));
    out.audit.push(audit("alert.approved", { by: [...approvers], rooms: relayed }));
    return ok({ ...out, message, counted: true });
  }
  const open = q.targets.filter((t) => !relayed.includes(t.room)).map((t) => t.room);
  const message = msg("alert.counted", {
    alert: ref(alert.ref),
    by: nameOf(ctx),
    rooms: list(open, ", "),
    needs: waiting[0] ?? (q.targets[0]?.approval ? needs(q.targets[0].approval) : undefined),
  });
  return ok({ ...out, message, counted: true });
}
