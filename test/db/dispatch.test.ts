/**
 * The dispatcher over real PostgreSQL with timeline items as the sync loop hands them over:
 * commands, edits (m.replace) and deletions (m.room.redaction), each exactly once, with the
 * command's rows, audit entries and outbox messages in one transaction.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { argsFrom, defineCommand } from "../../commands/types.ts";
import { directoryFromConfig } from "../../src/bot/configDirectory.ts";
import { Dispatcher } from "../../src/bot/dispatch.ts";
import { TearlineConfigSchema } from "../../src/config/schema.ts";
import { err, ok, t } from "../../src/domain/result.ts";
import { createLogger } from "../../src/log.ts";
import type { TimelineItem } from "../../src/matrix/sync.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const ROOM = "!colusa:example.org";
const ROJAS = "@lo.col:example.org";
const SMITH = "@po.usa:example.org";
const STRANGER = "@who:example.org";
const JTF_OFFICER = "@lo.jtf:example.org";
const T0 = Date.parse("2026-11-28T07:14:00Z");

const config = TearlineConfigSchema.parse({
  partners: {
    COL: { name: "Colombian Navy" },
    USA: { name: "US Coast Guard" },
    JTF: { name: "Joint Task Force" },
  },
  rooms: { "col-usa": { room: ROOM, partners: ["COL", "USA"] } },
  roster: {
    [ROJAS]: { partner: "COL", roles: ["liaison"], name: "Lt. Rojas" },
    [SMITH]: { partner: "USA", roles: ["liaison", "duty_officer"], name: "PO Smith" },
    [JTF_OFFICER]: { partner: "JTF", roles: ["liaison"] },
  },
});

/** Commands that write and then fail, to prove a failure leaves no rows behind. */
const sample = {
  kind: "vessel",
  position: { lat: 1, lon: 1, precisionM: 1, format: "decimal" },
  seenAt: new Date(T0),
  ids: {},
  tlp: "amber",
  roomId: ROOM,
  reporter: ROJAS,
  reporterPartner: "COL",
  loggedAt: new Date(T0),
  matches: [],
} as const;
const crash = defineCommand({
  name: "crash",
  summary: "Writes a sighting, then throws",
  usage: "!crash",
  examples: [],
  roles: "rostered",
  args: argsFrom(() => ok({})),
  async run(ctx) {
    await ctx.repos.sightings.create({ ...sample, ids: {}, matches: [] });
    throw new Error("boom");
  },
});
const refuse = defineCommand({
  name: "refuse",
  summary: "Writes a sighting, then refuses",
  usage: "!refuse",
  examples: [],
  roles: "rostered",
  args: argsFrom(() => ok({})),
  async run(ctx) {
    await ctx.repos.sightings.create({ ...sample, ids: {}, matches: [] });
    return err(t("e.arguments"));
  },
});

