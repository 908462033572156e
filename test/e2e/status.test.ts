import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { BotProcess, registerBot, rosterConfig, type BotAccount } from "../support/botProcess.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { Officer } from "../support/officer.ts";

const hs = inject("homeserver");

describe("an officer and the bot in an encrypted room", () => {
  let db: TestDatabase;
  let account: BotAccount;
  let officer: Officer;
  const bots: BotProcess[] = [];
  const start = (config: Record<string, unknown>) => {
    const bot = BotProcess.start({ homeserverUrl: hs.url, databaseUrl: db.url, account, config });
    bots.push(bot);
    return bot;
  };

  beforeEach(async () => {
    db = await createTestDatabase("e2e");
    account = await registerBot(hs);
    officer = await Officer.create(hs);
  });

  afterEach(async () => {
    await Promise.all(bots.splice(0).map((b) => b.stop()));
    await officer.stop();
    await db.drop();
  });

  it("answers !status with an encrypted reply that the officer decrypts", async () => {
    const bot = start(rosterConfig([officer.userId]));
    await bot.ready();
    const room = await officer.createRoom({ encrypted: true, invite: [account.userId] });
    await officer.waitForMembership(room, account.userId, "join");
    const command = await officer.send(room, "!status");
    const reply = await officer.waitForMessage(room, (m) => m.sender === account.userId && m.replyTo === command);
    expect(reply.encrypted).toBe(true);
    expect(reply.body).toMatch(/^Tearline \d+\.\d+\.\d+/);
    expect(reply.body).toMatch(/Device \w+ · fingerprint/);
    expect(reply.body).toContain("Database: ok");
  });
});
