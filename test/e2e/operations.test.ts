import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../support/botProcess.ts";
import { type Homeserver, startHomeserver } from "../support/homeserver.ts";
import { type Exposition, parsePrometheus, sampleValue } from "../support/prometheus.ts";
import { createScene, reactionsTo, repliesTo, type Scene } from "../support/scene.ts";

interface Health {
  status: string;
  failed: string[];
  checks: Record<string, { ok: boolean; reason?: string; [k: string]: unknown }>;
}

async function health(base: string): Promise<{ code: number; body: Health }> {
  const res = await fetch(`${base}/health`);
  return { code: res.status, body: (await res.json()) as Health };
}

async function scrape(base: string): Promise<Exposition> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  return parsePrometheus(await res.text());
}

/** Asks again (every 250 ms) until `check` holds, or fails after `timeoutMs` with the last answer. */
async function until<T>(what: string, ask: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await ask().catch(() => undefined);
    if (last !== undefined && check(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const healthy = (base: string) =>
  until(
    "/health to say 200",
    () => health(base),
    (h) => h.code === 200,
  );

describe("operations: /health and /metrics of a running bot", () => {
  let s: Scene;
  afterEach(async () => {
    await s?.teardown();
  });

  it("/health is 200 with its checks, and /metrics counts the commands it handles", async () => {
    s = await createScene();
    const bot = s.startBot();
    const base = await bot.httpUrl();
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await bot.ready();
    const room = await s.encryptedRoom();
    const ok = await healthy(base);
    expect(ok.body.status).toBe("ok");
    expect(ok.body.failed).toEqual([]);
    expect(ok.body.checks.database).toEqual({ ok: true });
    expect(ok.body.checks.homeserver).toEqual({ ok: true });
    expect(ok.body.checks.sync).toMatchObject({ ok: true, ageSeconds: expect.any(Number) });
    expect(ok.body.checks.outbox).toMatchObject({ ok: true, depth: expect.any(Number) });

    const before = await scrape(base);
    const count = (e: Exposition, command: string, result: string) =>
      sampleValue(e, "tearline_commands_total", { command, result });
    const sent = [
      await s.officer.send(room, "!status"),
      await s.officer.send(room, "!status"),
      await s.officer.send(room, "!sight vesel 12.5,-79.1"),
      await s.officer.send(room, "!nosuchcommand"),
    ];
    for (const id of sent) await s.officer.waitForMessage(room, (m) => m.replyTo === id, 60_000);
    const after = await scrape(base);
    expect(count(after, "status", "handled") - count(before, "status", "handled")).toBe(2);
    expect(count(after, "sight", "refused") - count(before, "sight", "refused")).toBe(1);
    expect(count(after, "unknown", "refused") - count(before, "unknown", "refused")).toBe(1);
    expect(count(after, "status", "error")).toBe(0);

    for (const name of after.types.keys()) expect(name).toMatch(/^tearline_/);
    expect(sampleValue(after, "tearline_crypto_store_flush_seconds_count")).toBeGreaterThan(0);
    expect(sampleValue(after, "tearline_sync_lag_seconds_count")).toBeGreaterThanOrEqual(4);
    expect(sampleValue(after, "tearline_sync_age_seconds")).toBeLessThan(120);
    expect(sampleValue(after, "tearline_outbox_depth")).toBeGreaterThanOrEqual(0);
    expect(after.types.get("tearline_process_resident_memory_bytes")).toBe("gauge");
    expect(after.types.get("tearline_relays_total")).toBe("counter");
    expect(after.types.get("tearline_decryption_failures_total")).toBe("counter");

    // Nothing secret in what it serves or logs.
    const text = await (await fetch(`${base}/metrics`)).text();
    const served = text + JSON.stringify((await health(base)).body) + bot.lines.join("\n");
    expect(served).not.toContain(s.account.password);
    expect(served).not.toContain("test passphrase, not secret");
  });
});

// Its own Synapse, so that stopping it disturbs no other test.
describe("operations: /health while the homeserver is away", () => {
  let hs: Homeserver;
  let s: Scene | undefined;
  beforeAll(async () => {
    hs = await startHomeserver();
  });
  afterAll(async () => {
    await s?.teardown();
    await hs?.stop();
  });

  it("says 503, naming the homeserver, while it is down, and 200 again once it is back", async () => {
    s = await createScene({ homeserver: hs });
    const bot = s.startBot();
    const base = await bot.httpUrl();
    // Before it holds the device and has synced, it is not healthy either.
    await bot.ready();
    await healthy(base);

    const outage = hs.restart(20_000);
    const down = await until(
      "/health to say 503",
      () => health(base),
      (h) => h.code === 503,
      20_000,
    );
    expect(down.body.status).toBe("failing");
    expect(down.body.failed).toContain("homeserver");
    expect(down.body.checks.homeserver?.ok).toBe(false);
    expect(down.body.checks.homeserver?.reason).toEqual(expect.any(String));
    expect(down.body.checks.database).toEqual({ ok: true });
    await outage;
    await healthy(base);
    expect(bot.child.exitCode).toBeNull();
  }, 150_000);
});

describe("operations: SIGTERM", () => {
  let s: Scene;
  afterEach(async () => {
    await s?.teardown();
  });

  /** Waits for a reply to every command, then (after a marker round trip) checks none came twice. */
  async function expectExactlyOneAnswerEach(room: string, sent: string[]): Promise<void> {
    const bot = s.account.userId;
    await s.officer.waitFor(
      "a reply to every command",
      () => (sent.every((id) => repliesTo(s.officer, room, bot, id).length > 0) ? true : undefined),
      90_000,
    );
    const marker = await s.officer.send(room, "!status");
    await s.officer.waitForMessage(room, (m) => m.replyTo === marker, 60_000);
    for (const id of sent) {
      expect(repliesTo(s.officer, room, bot, id)).toHaveLength(1);
      expect(reactionsTo(s.officer, room, bot, id)).toHaveLength(1);
    }
  }

  async function terminate(bot: BotProcess): Promise<{ code: number | null; ms: number }> {
    const t = Date.now();
    bot.child.kill("SIGTERM");
    const code = await bot.exited;
    return { code, ms: Date.now() - t };
  }

  it("in the middle of a burst: exits 0 promptly, and after a restart every command has exactly one reply", async () => {
    s = await createScene();
    const first = s.startBot();
    await first.ready();
    const room = await s.encryptedRoom();
    const sent = await Promise.all(
      Array.from({ length: 40 }, (_, i) => s.officer.send(room, i % 2 ? "!status" : "!help")),
    );
    await s.officer.waitFor("a few replies", () =>
      s.officer.messagesFrom(room, s.account.userId).filter((m) => m.replyTo).length >= 3 ? true : undefined,
    );
    const stop = await terminate(first);
    const answeredBeforeStop = new Set(s.officer.messagesFrom(room, s.account.userId).map((m) => m.replyTo));
    expect(answeredBeforeStop.size).toBeLessThan(sent.length);
    expect(stop.code).toBe(0);
    expect(stop.ms).toBeLessThan(15_000);
    const log = first.lines.join("\n");
    expect(log).toMatch(/"msg":"stopping","signal":"SIGTERM"/);
    expect(log).toMatch(/"msg":"stopped"/);
    expect(log).not.toContain("stopping took too long");
    expect(log).not.toContain("crypto store closed with unflushed changes");
    for (const line of first.lines) expect(() => JSON.parse(line)).not.toThrow();

    const second = s.startBot();
    await second.ready();
    // The same device, still logged in: SIGTERM never logs out.
    expect(second.lines.some((l) => l.includes("reusing the stored device"))).toBe(true);
    await expectExactlyOneAnswerEach(room, sent);
  }, 240_000);

  it("while waiting for the device lock (a standby): exits 0 at once", async () => {
    s = await createScene();
    const active = s.startBot();
    await active.ready();
    const standby = s.startBot();
    await standby.waitForLog(/waiting for the device lock/);
    const h = await health(await standby.httpUrl());
    expect(h).toEqual({
      code: 503,
      body: {
        status: "failing",
        failed: ["bot"],
        checks: { bot: { ok: false, reason: "waiting for the device lock" } },
      },
    });
    const stop = await terminate(standby);
    expect(stop.code).toBe(0);
    expect(stop.ms).toBeLessThan(10_000);
  }, 180_000);
});
