import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { enqueue } from "../../src/db/queries/events.ts";
import { createScene, reactionsTo, type Scene } from "../support/scene.ts";

/** Polls the bot's database (it has no events to wait on) until `check` gives a value. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

describe("the outbox, for a room the bot was kicked from", () => {
  let s: Scene;
  beforeEach(async () => {
    s = await createScene();
  });
  afterEach(async () => {
    await s.teardown();
  });

  it("drops that room's queued messages with an audit entry and still delivers the other rooms'", async () => {
    await s.startBot().ready();
    const gone = await s.encryptedRoom();
    const kept = await s.encryptedRoom();
    const hello = await s.officer.send(gone, "!status");
    await s.officer.waitForMessage(gone, (m) => m.sender === s.account.userId && m.replyTo === hello);
    // And its ✅, so nothing of the bot's own is still queued for the room when it is kicked.
    await s.officer.waitFor(
      "the ✅ on !status",
      () => reactionsTo(s.officer, gone, s.account.userId, hello)[0],
    );
    await s.officer.client.kick(gone, s.account.userId, "testing");
    await s.officer.waitForMembership(gone, s.account.userId, "leave");

    // As if queued just before the kick: older than the other room's message.
    const notice = (roomId: string, body: string) => ({
      roomId,
      eventType: "m.room.message",
      content: { msgtype: "m.notice", body },
    });
    await enqueue(s.db.db, [
      notice(gone, "for the room we left, 1"),
      notice(gone, "for the room we left, 2"),
      notice(kept, "for the room we are in"),
    ]);

    await s.officer.waitForMessage(kept, (m) => m.body === "for the room we are in");
    const dropped = await eventually("the dropped rows", async () => {
      const rows = await s.db.sql<{ attempts: number; last_error: string | null }[]>`
        select attempts, last_error from outbox
        where room_id = ${gone} and sent_at is null and content->>'body' like 'for the room we left%'`;
      return rows.length === 2 && rows.every((r) => r.last_error === "left the room") ? rows : undefined;
    });
    expect(dropped).toHaveLength(2);
    const audit = await s.db.sql<{ room_id: string; count: number }[]>`
      select room_id, (detail->>'count')::int as count from audit_log where action = 'outbox.dropped'`;
    expect([...audit]).toEqual([{ room_id: gone, count: 2 }]);
  }, 90_000);
});
