import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotProcess, registerBot, rosterConfig } from "../support/botProcess.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { exemptFromRateLimits, type Homeserver, startHomeserver } from "../support/homeserver.ts";
import { Officer } from "../support/officer.ts";
import { reactionsTo, repliesTo } from "../support/scene.ts";

// Its own Synapse with the default rc_message (0.2/s, burst 10): the bot must hit M_LIMIT_EXCEEDED.
describe("under the homeserver's default message rate limit", () => {
  let hs: Homeserver;
  let db: TestDatabase;
  let officer: Officer;
  let bot: BotProcess;

  beforeAll(async () => {
    hs = await startHomeserver({ rateLimited: true });
    db = await createTestDatabase("rl");
  });
  afterAll(async () => {
    await bot?.stop();
    await officer?.stop();
    await db?.drop();
    await hs?.stop();
  });

  it("waits as asked and delivers every reply exactly once, dropping nothing", async () => {
    officer = await Officer.create(hs);
    await exemptFromRateLimits(hs, officer.userId);
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
    // 7 commands = 14 bot events (reply + reaction): more than the burst of 10.
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) sent.push(await officer.send(room, "!status"));
    await officer.waitFor(
      "every reply and reaction",
      () =>
        sent.every(
          (id) =>
            repliesTo(officer, room, account.userId, id).length > 0 &&
            reactionsTo(officer, room, account.userId, id).length > 0,
        )
          ? true
          : undefined,
      120_000,
    );
    expect(bot.lines.some((l) => l.includes("M_LIMIT_EXCEEDED"))).toBe(true);
    for (const id of sent) {
      expect(repliesTo(officer, room, account.userId, id)).toHaveLength(1);
      expect(reactionsTo(officer, room, account.userId, id)).toHaveLength(1);
    }
  }, 150_000);
});
