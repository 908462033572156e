/**
 * The bot on its embedded default: no DATABASE_URL in its environment (and PGHOST/PGPORT at a
 * dead port, so nothing can fall back to the PostgreSQL server), PGlite in a temp folder, a real
 * Synapse and an officer in an encrypted room.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { LOCK_FILE } from "../../src/db/dataDirLock.ts";
import { type BotProcess, BotProcess as Bot, registerBot, rosterConfig } from "../support/botProcess.ts";
import { Officer } from "../support/officer.ts";

const NO_POSTGRES = { PGHOST: "127.0.0.1", PGPORT: "1" };

describe("the bot on the embedded database", () => {
  const bots: BotProcess[] = [];
  const officers: Officer[] = [];
  afterEach(async () => {
    await Promise.all(bots.map((b) => b.stop()));
    await Promise.all(officers.map((o) => o.stop()));
  });

  it("answers commands with no DATABASE_URL, refuses a second instance, and restarts after a crash", async () => {
    const hs = inject("homeserver");
    const account = await registerBot(hs);
    const officer = await Officer.create(hs);
    officers.push(officer);
    const dataDir = join(mkdtempSync(join(tmpdir(), "tearline-e2e-data-")), "data");
    const start = () => {
      const b = Bot.start({
        homeserverUrl: hs.url,
        dataDir,
        account,
        config: rosterConfig([officer.userId]),
        env: NO_POSTGRES,
      });
      bots.push(b);
      return b;
    };
    const bot = start();
    await bot.ready(180_000);
    expect(bot.lines.join("\n")).toContain(`"msg":"database: embedded PGlite at ${dataDir}"`);
    expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), "utf8"))).toMatchObject({ pid: bot.child.pid });

    const room = await officer.createRoom({ encrypted: true, invite: [account.userId] });
    await officer.waitForMembership(room, account.userId, "join");
    const replyTo = (id: string, timeoutMs?: number) =>
      officer.waitForMessage(room, (m) => m.sender === account.userId && m.replyTo === id, timeoutMs);
    const status = await officer.send(room, "!status");
    const reply = await replyTo(status);
    expect(reply.encrypted).toBe(true);
    expect(reply.body).toMatch(/^Database: ok \(embedded PGlite\) · outbox backlog \d+$/m);

    // A burst: sync, dispatch transactions and outbox lanes share PGlite's one connection.
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        officer.send(room, i % 2 === 0 ? `!sight vessel 12.5${i},-79.2${i}` : "!status"),
      ),
    );
    const replies = await Promise.all(burst.map((id) => replyTo(id, 120_000)));
    const refs = replies.flatMap((r) => r.body.match(/\bS-\d+\b/g)?.slice(0, 1) ?? []).sort();
    expect(refs).toEqual(["S-1", "S-2", "S-3"]);

    // A second instance on the same folder says why it cannot be a standby, and goes.
    const second = start();
    expect(await second.exited).toBe(1);
    expect(second.lines.join("\n")).toContain(`held by another process (pid ${bot.child.pid}`);
    expect(second.lines.join("\n")).toContain(
      "move to a PostgreSQL server (set DATABASE_URL) for a hot standby",
    );

    // A crash leaves the lock behind; the next start takes it over and keeps the device and the rows.
    await bot.kill9();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(true);
    const again = start();
    await again.ready(180_000);
    const list = await officer.send(room, "!sightings");
    const listed = await replyTo(list, 120_000);
    expect(listed.body).toMatch(/S-1[\s\S]*S-2[\s\S]*S-3|S-3[\s\S]*S-2[\s\S]*S-1/);
    await again.stop();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false); // released on a clean stop
  }, 600_000);
});
