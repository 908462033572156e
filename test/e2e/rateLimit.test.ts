import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exemptFromRateLimits, type Homeserver, startHomeserver } from "../support/homeserver.ts";
import { createScene, reactionsTo, repliesTo, type Scene } from "../support/scene.ts";

// Its own Synapse with the default rc_message (0.2/s, burst 10): the bot must hit M_LIMIT_EXCEEDED.
describe("under the homeserver's default message rate limit", () => {
  let hs: Homeserver;
  let s: Scene | undefined;

  beforeAll(async () => {
    hs = await startHomeserver({ rateLimited: true });
  });
  afterAll(async () => {
    await s?.teardown();
    await hs?.stop();
  });

  it("waits as asked and delivers every reply exactly once, dropping nothing", async () => {
    s = await createScene({ homeserver: hs });
    await exemptFromRateLimits(hs, s.officer.userId);
    const bot = s.startBot();
    await bot.ready();
    const room = await s.encryptedRoom();
    // 7 commands = 14 bot events (reply + reaction): more than the burst of 10.
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) sent.push(await s.officer.send(room, "!status"));
    const answered = (id: string) =>
      repliesTo(s!.officer, room, s!.account.userId, id).length > 0 &&
      reactionsTo(s!.officer, room, s!.account.userId, id).length > 0;
    await s.officer.waitFor(
      "every reply and reaction",
      () => (sent.every(answered) ? true : undefined),
      120_000,
    );
    expect(bot.lines.some((l) => l.includes("M_LIMIT_EXCEEDED"))).toBe(true);
    for (const id of sent) {
      expect(repliesTo(s.officer, room, s.account.userId, id)).toHaveLength(1);
      expect(reactionsTo(s.officer, room, s.account.userId, id)).toHaveLength(1);
    }
  }, 150_000);
});
