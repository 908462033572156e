/**
 * The alert pipeline shared by !alert, !approve/!deny, !rfi and the edits and deletions of
 * !sight: decide each target (src/domain/sharing.ts), relay what may go — the copy made from
 * the redacted item only — and keep the alert's record. Returns effects as data; never sends.
 */
import { type Alert, type AlertApproval, type AlertTarget, outboxRefs } from "../src/domain/alert.ts";
import type { AuditEntry } from "../src/domain/audit.ts";
import { corroborations, matchSpan } from "../src/domain/corroboration.ts";
import { identifierKeys } from "../src/domain/identifiers.ts";
import { parseRef } from "../src/domain/refs.ts";
import { describeRedaction, redactForTarget } from "../src/domain/redaction.ts";
import type { Rfi } from "../src/domain/rfi.ts";
import { type Decision, evaluateRelay } from "../src/domain/sharing.ts";
import type { RedactedItem, RoomInfo, ShareableItem, SharingRule } from "../src/domain/sharingRule.ts";
import type { Sighting } from "../src/domain/sighting.ts";
import {
  alertHead,
  copyContent,
  copyMessage,
  howToApprove,
  refusalReason,
  targetLine,
} from "../src/render/alert.ts";
import { list, type Message, msg, ref as refPiece } from "../src/render/message.ts";
import { plain } from "../src/render/render.ts";
import type { CommandContext, Notice } from "./types.ts";

/** The roles that may raise an alert (as for raising an RFI). */
export const ALERT_ROLES = ["liaison", "duty_officer", "commander"] as const;

export function roomInfo(ctx: CommandContext, alias: string): RoomInfo {
  return { alias, partners: ctx.config.rooms[alias]?.partners ?? [] };
}

/** Whether copies received from `fromRoom` may go on: every rule that let sightings in says forward. */
function forwardable(ctx: CommandContext, fromRoom: string, here: string): boolean {
  const rules = ctx.config.sharing.filter((r) => r.from === fromRoom && r.to === here);
  return rules.length > 0 && rules.every((r) => r.forward);
}

export function sightingItem(ctx: CommandContext, s: Sighting, here: string): ShareableItem {
  return {
    kind: "sighting",
    ref: s.ref,
    tlp: s.tlp,
    ...(s.rel !== undefined && { rel: [...s.rel] }),
    ...(s.received !== undefined && {
      relayed: { fromRoom: s.received.fromRoom, ruleForward: forwardable(ctx, s.received.fromRoom, here) },
    }),
    sighting: {
      kind: s.kind,
      position: s.position,
      seenAt: s.seenAt,
      ids: s.ids,
      ...(s.course !== undefined && { course: s.course }),
      ...(s.speed !== undefined && { speed: s.speed }),
      ...(s.grading !== undefined && { grading: s.grading }),
      ...(s.remarks !== undefined && { remarks: s.remarks }),
      reporter: s.reporter,
      reporterPartner: s.reporterPartner,
    },
  };
}

/** RFIs carry no marking of their own: TLP:AMBER, the default of every item. */
export function rfiItem(rfi: Rfi): ShareableItem {
  return {
    kind: "rfi",
    ref: rfi.ref,
    tlp: "amber",
    rfi: {
      question: rfi.question,
      priority: rfi.priority,
      ...(rfi.ltiov !== undefined && { ltiov: rfi.ltiov }),
      originator: rfi.originator,
      originatorPartner: rfi.originatorPartner,
    },
  };
}

export interface Outcome {
  notices: Notice[];
  audit: AuditEntry[];
}

function combine(into: Outcome, more: Outcome): void {
  into.notices.push(...more.notices);
  into.audit.push(...more.audit);
}

/** What the request says about one target; `decision` is the fresh evaluation. */
export interface Raised extends Outcome {
  alert: Alert;
  /** The request: head, one line per target, how to approve (when something waits). */
  message: Message;
  /** Something was relayed or is waiting: the command gets ✅, else ❌. */
  going: boolean;
}

/**
 * Raises an alert for `item` from `origin` to `candidates`: decides each, relays what may go at
 * once, and records it all. The returned message is the approval request.
 */
