/**
 * Whether an item may cross from its room to another (design §6). Deny by default: it goes only
 * under a rule from its room to the target that lists its kind, at or below the rule's TLP, with
 * a REL TO (if any) covering every partner of the target, and — unless the rule is `auto` — once
 * a quorum of distinct approvers has agreed. TLP:RED and TLP:AMBER+STRICT never leave.
 *
 * "Most restrictive wins" (MISP): when several rules for the same pair list the item's kind,
 * every one of them must allow it (any refusal refuses), any rule asking for approval makes it
 * pending, and the copy is made under all of them at once: the union of their redactions, the
 * coarsest position precision, the lowest TLP ceiling, onward forwarding only if all allow it,
 * and the largest approval count with the earliest expiry (the requester excluded if any rule
 * says so). Rules can differ in approver role; the role of the rule with the largest count
 * (the first such rule on a tie) is the one asked for.
 */
import { formatReleasability, formatTlp, tlpRank } from "./marking.ts";
import { describeRedaction, type RedactionSummary } from "./redaction.ts";
import { REDACT_FIELDS, type RoomInfo, type ShareableItem, type SharingRule } from "./sharingRule.ts";

export type RefusalReason = "no-rule" | "kind" | "tlp" | "never-leaves" | "releasability" | "forwarding";

export interface PendingApproval {
  role: string;
  count: number;
  notRequester: boolean;
  expiresAt: Date;
}

export type Decision =
  | { outcome: "relay"; rule: SharingRule; needs: "none" }
  | { outcome: "pending"; rule: SharingRule; approval: PendingApproval }
  | { outcome: "refused"; reason: RefusalReason; rule?: SharingRule | undefined; detail: string };

const NEVER_LEAVES = new Set(["red", "amber+strict"]);

function refused(reason: RefusalReason, detail: string, rule?: SharingRule): Decision {
  return { outcome: "refused", reason, detail, ...(rule !== undefined && { rule }) };
}

/** The rules for one pair and kind, applied together (see the module comment). */
export function mostRestrictive(rules: readonly [SharingRule, ...SharingRule[]]): SharingRule {
  const [first, ...others] = rules;
  if (others.length === 0) return first;
  const asking = rules.flatMap((r) => (r.approval === "auto" ? [] : [r.approval]));
  const strictest = asking.reduce<(typeof asking)[number] | undefined>(
    (best, a) => (best === undefined || a.count > best.count ? a : best),
    undefined,
  );
  const precisions = rules.flatMap((r) => (r.positionPrecisionM === undefined ? [] : [r.positionPrecisionM]));
  return {
    name: rules.map((r) => r.name).join(" + "),
    from: first.from,
    to: first.to,
    kinds: first.kinds.filter((k) => rules.every((r) => r.kinds.includes(k))),
    maxTlp: rules.reduce((low, r) => (tlpRank(r.maxTlp) < tlpRank(low) ? r.maxTlp : low), first.maxTlp),
    approval:
      strictest === undefined
        ? "auto"
        : {
            role: strictest.role,
            count: strictest.count,
            notRequester: asking.some((a) => a.notRequester),
            expiresMs: Math.min(...asking.map((a) => a.expiresMs)),
          },
    redact: REDACT_FIELDS.filter((f) => rules.some((r) => r.redact.includes(f))),
    positionPrecisionM: precisions.length === 0 ? undefined : Math.max(...precisions),
    forward: rules.every((r) => r.forward),
  };
}

