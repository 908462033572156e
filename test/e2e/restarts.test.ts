/**
 * Issue 9: the bot's two servers restarted in the middle of a workload (60 commands in three rooms,
 * 4 alerts relayed to two rooms). PostgreSQL: a cluster of this test's own (pgCluster.ts), since
 * restarting the shared one would break every other file running in parallel; skipped, saying why,
 * where the tools or root are missing. Synapse: one of its own, `hs.restart`. Either way nothing is
 * lost or doubled (faultWorkload.ts `expectExactlyOnce`).
 *
 * When PostgreSQL goes away the bot loses its device-lock session; by design it then exits (status 1,
 * "lost the device lock") rather than risk a second writer, and its supervisor starts it again — the
 * test plays the supervisor. If it kept its lock (the restart fell between its queries), it must go
 * on by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../support/botProcess.ts";
import {
  botEvents,
  botJoined,
  expectExactlyOnce,
  type RoomName,
  sendAll,
  setUpRooms,
  waitForQuiet,
  workload,
} from "../support/faultWorkload.ts";
import { type Homeserver, startHomeserver } from "../support/homeserver.ts";
import { clusterUnavailable, createCluster, type PgCluster } from "../support/pgCluster.ts";
import { createScene, type Scene } from "../support/scene.ts";

/**
 * Findings of its first runs, now handled: on a PostgreSQL restart postgres.js 3.4.9 could throw an
 * uncatchable `TypeError: Cannot read properties of null (reading 'write')` (a write on a closed
 * socket, porsager/postgres#1208); the bot now recognises it (src/db/driverFault.ts) and exits 1
 * in order, as on a lost lock. Exiting rather than re-taking the lock in-process: the restart
 * ended the lock's session, so a standby may already hold the device, and a fresh start resumes
 * from what is durable (write-ahead) with no in-memory state to doubt. The Synapse test had waited
 * for "15 more" events counted after its sending, which on a fast run never came.
 */
const noCluster = clusterUnavailable();
if (noCluster) console.warn(`restarts.test.ts: skipping the PostgreSQL restart: ${noCluster}`);

/** Resolves once the officer has seen `n` more bot events in the rooms than `from` (now, by default). */
function progress(s: Scene, rooms: Record<RoomName, string>, n: number, from = botEvents(s, rooms).length) {
  return s.officer.waitFor(
    `${n} more bot events`,
    () => (botEvents(s, rooms).length >= from + n ? true : undefined),
    120_000,
  );
}

describe("a workload across a server restart", () => {
  let hs: Homeserver;
  let pg: PgCluster | undefined;
  const scenes: Scene[] = [];

  beforeAll(async () => {
    hs = await startHomeserver();
  });
  afterAll(async () => {
    for (const s of scenes) await s.teardown().catch(() => {});
    await pg?.drop();
    await hs?.stop();
  });

  it.skipIf(noCluster !== undefined)(
    "PostgreSQL restarted mid-workload: the bot pauses, recovers (restarted if it gave up its lock) and loses nothing",
    async () => {
      pg = await createCluster();
      const s = await createScene({ homeserver: hs, databaseUrl: pg.url });
      scenes.push(s);
      const rooms = await setUpRooms(s);
      let bot: BotProcess = s.startBot();
      await bot.ready();
      await botJoined(s, rooms);
      const commands = workload(20, 4);
      const sending = sendAll(s.officer, rooms, commands);
      await progress(s, rooms, 15);
      const mark = bot.lines.length;
      await pg.restart();
      const outcome = await Promise.race([
        bot.exited.then((code) => ({ exited: code })),
        progress(s, rooms, 10).then(() => ({ exited: undefined })),
      ]);
      if (outcome.exited !== undefined) {
        expect(outcome.exited).toBe(1);
        expect(bot.lines.slice(mark).join("\n")).toMatch(/lost the device lock|lost the database connection/);
        bot = s.startBot();
        await bot.ready();
      }
      await sending;
      await waitForQuiet(s, rooms, commands, 180_000);
      await expectExactlyOnce(s, rooms, commands);
      console.log(
        `PostgreSQL restart: the bot ${outcome.exited !== undefined ? "exited and was restarted" : "went on by itself"}`,
      );
    },
    300_000,
  );

  it("Synapse restarted mid-workload: the bot retries, and loses nothing", async () => {
    const s = await createScene({ homeserver: hs });
    scenes.push(s);
    const rooms = await setUpRooms(s);
    const bot = s.startBot();
    await bot.ready();
    await botJoined(s, rooms);
    // The officer's client is no subject here: it sends half, and the rest once Synapse is back.
    const commands = workload(20, 4);
    const half = commands.filter((_, i) => i % 2 === 0);
    // Counted from before the sending: on a fast run the bot has answered all of `half` by the
    // time the last one is sent, and "15 more from now" would never come.
    const before = botEvents(s, rooms).length;
    await sendAll(s.officer, rooms, half);
    await progress(s, rooms, 15, before);
    console.log(`Synapse restart after ${botEvents(s, rooms).length} bot events of ${half.length * 2}+`);
    const mark = bot.lines.length;
    await hs.restart(3_000);
    await bot.waitForLog(/sync failed; retrying|homeserver unreachable|retry/i, 60_000, mark);
    await sendAll(
      s.officer,
      rooms,
      commands.filter((_, i) => i % 2 === 1),
    );
    // The officer's matrix-js-sdk sync can come back from the outage `limited` and skip events the
    // bot did send (suspected in a failed run: 13 commands "unanswered", none unrelayed): the
    // officer re-reads the rooms' history now and then, so that only what the bot missed counts.
    await waitForQuiet(s, rooms, commands, 180_000, { refetchEveryMs: 10_000 });
    expect(bot.child.exitCode).toBeNull();
    await expectExactlyOnce(s, rooms, commands);
  }, 300_000);
});
