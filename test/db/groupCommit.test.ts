/**
 * Group commit: the readable events of one sync batch share one transaction (Dispatcher.handleBatch),
 * on both engines. What must hold is what held with one transaction per event: every command
 * answered once, in order, its rows and audit entries in event order; an event that cannot be
 * read yet still waits for its key in its place; a poisonous event stops nobody else; a
 * transient failure commits nothing and goes back to the sync loop; a replayed batch does nothing twice.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { directoryFromConfig } from "../../src/bot/configDirectory.ts";
import { Dispatcher } from "../../src/bot/dispatch.ts";
import { TearlineConfigSchema } from "../../src/config/schema.ts";
import type { Db } from "../../src/db/client.ts";
import { verifyAudit } from "../../src/db/queries/audit.ts";
import { getChatLang, keepLangReads, setChatLang } from "../../src/db/queries/roomSettings.ts";
import { sqlRunnerStorage } from "../../src/bot/sqlStorage.ts";
import { createLogger } from "../../src/log.ts";
import type { TimelineItem } from "../../src/matrix/sync.ts";
import { type DbUnderTest, ENGINES } from "../support/database.ts";

const ROOM = "!colusa:example.org";
const OTHER = "!colpan:example.org";
const BROKEN = "!broken:example.org";
const AWAY = "!away:example.org";
const ROJAS = "@lo.col:example.org";
const T0 = Date.parse("2026-11-28T07:14:00Z");

const config = TearlineConfigSchema.parse({
  partners: { COL: { name: "Colombian Navy" }, USA: { name: "US Coast Guard" }, PAN: { name: "SENAN" } },
  rooms: {
    "col-usa": { room: ROOM, partners: ["COL", "USA"] },
    "col-pan": { room: OTHER, partners: ["COL", "PAN"], lang: "es" },
  },
  roster: { [ROJAS]: { partner: "COL", roles: ["liaison", "duty_officer"] } },
});

describe.each(ENGINES)("group commit of a sync batch ($name)", ({ open }) => {
  let t: DbUnderTest;
  let seq = 0;
  let transactions = 0;
  let kicked: string[][] = [];

  /** The database, counting top-level transactions (a group is one). */
  const counted = (db: Db): Db =>
    new Proxy(db, {
      get(target, prop, receiver) {
        if (prop !== "transaction") return Reflect.get(target, prop, receiver);
        return (...args: Parameters<Db["transaction"]>) => {
          transactions++;
          return target.transaction(...args);
        };
      },
    });
  const dispatcher = (isEncrypted: (roomId: string) => Promise<boolean> = async () => true) =>
    new Dispatcher({
      db: counted(t.db),
      log: createLogger("error", {}, () => {}),
      directory: directoryFromConfig(config),
      commands,
      isEncrypted,
      runtime: () => Promise.reject(new Error("not here")),
      now: () => new Date(T0 + 3_600_000),
      onOutbox: (rooms) => kicked.push([...(rooms ?? [])]),
    });

  beforeAll(async () => {
    t = await open("groupcommit");
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    await t.sql`truncate sightings, command_events, outbox, audit_log, processed_events, pending_decryptions, room_notices restart identity`;
    await t.sql`delete from bot_state where key = 'audit.head' or key like 'room.%'`;
    transactions = 0;
    kicked = [];
  });

  function message(body: string, roomId = ROOM): TimelineItem {
    return {
      roomId,
      encrypted: true,
      event: {
        type: "m.room.message",
        event_id: `$g${++seq}`,
        sender: ROJAS,
        origin_server_ts: T0 + seq * 1000,
        content: { msgtype: "m.text", body },
      },
    };
  }
  const sight = (i: number, roomId = ROOM) => message(`!sight vessel 12.${50 + i},-79.20 "GF ${i}"`, roomId);
  const replies = async () =>
    (
      await t.sql<{ room_id: string; body: string }[]>`
        select room_id, content->>'body' as body from outbox where event_type = 'm.room.message' order by id`
    ).map((r) => `${r.room_id} ${r.body}`);
  const audited = async () =>
    (
      await t.sql<{ event_id: string }[]>`
        select detail->>'eventId' as event_id from audit_log where detail ? 'eventId' order by id`
    ).map((r) => r.event_id);

  it("commits a batch of commands in one transaction, answered and audited in event order", async () => {
    const batch = [sight(1), sight(2, OTHER), message("!sight vesel 12.5,-79.2"), sight(3), sight(4, OTHER)];
    const done: number[] = [];
    await dispatcher().handleBatch(batch, () => done.push(transactions));
    expect(transactions).toBe(1);
    // afterEach is told of each event once it is durable: all of them after the one commit.
    expect(done).toEqual([1, 1, 1, 1, 1]);
    expect(await replies()).toEqual([
      expect.stringMatching(new RegExp(`^${ROOM} ✅ S-1 logged`)),
      expect.stringMatching(new RegExp(`^${OTHER} ✅ S-2 registrad`)),
      expect.stringContaining('"vesel" is not a kind of sighting'),
      expect.stringMatching(new RegExp(`^${ROOM} ✅ S-3 logged`)),
      expect.stringMatching(new RegExp(`^${OTHER} ✅ S-4 registrad`)),
    ]);
    expect(await audited()).toEqual(batch.filter((_, i) => i !== 2).map((m) => m.event.event_id));
    expect((await verifyAudit(t.db)).ok).toBe(true);
    expect(kicked).toEqual([[ROOM, ROOM, OTHER, OTHER, ROOM, ROOM, ROOM, ROOM, OTHER, OTHER]]);
  });

  it("finds a command's record for its edit and deletion in the same batch (records are written with the group)", async () => {
    const first = sight(1);
    const second = sight(2);
    const id = (m: TimelineItem) => m.event.event_id as string;
    const edited = message('* !sight vessel 12.51,-79.20 "GF ONE"');
    edited.event.content = {
      msgtype: "m.text",
      body: edited.event.content.body,
      "m.new_content": { msgtype: "m.text", body: '!sight vessel 12.51,-79.20 "GF ONE"' },
      "m.relates_to": { rel_type: "m.replace", event_id: id(first) },
    };
    const deleted: TimelineItem = {
      roomId: ROOM,
      encrypted: false,
      event: {
        type: "m.room.redaction",
        event_id: `$g${++seq}`,
        sender: ROJAS,
        redacts: id(second),
        content: {},
      },
    };
    await dispatcher().handleBatch([first, second, edited, deleted, sight(3)]);
    expect(transactions).toBe(1);
    expect(
      await t.sql`select id, name, retracted_at is not null as retracted from sightings order by id`,
    ).toEqual([
      { id: 1, name: "GF ONE", retracted: false },
      { id: 2, name: "GF 2", retracted: true },
      { id: 3, name: "GF 3", retracted: false },
    ]);
    expect(await t.sql`select event_id, ref from command_events order by ref`).toEqual([
      { event_id: id(first), ref: "S-1" },
      { event_id: id(second), ref: "S-2" },
      { event_id: expect.any(String), ref: "S-3" },
    ]);
    expect((await verifyAudit(t.db)).ok).toBe(true);
  });

  it("does nothing twice when the same batch comes again (a sync replayed after a crash)", async () => {
    const batch = [sight(1), sight(2), sight(3)];
    await dispatcher().handleBatch(batch);
    await dispatcher().handleBatch(batch);
    expect(await replies()).toHaveLength(3);
    expect(await t.sql`select id from sightings`).toHaveLength(3);
    expect(kicked).toHaveLength(1);
  });

  it("keeps an unreadable event in its place: the events before and after commit around it", async () => {
    const locked = message("?");
    const unreadable: TimelineItem = {
      ...locked,
      event: { ...locked.event, type: "m.room.encrypted", content: {} },
      decryptionError: "missing key",
      sessionId: "s1",
    };
    await dispatcher().handleBatch([sight(1), sight(2), unreadable, sight(3), sight(4)]);
    expect(transactions).toBe(3);
    const said = await replies();
    expect(said.map((r) => r.slice(ROOM.length + 1, ROOM.length + 12))).toEqual([
      "✅ S-1 logge",
      "✅ S-2 logge",
      "I can't rea",
      "✅ S-3 logge",
      "✅ S-4 logge",
    ]);
    expect(await t.sql`select event_id from pending_decryptions`).toEqual([
      { event_id: unreadable.event.event_id },
    ]);
  });

  it("handles the batch again one event at a time when one of them fails, and records only that one", async () => {
    const d = dispatcher(async (roomId) => {
      if (roomId === BROKEN) throw new Error("state lookup failed");
      return true;
    });
    const doomed = message("!status", BROKEN);
    await d.handleBatch([sight(1), doomed, sight(2)]);
    const said = await replies();
    expect(said).toHaveLength(3);
    // Numbers taken by the rolled-back attempt are not given again (a PostgreSQL sequence).
    expect(said[0]).toMatch(/✅ S-\d+ logged · vessel "GF 1"/);
    expect(said[1]).toMatch(/^!broken:example.org ❌ Internal error, reference [0-9a-f]{8}/);
    expect(said[2]).toMatch(/✅ S-\d+ logged · vessel "GF 2"/);
    const actions = await t.sql<{ action: string }[]>`select action from audit_log order by id`;
    expect(actions.map((a) => a.action)).toEqual([
      "command.sight",
      "sighting.logged",
      "event.failed",
      "command.sight",
      "sighting.logged",
    ]);
    expect((await verifyAudit(t.db)).ok).toBe(true);
  });

  it("commits nothing of the batch on a transient failure, and hands it back to be retried", async () => {
    const d = dispatcher(async (roomId) => {
      if (roomId === AWAY) throw Object.assign(new Error("connection reset"), { code: "ECONNRESET" });
      return true;
    });
    const batch = [sight(1), sight(2), message("!status", AWAY)];
    await expect(d.handleBatch(batch)).rejects.toThrow("connection reset");
    expect(await t.sql`select event_id from processed_events`).toEqual([]);
    expect(await replies()).toEqual([]);
    expect(kicked).toEqual([]);
    // The sync loop retries the batch; with the room back, it is all answered once.
    await dispatcher().handleBatch([...batch.slice(0, 2), message("!sight vessel 12.5,-79.2", AWAY)]);
    expect(await replies()).toHaveLength(3);
  });

  it("answers in a room's new language from the command after a !lang in the same batch", async () => {
    await dispatcher().handleBatch([sight(1), message("!lang es"), sight(2), message("!lang en"), sight(3)]);
    const said = await replies();
    expect(said[0]).toMatch(/✅ S-1 logged/);
    expect(said[2]).toMatch(/✅ S-2 registrad/);
    expect(said[4]).toMatch(/✅ S-3 logged/);
  });

  it("reads a room's language once per transaction, and again after a write or a rolled-back savepoint", async () => {
    const setBy = ROJAS;
    const setAt = new Date(T0);
    await t.db.transaction(async (tx) => {
      keepLangReads(tx);
      expect(await getChatLang(tx, ROOM)).toBeUndefined();
      // Written behind the kept read's back, from another connection (PGlite has only one): the
      // kept read still answers…
      if (t.engine === "postgres") {
        const fr = JSON.stringify({ lang: "fr", setBy, setAt });
        await t.sql`insert into bot_state (key, value) values (${`room.lang:${ROOM}`}, ${fr}::jsonb)`;
        expect(await getChatLang(tx, ROOM)).toBeUndefined();
      }
      // …until a write through setChatLang, in a savepoint as the runner does.
      await sqlRunnerStorage.savepoint(tx, (sp) =>
        setChatLang(sp, { roomId: ROOM, lang: "es", setBy, setAt }),
      );
      expect((await getChatLang(tx, ROOM))?.lang).toBe("es");
      // A savepoint that read the new value then was rolled back leaves nothing stale behind.
      await expect(
        sqlRunnerStorage.savepoint(tx, async (sp) => {
          await setChatLang(sp, { roomId: ROOM, lang: "pt", setBy, setAt });
          expect((await getChatLang(sp, ROOM))?.lang).toBe("pt");
          throw new Error("refused");
        }),
      ).rejects.toThrow("refused");
      expect((await getChatLang(tx, ROOM))?.lang).toBe("es");
    });
  });
});
