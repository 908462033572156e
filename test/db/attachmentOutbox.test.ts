/** Queued attachments: the outbox row holds the map's inputs; the file is made just before the PUT. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ATTACHMENT_KEY, AttachingSender, mapAttachment } from "../../src/bot/attachments.ts";
import { noFaults } from "../../src/bot/faults.ts";
import { OutboxSender, type Sender } from "../../src/bot/outbox.ts";
import { enqueue } from "../../src/db/queries/events.ts";
import { createLogger } from "../../src/log.ts";
import { downloadDecrypted } from "../../src/matrix/attachments.ts";
import { MatrixError } from "../../src/matrix/http.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { pngSize } from "../support/png.ts";

const ROOM = "!digest:x";
const period = {
  from: new Date("2026-11-27T11:00:00Z"),
  to: new Date("2026-11-28T11:00:00Z"),
  label: "27 Nov → 28 Nov",
};
const queuedMap = () =>
  mapAttachment({
    body: "Map · 27 Nov → 28 Nov · TLP:AMBER",
    filename: "digest-map.png",
    sightings: [
      { ref: "S-12", kind: "vessel", lat: 12.51, lon: -79.2 },
      { ref: "S-13", kind: "aircraft", lat: 11.2, lon: -73.1 },
    ],
    period,
    marking: "TLP:AMBER",
  });

function memoryMedia(failFirst = 0) {
  const stored = new Map<string, Uint8Array>();
  let failures = failFirst;
  return {
    stored,
    async upload(bytes: Uint8Array<ArrayBuffer>) {
      if (failures-- > 0) throw new MatrixError(413, "M_TOO_LARGE", "too big today", "/upload");
      const uri = `mxc://x/m${stored.size}`;
      stored.set(uri, new Uint8Array(bytes));
      return uri;
    },
    async download(mxc: string) {
      const b = stored.get(mxc);
      if (!b) throw new Error("missing");
      return b;
    },
  };
}

describe("attachments through the outbox", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("attachments");
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.sql`truncate outbox, audit_log restart identity`;
  });

  const sent: { content: Record<string, unknown>; txnId: string }[] = [];
  const inner: Sender = {
    async send(_room, _type, content, txnId) {
      sent.push({ content, txnId });
      return `$${sent.length}`;
    },
  };
  const outbox = (media: ReturnType<typeof memoryMedia>) =>
    new OutboxSender({
      db: db.db,
      sender: new AttachingSender(inner, media),
      log: createLogger("error", {}, () => {}),
      txnPrefix: "tl-",
      faults: noFaults,
      isJoined: () => true,
    });

  it("sends a queued map as an encrypted m.image whose file decrypts to the PNG it describes", async () => {
    sent.length = 0;
    const media = memoryMedia();
    await enqueue(db.db, [
      { roomId: ROOM, eventType: "m.room.message", content: { msgtype: "m.notice", body: "DAILY DIGEST" } },
      { roomId: ROOM, eventType: "m.room.message", content: queuedMap() },
    ]);
    expect(await outbox(media).drain()).toEqual({ sent: 2, failed: 0, dropped: 0 });
    expect(sent.map((s) => s.txnId)).toEqual(["tl-1", "tl-2"]);
    expect(sent[0]?.content).toEqual({ msgtype: "m.notice", body: "DAILY DIGEST" });
    const image = sent[1]?.content ?? {};
    expect(image).toMatchObject({
      msgtype: "m.image",
      body: "Map · 27 Nov → 28 Nov · TLP:AMBER",
      filename: "digest-map.png",
      info: { w: 800, h: 600, mimetype: "image/png" },
    });
    expect(image).not.toHaveProperty(ATTACHMENT_KEY);
    expect(image).not.toHaveProperty("url");
    const png = await downloadDecrypted(media, image.file);
    expect(pngSize(png)).toEqual({ width: 800, height: 600 });
    expect((image.info as { size: number }).size).toBe(png.length);
    // The queued row keeps the inputs, not a file: nothing was uploaded before the send.
    const [row] = await db.sql<{ content: Record<string, unknown>; sent_event_id: string }[]>`
      select content, sent_event_id from outbox where id = 2`;
    expect(row?.content).toHaveProperty(ATTACHMENT_KEY);
    expect(row?.sent_event_id).toBe("$2");
  });

  it("retries a failed upload on the same row and transaction id, uploading afresh", async () => {
    sent.length = 0;
    const media = memoryMedia(1);
    await enqueue(db.db, [{ roomId: ROOM, eventType: "m.room.message", content: queuedMap() }]);
    const o = outbox(media);
    expect(await o.drain()).toEqual({ sent: 0, failed: 1, dropped: 0 });
    const [failed] = await db.sql<{ last_error: string }[]>`select last_error from outbox where id = 1`;
    expect(failed?.last_error).toContain("M_TOO_LARGE");
    await db.sql`update outbox set next_attempt_at = null`;
    expect(await o.drain()).toEqual({ sent: 1, failed: 0, dropped: 0 });
    expect(sent.map((s) => s.txnId)).toEqual(["tl-1"]);
    expect(media.stored.size).toBe(1);
  });

  it("refuses a malformed queued attachment rather than sending the marker as it is", async () => {
    sent.length = 0;
    await enqueue(db.db, [
      {
        roomId: ROOM,
        eventType: "m.room.message",
        content: { [ATTACHMENT_KEY]: { kind: "map-png", map: {} } },
      },
    ]);
    expect(await outbox(memoryMedia()).drain()).toEqual({ sent: 0, failed: 1, dropped: 0 });
    expect(sent).toEqual([]);
  });
});
