/**
 * Issue 7: `kill -9` during a fan-out. One text alert under an auto rule to five rooms; the bot dies
 * (SIGKILL) right after its 4th outbox PUT, before marking it sent — with the !alert's reply and
 * reaction the only other PUTs, that is after 2 to 4 of the 5 copies were answered (the rooms'
 * lanes run side by side, so more may have reached Synapse). After a restart every target room has
 * exactly one copy, as an officer in all of them sees it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copiesIn, roomsByAdmin } from "../support/alerts.ts";
import { createScene, repliesTo, type Scene } from "../support/scene.ts";

const TARGETS = ["t-1", "t-2", "t-3", "t-4", "t-5"];

describe("a fan-out that survives kill -9", () => {
  let s: Scene;
  let rooms: Record<string, string>;

  beforeEach(async () => {
    s = await createScene();
    rooms = await roomsByAdmin(
      s.hs,
      s.account.userId,
      Object.fromEntries(["src", ...TARGETS].map((alias) => [alias, [s.officer]])),
    );
    s.config.partners = { COL: { name: "Colombian Navy" }, USA: { name: "US Coast Guard" } };
    s.config.rooms = Object.fromEntries(
      Object.entries(rooms).map(([alias, room]) => [alias, { room, partners: ["COL", "USA"] }]),
    );
    s.config.roster = { [s.officer.userId]: { partner: "COL", roles: ["liaison", "duty_officer"] } };
    s.config.sharing = [{ from: "src", to: TARGETS, kinds: ["text"], max_tlp: "amber", approval: "auto" }];
  });
  afterEach(async () => {
    await s.teardown();
  });

  it("after kill -9 in the middle of relaying to 5 rooms, each room has exactly one copy", async () => {
    const crashing = s.startBot({ TEARLINE_FAULT: "crash-after-sent:4" });
    await crashing.ready();
    await Promise.all(
      Object.values(rooms).map((room) => s.officer.waitForMembership(room, s.account.userId, "join")),
    );
    const command = await s.officer.send(rooms.src!, "!alert tlp=amber -- go-fast heading north, 30 kt");
    const outcome = await Promise.race([crashing.exited, sleep(45_000).then(() => "still running")]);
    expect(outcome).toBeNull(); // killed by its own SIGKILL mid fan-out
    // Killed before the fan-out was done: copies left unsent, or PUT and not yet marked sent (the
    // restart PUTs those again under the same transaction id, which Synapse must deduplicate).
    // How many copies the officer saw already depends on how many PUTs were in flight at the kill.
    const [left] = await s.db.sql<{ n: number }[]>`
      select count(*)::int as n from outbox where sent_at is null and ref like 'alert:%'`;
    expect(left?.n).toBeGreaterThan(0);

    const second = s.startBot();
    await second.ready();
    await s.officer.waitFor(
      "a copy in every target room",
      () =>
        TARGETS.every((t) => copiesIn(s.officer, rooms[t]!, s.account.userId).length > 0) ? true : undefined,
      90_000,
    );
    // A round trip in each room bounds what the restarted bot still had queued there.
    for (const t of ["src", ...TARGETS]) {
      const marker = await s.officer.send(rooms[t]!, "!status");
      await s.officer.waitForMessage(rooms[t]!, (m) => m.replyTo === marker);
    }
    const counts = Object.fromEntries(
      TARGETS.map((t) => [t, copiesIn(s.officer, rooms[t]!, s.account.userId).length]),
    );
    expect(counts).toEqual(Object.fromEntries(TARGETS.map((t) => [t, 1])));
    const refs = new Set(
      TARGETS.map((t) => copiesIn(s.officer, rooms[t]!, s.account.userId)[0]?.body.split(" ")[2]),
    );
    expect(refs.size).toBe(1); // one alert, not one per attempt
    expect(repliesTo(s.officer, rooms.src!, s.account.userId, command)).toHaveLength(1);
  });
});
