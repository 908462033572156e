/** A fresh scene per test: its own database, bot account, officer, and an encrypted room they share. */
import { inject } from "vitest";
import { type BotAccount, BotProcess, registerBot, rosterConfig } from "./botProcess.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";
import { Officer } from "./officer.ts";

type HomeserverInfo = { url: string; sharedSecret: string };

export interface Scene {
  hs: HomeserverInfo;
  db: TestDatabase;
  account: BotAccount;
  officer: Officer;
  config: Record<string, unknown>;
  startBot(env?: Record<string, string>): BotProcess;
  /** An encrypted room with the officer and the bot joined. */
  encryptedRoom(): Promise<string>;
  teardown(): Promise<void>;
}

export async function createScene(
  opts: {
    config?: (officer: Officer) => Record<string, unknown>;
    /** A homeserver of the test's own (default: the run's shared one). The scene does not stop it. */
    homeserver?: HomeserverInfo;
    /** A PostgreSQL server of the test's own (default: DATABASE_URL's). */
    databaseUrl?: string;
  } = {},
): Promise<Scene> {
  const hs = opts.homeserver ?? inject("homeserver");
  const db = await createTestDatabase("e2e", opts.databaseUrl);
  const account = await registerBot(hs);
  const officer = await Officer.create(hs);
  const config = opts.config?.(officer) ?? rosterConfig([officer.userId]);
  const bots: BotProcess[] = [];
  const officers: Officer[] = [officer];
  return {
    hs,
    db,
    account,
    officer,
    config,
    startBot(env = {}) {
      const bot = BotProcess.start({ homeserverUrl: hs.url, databaseUrl: db.url, account, config, env });
      bots.push(bot);
      return bot;
    },
    async encryptedRoom() {
      const room = await officer.createRoom({ encrypted: true, invite: [account.userId] });
      await officer.waitForMembership(room, account.userId, "join");
      return room;
    },
    async teardown() {
      await Promise.all(bots.map((b) => b.stop()));
      await Promise.all(officers.map((o) => o.stop()));
      await db.drop();
    },
  };
}

/** Replies from the bot to one command, as the officer received them. */
export function repliesTo(officer: Officer, roomId: string, botUserId: string, commandEventId: string) {
  return officer.messagesFrom(roomId, botUserId).filter((m) => m.replyTo === commandEventId);
}

/** The bot's reactions (✅/❌) to one command. */
export function reactionsTo(officer: Officer, roomId: string, botUserId: string, commandEventId: string) {
  return officer.eventsIn(roomId).filter((e) => {
    const rel = e.content["m.relates_to"] as { event_id?: string } | undefined;
    return e.type === "m.reaction" && e.sender === botUserId && rel?.event_id === commandEventId;
  });
}
