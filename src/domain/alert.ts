/**
 * An alert: one officer's request to relay an item across the tearline, and what became of it in
 * each candidate room. Plain data; the decisions are in sharing.ts, the bookkeeping in alerts.ts.
 */
import type { Tlp } from "./marking.ts";
import type { ShareableItem, ShareableKind } from "./sharingRule.ts";

/** What happened at one target: relayed, waiting for approval, or why it never went (or was taken back). */
export type TargetOutcome = "pending" | "relayed" | "refused" | "denied" | "expired" | "recalled";

export interface AlertTarget {
  /** The target room's alias, and its Matrix id. */
  room: string;
  roomId: string;
  /** The rule (or rules, joined with " + ") it was decided under; none when no rule applied. */
  rule?: string | undefined;
  outcome: TargetOutcome;
  /** The line the officer read: why it was refused, denied, recalled. */
  reason?: string | undefined;
  /** What a pending target waits for (kept, so a changed configuration does not change an alert in flight). */
  approval?: { role: string; count: number; notRequester: boolean } | undefined;
  expiresAt?: Date | undefined;
  decidedAt?: Date | undefined;
}

export type ApprovalDecision = "approve" | "deny" | "ignored";

export interface AlertApproval {
  user: string;
  /** The roster name at the time, for the copy's "Approved by". */
  name?: string | undefined;
  /** The roles the user held in the source room when they decided. */
  roles: readonly string[];
  decision: ApprovalDecision;
  via: "reaction" | "command";
  at: Date;
  /** A denial's reason, or why the decision was ignored. */
  reason?: string | undefined;
}

export interface Alert {
  id: number;
  /** `A-31`. */
  ref: string;
  roomId: string;
  /** The source room's alias. */
  room: string;
  kind: ShareableKind;
  /** `S-112`, `RFI-40`; null for a text alert. */
  sourceRef: string | null;
  /** The item as it was when alerted (or last corrected); its `ref` is the source ref, or the alert's. */
  item: ShareableItem;
  tlp: Tlp;
  rel?: readonly string[] | undefined;
  requester: string;
  createdAt: Date;
  commandEventId?: string | undefined;
  targets: AlertTarget[];
  approvals: AlertApproval[];
}

export type NewAlert = Omit<Alert, "id" | "ref" | "approvals">;

/** `alert:31:request`, `alert:31:to:usa-jtf`, `alert:31:to:usa-jtf:recall`: outbox rows that find each other. */
export const outboxRefs = {
  request: (alertId: number) => `alert:${alertId}:request`,
  copy: (alertId: number, room: string) => `alert:${alertId}:to:${room}`,
  recall: (alertId: number, room: string) => `alert:${alertId}:to:${room}:recall`,
};

/** The alert id of a request ref, if it is one. */
export function alertOfRequestRef(ref: string): number | undefined {
  const m = /^alert:(\d+):request$/.exec(ref);
  return m === null ? undefined : Number(m[1]);
}