export async function raiseAlert(
  ctx: CommandContext,
  origin: string,
  item: ShareableItem,
  candidates: readonly string[],
  sourceRef: string | null,
): Promise<Raised> {
  const from = roomInfo(ctx, origin);
  const decided = candidates.map((room) => {
    const to = roomInfo(ctx, room);
    const decision = evaluateRelay(ctx.config.sharing, item, from, to, ctx.now);
    const reason = decision.outcome === "refused" ? refusalReason(decision, item, from, to) : undefined;
    return { room, decision, reason };
  });
  const targets: AlertTarget[] = decided.map(({ room, decision, reason }) => ({
    room,
    roomId: ctx.config.rooms[room]?.roomId ?? "",
    rule: decision.outcome === "refused" ? decision.rule?.name : decision.rule.name,
    // A target relayed at once is marked so by relay() below, with the received row.
    outcome: decision.outcome === "refused" ? "refused" : "pending",
    reason: reason === undefined ? undefined : plain(reason),
    approval:
      decision.outcome === "pending"
        ? {
            role: decision.approval.role,
            count: decision.approval.count,
            notRequester: decision.approval.notRequester,
          }
        : undefined,
    expiresAt: decision.outcome === "pending" ? decision.approval.expiresAt : undefined,
    decidedAt: decision.outcome === "refused" ? ctx.now : undefined,
  }));
  const alert = await ctx.repos.alerts.create({
    roomId: ctx.config.rooms[origin]?.roomId ?? ctx.roomId,
    room: origin,
    kind: item.kind,
    sourceRef,
    item,
    tlp: item.tlp,
    rel: item.rel,
    requester: ctx.sender,
    createdAt: ctx.now,
    commandEventId: ctx.eventId,
    targets,
  });
  const out: Outcome = {
    notices: [],
    audit: [
      {
        actor: ctx.sender,
        action: "alert.raised",
        roomId: alert.roomId,
        detail: { ref: alert.ref, source: sourceRef, kind: item.kind, tlp: item.tlp, rel: item.rel ?? null },
      },
    ],
  };
  const lines: Message[] = [];
  for (const { room, decision, reason } of decided) {
    out.audit.push({
      actor: ctx.sender,
      action: "alert.decision",
      roomId: alert.roomId,
      detail: {
        ref: alert.ref,
        room,
        outcome: decision.outcome,
        rule: decision.outcome === "refused" ? (decision.rule?.name ?? null) : decision.rule.name,
        ...(decision.outcome === "refused" && { reason: decision.reason, why: reason && plain(reason) }),
      },
    });
    const summary = decision.outcome === "refused" ? undefined : describeRedaction(item, decision.rule);
    lines.push(targetLine(room, decision, reason, summary, origin, ctx.now));
    if (decision.outcome === "relay") {
      const target = alert.targets.find((t) => t.room === room);
      if (target !== undefined) combine(out, await relay(ctx, alert, target, decision.rule, []));
    }
  }
  const firstPending = decided.find((d) => d.decision.outcome === "pending")?.decision;
  if (firstPending?.outcome === "pending")
    lines.push(howToApprove(alert.ref, firstPending.approval.role, origin, ctx.prefix));
  const head = alertHead(alert.ref, sourceRef);
  return {
    ...out,
    alert,
    message: msg(head.id, head.params, lines),
    going: decided.some((d) => d.decision.outcome !== "refused"),
  };
}

/** The copy's approvers as the copy names them: roster names, else user ids. */
function approverNames(approvals: readonly AlertApproval[]): string[] {
  return approvals.map((a) => a.name ?? a.user);
}

/**
 * Sends the copy to one target under `rule`: the redacted item as a message and as
 * `org.tearline.alert`, a received sightings row there, an RFI made visible there.
 */
export async function relay(
  ctx: CommandContext,
  alert: Alert,
  target: AlertTarget,
  rule: SharingRule,
  approvers: readonly AlertApproval[],
): Promise<Outcome> {
  const redacted = redactForTarget(alert.item, rule);
  const names = approverNames(approvers);
  const ids = approvers.map((a) => a.user);
  const message = copyMessage(
    redacted,
    { alertRef: alert.ref, origin: alert.room, rule, approvers: names },
    ctx.now,
  );
  const notices: Notice[] = [
    {
      roomId: target.roomId,
      message,
      content: copyContent(alert, redacted, rule, ids),
      ref: outboxRefs.copy(alert.id, target.room),
    },
  ];
  const received = await receive(ctx, alert, target, redacted);
  await ctx.repos.alerts.setTarget(alert.id, target.room, { outcome: "relayed", decidedAt: ctx.now });
  return {
    notices,
    audit: [
      {
        actor: ctx.sender,
        action: "alert.relayed",
        roomId: alert.roomId,
        detail: {
          ref: alert.ref,
          room: target.room,
          rule: rule.name,
          approvers: ids,
          removed: rule.redact,
          ...(received !== undefined && { received }),
        },
      },
    ],
  };
}

