/**
 * The operations side of one process: its metrics and what `/health` says, whatever the bot is
 * doing — waiting for the device lock, starting, running (the bot's own checks) or stopping.
 */
import type { Db } from "../db/client.ts";
import { outboxBacklog } from "../db/queries/outbox.ts";
import type { Logger } from "../log.ts";
import { type HealthReport, phaseReport } from "../ops/health.ts";
import { type OpsServer, startOpsServer } from "../ops/http.ts";
import { createMetrics, type Metrics } from "../ops/metrics.ts";

/** What Operations asks of a running bot. */
export interface Running {
  health(): Promise<HealthReport>;
  syncAgeSeconds(): number | undefined;
}

export class Operations {
  readonly metrics: Metrics;
  private running: Running | undefined;
  private phase = "starting";

  constructor(
    db: Db,
    private readonly log: Logger,
  ) {
    this.metrics = createMetrics({
      outbox: () => outboxBacklog(db),
      syncAgeSeconds: () => this.running?.syncAgeSeconds(),
      onCollectError: (err) => log.warn("could not read the outbox for /metrics", { err }),
    });
  }

  /** Not running: `/health` fails with this as its reason. */
  setPhase(phase: string): void {
    this.phase = phase;
    this.running = undefined;
  }

  setRunning(bot: Running): void {
    this.running = bot;
  }

  health(): Promise<HealthReport> {
    return this.running?.health() ?? Promise.resolve(phaseReport(this.phase));
  }

  /** Binds `/health` and `/metrics` and logs where (`http listening`, host:port). */
  async listen(address: { host: string; port: number }): Promise<OpsServer> {
    const server = await startOpsServer({
      ...address,
      registry: this.metrics.registry,
      health: () => this.health(),
      log: this.log,
    });
    this.log.info("http listening", { address: server.address, paths: ["/health", "/metrics"] });
    return server;
  }
}
