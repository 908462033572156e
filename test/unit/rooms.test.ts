import { describe, expect, it } from "vitest";
import type { MatrixApi, RawEvent } from "../../src/matrix/api.ts";
import { RoomRegistry } from "../../src/matrix/rooms.ts";

/** An API stand-in that answers membership and history visibility and counts the calls. */
function fakeApi(members: { userId: string; membership: string }[], hv = "shared") {
  const calls = { members: 0, state: 0 };
  const api = {
    members: async () => {
      calls.members++;
      return members;
    },
    stateEvent: async (_room: string, type: string) => {
      calls.state++;
      return type === "m.room.history_visibility" ? { history_visibility: hv } : undefined;
    },
  } as unknown as MatrixApi;
  return { api, calls };
}

const member = (userId: string, membership: string): RawEvent => ({
  type: "m.room.member",
  state_key: userId,
  content: { membership },
});

describe("RoomRegistry", () => {
  it("sends room keys to joined and invited members unless history is joined-only", async () => {
    const people = [
      { userId: "@a:x", membership: "join" },
      { userId: "@b:x", membership: "invite" },
      { userId: "@c:x", membership: "leave" },
    ];
    expect(await new RoomRegistry(fakeApi(people).api).recipients("!r:x")).toEqual(["@a:x", "@b:x"]);
    expect(await new RoomRegistry(fakeApi(people, "joined").api).recipients("!r:x")).toEqual(["@a:x"]);
  });

  it("asks the homeserver once, until sync shows a membership change", async () => {
    const { api, calls } = fakeApi([{ userId: "@a:x", membership: "join" }]);
    const rooms = new RoomRegistry(api);
    await Promise.all([rooms.recipients("!r:x"), rooms.recipients("!r:x")]);
    await rooms.recipients("!r:x");
    expect(calls).toEqual({ members: 1, state: 1 });
    rooms.observe("!r:x", member("@b:x", "join"));
    await rooms.recipients("!r:x");
    expect(calls.members).toBe(2);
  });

  it("learns encryption from sync and never forgets it", async () => {
    const rooms = new RoomRegistry(fakeApi([]).api);
    expect(await rooms.isEncrypted("!r:x")).toBe(false);
    rooms.observe("!r:x", {
      type: "m.room.encryption",
      state_key: "",
      content: { algorithm: "m.megolm.v1.aes-sha2" },
    });
    expect(await rooms.isEncrypted("!r:x")).toBe(true);
  });
});
