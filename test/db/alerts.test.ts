/**
 * Alerts through the real Dispatcher over PostgreSQL: commands and ✅/❌ reactions as the sync
 * loop hands them over, the outbox rows they leave (one copy per allowed target, none for refused
 * ones), what the copy contains, and that everything for one event commits in its one transaction.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { directoryFromConfig } from "../../src/bot/configDirectory.ts";
import { Dispatcher } from "../../src/bot/dispatch.ts";
import { runAlertExpiry } from "../../src/bot/scheduler.ts";
import { markSent } from "../../src/db/queries/outbox.ts";
import { TearlineConfigSchema } from "../../src/config/schema.ts";
import { createLogger } from "../../src/log.ts";
import type { TimelineItem } from "../../src/matrix/sync.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const COL_USA = "!colusa:example.org";
const USA_JTF = "!usajtf:example.org";
const COL_PAN = "!colpan:example.org";
const ROJAS = "@lo.col:example.org";
const MILLER = "@cdr.usa:example.org";
const SMITH = "@po.usa:example.org";
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
    [ROJAS]: { partner: "COL", roles: ["liaison", "approver"], name: "Lt. Rojas" },
    [MILLER]: { partner: "USA", roles: ["duty_officer", "approver"], name: "CDR Miller" },
    [SMITH]: { partner: "USA", roles: ["liaison"], name: "PO Smith" },
  },
  sharing: [
    {
      from: "col-usa",
      to: "usa-jtf",
      kinds: ["sighting", "rfi", "text"],
      max_tlp: "amber",
      approval: { role: "approver", count: 1, not_requester: true, expires: "24h" },
      redact: ["reporter", "remarks", "identifiers"],
      position_precision: "10km",
    },
  ],
});

describe("alerts through the dispatcher", () => {
  let db: TestDatabase;
  let dispatcher: Dispatcher;
  let now = new Date(T0 + 60_000);
  let seq = 0;

  beforeAll(async () => {
    db = await createTestDatabase("alerts");
    dispatcher = new Dispatcher({
      db: db.db,
      log: createLogger("error", {}, () => {}),
      directory: directoryFromConfig(config),
      commands,
      isEncrypted: async () => true,
      runtime: () => Promise.reject(new Error("not here")),
      now: () => now,
      onOutbox: () => {},
    });
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.sql`truncate sightings, rfis, command_events, outbox, audit_log, processed_events, alerts, alert_targets, alert_approvals restart identity`;
    now = new Date(T0 + 60_000);
  });

  function message(sender: string, body: string, roomId = COL_USA): TimelineItem {
    return {
      roomId,
      encrypted: true,
      event: {
        type: "m.room.message",
        event_id: `$e${++seq}`,
        sender,
        origin_server_ts: T0,
        content: { msgtype: "m.text", body },
      },
    };
  }
  function reaction(sender: string, target: string, key = "✅", encrypted = true): TimelineItem {
    return {
      roomId: COL_USA,
      encrypted,
      event: {
        type: "m.reaction",
        event_id: `$x${++seq}`,
        sender,
        origin_server_ts: T0,
        content: { "m.relates_to": { rel_type: "m.annotation", event_id: target, key } },
      },
    };
  }
  interface Row {
    id: number;
    room_id: string;
    event_type: string;
    content: Record<string, unknown>;
    ref: string | null;
    reply_to_ref: string | null;
  }
  const rows = () =>
    db.sql<Row[]>`select id::int, room_id, event_type, content, ref, reply_to_ref from outbox order by id`;
  const messagesIn = async (roomId: string) =>
    (await rows()).filter((r) => r.room_id === roomId && r.event_type === "m.room.message");
  /** The outbox as if sent: each row gets an event id, so reactions can find the request. */
  async function sendAll() {
    for (const r of await rows()) await markSent(db.db, r.id, `$sent${r.id}`);
  }
  async function requestEventId(alert = 1): Promise<string> {
    await sendAll();
    const [r] = await db.sql<
      { sent_event_id: string }[]
    >`select sent_event_id from outbox where ref = ${`alert:${alert}:request`}`;
    return r!.sent_event_id;
  }

  const SIGHT =
    '!sight vessel 12.51,-79.17 "SIN NOMBRE" mmsi=367123450 time=280714ZNOV26 course=045 speed=32kt conf=B2 rel=USA,JTF,COL -- informant Pedro says go-fast';

  async function raise() {
    await dispatcher.handleOne(message(ROJAS, SIGHT));
    await dispatcher.handleOne(message(ROJAS, "!alert S-1 to=usa-jtf,col-pan"));
  }

  it("an approved alert makes exactly one copy per allowed target, none for a refused one, without any redacted value", async () => {
    await raise();
    expect(await messagesIn(USA_JTF)).toEqual([]);
    const request = await requestEventId();
    await dispatcher.handleOne(reaction(MILLER, request, "✅\uFE0F"));
    const copies = await messagesIn(USA_JTF);
    expect(copies).toHaveLength(1);
    expect(await messagesIn(COL_PAN)).toEqual([]);
    const copy = copies[0]!;
    expect(copy.ref).toBe("alert:1:to:usa-jtf");
    expect(copy.content["m.relates_to"]).toBeUndefined();
    const all = JSON.stringify(copy.content);
    for (const gone of ["informant", "Pedro", ROJAS, "367123450", "12.51", "-79.17"])
      expect(all).not.toContain(gone);
    expect(copy.content.body).toContain("⚠ ALERT A-1 · TLP:AMBER · REL TO USA, JTF, COL");
    expect(copy.content.body).toContain("Approved by CDR Miller");
    expect(copy.content["org.tearline.alert"]).toMatchObject({
      ref: "A-1",
      approvers: [MILLER],
      rule: "col-usa→usa-jtf",
    });
    const approved = (await messagesIn(COL_USA)).at(-1)!;
    expect(approved.content.body).toBe("✅ A-1 approved by CDR Miller · relayed to usa-jtf");
    expect(approved.reply_to_ref).toBe("alert:1:request");
    const received =
      await db.sql`select room_id, reporter, remarks, mmsi, received_alert_ref from sightings where id = 2`;
    expect(received[0]).toEqual({
      room_id: USA_JTF,
      reporter: "",
      remarks: null,
      mmsi: null,
      received_alert_ref: "A-1",
    });
  });

  it("a ✅ from the requester or from someone without the role changes nothing, also not later", async () => {
    await raise();
    const request = await requestEventId();
    await dispatcher.handleOne(reaction(ROJAS, request));
    await dispatcher.handleOne(reaction(SMITH, request));
    expect(await messagesIn(USA_JTF)).toEqual([]);
    const votes = await db.sql`select user_id, decision, reason from alert_approvals order by user_id`;
    expect(votes).toEqual([
      { user_id: ROJAS, decision: "ignored", reason: "requester" },
      { user_id: SMITH, decision: "ignored", reason: "role" },
    ]);
    const before = (await rows()).length;
    // The same reactions again (redelivered) are handled once.
    await dispatcher.handleOne({
      ...reaction(SMITH, request),
      event: { ...reaction(SMITH, request).event, event_id: "$x-again" },
    });
    expect(await messagesIn(USA_JTF)).toEqual([]);
    expect((await rows()).length).toBe(before);
    const ignored =
      await db.sql`select count(*)::int as n from audit_log where action = 'alert.approval_ignored'`;
    expect(ignored[0]?.n).toBe(3);
    // Then a real approver: one copy.
    await dispatcher.handleOne(reaction(MILLER, request));
    expect(await messagesIn(USA_JTF)).toHaveLength(1);
  });

  it("counts an approver's plaintext ✅ (Element sends reactions unencrypted), but not where only verified devices count", async () => {
    const strict = new Dispatcher({
      db: db.db,
      log: createLogger("error", {}, () => {}),
      directory: directoryFromConfig(config),
      commands,
      isEncrypted: async () => true,
      runtime: () => Promise.reject(new Error("not here")),
      now: () => now,
      onOutbox: () => {},
      ignoreUnverified: true,
    });
    await raise();
    const request = await requestEventId();
    await strict.handleOne(reaction(MILLER, request, "✅", false));
    expect(await messagesIn(USA_JTF)).toEqual([]);
    expect(await db.sql`select * from alert_approvals`).toEqual([]);
    await dispatcher.handleOne(reaction(MILLER, request, "✅", false));
    expect(await messagesIn(USA_JTF)).toHaveLength(1);
  });

  it("a reaction on any other message of the bot is not a decision", async () => {
    await raise();
    await sendAll();
    const [other] = await db.sql<
      { sent_event_id: string }[]
    >`select sent_event_id from outbox where ref is null and room_id = ${COL_USA} order by id limit 1`;
    await dispatcher.handleOne(reaction(MILLER, other!.sent_event_id));
    expect(await db.sql`select * from alert_approvals`).toEqual([]);
  });

  it("deleting the source after the relay queues a recall that replies to the copy", async () => {
    await raise();
    await dispatcher.handleOne(reaction(MILLER, await requestEventId()));
    const [cmd] = await db.sql<{ event_id: string }[]>`select event_id from command_events where ref = 'S-1'`;
    await dispatcher.handleOne({
      roomId: COL_USA,
      encrypted: false,
      event: {
        type: "m.room.redaction",
        event_id: `$r${++seq}`,
        sender: ROJAS,
        redacts: cmd!.event_id,
        content: {},
      },
    });
    const inJtf = await messagesIn(USA_JTF);
    expect(inJtf.map((r) => [r.ref, r.reply_to_ref])).toEqual([
      ["alert:1:to:usa-jtf", null],
      ["alert:1:to:usa-jtf:recall", "alert:1:to:usa-jtf"],
    ]);
    expect(inJtf[1]?.content.body).toBe("⚠ RECALL A-1: S-1 was withdrawn in col-usa; disregard this alert.");
    const received = await db.sql`select retracted_at from sightings where id = 2`;
    expect(received[0]?.retracted_at).not.toBeNull();
  });

  it("everything for one event commits in its one transaction: a failing write leaves no copy, no vote, no audit", async () => {
    await raise();
    const request = await requestEventId();
    // The copy's ref is taken already: the event's transaction must fail as a whole.
    await db.sql`insert into outbox (room_id, event_type, content, ref) values (${USA_JTF}, 'm.room.message', '{}', 'alert:1:to:usa-jtf')`;
    const auditBefore = await db.sql`select count(*)::int as n from audit_log`;
    await dispatcher.handleOne(reaction(MILLER, request)).catch(() => {});
    expect(await db.sql`select * from alert_approvals`).toEqual([]);
    expect((await db.sql`select outcome from alert_targets where room_alias = 'usa-jtf'`)[0]?.outcome).toBe(
      "pending",
    );
    expect(await db.sql`select * from sightings where room_id = ${USA_JTF}`).toEqual([]);
    const copies =
      await db.sql`select count(*)::int as n from outbox where room_id = ${USA_JTF} and content ? 'org.tearline.alert'`;
    expect(copies[0]?.n).toBe(0);
    const auditAfter = await db.sql`select action from audit_log order by id offset ${auditBefore[0]?.n}`;
    expect(auditAfter.map((a) => a.action).filter((a) => a.startsWith("alert."))).toEqual([]);
  });

  it("the scheduler's pass expires a pending alert once, with a reply to the request", async () => {
    await raise();
    const later = new Date(T0 + 25 * 3_600_000);
    expect(await runAlertExpiry(db.db, later)).toEqual(["A-1"]);
    expect(await runAlertExpiry(db.db, later)).toEqual([]);
    const last = (await messagesIn(COL_USA)).at(-1)!;
    expect(last.content.body).toBe("⏰ A-1 expired without approval: not sent to usa-jtf");
    expect(last.reply_to_ref).toBe("alert:1:request");
  });
});
