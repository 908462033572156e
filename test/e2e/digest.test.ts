import { createHash } from "node:crypto";
import { decryptAttachment } from "matrix-encrypt-attachment";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCron } from "../../src/domain/cron.ts";
import { nextDigest } from "../../src/domain/digestSchedule.ts";
import { rosterConfig } from "../support/botProcess.ts";
import type { Officer, ReceivedEvent } from "../support/officer.ts";
import { pngSize } from "../support/png.ts";
import { createScene, type Scene } from "../support/scene.ts";

/**
 * The schedule's hour, twelve hours from now in Bogotá: the bot's pass on the real clock then
 * finds this schedule's last due minute beyond its grace (6 h) and skips it, instead of posting
 * it late — which, run between 06:00 and 12:00 COT with a fixed "0 6 * * *", shortened
 * `!digest now`'s period and added a second scheduled digest.
 */
const HOUR =
  (Number(
    new Intl.DateTimeFormat("en-GB", {
      hour: "2-digit",
      hourCycle: "h23",
      timeZone: "America/Bogota",
    }).format(new Date()),
  ) +
    12) %
  24;
const CRON = `0 ${HOUR} * * *`;
const HH = String(HOUR).padStart(2, "0");

const HEADER =
  /^DAILY DIGEST · col-usa · \d{1,2} [A-Z][a-z]{2} \d\d:\d\d → \d{1,2} [A-Z][a-z]{2} \d\d:\d\d \(COT\) · TLP:AMBER$/;

/**
 * The map as the commander's client gets it: an encrypted m.image whose file downloads, matches its
 * hash, and decrypts to a PNG of the size the event says.
 */
async function decryptedMap(officer: Officer, image: ReceivedEvent): Promise<Buffer> {
  expect(image.encrypted).toBe(true);
  expect(image.content).not.toHaveProperty("url");
  const file = image.content.file as Parameters<typeof decryptAttachment>[1] & { url: string };
  const info = image.content.info as { w: number; h: number; mimetype: string; size: number };
  expect(info.mimetype).toBe("image/png");
  const ciphertext = await officer.downloadMedia(file.url);
  const sha = createHash("sha256").update(ciphertext).digest("base64").replace(/=+$/, "");
  expect(sha).toBe(file.hashes?.sha256);
  const buffer = ciphertext.buffer.slice(
    ciphertext.byteOffset,
    ciphertext.byteOffset + ciphertext.byteLength,
  );
  const png = Buffer.from(await decryptAttachment(buffer as ArrayBuffer, file));
  expect(png.length).toBe(info.size);
  expect(pngSize(png)).toEqual({ width: info.w, height: info.h });
  return png;
}

describe("the commanders' digest, end to end", () => {
  let s: Scene;
  beforeEach(async () => {
    s = await createScene({ config: (o) => rosterConfig([o.userId]) });
  });
  afterEach(async () => {
    await s.teardown();
  });

  it("posts !digest now after a sighting, and a chat schedule's digest once across restarts, each with its map", async () => {
    // The room must be in tearline.yaml to have digests: make it, then configure it.
    const first = s.startBot();
    await first.ready();
    const room = await s.encryptedRoom();
    await first.stop();
    s.config.rooms = {
      "col-usa": { room, partners: ["COL", "USA"], digest: { cron: CRON, tz: "America/Bogota" } },
    };
    const bot = s.startBot();
    await bot.ready();
    const fromBot = (id: string) => (m: ReceivedEvent) => m.sender === s.account.userId && m.replyTo === id;

    const sight = await s.officer.send(room, '!sight vessel 12.51,-79.20 "SIN NOMBRE" conf=B2');
    const logged = await s.officer.waitForMessage(room, fromBot(sight));
    const ref = /S-\d+/.exec(logged.body)![0];
    const now = await s.officer.send(room, "!digest now");
    const digest = await s.officer.waitForMessage(room, fromBot(now));
    expect(digest.encrypted).toBe(true);
    const lines = digest.body.split("\n");
    expect(lines[0]).toMatch(HEADER);
    expect(lines).toContain(
      `  ${ref} vessel "SIN NOMBRE" 12.5N 079.2W ${logged.body.match(/\d\d:\d\dZ/)![0].replace(":", "")} B2`,
    );
    const isMap = (m: ReceivedEvent) => m.sender === s.account.userId && m.content.msgtype === "m.image";
    const nowMap = await s.officer.waitForMessage(room, isMap);
    expect(nowMap.body).toMatch(/^Map · col-usa · .* \(COT\) · TLP:AMBER$/);
    await decryptedMap(s.officer, nowMap);
    const order = () => s.officer.messagesFrom(room, s.account.userId).map((m) => m.eventId);
    expect(order().indexOf(nowMap.eventId)).toBeGreaterThan(order().indexOf(digest.eventId));

    const set = await s.officer.send(room, `!digest schedule "${CRON}" tz=America/Bogota`);
    expect((await s.officer.waitForMessage(room, fromBot(set))).body).toMatch(
      /^✅ Digest for col-usa scheduled/,
    );
    await bot.stop();

    // The schedule's next minute, brought forward with the test clock; restarted at that minute.
    const cron = parseCron(CRON);
    if (!cron.ok) throw new Error("cron");
    const due = nextDigest({ cron: cron.value, timeZone: "America/Bogota" }, new Date())!;
    const clock = { TEARLINE_TEST_RUN_DIGESTS_AT: new Date(+due + 15_000).toISOString() };
    const scheduled = (m: ReceivedEvent) =>
      m.sender === s.account.userId && m.replyTo === undefined && m.body.startsWith("DAILY DIGEST");
    for (let restart = 0; restart < 2; restart++) {
      const again = s.startBot(clock);
      await again.ready();
      await again.waitForLog(/test clock: digest pass done/);
      const show = await s.officer.send(room, "!digest show");
      const shown = await s.officer.waitForMessage(room, fromBot(show));
      expect(shown.body).toContain(`Digest for col-usa: "${CRON}" (America/Bogota), set from chat by`);
      expect(shown.body).toMatch(
        new RegExp(`next \\d{1,2} [A-Z][a-z]{2} ${HH}:00 COT \\(\\d{6}Z[A-Z]{3}\\d\\d\\)`),
      );
      const posted = await s.officer.waitForMessage(room, scheduled);
      expect(posted.encrypted).toBe(true);
      expect(posted.body.split("\n")[0]).toMatch(HEADER);
      expect(posted.body).toContain(ref);
      const map = await s.officer.waitForMessage(room, (m) => isMap(m) && m.eventId !== nowMap.eventId);
      expect(map.content.filename).toBe(
        `digest-col-usa-${due.toISOString().slice(0, 16).replace(/[-:]/g, "")}Z.png`,
      );
      expect(order().indexOf(map.eventId)).toBeGreaterThan(order().indexOf(posted.eventId));
      if (restart === 0) await decryptedMap(s.officer, map);
      await again.stop();
    }
    expect(s.officer.messagesFrom(room, s.account.userId).filter(scheduled)).toHaveLength(1);
    expect(s.officer.messagesFrom(room, s.account.userId).filter(isMap)).toHaveLength(2);
    // A pass on the real clock has claimed the schedule's last due minute as skipped (beyond its
    // grace) while the bot ran; only posted runs count here.
    const runs = await s.db.sql`select trigger, status from digest_runs where status = 'posted' order by id`;
    expect([...runs]).toEqual([
      { trigger: "command", status: "posted" },
      { trigger: "schedule", status: "posted" },
    ]);
  });
});
