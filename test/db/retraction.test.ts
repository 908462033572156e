/**
 * Deleting a command under both trust modes, and `!retract`, through the dispatcher over real
 * PostgreSQL. A deletion is plaintext and unsigned: where only verified devices count
 * (trust.ignore_unverified) it must not retract, only ask.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { directoryFromConfig } from "../../src/bot/configDirectory.ts";
import { Dispatcher } from "../../src/bot/dispatch.ts";
import { TearlineConfigSchema } from "../../src/config/schema.ts";
import { createLogger } from "../../src/log.ts";
import type { TimelineItem } from "../../src/matrix/sync.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const ROOM = "!colusa:example.org";
const ROJAS = "@lo.col:example.org";
const PEREZ = "@lo2.col:example.org";
const DUTY = "@do.usa:example.org";
const T0 = Date.parse("2026-11-28T07:14:00Z");

const config = TearlineConfigSchema.parse({
  partners: { COL: { name: "Colombian Navy" }, USA: { name: "US Coast Guard" } },
  rooms: { "col-usa": { room: ROOM, partners: ["COL", "USA"] } },
  roster: {
    [ROJAS]: { partner: "COL", roles: ["liaison"] },
    [PEREZ]: { partner: "COL", roles: ["liaison"] },
    [DUTY]: { partner: "USA", roles: ["duty_officer"] },
  },
});

describe("retracting sightings", () => {
  let db: TestDatabase;
  let strict: Dispatcher;
  let lenient: Dispatcher;
  let seq = 0;

  beforeAll(async () => {
    db = await createTestDatabase("retraction");
    const make = (ignoreUnverified: boolean) =>
      new Dispatcher({
        db: db.db,
        log: createLogger("error", {}, () => {}),
        directory: directoryFromConfig(config),
        commands,
        isEncrypted: async () => true,
        runtime: () => Promise.reject(new Error("not here")),
        now: () => new Date(T0 + 3_600_000),
        onOutbox: () => {},
        ignoreUnverified,
      });
    strict = make(true);
    lenient = make(false);
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate sightings, command_events, outbox, audit_log, processed_events restart identity`;
  });

  function message(sender: string, body: string): TimelineItem {
    return {
      roomId: ROOM,
      encrypted: true,
      event: {
        type: "m.room.message",
        event_id: `$m${++seq}`,
        sender,
        origin_server_ts: T0,
        content: { msgtype: "m.text", body },
      },
    };
  }
  function deletion(sender: string, target: string): TimelineItem {
    return {
      roomId: ROOM,
      encrypted: false,
      event: { type: "m.room.redaction", event_id: `$r${++seq}`, sender, redacts: target, content: {} },
    };
  }
  const replies = async () =>
    (
      await db.sql<{ body: string }[]>`
        select content->>'body' as body from outbox where event_type = 'm.room.message' order by id`
    ).map((r) => r.body);
  const sighting = async () =>
    (
      await db.sql<{ retracted: boolean; requested_by: string | null; retracted_by: string | null }[]>`
        select retracted_at is not null as retracted, retraction_requested_by as requested_by,
               retracted_by from sightings where id = 1`
    )[0];
  const actions = async () =>
    (await db.sql<{ action: string }[]>`select action from audit_log order by id`).map((r) => r.action);

  async function logged(d: Dispatcher): Promise<string> {
    const cmd = message(ROJAS, "!sight vessel 12.51,-79.20");
    await d.handleOne(cmd);
    expect((await replies()).at(-1)).toMatch(/^✅ S-1 logged/);
    return cmd.event.event_id!;
  }

  it("under ignore_unverified, a deletion leaves the sighting live and marked, and tells the room how to retract it", async () => {
    const id = await logged(strict);
    await strict.handleOne(deletion(ROJAS, id));
    expect(await sighting()).toEqual({ retracted: false, requested_by: ROJAS, retracted_by: null });
    expect((await replies()).at(-1)).toBe(
      "S-1 was deleted in chat, but this room only accepts retractions from verified devices: S-1 stays. " +
        "To retract it, send !retract S-1 from a verified device.",
    );
    expect(await actions()).toContain("sighting.retraction_requested");
    expect(await actions()).not.toContain("sighting.retracted");
    const listed = message(ROJAS, "!sightings");
    await strict.handleOne(listed);
    expect((await replies()).at(-1)).toContain("S-1");
  });

  it("without ignore_unverified, a deletion retracts as before", async () => {
    const id = await logged(lenient);
    await lenient.handleOne(deletion(ROJAS, id));
    expect(await sighting()).toEqual({ retracted: true, requested_by: null, retracted_by: ROJAS });
    expect((await replies()).at(-1)).toMatch(/^✅ S-1 retracted: its message was deleted/);
  });

  for (const [mode, pick] of [
    ["with", () => strict],
    ["without", () => lenient],
  ] as const) {
    it(`!retract retracts ${mode} ignore_unverified, once`, async () => {
      const d = pick();
      await logged(d);
      await d.handleOne(message(ROJAS, "!retract S-1 -- wrong contact"));
      expect(await sighting()).toMatchObject({ retracted: true, retracted_by: ROJAS });
      expect((await replies()).at(-1)).toBe(
        '✅ S-1 retracted, reason: "wrong contact". It no longer shows in !sightings; the audit log keeps it.',
      );
      expect(await actions()).toContain("sighting.retracted");
      await d.handleOne(message(ROJAS, "!retract S-1"));
      expect((await replies()).at(-1)).toBe("❌ S-1 was already retracted.");
    });
  }

  it("refuses !retract from a liaison who did not report the sighting, and lets a duty officer of the room", async () => {
    await logged(strict);
    await strict.handleOne(message(PEREZ, "!retract S-1"));
    expect((await replies()).at(-1)).toBe(
      `❌ Only ${ROJAS}, who reported S-1, or a duty officer of this room can retract it.`,
    );
    expect(await sighting()).toMatchObject({ retracted: false });
    expect(await actions()).toContain("command.refused");
    await strict.handleOne(message(DUTY, "!retract S-1 -- duplicate"));
    expect(await sighting()).toMatchObject({ retracted: true, retracted_by: DUTY });
  });
});
