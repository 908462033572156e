/**
 * What the metrics and /health read, over real PostgreSQL: the dispatcher's counts of commands,
 * relay decisions and decryption failures (taken from what committed), the outbox backlog, and
 * the health checks of a bot whose homeserver does or does not answer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { directoryFromConfig } from "../../src/bot/configDirectory.ts";
import { Dispatcher } from "../../src/bot/dispatch.ts";
import { botHealthChecks } from "../../src/bot/health.ts";
import type { BotMetrics } from "../../src/bot/observe.ts";
import { runAlertExpiry } from "../../src/bot/scheduler.ts";
import { TearlineConfigSchema } from "../../src/config/schema.ts";
import { giveUpRoom, markSent, outboxBacklog } from "../../src/db/queries/outbox.ts";
import { pingDatabase } from "../../src/db/queries/ping.ts";
import { createLogger } from "../../src/log.ts";
import type { TimelineItem } from "../../src/matrix/sync.ts";
import { runChecks } from "../../src/ops/health.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const COL_USA = "!colusa:example.org";
const USA_JTF = "!usajtf:example.org";
const COL_PAN = "!colpan:example.org";
const ROJAS = "@lo.col:example.org";
const MILLER = "@cdr.usa:example.org";
const T0 = Date.parse("2026-11-28T07:14:00Z");

const config = TearlineConfigSchema.parse({
  partners: {
    COL: { name: "Colombian Navy" },
    USA: { name: "US Coast Guard" },
    JTF: { name: "JTF" },
    PAN: { name: "Panama" },
  },
  rooms: {
    "col-usa": { room: COL_USA, partners: ["COL", "USA"] },
    "usa-jtf": { room: USA_JTF, partners: ["USA", "JTF"] },
    "col-pan": { room: COL_PAN, partners: ["COL", "PAN"] },
  },
  roster: {
    [ROJAS]: { partner: "COL", roles: ["liaison"], name: "Lt. Rojas" },
    [MILLER]: { partner: "USA", roles: ["duty_officer", "approver"], name: "CDR Miller" },
  },
  sharing: [
    {
      from: "col-usa",
      to: "usa-jtf",
      kinds: ["sighting", "rfi", "text"],
      max_tlp: "amber",
      approval: { role: "approver", count: 1, not_requester: true, expires: "24h" },
    },
  ],
});

/** Metrics that remember what they were told, as `name label…` strings. */
function recording(): BotMetrics & { said: string[] } {
  const said: string[] = [];
  return {
    said,
    command: (c, r) => said.push(`command ${c} ${r}`),
    relay: (o) => said.push(`relay ${o}`),
    decryptionFailed: (r) => said.push(`decryption ${r}`),
    cryptoStoreFlushed: () => said.push("flush"),
    eventHandled: () => {},
  };
}

