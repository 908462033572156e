/**
 * The operations listener (▶ TEARLINE_HTTP_ADDR): `GET /health` (JSON, 200 or 503) and
 * `GET /metrics` (Prometheus text). Nothing else is served, nothing is read from the request but
 * its method and path, and no response carries a secret. Bound to loopback by default.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Logger } from "../log.ts";
import { type HealthReport, httpStatusOf } from "./health.ts";

export interface OpsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  health(): Promise<HealthReport>;
  log: Logger;
}

export interface OpsServer {
  /** `host:port` as bound (the real port when 0 was asked for); IPv6 hosts in brackets. */
  readonly address: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    "content-type": type,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  res.end(body);
}

async function route(o: OpsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0];
  if (path !== "/health" && path !== "/metrics") return send(res, 404, "text/plain", "not found\n");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    return send(res, 405, "text/plain", "method not allowed\n");
  }
  if (path === "/health") {
    const report = await o.health();
    return send(res, httpStatusOf(report), "application/json", `${JSON.stringify(report)}\n`);
  }
  send(res, 200, o.registry.contentType, await o.registry.metrics());
}

export function formatAddress(a: AddressInfo): string {
  return a.family === "IPv6" ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

/** Listens; rejects (EADDRINUSE, EACCES…) if the address cannot be bound. */
export function startOpsServer(o: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    route(o, req, res).catch((err: unknown) => {
      o.log.error("operations endpoint failed", { path: req.url?.split("?")[0], err });
      if (!res.headersSent) send(res, 500, "text/plain", "internal error\n");
      else res.end();
    });
  });
  // A scraper that keeps its connection open must not hold up the shutdown.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      server.on("error", (err) => o.log.error("operations listener error", { err }));
      const address = formatAddress(server.address() as AddressInfo);
      resolve({
        address,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
