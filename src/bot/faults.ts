/**
 * Fault injection for the crash tests: `TEARLINE_FAULT=crash-after-handled:20` kills the process
 * (SIGKILL, no clean-up) right after the 20th event is handled and before the sync token is saved;
 * `crash-after-sent:10` right after the 10th outbox PUT and before it is marked sent. Unset in
 * production; parsed strictly so a typo fails start-up instead of silently testing nothing.
 */
export interface Faults {
  afterHandled(): void;
  afterSent(): void;
}

export const noFaults: Faults = { afterHandled() {}, afterSent() {} };

export function parseFaults(
  spec: string | undefined,
  die: () => void = () => process.kill(process.pid, "SIGKILL"),
): Faults {
  if (!spec) return noFaults;
  const m = /^(crash-after-handled|crash-after-sent):(\d+)$/.exec(spec);
  if (!m)
    throw new Error(
      `TEARLINE_FAULT=${spec} is not understood; use crash-after-handled:N or crash-after-sent:N`,
    );
  const limit = Number(m[2]);
  let n = 0;
  const tick = () => {
    if (++n >= limit) die();
  };
  return m[1] === "crash-after-handled"
    ? { afterHandled: tick, afterSent() {} }
    : { afterHandled() {}, afterSent: tick };
}