describe("what the metrics and /health are told", () => {
  let db: TestDatabase;
  let metrics: ReturnType<typeof recording>;
  let dispatcher: Dispatcher;
  let seq = 0;

  beforeAll(async () => {
    db = await createTestDatabase("ops");
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.sql`truncate sightings, rfis, command_events, outbox, audit_log, processed_events, alerts, alert_targets, alert_approvals restart identity`;
    metrics = recording();
    dispatcher = new Dispatcher({
      db: db.db,
      log: createLogger("error", {}, () => {}),
      directory: directoryFromConfig(config),
      commands,
      isEncrypted: async () => true,
      runtime: () => Promise.reject(new Error("not here")),
      now: () => new Date(T0 + 60_000),
      onOutbox: () => {},
      metrics,
    });
  });

  const message = (sender: string, body: string): TimelineItem => ({
    roomId: COL_USA,
    encrypted: true,
    event: {
      type: "m.room.message",
      event_id: `$e${++seq}`,
      sender,
      origin_server_ts: T0,
      content: { msgtype: "m.text", body },
    },
  });
  const commandsSaid = () => metrics.said.filter((s) => s.startsWith("command"));
  const relaysSaid = () => metrics.said.filter((s) => s.startsWith("relay"));

  it("counts each command once, by name and result, and never a replayed event again", async () => {
    const status = message(ROJAS, "!help");
    await dispatcher.handleOne(status);
    await dispatcher.handleOne(status); // the same event after a crash: already claimed
    await dispatcher.handleOne(message(ROJAS, "!sight vesel 12.5,-79.1"));
    await dispatcher.handleOne(message(ROJAS, "!approve A-99")); // Rojas lacks the approver role
    await dispatcher.handleOne(message(ROJAS, "!frobnicate now"));
    await dispatcher.handleOne(message("@stranger:example.org", "!help"));
    await dispatcher.handleOne(message(ROJAS, "just chatting"));
    expect(commandsSaid()).toEqual([
      "command help handled",
      "command sight refused",
      "command approve refused",
      "command unknown refused",
      "command help refused",
    ]);
  });

  it("counts relay decisions per target room: pending, refused, then relayed, and expired", async () => {
    await dispatcher.handleOne(message(ROJAS, "!sight vessel 12.51,-79.17 rel=USA,JTF,COL"));
    await dispatcher.handleOne(message(ROJAS, "!alert S-1 to=usa-jtf,col-pan"));
    expect(relaysSaid()).toEqual(["relay pending", "relay refused"]);
    await dispatcher.handleOne(message(MILLER, "!approve A-1"));
    expect(relaysSaid()).toEqual(["relay pending", "relay refused", "relay relayed"]);

    await dispatcher.handleOne(message(ROJAS, "!sight vessel 12.6,-79.2"));
    await dispatcher.handleOne(message(ROJAS, "!alert S-3 to=usa-jtf"));
    metrics.said.length = 0;
    expect(await runAlertExpiry(db.db, new Date(T0 + 25 * 3_600_000), undefined, metrics)).toEqual(["A-2"]);
    expect(relaysSaid()).toEqual(["relay expired"]);
  });

  it("counts a message it cannot decrypt by why", async () => {
    const undecryptable = (permanent: boolean): TimelineItem => ({
      roomId: COL_USA,
      encrypted: true,
      decryptionError: "no key",
      sessionId: "s1",
      ...(permanent && { permanentFailure: "sender mismatch" }),
      event: {
        type: "m.room.encrypted",
        event_id: `$u${++seq}`,
        sender: ROJAS,
        origin_server_ts: T0,
        content: {},
      },
    });
    await dispatcher.handleOne(undecryptable(false));
    await dispatcher.handleOne(undecryptable(true));
    await dispatcher.handleOne({ ...message(ROJAS, "!help"), untrustedSender: true });
    expect(metrics.said.filter((s) => s.startsWith("decryption"))).toEqual([
      "decryption missing_key",
      "decryption permanent",
      "decryption untrusted",
    ]);
  });

  it("reads the outbox backlog: unsent and not given up, with the oldest one's age", async () => {
    expect(await outboxBacklog(db.db)).toEqual({ depth: 0, oldestAgeSeconds: undefined });
    await dispatcher.handleOne(message(ROJAS, "!help")); // a reply and a ✅
    await db.sql`update outbox set created_at = now() - interval '90 seconds' where id = 1`;
    const two = await outboxBacklog(db.db);
    expect(two.depth).toBe(2);
    expect(two.oldestAgeSeconds).toBeGreaterThanOrEqual(90);
    expect(two.oldestAgeSeconds).toBeLessThan(120);
    await markSent(db.db, 1, "$sent1");
    expect((await outboxBacklog(db.db)).depth).toBe(1);
    await giveUpRoom(db.db, COL_USA, "left the room");
    expect(await outboxBacklog(db.db)).toEqual({ depth: 0, oldestAgeSeconds: undefined });
  });

  it("/health passes with a database and a homeserver that answer, and names the homeserver when it does not", async () => {
    await pingDatabase(db.db);
    let answering = true;
    const api = {
      versions: async () => {
        if (!answering)
          throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
      },
    };
    const checks = botHealthChecks({ db: db.db, api, syncAgeSeconds: () => 5 });
    expect(await runChecks(checks)).toEqual({
      status: "ok",
      failed: [],
      checks: {
        database: { ok: true },
        homeserver: { ok: true },
        sync: { ok: true, ageSeconds: 5 },
        outbox: { ok: true, depth: 0, oldestAgeSeconds: null },
      },
    });
    answering = false;
    const down = await runChecks(checks);
    expect(down.failed).toEqual(["homeserver"]);
    expect(down.checks.homeserver).toEqual({ ok: false, reason: "ECONNREFUSED" });
  });
});
