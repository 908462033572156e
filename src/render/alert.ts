/**
 * Alerts as message pieces: the request's lines (one per target), the relayed copy, the recall
 * and correction, the decisions. The copy is made from the REDACTED item only: whatever the rule
 * stripped is not in the item handed here, so it cannot reach any key of the event.
 */
import type { Alert } from "../domain/alert.ts";
import { formatGrading, formatReleasability } from "../domain/marking.ts";
import { formatCourse, formatSpeed } from "../domain/motion.ts";
import { formatPrecision, type Position } from "../domain/position.ts";
import type { RedactionSummary } from "../domain/redaction.ts";
import type { Decision, PendingApproval } from "../domain/sharing.ts";
import type {
  RedactedItem,
  RedactField,
  RoomInfo,
  ShareableItem,
  SharingRule,
} from "../domain/sharingRule.ts";
import { TEXT_CAP } from "../domain/userText.ts";
import { list, type Message, msg, type Piece, ref, time, userText } from "./message.ts";
import { what } from "./sighting.ts";

/** Remarks in a relayed copy: the start (the origin room has the rest). */
const COPY_REMARKS = 200;

/** `a, b and c`. */
export function andList(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** `10 km`, `500 m`, `1.5 km`. */
export function formatSize(metres: number): string {
  if (metres < 1000) return `${Math.round(metres)} m`;
  return `${Math.round(metres / 100) / 10} km`;
}

/** `: remarks and reporter removed, position coarsened to 10 km`, or nothing when all goes as it is. */
export function redactionSuffix(summary: RedactionSummary): Piece {
  const parts: Message[] = [];
  if (summary.removed.length > 0)
    parts.push(msg("alert.removed", { fields: andList([...summary.removed].sort()) }));
  if (summary.coarsened !== undefined)
    parts.push(msg("alert.coarsened", { size: formatSize(summary.coarsened.toM) }));
  return parts.length === 0 ? undefined : msg("alert.suffix", { what: list(parts, ", ") });
}

/** `an approver`, `a duty_officer`. */
function someone(role: string): Message {
  return msg(/^[aeiou]/i.test(role) ? "alert.anRole" : "alert.aRole", { role });
}

/** `1 approval from an approver`, `2 approvals from approvers`. */
export function needs(a: Pick<PendingApproval, "role" | "count">): Message {
  return a.count === 1
    ? msg("alert.needsOne", { who: someone(a.role) })
    : msg("alert.needsMany", { count: a.count, role: a.role });
}

/** The reason line of a refusal, in the words the officer reads. */
export function refusalReason(
  decision: Extract<Decision, { outcome: "refused" }>,
  item: Pick<ShareableItem, "kind" | "tlp" | "rel">,
  origin: RoomInfo,
  target: RoomInfo,
): Message {
  const rule = decision.rule?.name ?? "";
  switch (decision.reason) {
    case "no-rule":
      return msg("alert.reason.noRule", { from: origin.alias, to: target.alias });
    case "kind":
      return msg("alert.reason.kind", { rule, kind: item.kind });
    case "never-leaves":
      return msg("alert.reason.neverLeaves", { tlp: { kind: "tlp", tlp: item.tlp } });
    case "tlp":
      return msg("alert.reason.tlp", {
        tlp: { kind: "tlp", tlp: item.tlp },
        rule,
        max: { kind: "tlp", tlp: decision.rule?.maxTlp ?? "clear" },
      });
    case "releasability": {
      const rel = item.rel ?? [];
      const missing = target.partners.filter((p) => !rel.includes(p));
      return msg("alert.reason.rel", { rel: formatReleasability(rel), missing: missing.join(", ") });
    }
    case "forwarding":
      return msg("alert.reason.forward", { rule });
  }
}

/** `A-31 for S-112:` / `A-31 (text alert):`. */
export function alertHead(alertRef: string, sourceRef: string | null): Message {
  return sourceRef === null
    ? msg("alert.headText", { alert: ref(alertRef) })
    : msg("alert.headFor", { alert: ref(alertRef), ref: ref(sourceRef) });
}

/** One target's line of the request: relayed, pending (who, until when, what goes), or refused and why. */
export function targetLine(
  room: string,
  decision: Decision,
  reason: Message | undefined,
  summary: RedactionSummary | undefined,
  origin: string,
  now: Date,
): Message {
  const suffix = summary === undefined ? undefined : redactionSuffix(summary);
  switch (decision.outcome) {
    case "relay":
      return msg("alert.lineRelayed", { room, rule: decision.rule.name, suffix });
    case "pending":
      return msg("alert.linePending", {
        room,
        needs: needs(decision.approval),
        source: origin,
        rule: decision.rule.name,
        until: time(decision.approval.expiresAt, now),
        suffix,
      });
    case "refused":
      return msg("alert.lineRefused", { room, reason });
  }
}

export function howToApprove(alertRef: string, role: string, origin: string, prefix: string): Message {
  return msg("alert.howToApprove", {
    role,
    room: origin,
    approve: `${prefix}approve`,
    deny: `${prefix}deny`,
    alert: ref(alertRef),
  });
}

/** `12.5°N 079.2°W (±10 km)`: decimals as fine as the position claims to be, and no finer. */
export function coarsePosition(p: Position): string {
  const decimals = p.precisionM >= 10_000 ? 1 : p.precisionM >= 1000 ? 2 : p.precisionM >= 100 ? 3 : 4;
  const lat = `${Math.abs(p.lat).toFixed(decimals)}°${p.lat < 0 ? "S" : "N"}`;
  const [whole, frac] = Math.abs(p.lon).toFixed(decimals).split(".");
  const lon = `${(whole ?? "0").padStart(3, "0")}.${frac}°${p.lon < 0 ? "W" : "E"}`;
  return `${lat} ${lon} (${formatPrecision(p.precisionM)})`;
}

/** The second line of a copy: where it came from and what it says, from the redacted item. */
function fromLine(item: RedactedItem, origin: string, now: Date): Message {
  switch (item.kind) {
    case "sighting": {
      const s = item.sighting;
      const head: Piece =
        s.position === undefined
          ? what(s)
          : msg("alert.near", { what: what(s), position: coarsePosition(s.position) });
      const fields: Piece[] = [head, msg("sighting.seen", { time: time(s.seenAt, now) })];
      if (s.course !== undefined) fields.push(msg("sighting.course", { course: formatCourse(s.course) }));
      if (s.speed !== undefined) fields.push(formatSpeed(s.speed));
      if (s.grading !== undefined) fields.push(formatGrading(s.grading));
      if (s.remarks !== undefined)
        fields.push(msg("sighting.remarks", { remarks: userText(s.remarks, COPY_REMARKS) }));
      return msg("alert.fromSighting", { room: origin, ref: ref(item.ref), fields: list(fields) });
    }
    case "rfi": {
      const r = item.rfi;
      const details: Piece[] = [ref(item.ref), r.priority.toUpperCase()];
      if (r.ltiov !== undefined) details.push(msg("rfi.ltiov", { at: time(r.ltiov, now) }));
      return msg("alert.fromRfi", {
        room: origin,
        details: list(details, ", "),
        question: userText(r.question, TEXT_CAP),
      });
    }
    case "text":
      return msg("alert.fromText", { room: origin, text: userText(item.text.text, TEXT_CAP) });
  }
}

export interface CopyFacts {
  alertRef: string;
  origin: string;
  rule: SharingRule;
  /** Roster names (or ids) of the approvers; empty under an auto rule. */
  approvers: readonly string[];
  correction?: boolean;
}

/** The relayed copy (or its correction): banner, origin and item, who approved it. */
export function copyMessage(item: RedactedItem, f: CopyFacts, now: Date): Message {
  const rel =
    item.rel === undefined ? undefined : msg("alert.relSuffix", { rel: formatReleasability(item.rel) });
  const banner = msg(f.correction ? "alert.correctionBanner" : "alert.banner", {
    alert: ref(f.alertRef),
    tlp: { kind: "tlp", tlp: item.tlp },
    rel,
  });
  const by =
    f.approvers.length === 0
      ? msg("alert.auto", { rule: f.rule.name })
      : msg("alert.approvedBy", { names: list(f.approvers, ", ") });
  return msg(banner.id, banner.params, [fromLine(item, f.origin, now), by]);
}

/** `org.tearline.alert`: the structured copy, built from the redacted item alone. */
export function copyContent(
  alert: Pick<Alert, "ref" | "room" | "sourceRef" | "kind">,
  item: RedactedItem,
  rule: SharingRule,
  approverIds: readonly string[],
  correction = false,
): Record<string, unknown> {
  return {
    "org.tearline.alert": {
      ref: alert.ref,
      origin: { room: alert.room, ref: alert.sourceRef },
      kind: alert.kind,
      tlp: item.tlp,
      rel: item.rel === undefined ? null : [...item.rel],
      item: JSON.parse(JSON.stringify(item)),
      approvers: [...approverIds],
      rule: rule.name,
      ...(correction && { correction: true }),
    },
  };
}

/** For `!rules S-<n>`: `goes: kind, position (coarsened to 10 km), time, …; removed: remarks, reporter`. */
export function goesPiece(summary: RedactionSummary, kind: ShareableItem["kind"]): Message {
  const label = (f: RedactField): string[] => {
    if (f === "position")
      return [
        summary.coarsened ? `position (coarsened to ${formatSize(summary.coarsened.toM)})` : "position",
        "time",
      ];
    return [f];
  };
  const goes = [...(kind === "sighting" ? ["kind"] : kind === "rfi" ? ["question", "priority"] : ["text"])];
  goes.push(...summary.kept.filter((f) => f !== "reporter" && f !== "remarks").flatMap(label));
  goes.push(...summary.kept.filter((f) => f === "remarks" || f === "reporter"));
  return summary.removed.length === 0
    ? msg("rules.goes", { kept: goes.join(", ") })
    : msg("rules.goesRemoved", { kept: goes.join(", "), removed: summary.removed.join(", ") });
}
