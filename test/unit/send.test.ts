import { describe, expect, it } from "vitest";
import type { MatrixApi } from "../../src/matrix/api.ts";
import type { CryptoEngine } from "../../src/matrix/crypto.ts";
import type { RoomRegistry } from "../../src/matrix/rooms.ts";
import { PlaintextRefused, RoomSender } from "../../src/matrix/send.ts";

describe("sending into a room without encryption", () => {
  const sends: string[] = [];
  const api = {
    send: async (roomId: string) => {
      sends.push(roomId);
      return { event_id: "$1" };
    },
  } as unknown as MatrixApi;
  const rooms = { isEncrypted: async () => false } as unknown as RoomRegistry;
  const sender = new RoomSender(api, {} as CryptoEngine, rooms);

  it("refuses anything but the notice that the room needs encryption", async () => {
    await expect(
      sender.send("!r:x", "m.room.message", { body: "S-1" }, "t1", { plaintextOk: false }),
    ).rejects.toBeInstanceOf(PlaintextRefused);
    expect(sends).toEqual([]);
    await sender.send("!r:x", "m.room.message", { body: "needs encryption" }, "t2", { plaintextOk: true });
    expect(sends).toEqual(["!r:x"]);
  });
});
