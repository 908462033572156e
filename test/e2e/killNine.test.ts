/**
 * Issue 9: `kill -9` at five seeded points during a night's workload — 201 commands in three rooms,
 * 12 alerts relayed from one to the other two under an auto rule (24 copies) and 2 that may not
 * leave. Each kill point is either the bot's own SIGKILL at a TEARLINE_FAULT hook (right after the
 * N-th outbox PUT before it is marked sent, or after the N-th handled event before the sync token is
 * saved) or ours at a seeded count of bot events seen by the officer, whichever comes first: both
 * are kills mid-work, and the count bounds each life so the five always fit in the workload. After
 * the last restart: every command has exactly one reply and one reaction, every relay one copy per
 * allowed target, and the database agrees with the rooms (faultWorkload.ts `expectExactlyOnce`).
 * TEARLINE_FAULT_SEED=<n> replays a run's kill points (the seed is printed).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  botEvents,
  expectExactlyOnce,
  faultSeed,
  prng,
  type RoomName,
  sendAll,
  setUpRooms,
  waitForQuiet,
  workload,
} from "../support/faultWorkload.ts";
import { createScene, type Scene } from "../support/scene.ts";

const KILLS = 5;

describe("a bot killed with SIGKILL five times in a busy night", () => {
  let s: Scene;
  let rooms: Record<RoomName, string>;

  beforeEach(async () => {
    s = await createScene();
    rooms = await setUpRooms(s);
  });
  afterEach(async () => {
    await s.teardown();
  });

  it("loses nothing and doubles nothing: one reply per command, one copy per target, and the database agrees", async () => {
    const seed = faultSeed("killNine");
    const random = prng(seed);
    const commands = workload(67, 12);
    expect(commands.length).toBeGreaterThanOrEqual(200);

    let bot = s.startBot();
    await bot.ready();
    await Promise.all(
      Object.values(rooms).map((r) => s.officer.waitForMembership(r, s.account.userId, "join")),
    );
    const sending = sendAll(s.officer, rooms, commands);

    const kills: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      // A life of 8–45 more bot events seen, or less if the seeded fault hook fires first.
      const life = 8 + Math.floor(random() * 38);
      const hook =
        random() < 0.5
          ? `crash-after-sent:${2 + Math.floor(random() * 20)}`
          : `crash-after-handled:${2 + Math.floor(random() * 20)}`;
      const useHook = i > 0 && random() < 0.6;
      if (i > 0) {
        bot = s.startBot(useHook ? { TEARLINE_FAULT: hook } : {});
        await bot.ready().catch(async (e) => {
          // A hook may fire during start-up's own catch-up: that is a kill too.
          if (bot.child.signalCode === null) throw e;
        });
      }
      const from = botEvents(s, rooms).length;
      const died = bot.exited.then(() => "hook" as const);
      const counted = s.officer
        .waitFor(
          "more bot events",
          () => (botEvents(s, rooms).length >= from + life ? true : undefined),
          120_000,
        )
        .then(
          () => "count" as const,
          () => "stalled" as const,
        );
      const how = await Promise.race([died, counted]);
      if (how === "stalled")
        throw new Error(`no progress in life ${i + 1}:\n${bot.lines.slice(-20).join("\n")}`);
      if (how === "count") await bot.kill9();
      expect(bot.child.signalCode).toBe("SIGKILL");
      kills.push(
        how === "hook"
          ? `${hook} after ${botEvents(s, rooms).length - from} events`
          : `kill -9 after ${life} events`,
      );
    }
    console.log(`killNine seed ${seed}: ${kills.join("; ")}`);
    await sending;
    const seenBeforeLastStart = botEvents(s, rooms).length;
    expect(seenBeforeLastStart).toBeLessThan(commands.length * 2);

    bot = s.startBot();
    await bot.ready();
    await waitForQuiet(s, rooms, commands, 180_000);
    await expectExactlyOnce(s, rooms, commands);
  }, 420_000);
});