/**
 * What a relay leaves in the target room besides the copy: a sighting becomes one of its
 * sightings (received, redacted fields empty); an RFI addressed to that room becomes visible there.
 * A sighting whose position was removed is not stored (a sighting row needs a position): the copy alone says it.
 */
async function receive(
  ctx: CommandContext,
  alert: Alert,
  target: AlertTarget,
  redacted: RedactedItem,
): Promise<string | undefined> {
  if (redacted.kind === "rfi") {
    const id = parseRef("RFI", alert.sourceRef ?? "");
    const rfi = id.ok ? await ctx.repos.rfis.get(id.value, alert.roomId) : undefined;
    if (rfi !== undefined && "room" in rfi.to && rfi.to.room === target.room)
      await ctx.repos.rfis.update(rfi.id, { toRoomId: target.roomId, at: ctx.now });
    return undefined;
  }
  if (redacted.kind !== "sighting" || alert.sourceRef === null) return undefined;
  const s = redacted.sighting;
  if (s.position === undefined) return undefined;
  const report = receivedReport(redacted, s, s.position);
  const keys = identifierKeys(report.ids);
  const candidates =
    keys.length === 0
      ? []
      : await ctx.repos.sightings.sharingIdentifiers({
          roomId: target.roomId,
          keys,
          ...matchSpan(report.seenAt, ctx.config.corroboration),
        });
  const matches = corroborations(report, candidates, ctx.config.corroboration);
  const row = await ctx.repos.sightings.create({
    ...report,
    roomId: target.roomId,
    reporter: s.reporter ?? "",
    reporterPartner: s.reporterPartner ?? "",
    loggedAt: ctx.now,
    matches: matches.map((m) => m.sighting.ref),
    received: { fromRoom: alert.room, fromRef: alert.sourceRef, alertRef: alert.ref },
  });
  return row.ref;
}

/** The decision for a target now, under the rules as they are now (most restrictive wins at sending). */
export function decideNow(ctx: CommandContext, alert: Alert, room: string): Decision {
  return evaluateRelay(
    ctx.config.sharing,
    alert.item,
    roomInfo(ctx, alert.room),
    roomInfo(ctx, room),
    ctx.now,
  );
}

export interface Followed extends Outcome {
  /** Lines for the reply in the source room (what happened to the alerts of the record). */
  lines: Message[];
}

/** One target recalled: a reply to its copy (if it was sent), its received rows retracted. */
async function recallTarget(
  ctx: CommandContext,
  alert: Alert,
  target: AlertTarget,
  why: "withdrawn" | "corrected",
  out: Outcome,
): Promise<void> {
  if (target.outcome === "relayed") {
    const id = why === "withdrawn" ? "alert.recall" : "alert.recallCorrected";
    out.notices.push({
      roomId: target.roomId,
      message: msg(id, {
        alert: refPiece(alert.ref),
        ref: refPiece(alert.sourceRef ?? alert.ref),
        room: alert.room,
      }),
      ref: outboxRefs.recall(alert.id, target.room),
      replyToRef: outboxRefs.copy(alert.id, target.room),
    });
    for (const s of await ctx.repos.sightings.receivedVia(alert.ref)) {
      if (s.roomId === target.roomId && s.retractedAt === undefined)
        await ctx.repos.sightings.retract(s.id, ctx.sender, ctx.now);
    }
  }
  await ctx.repos.alerts.setTarget(alert.id, target.room, {
    outcome: "recalled",
    reason: why === "withdrawn" ? "the source was withdrawn" : "the corrected source may no longer go there",
    decidedAt: ctx.now,
  });
}

function followLines(alert: Alert, recalled: string[], withdrawn: string[], corrected: string[]): Message[] {
  const lines: Message[] = [];
  const a = refPiece(alert.ref);
  if (corrected.length > 0)
    lines.push(msg("alert.correctedLine", { alert: a, rooms: list(corrected, ", ") }));
  if (recalled.length > 0) lines.push(msg("alert.recalledLine", { alert: a, rooms: list(recalled, ", ") }));
  if (withdrawn.length > 0)
    lines.push(msg("alert.withdrawnLine", { alert: a, rooms: list(withdrawn, ", ") }));
  return lines;
}