/** The decision for one candidate target room; `now` starts the approval's expiry. */
export function evaluateRelay(
  rules: readonly SharingRule[],
  item: ShareableItem,
  origin: RoomInfo,
  target: RoomInfo,
  now: Date,
): Decision {
  const route = `${origin.alias} to ${target.alias}`;
  if (target.alias === origin.alias) return refused("no-rule", `${origin.alias} is the item's own room`);
  const pair = rules.filter((r) => r.from === origin.alias && r.to === target.alias);
  if (NEVER_LEAVES.has(item.tlp)) {
    return refused("never-leaves", `${formatTlp(item.tlp)} never leaves ${origin.alias}`, pair[0]);
  }
  if (pair.length === 0) return refused("no-rule", `no sharing rule from ${route}`);
  const [first, ...more] = pair.filter((r) => r.kinds.includes(item.kind));
  if (first === undefined) {
    const allowed = [...new Set(pair.flatMap((r) => r.kinds))].join(", ");
    return refused("kind", `the rules from ${route} share ${allowed}, not ${item.kind}`, pair[0]);
  }
  const rule = mostRestrictive([first, ...more]);
  if (tlpRank(item.tlp) > tlpRank(rule.maxTlp)) {
    return refused(
      "tlp",
      `${formatTlp(item.tlp)} is above ${formatTlp(rule.maxTlp)}, the most ${route} allows`,
      rule,
    );
  }
  const missing = item.rel === undefined ? [] : target.partners.filter((p) => !item.rel?.includes(p));
  if (item.rel !== undefined && missing.length > 0) {
    const rel = item.rel.length === 0 ? "its REL TO names no partner and" : formatReleasability(item.rel);
    return refused("releasability", `${rel} leaves out ${missing.join(", ")} of ${target.alias}`, rule);
  }
  if (item.relayed !== undefined) {
    if (item.relayed.fromRoom === target.alias) {
      return refused("forwarding", `it came from ${target.alias}; it does not go back`, rule);
    }
    if (!item.relayed.ruleForward) {
      return refused(
        "forwarding",
        `it was relayed from ${item.relayed.fromRoom} under a rule without forward: true`,
        rule,
      );
    }
  }
  if (rule.approval === "auto") return { outcome: "relay", rule, needs: "none" };
  const { role, count, notRequester, expiresMs } = rule.approval;
  return {
    outcome: "pending",
    rule,
    approval: { role, count, notRequester, expiresAt: new Date(now.getTime() + expiresMs) },
  };
}

export interface ApprovalVote {
  user: string;
  /** The roles the user holds in the source room when they approved. */
  roles: readonly string[];
  at: Date;
}

export type IgnoredWhy = "requester" | "role" | "duplicate" | "expired";

export interface Quorum {
  met: boolean;
  /** Distinct users whose approval counts, in the order given. */
  counted: string[];
  ignored: { user: string; why: IgnoredWhy }[];
  /** Not met and past its expiry: it never will be. */
  expired: boolean;
}

/**
 * Counts approvals in the order given: each distinct user holding the role, before the expiry,
 * once; the requester not at all under `notRequester`. Reasons are checked in that order.
 */
export function quorum(
  approval: PendingApproval,
  requester: string,
  votes: readonly ApprovalVote[],
  now: Date,
): Quorum {
  const counted: string[] = [];
  const ignored: Quorum["ignored"] = [];
  const deadline = approval.expiresAt.getTime();
  for (const vote of votes) {
    const why: IgnoredWhy | undefined =
      vote.at.getTime() > deadline
        ? "expired"
        : approval.notRequester && vote.user === requester
          ? "requester"
          : !vote.roles.includes(approval.role)
            ? "role"
            : counted.includes(vote.user)
              ? "duplicate"
              : undefined;
    if (why === undefined) counted.push(vote.user);
    else ignored.push({ user: vote.user, why });
  }
  const met = counted.length >= approval.count;
  return { met, counted, ignored, expired: !met && now.getTime() > deadline };
}

export interface DryRunLine {
  room: string;
  decision: Decision;
  /** What would reach the room, when anything would. */
  redaction?: RedactionSummary | undefined;
}

/** `!rules S-<n>`: for every other room, what would happen and what of the item would go. */
export function dryRun(
  rules: readonly SharingRule[],
  item: ShareableItem,
  origin: RoomInfo,
  rooms: readonly RoomInfo[],
  now: Date,
): DryRunLine[] {
  return rooms
    .filter((room) => room.alias !== origin.alias)
    .map((room) => {
      const decision = evaluateRelay(rules, item, origin, room, now);
      return decision.outcome === "refused"
        ? { room: room.alias, decision }
        : { room: room.alias, decision, redaction: describeRedaction(item, decision.rule) };
    });
}
