import { describe, expect, it } from "vitest";
import { relayOutcomesOf } from "../../src/bot/observe.ts";
import { createLogger } from "../../src/log.ts";
import {
  httpStatusOf,
  outboxCheck,
  phaseReport,
  reasonOf,
  runChecks,
  syncCheck,
} from "../../src/ops/health.ts";
import { startOpsServer } from "../../src/ops/http.ts";
import { createMetrics, type OutboxBacklog } from "../../src/ops/metrics.ts";
import { parsePrometheus, sampleValue } from "../support/prometheus.ts";

const quiet = createLogger("error", {}, () => {});

describe("health checks", () => {
  it("pass when every check passes, and name each one that fails", async () => {
    const ok = await runChecks({ a: async () => ({ ok: true }), b: async () => ({ ok: true, depth: 3 }) });
    expect(ok).toEqual({ status: "ok", failed: [], checks: { a: { ok: true }, b: { ok: true, depth: 3 } } });
    expect(httpStatusOf(ok)).toBe(200);

    const bad = await runChecks({
      database: async () => ({ ok: true }),
      homeserver: async () => {
        throw Object.assign(new TypeError("fetch failed"), {
          cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
        });
      },
      sync: async () => ({ ok: false, reason: "no sync yet" }),
    });
    expect(bad.status).toBe("failing");
    expect(bad.failed).toEqual(["homeserver", "sync"]);
    expect(bad.checks.homeserver).toEqual({ ok: false, reason: "ECONNREFUSED" });
    expect(httpStatusOf(bad)).toBe(503);
  });

  it("fails a check that does not answer in time, without waiting for it", async () => {
    const started = performance.now();
    const r = await runChecks({ slow: () => new Promise(() => {}) }, 50);
    expect(r.failed).toEqual(["slow"]);
    expect(r.checks.slow?.reason).toBe("no answer within 50 ms");
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("gives an error's code or name as the reason, never its message (which may hold a URL)", () => {
    const secret = "postgres://tearline:hunter2@db/tearline";
    expect(reasonOf(Object.assign(new Error(secret), { code: "28P01" }))).toBe("28P01");
    expect(reasonOf(Object.assign(new Error(secret), { errcode: "M_UNKNOWN_TOKEN" }))).toBe(
      "M_UNKNOWN_TOKEN",
    );
    expect(reasonOf(new RangeError(secret))).toBe("RangeError");
    expect(reasonOf(Object.assign(new Error("x"), { code: secret }))).toBe("Error");
  });

  it("judges the sync by its age and the outbox by its oldest unsent message", () => {
    expect(syncCheck(undefined)).toEqual({ ok: false, reason: "no sync yet", ageSeconds: null });
    expect(syncCheck(31.26)).toEqual({ ok: true, ageSeconds: 31.3 });
    expect(syncCheck(121)).toMatchObject({ ok: false, ageSeconds: 121 });
    expect(outboxCheck({ depth: 0, oldestAgeSeconds: undefined })).toEqual({
      ok: true,
      depth: 0,
      oldestAgeSeconds: null,
    });
    expect(outboxCheck({ depth: 4, oldestAgeSeconds: 12 })).toEqual({
      ok: true,
      depth: 4,
      oldestAgeSeconds: 12,
    });
    expect(outboxCheck({ depth: 4, oldestAgeSeconds: 601 })).toMatchObject({ ok: false, depth: 4 });
    expect(phaseReport("waiting for the device lock")).toEqual({
      status: "failing",
      failed: ["bot"],
      checks: { bot: { ok: false, reason: "waiting for the device lock" } },
    });
  });
});

describe("metrics", () => {
  const sources = (backlog: () => Promise<OutboxBacklog>, age?: number) => ({
    outbox: backlog,
    syncAgeSeconds: () => age,
  });

  it("are all named tearline_…, in a registry of their own, default process metrics included", async () => {
    const m = createMetrics(sources(async () => ({ depth: 0, oldestAgeSeconds: undefined })));
    const text = await m.registry.metrics();
    const e = parsePrometheus(text);
    expect(e.types.size).toBeGreaterThan(10);
    for (const name of e.types.keys()) expect(name).toMatch(/^tearline_/);
    expect(e.types.get("tearline_process_cpu_user_seconds_total")).toBe("counter");
    const { register } = await import("prom-client");
    expect(await register.metrics()).not.toContain("tearline_");
  });

  it("count commands, relays and decryption failures by their labels", async () => {
    const m = createMetrics(
      sources(async () => ({ depth: 0, oldestAgeSeconds: undefined })),
      {
        defaultMetrics: false,
      },
    );
    m.command("status", "handled");
    m.command("status", "handled");
    m.command("sight", "refused");
    m.relay("relayed");
    m.decryptionFailed("missing_key");
    m.cryptoStoreFlushed(0.004);
    m.eventHandled(-3); // a homeserver clock ahead of ours: counted as no lag
    const e = parsePrometheus(await m.registry.metrics());
    expect(sampleValue(e, "tearline_commands_total", { command: "status", result: "handled" })).toBe(2);
    expect(sampleValue(e, "tearline_commands_total", { command: "sight", result: "refused" })).toBe(1);
    expect(sampleValue(e, "tearline_relays_total", { outcome: "relayed" })).toBe(1);
    expect(sampleValue(e, "tearline_decryption_failures_total", { reason: "missing_key" })).toBe(1);
    expect(sampleValue(e, "tearline_crypto_store_flush_seconds_count")).toBe(1);
    expect(sampleValue(e, "tearline_crypto_store_flush_seconds_bucket", { le: "0.005" })).toBe(1);
    expect(sampleValue(e, "tearline_crypto_store_flush_seconds_bucket", { le: "0.0025" })).toBe(0);
    expect(sampleValue(e, "tearline_sync_lag_seconds_sum")).toBe(0);
  });

  it("read the outbox and the sync age when scraped, with one query per scrape, NaN when it fails", async () => {
    let queries = 0;
    let backlog: OutboxBacklog | Error = { depth: 7, oldestAgeSeconds: 42.5 };
    const errors: unknown[] = [];
    const m = createMetrics(
      {
        outbox: async () => {
          queries++;
          if (backlog instanceof Error) throw backlog;
          return backlog;
        },
        syncAgeSeconds: () => 3,
        onCollectError: (err) => errors.push(err),
      },
      { defaultMetrics: false },
    );
    let e = parsePrometheus(await m.registry.metrics());
    expect(sampleValue(e, "tearline_outbox_depth")).toBe(7);
    expect(sampleValue(e, "tearline_outbox_oldest_unsent_age_seconds")).toBe(42.5);
    expect(sampleValue(e, "tearline_sync_age_seconds")).toBe(3);
    expect(queries).toBe(1);
    backlog = { depth: 0, oldestAgeSeconds: undefined };
    e = parsePrometheus(await m.registry.metrics());
    expect(sampleValue(e, "tearline_outbox_depth")).toBe(0);
    expect(sampleValue(e, "tearline_outbox_oldest_unsent_age_seconds")).toBe(0);
    expect(queries).toBe(2);
    backlog = new Error("connection refused");
    e = parsePrometheus(await m.registry.metrics());
    expect(sampleValue(e, "tearline_outbox_depth")).toBeNaN();
    expect(errors).toHaveLength(1);
  });
});

describe("relay outcomes from audit entries", () => {
  it("counts one per target room, a relay decision by its copy", () => {
    const a = (action: string, detail: Record<string, unknown>) => ({ actor: "@x:y", action, detail });
    expect(
      relayOutcomesOf([
        a("alert.raised", { ref: "A-1" }),
        a("alert.decision", { room: "r1", outcome: "relay" }),
        a("alert.relayed", { room: "r1" }),
        a("alert.decision", { room: "r2", outcome: "pending" }),
        a("alert.decision", { room: "r3", outcome: "refused" }),
        a("alert.denied", { rooms: ["r2", "r4"] }),
        a("alert.expired", { rooms: ["r5"] }),
        a("alert.recalled", { rooms: ["r1"], pending: ["r2"] }),
        a("command.alert", {}),
      ]),
    ).toEqual(["relayed", "pending", "refused", "denied", "denied", "expired", "recalled"]);
  });
});

describe("the operations listener", () => {
  it("serves /health (200 or 503) and /metrics, nothing else, and gives its bound port", async () => {
    let healthy = true;
    const m = createMetrics(
      { outbox: async () => ({ depth: 1, oldestAgeSeconds: 2 }), syncAgeSeconds: () => 1 },
      { defaultMetrics: false },
    );
    const server = await startOpsServer({
      host: "127.0.0.1",
      port: 0,
      registry: m.registry,
      log: quiet,
      health: async () =>
        healthy
          ? runChecks({ a: async () => ({ ok: true }) })
          : runChecks({ a: async () => ({ ok: false }) }),
    });
    try {
      expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(server.address).not.toBe("127.0.0.1:0");
      const base = `http://${server.address}`;
      let res = await fetch(`${base}/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual({ status: "ok", failed: [], checks: { a: { ok: true } } });
      healthy = false;
      res = await fetch(`${base}/health?verbose=1`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "failing", failed: ["a"] });
      res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
      expect(sampleValue(parsePrometheus(await res.text()), "tearline_outbox_depth")).toBe(1);
      expect((await fetch(`${base}/`)).status).toBe(404);
      expect((await fetch(`${base}/metrics/../health`)).status).toBe(503); // fetch normalises the path
      const post = await fetch(`${base}/health`, { method: "POST" });
      expect(post.status).toBe(405);
      expect(post.headers.get("allow")).toBe("GET, HEAD");
    } finally {
      await server.close();
    }
    await expect(fetch(`http://${server.address}/health`)).rejects.toThrow();
  });

  it("refuses an address it cannot bind", async () => {
    const m = createMetrics(
      { outbox: async () => ({ depth: 0, oldestAgeSeconds: undefined }), syncAgeSeconds: () => 0 },
      {
        defaultMetrics: false,
      },
    );
    const opts = {
      host: "127.0.0.1",
      port: 0,
      registry: m.registry,
      log: quiet,
      health: async () => phaseReport("x"),
    };
    const first = await startOpsServer(opts);
    try {
      const port = Number(first.address.split(":").at(-1));
      await expect(startOpsServer({ ...opts, port })).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      await first.close();
    }
  });
});
