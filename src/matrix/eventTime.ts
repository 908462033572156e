/**
 * `origin_server_ts` is whatever the sending server wrote: canonical JSON allows any integer up
 * to 2^53−1, and a federated server may pick one outside what a JavaScript Date, PostgreSQL's
 * timestamptz or an "HH:MMZ" line can hold. Such a time is treated as unknown (callers then use
 * the time the bot received the event), so no value an event carries can throw downstream.
 */

/** 1970-01-01 (no Matrix server existed before) up to, not including, the year 10000. */
const EARLIEST_MS = 0;
const LATEST_MS = Date.UTC(10_000, 0, 1);

/** The timestamp if it is a plausible epoch-milliseconds time, else undefined (unknown). */
export function originTs(value: unknown): number | undefined {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) return undefined;
  return value >= EARLIEST_MS && value < LATEST_MS ? value : undefined;
}

/** The event's time as a Date, or undefined when it is missing or impossible. */
export function originDate(event: { origin_server_ts?: unknown }): Date | undefined {
  const ts = originTs(event.origin_server_ts);
  return ts === undefined ? undefined : new Date(ts);
}
