/**
 * The way operators configure Tearline: rooms created by people with the homeserver's default room
 * version (12 on Synapse 1.163: an id with no server part), written into `rooms:` by id, the bot
 * started afterwards and joining on the invite because the room is configured.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Officer } from "../support/officer.ts";
import { createScene, reactionsTo, repliesTo, type Scene } from "../support/scene.ts";

describe("rooms of Synapse's default room version, configured by id", () => {
  let s: Scene;
  let jtf: Officer;
  let room: string;

  beforeEach(async () => {
    s = await createScene();
    jtf = await Officer.create(s.hs);
    // A room admin outside the roster creates the room: the bot joins because the room is configured.
    const admin = await Officer.create(s.hs);
    room = await admin.createRoom({
      encrypted: true,
      invite: [s.officer.userId, jtf.userId, s.account.userId],
    });
    await admin.stop();
    await s.officer.join(room);
    await jtf.join(room);
    s.config.partners = {
      COL: { name: "Colombian Navy" },
      USA: { name: "US Coast Guard" },
      JTF: { name: "Joint Task Force" },
    };
    s.config.rooms = { "col-usa": { room, partners: ["COL", "USA"] } };
    s.config.roster = {
      [s.officer.userId]: { partner: "COL", roles: ["liaison", "duty_officer"] },
      [jtf.userId]: { partner: "JTF", roles: ["liaison", "duty_officer"] },
    };
    const bot = s.startBot();
    await bot.ready();
    await s.officer.waitForMembership(room, s.account.userId, "join");
    await bot.waitForLog(/"msg":"joining room"/);
  });
  afterEach(async () => {
    await jtf.stop();
    await s.teardown();
  });

  it("answers a partner's command and refuses a rostered officer of another partner", async () => {
    expect(s.officer.client.getRoom(room)?.getVersion()).toBe("12");
    expect(room).toMatch(/^![A-Za-z0-9_-]{43}$/); // no server part
    const command = await s.officer.send(room, "!status");
    const reply = await s.officer.waitForMessage(
      room,
      (m) => m.sender === s.account.userId && m.replyTo === command,
    );
    expect(reply.encrypted).toBe(true);
    expect(reply.body).toMatch(/^Tearline \d+\.\d+\.\d+/);

    const outsider = await jtf.send(room, "!status");
    const refusal = await jtf.waitForMessage(
      room,
      (m) => m.sender === s.account.userId && m.replyTo === outsider,
    );
    expect(refusal.body).toContain(
      "You are on the roster for JTF, but this room (col-usa) is shared by COL and USA",
    );
    await s.officer.waitFor("the ❌ on the outsider's command", () =>
      reactionsTo(s.officer, room, s.account.userId, outsider).find(
        (r) => (r.content["m.relates_to"] as { key?: string }).key === "❌",
      ),
    );
    const rows = await s.db.sql<{ action: string }[]>`
      select action from audit_log where detail->>'why' = 'partner not in room'`;
    expect(rows).toHaveLength(1);
  });

  it("answers a command sent in a thread inside that thread, and reacts to it as usual", async () => {
    const root = await s.officer.send(room, "Night watch 01-02 Dec");
    const command = await s.officer.send(room, "!help status", { thread: root });
    const reply = await s.officer.waitForMessage(
      room,
      (m) => m.sender === s.account.userId && m.replyTo === command,
    );
    expect(reply.thread).toBe(root);
    expect(reply.content["m.relates_to"]).toMatchObject({
      rel_type: "m.thread",
      event_id: root,
      is_falling_back: false,
      "m.in_reply_to": { event_id: command },
    });
    const reaction = await s.officer.waitFor(
      "the ✅ on the threaded command",
      () => reactionsTo(s.officer, room, s.account.userId, command)[0],
    );
    expect(reaction.content["m.relates_to"]).toEqual({
      rel_type: "m.annotation",
      event_id: command,
      key: "✅",
    });
    // A command in the main timeline is still answered there.
    const plain = await s.officer.send(room, "!help");
    const main = await s.officer.waitForMessage(
      room,
      (m) => m.sender === s.account.userId && m.replyTo === plain,
    );
    expect(main.thread).toBeUndefined();
    expect(repliesTo(s.officer, room, s.account.userId, command)).toHaveLength(1);
  });
});
