import { createHash } from "node:crypto";
import { decryptAttachment } from "matrix-encrypt-attachment";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mapAttachment } from "../../src/bot/attachments.ts";
import { enqueue } from "../../src/db/queries/events.ts";
import { pngSize } from "../support/png.ts";
import { createScene, type Scene } from "../support/scene.ts";

describe("an encrypted map, end to end", () => {
  let s: Scene;
  beforeEach(async () => {
    s = await createScene();
  });
  afterEach(async () => {
    await s.teardown();
  });

  it("reaches the officer as an encrypted m.image whose file downloads, verifies and decrypts to the PNG", async () => {
    await s.startBot().ready();
    const room = await s.encryptedRoom();
    const hello = await s.officer.send(room, "!status");
    await s.officer.waitForMessage(room, (m) => m.sender === s.account.userId && m.replyTo === hello);

    // Queued as a digest would queue it; the bot's own outbox makes and sends the file.
    await enqueue(s.db.db, [
      {
        roomId: room,
        eventType: "m.room.message",
        content: mapAttachment({
          body: "Map · 27 Nov 06:00 → 28 Nov 06:00 (COT) · TLP:AMBER",
          filename: "digest-map.png",
          sightings: [
            { ref: "S-12", kind: "vessel", lat: 12.51, lon: -79.2 },
            { ref: "S-13", kind: "aircraft", lat: 11.2, lon: -73.1 },
          ],
          period: {
            from: new Date("2026-11-27T11:00:00Z"),
            to: new Date("2026-11-28T11:00:00Z"),
            label: "27 Nov 06:00 → 28 Nov 06:00 (COT)",
          },
          marking: "TLP:AMBER",
        }),
      },
    ]);

    const image = await s.officer.waitForMessage(
      room,
      (m) => m.sender === s.account.userId && m.content.msgtype === "m.image",
    );
    expect(image.encrypted).toBe(true);
    expect(image.body).toBe("Map · 27 Nov 06:00 → 28 Nov 06:00 (COT) · TLP:AMBER");
    expect(image.content).not.toHaveProperty("url");
    expect(image.content).not.toHaveProperty("org.tearline.attachment");
    const file = image.content.file as Parameters<typeof decryptAttachment>[1] & { url: string };
    const info = image.content.info as { w: number; h: number; mimetype: string; size: number };
    expect(info.mimetype).toBe("image/png");

    const ciphertext = await s.officer.downloadMedia(file.url);
    const sha = createHash("sha256").update(ciphertext).digest("base64").replace(/=+$/, "");
    expect(sha).toBe(file.hashes?.sha256);
    expect(pngSize(ciphertext)).toBeUndefined(); // the homeserver holds ciphertext only
    const png = Buffer.from(
      await decryptAttachment(
        ciphertext.buffer.slice(
          ciphertext.byteOffset,
          ciphertext.byteOffset + ciphertext.byteLength,
        ) as ArrayBuffer,
        file,
      ),
    );
    expect(png.length).toBe(info.size);
    expect(pngSize(png)).toEqual({ width: info.w, height: info.h });
    expect(info).toMatchObject({ w: 800, h: 600 });
  });
});
