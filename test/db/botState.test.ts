import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getState, setStates } from "../../src/db/queries/botState.ts";
import { type DbUnderTest, ENGINES } from "../support/database.ts";

describe.each(ENGINES)("bot_state ($name)", (engine) => {
  let db: DbUnderTest;
  beforeAll(async () => {
    db = await engine.open("botstate");
  });
  afterAll(async () => {
    await db.drop();
  });

  it("saves several keys in one statement, new and existing, a key given twice keeping its last value", async () => {
    await setStates(db.db, [["sync.next_batch", "s1"]]);
    await setStates(db.db, [
      ["sync.mark:!a:x", { eventId: "$1", ts: 1 }],
      ["sync.next_batch", "s2"],
      ["sync.mark:!a:x", { eventId: "$2", ts: 2 }],
    ]);
    expect(await getState(db.db, "sync.next_batch")).toBe("s2");
    expect(await getState(db.db, "sync.mark:!a:x")).toEqual({ eventId: "$2", ts: 2 });
    await setStates(db.db, []);
  });
});
