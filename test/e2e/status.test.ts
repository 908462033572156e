import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createScene, type Scene } from "../support/scene.ts";

describe("an officer and the bot in an encrypted room", () => {
  let s: Scene;
  beforeEach(async () => {
    s = await createScene();
  });
  afterEach(async () => {
    await s.teardown();
  });

  it("answers !status with an encrypted reply that the officer decrypts", async () => {
    await s.startBot().ready();
    const room = await s.encryptedRoom();
    const command = await s.officer.send(room, "!status");
    const reply = await s.officer.waitForMessage(
      room,
      (m) => m.sender === s.account.userId && m.replyTo === command,
    );
    expect(reply.encrypted).toBe(true);
    expect(reply.body).toMatch(/^Tearline \d+\.\d+\.\d+/);
    expect(reply.body).toMatch(/Device \w+ · fingerprint [A-Za-z0-9+/ ]+ · cross-signed$/m);
    expect(reply.body).toContain("Database: ok");
    const reaction = await s.officer.waitForEvent(
      room,
      (e) => e.type === "m.reaction" && e.sender === s.account.userId,
    );
    expect(reaction.encrypted).toBe(true);
    expect(reaction.content["m.relates_to"]).toMatchObject({
      rel_type: "m.annotation",
      event_id: command,
      key: "✅",
    });
  });

  it("cross-signs its own device, so officers' clients see it signed by its owner", async () => {
    await s.startBot().ready();
    await s.encryptedRoom(); // the officer now tracks the bot's devices and identity
    const device = (await botDevice(s))!;
    await s.officer.waitForDevice(s.account.userId, device);
    const status = await s.officer.client.getCrypto()!.getDeviceVerificationStatus(s.account.userId, device);
    expect(status?.signedByOwner).toBe(true);
  });

  it("answers !help with the commands, generated from their definitions", async () => {
    await s.startBot().ready();
    const room = await s.encryptedRoom();
    const command = await s.officer.send(room, "!help");
    const reply = await s.officer.waitForMessage(
      room,
      (m) => m.sender === s.account.userId && m.replyTo === command,
    );
    expect(reply.body).toContain("!status");
    expect(reply.body).toContain("!help [command]");
  });

  it("refuses a user who is not on the roster, and does nothing else", async () => {
    await s.startBot().ready();
    const room = await s.encryptedRoom();
    const { Officer } = await import("../support/officer.ts");
    const stranger = await Officer.create(s.hs);
    try {
      await s.officer.invite(room, stranger.userId);
      await stranger.join(room);
      await stranger.waitForDevice(s.account.userId, (await botDevice(s)) ?? "");
      const command = await stranger.send(room, "!status");
      const reply = await stranger.waitForMessage(
        room,
        (m) => m.sender === s.account.userId && m.replyTo === command,
      );
      expect(reply.body).toMatch(/not on Tearline's roster/);
      expect(reply.body).not.toContain("fingerprint");
    } finally {
      await stranger.stop();
    }
  });

  it("rejects an invite from someone who is not on the roster, to a room not in its configuration", async () => {
    await s.startBot().ready();
    const { Officer } = await import("../support/officer.ts");
    const stranger = await Officer.create(s.hs);
    try {
      const room = await stranger.createRoom({ encrypted: true, invite: [s.account.userId] });
      await stranger.waitForMembership(room, s.account.userId, "leave");
      const audit = await s.db.sql`select actor, room_id from audit_log where action = 'invite.rejected'`;
      expect(audit).toEqual([{ actor: stranger.userId, room_id: room }]);
    } finally {
      await stranger.stop();
    }
  });

  it("says once in an unencrypted room that it needs encryption, and executes no command there", async () => {
    await s.startBot().ready();
    const room = await s.officer.createRoom({ encrypted: false, invite: [s.account.userId] });
    await s.officer.waitForMembership(room, s.account.userId, "join");
    const first = await s.officer.send(room, "!status");
    const second = await s.officer.send(room, "!help");
    // A marker command in an encrypted room: once it is answered, the plaintext ones were seen too.
    const enc = await s.encryptedRoom();
    const marker = await s.officer.send(enc, "!status");
    await s.officer.waitForMessage(enc, (m) => m.replyTo === marker);
    const said = s.officer.messagesFrom(room, s.account.userId);
    expect(said).toHaveLength(1);
    expect(said[0]?.body).toMatch(/only works in end-to-end encrypted rooms/);
    expect(said[0]?.encrypted).toBe(false);
    expect(said.some((m) => m.replyTo === first || m.replyTo === second)).toBe(false);
    const refused = await s.db.sql`select count(*)::int as n from audit_log where action = 'command.refused'`;
    expect(refused[0]?.n).toBeGreaterThanOrEqual(1);
  });
});

async function botDevice(s: Scene): Promise<string | undefined> {
  const rows = await s.db.sql<
    { value: { deviceId: string } }[]
  >`select value from bot_state where key = 'matrix.session'`;
  return rows[0]?.value.deviceId;
}
