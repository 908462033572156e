import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { rosterConfig } from "../support/botProcess.ts";
import { type RegisteredUser, registerUser, uniqueName } from "../support/homeserver.ts";
import { RawCryptoClient } from "../support/rawCryptoClient.ts";
import { createScene, repliesTo, type Scene } from "../support/scene.ts";

describe("a message whose room key arrives late", () => {
  let s: Scene;
  let late: RegisteredUser;
  let raw: RawCryptoClient;

  beforeEach(async () => {
    late = await registerUser(inject("homeserver"), uniqueName("late"));
    s = await createScene({ config: (o) => rosterConfig([o.userId, late.userId]) });
    raw = await RawCryptoClient.create(s.hs.url, late);
  });
  afterEach(async () => {
    raw.close();
    await s.teardown();
  });

  it("says once that it can't read it yet, then answers it when the key arrives", async () => {
    const bot = s.startBot();
    await bot.ready();
    const room = await s.encryptedRoom();
    await s.officer.invite(room, late.userId);
    await raw.api.join(room);
    await s.officer.waitForMembership(room, late.userId, "join");

    const { eventId, keys } = await raw.sendWithheldKey(room, [late.userId, s.account.userId], "!status");
    const notice = await s.officer.waitForMessage(
      room,
      (m) => m.sender === s.account.userId && m.replyTo === eventId,
    );
    expect(notice.body).toMatch(
      new RegExp(`I can't read ${late.userId}'s message from \\d\\d:\\d\\dZ yet \\(missing key\\)`),
    );
    expect(notice.encrypted).toBe(true);

    await raw.deliver(keys);
    await bot.waitForLog(/decrypted a message after its key arrived/);
    const answer = await s.officer.waitForMessage(
      room,
      (m) => m.sender === s.account.userId && m.replyTo === eventId && m.body.startsWith("Tearline"),
    );
    expect(answer.encrypted).toBe(true);
    const marker = await s.officer.send(room, "!status");
    await s.officer.waitForMessage(room, (m) => m.replyTo === marker);
    expect(repliesTo(s.officer, room, s.account.userId, eventId)).toHaveLength(2); // the notice, then the answer
  });
});
