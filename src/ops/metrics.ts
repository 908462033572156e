/**
 * The Prometheus metrics (▶ every name starts with `tearline_`), in a registry of our own so that
 * nothing else in the process (a library using prom-client's global registry) can add to or
 * clash with them. prom-client's default process metrics are registered with the same prefix.
 * Gauges that describe the database (outbox depth and age) are read when Prometheus scrapes.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export const PREFIX = "tearline_";

/** How a command message ended: answered with ✅, refused with ❌ (bad input, roles), or an internal error. */
export type CommandResult = "handled" | "refused" | "error";

/** What happened to an alert for one target room. */
export type RelayOutcome = "relayed" | "pending" | "refused" | "denied" | "expired" | "recalled";

/** Why a message could not be read: no key yet, never (a bad event), or refused by the trust settings. */
export type DecryptionFailure = "missing_key" | "permanent" | "untrusted";

export interface OutboxBacklog {
  /** Messages not yet sent (and not given up). */
  depth: number;
  /** Age of the oldest of them, in seconds; undefined when there is none. */
  oldestAgeSeconds: number | undefined;
}

export interface MetricSources {
  outbox(): Promise<OutboxBacklog>;
  /** Seconds since the last successful /sync; undefined before the first. */
  syncAgeSeconds(): number | undefined;
  /** Logged when a scrape-time read fails (the gauge then reads NaN rather than a stale value). */
  onCollectError?(err: unknown): void;
}

export interface Metrics {
  readonly registry: Registry;
  command(command: string, result: CommandResult): void;
  relay(outcome: RelayOutcome): void;
  decryptionFailed(reason: DecryptionFailure): void;
  /** One crypto-store flush that wrote something, and how long it took. */
  cryptoStoreFlushed(seconds: number): void;
  /** An event handled this long after its homeserver timestamp. */
  eventHandled(lagSeconds: number): void;
}

export function createMetrics(sources: MetricSources, opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const registers = [registry];

  const commands = new Counter({
    name: `${PREFIX}commands_total`,
    help: "Command messages handled, by command and result (handled, refused, error)",
    labelNames: ["command", "result"] as const,
    registers,
  });
  const relays = new Counter({
    name: `${PREFIX}relays_total`,
    help: "Alert decisions per target room, by outcome (relayed, pending, refused, denied, expired, recalled)",
    labelNames: ["outcome"] as const,
    registers,
  });
  const decryption = new Counter({
    name: `${PREFIX}decryption_failures_total`,
    help: "Room messages the bot could not decrypt, by reason (missing_key, permanent, untrusted)",
    labelNames: ["reason"] as const,
    registers,
  });
  const flush = new Histogram({
    name: `${PREFIX}crypto_store_flush_seconds`,
    help: "Time to write the crypto store's pending changes to the database",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const lag = new Histogram({
    name: `${PREFIX}sync_lag_seconds`,
    help: "Time from an event's homeserver timestamp to the bot handling it",
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    registers,
  });
  const failed = (err: unknown) => sources.onCollectError?.(err);
  let backlog: Promise<OutboxBacklog | undefined> | undefined;
  // One query per scrape for both outbox gauges: prom-client collects them at the same time.
  const readBacklog = () => {
    backlog ??= sources
      .outbox()
      .catch((err: unknown) => {
        failed(err);
        return undefined;
      })
      .finally(() => {
        backlog = undefined;
      });
    return backlog;
  };
  new Gauge({
    name: `${PREFIX}outbox_depth`,
    help: "Messages queued in the outbox and not yet sent (read from the database at scrape time)",
    registers,
    async collect() {
      this.set((await readBacklog())?.depth ?? Number.NaN);
    },
  });
  new Gauge({
    name: `${PREFIX}outbox_oldest_unsent_age_seconds`,
    help: "Age of the oldest unsent outbox message; 0 when the outbox is empty (read at scrape time)",
    registers,
    async collect() {
      const b = await readBacklog();
      this.set(b === undefined ? Number.NaN : (b.oldestAgeSeconds ?? 0));
    },
  });
  new Gauge({
    name: `${PREFIX}sync_age_seconds`,
    help: "Seconds since the last successful /sync (NaN before the first)",
    registers,
    collect() {
      this.set(sources.syncAgeSeconds() ?? Number.NaN);
    },
  });

  return {
    registry,
    command: (command, result) => commands.inc({ command, result }),
    relay: (outcome) => relays.inc({ outcome }),
    decryptionFailed: (reason) => decryption.inc({ reason }),
    cryptoStoreFlushed: (seconds) => flush.observe(seconds),
    eventHandled: (seconds) => lag.observe(Math.max(0, seconds)),
  };
}
