import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotProcess, registerBot, rosterConfig } from "../support/botProcess.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { type Homeserver, startHomeserver } from "../support/homeserver.ts";
import { Officer } from "../support/officer.ts";
import { repliesTo } from "../support/scene.ts";

// Its own Synapse, so that stopping it disturbs no other test.
describe("when the homeserver goes away for a while", () => {
  let hs: Homeserver;
  let db: TestDatabase;
  let officer: Officer | undefined;
  let bot: BotProcess | undefined;

  beforeAll(async () => {
    hs = await startHomeserver();
    db = await createTestDatabase("outage");
  });
  afterAll(async () => {
    await bot?.stop();
    await officer?.stop();
    await db?.drop();
    await hs?.stop();
  });

  it("keeps retrying without crashing, and answers again once it is back", async () => {
    officer = await Officer.create(hs);
    const account = await registerBot(hs);
    bot = BotProcess.start({
      homeserverUrl: hs.url,
      databaseUrl: db.url,
      account,
      config: rosterConfig([officer.userId]),
    });
    await bot.ready();
    const room = await officer.createRoom({ encrypted: true, invite: [account.userId] });
    await officer.waitForMembership(room, account.userId, "join");
    const before = await officer.send(room, "!status");
    await officer.waitForMessage(room, (m) => m.replyTo === before);

    const mark = bot.lines.length;
    await hs.restart(4_000);
    await bot.waitForLog(/sync failed; retrying|homeserver unreachable/, 30_000, mark);
    const after = await officer.send(room, "!status");
    const reply = await officer.waitForMessage(room, (m) => m.replyTo === after, 60_000);
    expect(reply.body).toMatch(/^Tearline /);
    expect(bot.child.exitCode).toBeNull();
    expect(repliesTo(officer, room, account.userId, before)).toHaveLength(1);
  }, 120_000);
});
