/**
 * `/health`: named checks run side by side, each bounded by a timeout, and one verdict — 200 when
 * every check passes, 503 with the failed ones named otherwise. Details carry no secrets: counts,
 * ages and short reasons (an error's code), never URLs, tokens or message text.
 */
import type { OutboxBacklog } from "./metrics.ts";

export interface CheckResult {
  ok: boolean;
  /** Why it failed, in a few words. */
  reason?: string;
  [field: string]: unknown;
}

export type Check = () => Promise<CheckResult>;

export interface HealthReport {
  status: "ok" | "failing";
  /** The checks that failed, in the order they were given. */
  failed: string[];
  checks: Record<string, CheckResult>;
}

/** A sync older than this means the bot no longer hears its rooms (long-polls last 30 s). */
export const MAX_SYNC_AGE_SECONDS = 120;
/** An unsent message older than this means the outbox is stuck (the homeserver refuses or is away). */
export const MAX_OUTBOX_AGE_SECONDS = 600;
export const CHECK_TIMEOUT_MS = 3_000;

/** The error's code (ECONNREFUSED, a SQLSTATE, a Matrix errcode), else its name: no message text. */
export function reasonOf(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    if (typeof e === "object" && e !== null) {
      const code = "code" in e ? e.code : "errcode" in e ? e.errcode : undefined;
      if (typeof code === "string" && /^[\w.-]{1,40}$/.test(code)) return code;
      e = "cause" in e ? e.cause : undefined;
    } else break;
  }
  if (err instanceof Error && err.name === "TimeoutError") return "timed out";
  return err instanceof Error ? err.name : "failed";
}

async function bounded(check: Check, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([
      check().catch((err: unknown) => ({ ok: false, reason: reasonOf(err) })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runChecks(
  checks: Record<string, Check>,
  timeoutMs: number = CHECK_TIMEOUT_MS,
): Promise<HealthReport> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((n) => bounded(checks[n] as Check, timeoutMs)));
  const byName = Object.fromEntries(names.map((n, i) => [n, results[i] as CheckResult]));
  const failed = names.filter((n) => !byName[n]?.ok);
  return { status: failed.length === 0 ? "ok" : "failing", failed, checks: byName };
}

export function httpStatusOf(report: HealthReport): 200 | 503 {
  return report.status === "ok" ? 200 : 503;
}

const rounded = (s: number) => Math.round(s * 10) / 10;

export function syncCheck(ageSeconds: number | undefined, max = MAX_SYNC_AGE_SECONDS): CheckResult {
  if (ageSeconds === undefined) return { ok: false, reason: "no sync yet", ageSeconds: null };
  const ok = ageSeconds <= max;
  return {
    ok,
    ageSeconds: rounded(ageSeconds),
    ...(!ok && { reason: `last sync ${Math.round(ageSeconds)} s ago (more than ${max} s)` }),
  };
}

export function outboxCheck(b: OutboxBacklog, max = MAX_OUTBOX_AGE_SECONDS): CheckResult {
  const age = b.oldestAgeSeconds;
  const ok = age === undefined || age <= max;
  return {
    ok,
    depth: b.depth,
    oldestAgeSeconds: age === undefined ? null : rounded(age),
    ...(!ok && { reason: `oldest unsent message waiting ${Math.round(age ?? 0)} s (more than ${max} s)` }),
  };
}

/** While the bot is not running (waiting for the device lock, starting, stopping): one failing check. */
export function phaseReport(phase: string): HealthReport {
  return { status: "failing", failed: ["bot"], checks: { bot: { ok: false, reason: phase } } };
}
