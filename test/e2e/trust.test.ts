import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { rosterConfig } from "../support/botProcess.ts";
import { type RegisteredUser, registerUser, uniqueName } from "../support/homeserver.ts";
import { Officer } from "../support/officer.ts";
import { createScene, type Scene } from "../support/scene.ts";

// trust: only cross-signed devices get room keys, and only their messages are acted on.
describe("with trust settings that require cross-signed devices", () => {
  let s: Scene;
  let verifiedUser: RegisteredUser;
  let verified: Officer;

  beforeEach(async () => {
    verifiedUser = await registerUser(inject("homeserver"), uniqueName("verified"));
    s = await createScene({
      config: (o) => ({
        ...rosterConfig([o.userId, verifiedUser.userId]),
        trust: { only_cross_signed: true, ignore_unverified: true },
      }),
    });
    verified = await Officer.login(s.hs, verifiedUser.userId, verifiedUser.password);
    await verified.bootstrapCrossSigning();
  });
  afterEach(async () => {
    await verified.stop();
    await s.teardown();
  });

  it("answers a cross-signed device, refuses an unverified one, and keeps its replies from it", async () => {
    await s.startBot().ready();
    const room = await s.encryptedRoom(); // created by the unverified officer
    await s.officer.invite(room, verified.userId);
    await verified.join(room);
    const session = await s.db.sql<
      { value: { deviceId: string } }[]
    >`select value from bot_state where key = 'matrix.session'`;
    await verified.waitForDevice(s.account.userId, session[0]!.value.deviceId);

    const ok = await verified.send(room, "!status");
    const answer = await verified.waitForMessage(
      room,
      (m) => m.sender === s.account.userId && m.replyTo === ok,
    );
    expect(answer.body).toMatch(/^Tearline /);

    const refused = await s.officer.send(room, "!status");
    const notice = await verified.waitForMessage(
      room,
      (m) => m.sender === s.account.userId && m.replyTo === refused,
    );
    expect(notice.body).toContain(
      `I don't act on messages from ${s.officer.userId} sent from a device that is not verified`,
    );
    // The unverified device was never given the bot's room key: the notice reaches it, unreadable.
    const seenByUnverified = await s.officer.waitFor(
      "the notice in the unverified officer's timeline",
      () => {
        const ev = s.officer.client.getRoom(room)?.findEventById(notice.eventId);
        return ev && !ev.isBeingDecrypted() ? ev : undefined;
      },
    );
    expect(seenByUnverified.isDecryptionFailure()).toBe(true);
    expect(s.officer.messagesFrom(room, s.account.userId)).toHaveLength(0);
    const audit = await s.db
      .sql`select actor from audit_log where action = 'command.refused' and detail->>'why' = 'unverified device'`;
    expect(audit).toEqual([{ actor: s.officer.userId }]);
  });
});