describe("the dispatcher with PostgreSQL", () => {
  let db: TestDatabase;
  let dispatcher: Dispatcher;
  let now = new Date(T0 + 60_000);
  let seq = 0;
  const logLines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase("dispatch");
    dispatcher = new Dispatcher({
      db: db.db,
      log: createLogger("error", {}, (l) => logLines.push(l)),
      directory: directoryFromConfig(config),
      commands: [...commands, crash, refuse],
      isEncrypted: async () => true,
      runtime: () => Promise.reject(new Error("not here")),
      now: () => now,
      onOutbox: () => {},
    });
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate sightings, rfis, command_events, outbox, audit_log, processed_events restart identity`;
    now = new Date(T0 + 60_000);
  });

  function message(sender: string, body: string, extra: Record<string, unknown> = {}): TimelineItem {
    const event_id = `$e${++seq}`;
    return {
      roomId: ROOM,
      encrypted: true,
      event: {
        type: "m.room.message",
        event_id,
        sender,
        origin_server_ts: T0,
        content: { msgtype: "m.text", body, ...extra },
      },
    };
  }
  function edit(sender: string, target: string, body: string): TimelineItem {
    return message(sender, `* ${body}`, {
      "m.new_content": { msgtype: "m.text", body },
      "m.relates_to": { rel_type: "m.replace", event_id: target },
    });
  }
  function redaction(sender: string, target: string, inContent = false): TimelineItem {
    const event_id = `$r${++seq}`;
    return {
      roomId: ROOM,
      encrypted: false,
      event: inContent
        ? { type: "m.room.redaction", event_id, sender, content: { redacts: target } }
        : { type: "m.room.redaction", event_id, sender, redacts: target, content: {} },
    };
  }
  const idOf = (item: TimelineItem) => item.event.event_id!;

  async function said() {
    const rows = await db.sql<
      { event_type: string; content: Record<string, unknown> }[]
    >`select event_type, content from outbox order by id`;
    return rows.map((r) => {
      const rel = r.content["m.relates_to"] as Record<string, Record<string, string> | string> | undefined;
      if (r.event_type === "m.reaction") return { reaction: rel?.key, on: rel?.event_id };
      const replyTo = (rel?.["m.in_reply_to"] as Record<string, string> | undefined)?.event_id;
      return { text: r.content.body as string, replyTo, mentions: r.content["m.mentions"] };
    });
  }
  const sightingRows = () =>
    db.sql`select id, name, course, corrected_at is not null as corrected, retracted_at is not null as retracted from sightings order by id`;
  const actions = async () =>
    (await db.sql<{ action: string }[]>`select action from audit_log order by id`).map((r) => r.action);

  it("answers a command in its thread, and its correction and retraction there too", async () => {
    const root = "$root";
    const thread = {
      rel_type: "m.thread",
      event_id: root,
      is_falling_back: true,
      "m.in_reply_to": { event_id: root },
    };
    const cmd = message(ROJAS, '!sight vessel 12.51,-79.20 "SIN NOMBRE"', { "m.relates_to": thread });
    await dispatcher.handleOne(cmd);
    await dispatcher.handleOne(edit(ROJAS, idOf(cmd), '!sight vessel 12.51,-79.21 "SIN NOMBRE"'));
    await dispatcher.handleOne(redaction(ROJAS, idOf(cmd)));
    const replies = await db.sql<{ content: Record<string, unknown> }[]>`
      select content from outbox where event_type = 'm.room.message' order by id`;
    expect(replies.map((r) => r.content.body)).toEqual([
      expect.stringMatching(/^✅ S-1 logged/),
      expect.stringMatching(/^✅ S-1 corrected/),
      expect.stringMatching(/^✅ S-1 retracted/),
    ]);
    for (const r of replies)
      expect(r.content["m.relates_to"]).toEqual({
        rel_type: "m.thread",
        event_id: root,
        is_falling_back: false,
        "m.in_reply_to": { event_id: idOf(cmd) },
      });
    const [reaction] = await db.sql<{ content: Record<string, unknown> }[]>`
      select content from outbox where event_type = 'm.reaction'`;
    expect(reaction?.content["m.relates_to"]).toEqual({
      rel_type: "m.annotation",
      event_id: idOf(cmd),
      key: "✅",
    });
  });

  it("refuses a rostered officer of a partner that does not share this room, and stores nothing", async () => {
    const cmd = message(JTF_OFFICER, "!sight vessel 12.51,-79.20");
    await dispatcher.handleOne(cmd);
    expect(await said()).toEqual([
      {
        text: "❌ You are on the roster for JTF, but this room (col-usa) is shared by COL and USA; I only act on commands from its partners here. Use your own partnership's room.",
        replyTo: idOf(cmd),
        mentions: {},
      },
      { reaction: "❌", on: idOf(cmd) },
    ]);
    expect(await sightingRows()).toEqual([]);
    expect(await actions()).toEqual(["command.refused"]);
  });

  it("logs a sighting once, replies with its ref and a ✅, and remembers which message made it", async () => {
    const cmd = message(ROJAS, '!sight vessel 12.51,-79.20 "SIN NOMBRE"');
    await dispatcher.handleOne(cmd);
    await dispatcher.handleOne(cmd); // replayed after a restart: nothing more happens
    expect(await said()).toEqual([
      {
        text: expect.stringMatching(
          /^✅ S-1 logged · vessel "SIN NOMBRE" · 12\.5100, -79\.2000 \(±1\.1 km\) · seen 28 Nov 07:14Z · TLP:AMBER$/,
        ),
        replyTo: idOf(cmd),
        mentions: {},
      },
      { reaction: "✅", on: idOf(cmd) },
    ]);
    expect(await sightingRows()).toEqual([
      { id: 1, name: "SIN NOMBRE", course: null, corrected: false, retracted: false },
    ]);
    expect(await actions()).toEqual(["command.sight", "sighting.logged"]);
    const events = await db.sql`select event_id, command, ref, sender from command_events`;
    expect(events).toEqual([{ event_id: idOf(cmd), command: "sight", ref: "S-1", sender: ROJAS }]);
  });

  it("refuses a malformed !sight with what was wrong, the usage and an example, and stores nothing", async () => {
    const cmd = message(ROJAS, "!sight vesel 12.5N 79.1W");
    await dispatcher.handleOne(cmd);
    const [reply, reaction] = await said();
    expect(reply?.text?.split("\n")).toEqual([
      '❌ I didn\'t log that: "vesel" is not a kind of sighting. Kinds: vessel, aircraft, vehicle, person, other. Did you mean "vessel"?',
      expect.stringMatching(/^Usage: !sight <kind> <position>/),
      'Example: !sight vessel 12.51,-79.17 "NAME" time=280714ZNOV26 -- remarks',
    ]);
    expect(reaction).toEqual({ reaction: "❌", on: idOf(cmd) });
    expect(await sightingRows()).toEqual([]);
  });

  it("corrects the sighting when the command is edited, replying to the original message", async () => {
    const cmd = message(ROJAS, '!sight vessel 12.51,-79.20 "SIN NOMBRE"');
    await dispatcher.handleOne(cmd);
    now = new Date(T0 + 10 * 60_000);
    const fix = edit(ROJAS, idOf(cmd), '!sight vessel 12.51,-79.20 "SIN NOMBRE" course=045');
    await dispatcher.handleOne(fix);
    await dispatcher.handleOne(fix);
    const replies = await said();
    expect(replies).toHaveLength(3);
    expect(replies[2]).toEqual({
      text: expect.stringMatching(
        /^✅ S-1 corrected · vessel "SIN NOMBRE" · .* · seen 28 Nov 07:14Z · course 045° · TLP:AMBER$/,
      ),
      replyTo: idOf(cmd),
      mentions: {},
    });
    expect(await sightingRows()).toEqual([
      { id: 1, name: "SIN NOMBRE", course: 45, corrected: true, retracted: false },
    ]);
    expect(await actions()).toEqual([
      "command.sight",
      "sighting.logged",
      "command.sight.edit",
      "sighting.corrected",
    ]);
  });

  it("ignores nobody: an edit by someone else is refused and changes nothing", async () => {
    const cmd = message(ROJAS, "!sight vessel 12.51,-79.20");
    await dispatcher.handleOne(cmd);
    await dispatcher.handleOne(edit(SMITH, idOf(cmd), "!sight vessel 12.51,-79.20 course=090"));
    expect((await said())[2]?.text).toBe(
      `❌ S-1 is unchanged: only ${ROJAS}, who sent the command, can correct it.`,
    );
    expect(await sightingRows()).toEqual([
      { id: 1, name: null, course: null, corrected: false, retracted: false },
    ]);
  });

  it("refuses a correction that doesn't parse, saying the record is unchanged", async () => {
    const cmd = message(ROJAS, "!sight vessel 12.51,-79.20");
    await dispatcher.handleOne(cmd);
    await dispatcher.handleOne(edit(ROJAS, idOf(cmd), "!sight vessel 12.51,-79.20 tlp=pink"));
    expect((await said())[2]?.text).toMatch(/^❌ S-1 is unchanged: "pink" is not a TLP marking\./);
    await dispatcher.handleOne(edit(ROJAS, idOf(cmd), "!sightings"));
    expect((await said())[3]?.text).toBe(
      "❌ S-1 is unchanged: it was made with !sight, so correct it with !sight (or delete the message to retract it).",
    );
    expect(await sightingRows()).toEqual([
      { id: 1, name: null, course: null, corrected: false, retracted: false },
    ]);
  });

  it("logs a refused command once it is fixed by an edit, and a later edit corrects that record", async () => {
    const cmd = message(ROJAS, "!sight vesel 12.51,-79.20");
    await dispatcher.handleOne(cmd);
    await dispatcher.handleOne(edit(ROJAS, idOf(cmd), "!sight vessel 12.51,-79.20"));
    await dispatcher.handleOne(edit(ROJAS, idOf(cmd), "!sight vessel 12.51,-79.20 course=010"));
    const texts = (await said()).map((r) => ("text" in r ? r.text?.split(" · ")[0] : r.reaction));
    expect(texts).toEqual([
      expect.stringMatching(/^❌ I didn't log that/),
      "❌",
      "✅ S-1 logged",
      "✅",
      "✅ S-1 corrected",
    ]);
    expect(await sightingRows()).toEqual([
      { id: 1, name: null, course: 10, corrected: true, retracted: false },
    ]);
  });

  it("retracts the sighting when the command is deleted (redacts at the top level or in content)", async () => {
    const first = message(ROJAS, "!sight vessel 12.51,-79.20");
    const second = message(ROJAS, "!sight vessel 12.52,-79.20");
    await dispatcher.handleOne(first);
    await dispatcher.handleOne(second);
    await dispatcher.handleOne(redaction(ROJAS, idOf(first)));
    await dispatcher.handleOne(redaction(ROJAS, idOf(second), true));
    await dispatcher.handleOne(redaction(ROJAS, "$not-a-command"));
    const replies = (await said()).filter((r) => "text" in r && r.text?.includes("retracted"));
    expect(replies).toEqual([
      {
        text: "✅ S-1 retracted: its message was deleted. It no longer shows in !sightings; the audit log keeps it.",
        replyTo: idOf(first),
        mentions: {},
      },
      { text: expect.stringMatching(/^✅ S-2 retracted/), replyTo: idOf(second), mentions: {} },
    ]);
    expect((await sightingRows()).map((r) => r.retracted)).toEqual([true, true]);
    expect(await actions()).toContain("sighting.retracted");
  });

  it("keeps the sighting when someone else deletes the message, and says so", async () => {
    const cmd = message(ROJAS, "!sight vessel 12.51,-79.20");
    await dispatcher.handleOne(cmd);
    await dispatcher.handleOne(redaction(SMITH, idOf(cmd)));
    expect((await said())[2]?.text).toBe(
      `S-1 stays: only ${ROJAS}, who sent the command, can retract it by deleting their message.`,
    );
    expect((await sightingRows())[0]?.retracted).toBe(false);
  });

  it("raises an RFI that the addressee answers, and the answer mentions the originator", async () => {
    await dispatcher.handleOne(
      message(ROJAS, "!rfi ask priority=immediate ltiov=281000ZNOV26 to=USA -- where is SIN NOMBRE?"),
    );
    const answer = message(SMITH, "!rfi answer RFI-1 -- AIS dark since 0600Z");
    await dispatcher.handleOne(answer);
    const replies = await said();
    expect(replies[0]?.text).toBe(
      "✅ RFI-1 raised for USA · IMMEDIATE · answer needed by 28 Nov 10:00Z (in 2 h 45 m)",
    );
    expect(replies[2]).toEqual({
      text: `✅ RFI-1 answered by PO Smith (USA) · ${ROJAS} notified\nQ: "where is SIN NOMBRE?"\nA: "AIS dark since 0600Z"`,
      replyTo: idOf(answer),
      mentions: { user_ids: [ROJAS] },
    });
    expect(await actions()).toEqual(["command.rfi", "rfi.raised", "command.rfi", "rfi.answered"]);
  });

  it("refuses people who are not on the roster, and records the refusal", async () => {
    await dispatcher.handleOne(message(STRANGER, "!sight vessel 12.51,-79.20"));
    expect((await said())[0]?.text).toMatch(/not on Tearline's roster/);
    expect(await sightingRows()).toEqual([]);
    expect(await actions()).toEqual(["command.refused"]);
  });

  it("rolls back what a command wrote when it refuses or crashes, and shows a reference, not a stack trace", async () => {
    await dispatcher.handleOne(message(ROJAS, "!refuse"));
    await dispatcher.handleOne(message(ROJAS, "!crash"));
    const replies = await said();
    expect(replies[0]?.text).toBe("❌ The arguments were not understood");
    expect(replies[2]?.text).toMatch(
      /^❌ Internal error, reference [0-9a-f]{8}\. The operator can find the details in the log\.$/,
    );
    expect(replies[2]?.text).not.toContain("boom");
    expect(logLines.some((l) => l.includes("boom"))).toBe(true);
    expect(await sightingRows()).toEqual([]);
    expect((await db.sql`select count(*)::int as n from processed_events`)[0]?.n).toBe(2);
  });
});
