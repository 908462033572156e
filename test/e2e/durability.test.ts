import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createScene, reactionsTo, repliesTo, type Scene } from "../support/scene.ts";

const statusReply = /^Tearline \d+\.\d+\.\d+/;

async function session(s: Scene) {
  const rows = await s.db.sql<{ value: { deviceId: string; accessToken: unknown } }[]>`
    select value from bot_state where key = 'matrix.session'`;
  return rows[0]?.value;
}

/** Waits for a reply to every command, then (after a marker round trip) checks none came twice. */
async function expectExactlyOneAnswerEach(s: Scene, room: string, sent: string[]): Promise<void> {
  const bot = s.account.userId;
  await s.officer.waitFor(
    "a reply to every command",
    () => (sent.every((id) => repliesTo(s.officer, room, bot, id).length > 0) ? true : undefined),
    90_000,
  );
  const marker = await s.officer.send(room, "!status");
  await s.officer.waitForMessage(room, (m) => m.replyTo === marker);
  for (const id of sent) {
    expect(repliesTo(s.officer, room, bot, id)).toHaveLength(1);
    expect(reactionsTo(s.officer, room, bot, id)).toHaveLength(1);
  }
}

describe("a bot that survives restarts", () => {
  let s: Scene;
  beforeEach(async () => {
    s = await createScene();
  });
  afterEach(async () => {
    await s.teardown();
  });

  it("keeps its device across a restart and still decrypts and answers", async () => {
    const first = s.startBot();
    await first.ready();
    const room = await s.encryptedRoom();
    await s.encryptedRoom(); // a second room, quiet after the restart
    const before = await s.officer.send(room, "!status");
    await s.officer.waitForMessage(room, (m) => m.replyTo === before);
    const device = await session(s);
    await first.stop();

    const second = s.startBot();
    await second.ready();
    expect(second.lines.some((l) => l.includes("reusing the stored device"))).toBe(true);
    expect(second.lines.some((l) => l.includes("logged in with a new device"))).toBe(false);
    expect(await session(s)).toEqual(device);
    const after = await s.officer.send(room, "!status");
    const reply = await s.officer.waitForMessage(room, (m) => m.replyTo === after);
    expect(reply.encrypted).toBe(true);
    expect(reply.body).toContain(`Device ${device?.deviceId}`);
    expect(reply.body).toContain("Rooms joined: 2");
    await second.stop();

    // The stored access token is sealed with the passphrase: a wrong one cannot start the bot.
    expect(device?.accessToken).toMatchObject({ v: 1 });
    const wrong = s.startBot({ TEARLINE_STORE_PASSPHRASE: "not the passphrase" });
    expect(await wrong.exited).toBe(1);
    expect(wrong.lines.join("\n")).toContain("TEARLINE_STORE_PASSPHRASE does not open the stored session");
  });

  it("answers each command sent while it was down exactly once, beyond a sync's timeline limit", async () => {
    const env = { TEARLINE_SYNC_TIMELINE_LIMIT: "5" };
    const first = s.startBot(env);
    await first.ready();
    const room = await s.encryptedRoom();
    const warm = await s.officer.send(room, "!status");
    await s.officer.waitForMessage(room, (m) => m.replyTo === warm);
    await first.stop();

    const offline: string[] = [];
    for (let i = 0; i < 12; i++) offline.push(await s.officer.send(room, i % 2 ? "!status" : "!help status"));
    const second = s.startBot(env);
    await second.ready();
    await second.waitForLog(/backfilled a limited timeline/);
    const last = offline.at(-1)!;
    await s.officer.waitForMessage(room, (m) => m.replyTo === last);
    // Everything queued is out once the last one is; a later marker proves nothing more is coming.
    const marker = await s.officer.send(room, "!status");
    await s.officer.waitForMessage(room, (m) => m.replyTo === marker);
    for (const id of offline) expect(repliesTo(s.officer, room, s.account.userId, id)).toHaveLength(1);
    await second.stop();

    // And a third start does not answer them again.
    const third = s.startBot(env);
    await third.ready();
    const marker2 = await s.officer.send(room, "!status");
    await s.officer.waitForMessage(room, (m) => m.replyTo === marker2);
    for (const id of offline) expect(repliesTo(s.officer, room, s.account.userId, id)).toHaveLength(1);
  });

  it("after kill -9 in the middle of a burst of 50 commands, every command has exactly one reply", async () => {
    const first = s.startBot();
    await first.ready();
    const room = await s.encryptedRoom();
    const sent = await Promise.all(
      Array.from({ length: 50 }, (_, i) => s.officer.send(room, i % 2 ? "!status" : "!help")),
    );
    // Kill it while it is working through them: after a few replies, well before the last.
    await s.officer.waitFor("a few replies", () =>
      s.officer.messagesFrom(room, s.account.userId).filter((m) => m.replyTo).length >= 5 ? true : undefined,
    );
    await first.kill9();
    const answeredBeforeCrash = new Set(s.officer.messagesFrom(room, s.account.userId).map((m) => m.replyTo));
    expect(answeredBeforeCrash.size).toBeLessThan(50);

    const second = s.startBot();
    await second.ready();
    await expectExactlyOneAnswerEach(s, room, sent);
  });

  it.each([
    ["after handling 20 events, before the sync token is saved", "crash-after-handled:20"],
    ["after sending 9 messages, before the outbox marks them sent", "crash-after-sent:9"],
  ])("a crash %s still gives every command exactly one reply", async (_, fault) => {
    const crashing = s.startBot({ TEARLINE_FAULT: fault });
    await crashing.ready();
    const room = await s.encryptedRoom();
    const sent: string[] = [];
    for (let i = 0; i < 30; i++) sent.push(await s.officer.send(room, i % 2 ? "!status" : "!help"));
    expect(await crashing.exited).toBeNull(); // killed by its own SIGKILL, not a clean exit

    const second = s.startBot();
    await second.ready();
    await expectExactlyOneAnswerEach(s, room, sent);
  });

  it.each([
    ["is killed (kill -9)", "kill"],
    ["loses its database connection (it then exits at once)", "disconnect"],
  ] as const)(
    "a standby on the same database does nothing until the active instance %s, then takes over",
    async (_, how) => {
      const first = s.startBot();
      await first.ready();
      const standby = s.startBot();
      await standby.waitForLog(/waiting for the device lock/);
      const room = await s.encryptedRoom();
      const one = await s.officer.send(room, "!status");
      const reply = await s.officer.waitForMessage(room, (m) => m.replyTo === one);
      expect(reply.body).toMatch(statusReply);
      expect(standby.lines.some((l) => l.includes("holding the device lock"))).toBe(false);

      if (how === "kill") await first.kill9();
      else {
        await s.db.sql`
        select pg_terminate_backend(l.pid) from pg_locks l
        where l.locktype = 'advisory' and l.objid = ${0x7465_726c} and l.granted
          and l.database = (select oid from pg_database where datname = current_database())`;
        expect(await first.exited).toBe(1);
        expect(first.lines.some((l) => l.includes("lost the device lock"))).toBe(true);
      }
      await standby.ready();
      expect(standby.lines.find((l) => l.includes("holding the device lock"))).toContain('"epoch":2');
      const two = await s.officer.send(room, "!status");
      await s.officer.waitForMessage(room, (m) => m.replyTo === two);
      await expectExactlyOneAnswerEach(s, room, [one, two]);
    },
  );

  it("a new device of the officer, logged in after the bot's first message, reads the bot's next one", async () => {
    await s.startBot().ready();
    const room = await s.encryptedRoom();
    const first = await s.officer.send(room, "!status");
    await s.officer.waitForMessage(room, (m) => m.replyTo === first);
    const { Officer } = await import("../support/officer.ts");
    const phone = await Officer.login(s.hs, s.officer.userId, s.officer.password);
    try {
      await s.officer.waitForDevice(s.officer.userId, phone.deviceId);
      const next = await s.officer.send(room, "!status");
      const seen = await phone.waitForMessage(
        room,
        (m) => m.sender === s.account.userId && m.replyTo === next,
      );
      expect(seen.encrypted).toBe(true);
      expect(seen.body).toMatch(statusReply);
    } finally {
      await phone.stop();
    }
  });
});
