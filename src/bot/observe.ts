/**
 * What the bot tells its metrics, counted from what was committed: a command's outcome and the
 * relay decisions in the audit entries of the transaction that made them, so a transaction
 * retried after a failure is counted once, and a relay counts exactly when its audit entry exists.
 */
import type { AuditEntry } from "../domain/audit.ts";
import type { CommandResult, Metrics, RelayOutcome } from "../ops/metrics.ts";

export type { CommandResult } from "../ops/metrics.ts";

/** One command message's outcome, recorded in its Effects and counted once they commit. */
export interface CommandCount {
  command: string;
  result: CommandResult;
}

/** Commands come from a fixed list; anything else is counted under one label, so labels stay bounded. */
export const UNKNOWN_COMMAND = "unknown";

/** The metrics the bot reports to; `noMetrics` when none are wired (tests, one-off runs). */
export type BotMetrics = Omit<Metrics, "registry">;

export const noMetrics: BotMetrics = {
  command: () => {},
  relay: () => {},
  decryptionFailed: () => {},
  cryptoStoreFlushed: () => {},
  eventHandled: () => {},
};

const OUTCOMES = new Set<string>(["relayed", "pending", "refused", "denied", "expired", "recalled"]);

/**
 * One outcome per target room decided, from the audit entries (commands/alerting.ts,
 * commands/approving.ts): `alert.relayed` per copy sent, `alert.decision` per room found pending
 * or refused (a `relay` decision is counted by its `alert.relayed`), `alert.denied`,
 * `alert.expired` and `alert.recalled` per room they name.
 */
export function relayOutcomesOf(entries: readonly AuditEntry[]): RelayOutcome[] {
  const out: RelayOutcome[] = [];
  const perRoom = (detail: Record<string, unknown>, outcome: RelayOutcome) => {
    const rooms = Array.isArray(detail.rooms) ? detail.rooms.length : 1;
    for (let i = 0; i < rooms; i++) out.push(outcome);
  };
  for (const { action, detail } of entries) {
    if (action === "alert.relayed") out.push("relayed");
    else if (action === "alert.decision") {
      const outcome = String(detail.outcome);
      if (outcome !== "relay" && OUTCOMES.has(outcome)) out.push(outcome as RelayOutcome);
    } else if (action === "alert.denied") perRoom(detail, "denied");
    else if (action === "alert.expired") perRoom(detail, "expired");
    else if (action === "alert.recalled") perRoom(detail, "recalled");
  }
  return out;
}

/** Counts what one committed transaction did. */
export function observeCommitted(
  metrics: BotMetrics,
  done: { counts: readonly CommandCount[]; audit: readonly AuditEntry[] },
): void {
  for (const c of done.counts) metrics.command(c.command, c.result);
  for (const outcome of relayOutcomesOf(done.audit)) metrics.relay(outcome);
}