/** The record `sourceRef` of this room was retracted: every alert of it is recalled where it went, and stopped where it waited. */
export async function recallAlerts(ctx: CommandContext, sourceRef: string): Promise<Followed> {
  const out: Followed = { notices: [], audit: [], lines: [] };
  for (const alert of await ctx.repos.alerts.bySource(ctx.roomId, sourceRef)) {
    const sent = alert.targets.filter((t) => t.outcome === "relayed");
    const waiting = alert.targets.filter((t) => t.outcome === "pending");
    if (sent.length + waiting.length === 0) continue;
    for (const t of [...sent, ...waiting]) await recallTarget(ctx, alert, t, "withdrawn", out);
    const recalled = sent.map((t) => t.room);
    const withdrawn = waiting.map((t) => t.room);
    out.audit.push({
      actor: ctx.sender,
      action: "alert.recalled",
      roomId: alert.roomId,
      detail: { ref: alert.ref, source: sourceRef, rooms: recalled, pending: withdrawn, why: "withdrawn" },
    });
    out.lines.push(...followLines(alert, recalled, withdrawn, []));
  }
  return out;
}

/**
 * The record was corrected: each alert of it is re-evaluated with the corrected item. Where a
 * copy went and may still go, the corrected copy follows as a reply to it (and the received row
 * is corrected); where it may no longer go, a recall. A pending target that may no longer go is stopped.
 */
export async function correctAlerts(
  ctx: CommandContext,
  sourceRef: string,
  item: ShareableItem,
): Promise<Followed> {
  const out: Followed = { notices: [], audit: [], lines: [] };
  for (const alert of await ctx.repos.alerts.bySource(ctx.roomId, sourceRef)) {
    const live = alert.targets.filter((t) => t.outcome === "relayed" || t.outcome === "pending");
    if (live.length === 0) continue;
    await ctx.repos.alerts.updateItem(alert.id, item);
    const fresh: Alert = { ...alert, item: { ...item, ref: alert.item.ref }, tlp: item.tlp, rel: item.rel };
    const corrected: string[] = [];
    const recalled: string[] = [];
    const withdrawn: string[] = [];
    for (const t of live) {
      const decision = decideNow(ctx, fresh, t.room);
      if (decision.outcome === "refused") {
        await recallTarget(ctx, fresh, t, "corrected", out);
        (t.outcome === "relayed" ? recalled : withdrawn).push(t.room);
        continue;
      }
      if (t.outcome !== "relayed") continue;
      const redacted = redactForTarget(fresh.item, decision.rule);
      const approvers = alert.approvals.filter((a) => a.decision === "approve");
      const facts = {
        alertRef: alert.ref,
        origin: alert.room,
        rule: decision.rule,
        approvers: approverNames(approvers),
        correction: true,
      };
      out.notices.push({
        roomId: t.roomId,
        message: copyMessage(redacted, facts, ctx.now),
        content: copyContent(
          fresh,
          redacted,
          decision.rule,
          approvers.map((a) => a.user),
          true,
        ),
        replyToRef: outboxRefs.copy(alert.id, t.room),
      });
      await correctReceived(ctx, alert, t, redacted);
      corrected.push(t.room);
    }
    out.audit.push({
      actor: ctx.sender,
      action: "alert.corrected",
      roomId: alert.roomId,
      detail: { ref: alert.ref, source: sourceRef, corrected, recalled, stopped: withdrawn },
    });
    if (recalled.length + withdrawn.length > 0) {
      out.audit.push({
        actor: ctx.sender,
        action: "alert.recalled",
        roomId: alert.roomId,
        detail: { ref: alert.ref, source: sourceRef, rooms: recalled, pending: withdrawn, why: "corrected" },
      });
    }
    out.lines.push(...followLines(alert, recalled, withdrawn, corrected));
  }
  return out;
}

/** The received row follows its source's correction (redacted as the copy is). */
async function correctReceived(
  ctx: CommandContext,
  alert: Alert,
  target: AlertTarget,
  redacted: RedactedItem,
) {
  if (redacted.kind !== "sighting") return;
  const s = redacted.sighting;
  if (s.position === undefined) return;
  const report = receivedReport(redacted, s, s.position);
  for (const row of await ctx.repos.sightings.receivedVia(alert.ref)) {
    if (row.roomId === target.roomId && row.retractedAt === undefined)
      await ctx.repos.sightings.correct(row.id, report, row.matches, ctx.now);
  }
}

/** The report a received sightings row holds: the copy's fields as relayed, nothing more. */
function receivedReport(
  redacted: RedactedItem,
  s: Extract<RedactedItem, { kind: "sighting" }>["sighting"],
  position: NonNullable<Extract<RedactedItem, { kind: "sighting" }>["sighting"]["position"]>,
) {
  return {
    kind: s.kind,
    position,
    seenAt: s.seenAt,
    ids: s.ids,
    course: s.course,
    speed: s.speed,
    tlp: redacted.tlp,
    rel: redacted.rel === undefined ? undefined : [...redacted.rel],
    grading: s.grading,
    remarks: s.remarks,
  };
}
