import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Homeserver, startHomeserver } from "../support/homeserver.ts";
import { createScene, repliesTo, type Scene } from "../support/scene.ts";

// Its own Synapse, so that stopping it disturbs no other test.
describe("when the homeserver goes away for a while", () => {
  let hs: Homeserver;
  let s: Scene | undefined;

  beforeAll(async () => {
    hs = await startHomeserver();
  });
  afterAll(async () => {
    await s?.teardown();
    await hs?.stop();
  });

  it("keeps retrying without crashing, and answers again once it is back", async () => {
    s = await createScene({ homeserver: hs });
    const bot = s.startBot();
    await bot.ready();
    const room = await s.encryptedRoom();
    const before = await s.officer.send(room, "!status");
    await s.officer.waitForMessage(room, (m) => m.replyTo === before);

    const mark = bot.lines.length;
    await hs.restart(4_000);
    await bot.waitForLog(/sync failed; retrying|homeserver unreachable/, 30_000, mark);
    const after = await s.officer.send(room, "!status");
    const reply = await s.officer.waitForMessage(room, (m) => m.replyTo === after, 60_000);
    expect(reply.body).toMatch(/^Tearline /);
    expect(bot.child.exitCode).toBeNull();
    expect(repliesTo(s.officer, room, s.account.userId, before)).toHaveLength(1);
  }, 120_000);
});
