/**
 * `!export`, end to end: real Synapse, the real bot process, and an officer on matrix-js-sdk with
 * Rust crypto. The file arrives as an encrypted m.file (m.room.encrypted on the wire, the key, IV
 * and hash in `content.file`, no plaintext `url`); the officer downloads, checks and decrypts it,
 * and it holds exactly the room's live sightings, not another room's, not a retracted one.
 */
import { createHash } from "node:crypto";
import { decryptAttachment } from "matrix-encrypt-attachment";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { xml2js } from "xml-js";
import { CSV_COLUMNS } from "../../src/export/csv.ts";
import { rosterConfig } from "../support/botProcess.ts";
import type { Officer, ReceivedEvent } from "../support/officer.ts";
import { createScene, type Scene } from "../support/scene.ts";

/** The file of an m.file event as the officer's client gets it: downloaded, hash-checked, decrypted. */
async function decryptedFile(officer: Officer, event: ReceivedEvent): Promise<string> {
  expect(event.encrypted).toBe(true);
  expect(event.content.msgtype).toBe("m.file");
  expect(event.content).not.toHaveProperty("url");
  expect(event.content).not.toHaveProperty("org.tearline.attachment");
  const file = event.content.file as Parameters<typeof decryptAttachment>[1] & { url: string };
  expect(file.url).toMatch(/^mxc:\/\//);
  expect(file.key).toMatchObject({ alg: "A256CTR", kty: "oct" });
  expect(file.iv).toBeTruthy();
  const info = event.content.info as { mimetype: string; size: number };
  const ciphertext = await officer.downloadMedia(file.url);
  const sha = createHash("sha256").update(ciphertext).digest("base64").replace(/=+$/, "");
  expect(sha).toBe(file.hashes?.sha256);
  const plain = Buffer.from(
    await decryptAttachment(
      ciphertext.buffer.slice(
        ciphertext.byteOffset,
        ciphertext.byteOffset + ciphertext.byteLength,
      ) as ArrayBuffer,
      file,
    ),
  );
  expect(plain.length).toBe(info.size);
  expect(Buffer.from(ciphertext).includes("SIN NOMBRE")).toBe(false); // the homeserver holds ciphertext only
  return plain.toString("utf8");
}

describe("!export, end to end", () => {
  let s: Scene;
  beforeEach(async () => {
    s = await createScene({ config: (o) => rosterConfig([o.userId]) });
  });
  afterEach(async () => {
    await s.teardown();
  });

  it("posts the CSV and the CoT of the room's sightings as encrypted files the officer decrypts", async () => {
    const first = s.startBot();
    await first.ready();
    const room = await s.encryptedRoom();
    const elsewhere = await s.encryptedRoom();
    await first.stop();
    s.config.rooms = { "col-usa": { room, partners: ["COL", "USA"] } };
    const bot = s.startBot();
    await bot.ready();
    const fromBot = (id: string) => (m: ReceivedEvent) => m.sender === s.account.userId && m.replyTo === id;
    const ask = async (roomId: string, text: string) =>
      (await s.officer.waitForMessage(roomId, fromBot(await s.officer.send(roomId, text)))).body;

    const kept = /S-\d+/.exec(
      await ask(room, '!sight vessel 12.51,-79.20 "SIN NOMBRE" conf=B2 -- two outboards, "no flag"'),
    )![0];
    const gone = /S-\d+/.exec(await ask(room, "!sight aircraft 12.90,-78.60 tail=HK-4F2"))![0];
    expect(await ask(room, `!retract ${gone}`)).toContain(gone);
    await ask(elsewhere, '!sight vessel 11.0,-75.0 "OTRA SALA"');

    const isFile = (name: RegExp) => (m: ReceivedEvent) =>
      m.sender === s.account.userId &&
      m.content.msgtype === "m.file" &&
      name.test(String(m.content.filename));

    expect(await ask(room, "!export csv")).toMatch(
      /^📎 tearline-col-usa-\d{8}T\d{4}Z\.csv: 1 of this room's sightings \(0 received\) · last 24h · up to TLP:AMBER\./,
    );
    const csvEvent = await s.officer.waitForMessage(room, isFile(/\.csv$/));
    expect((csvEvent.content.info as { mimetype: string }).mimetype).toBe("text/csv");
    const csv = await decryptedFile(s.officer, csvEvent);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(3); // header, one record, the final CRLF
    expect(lines[1]).toContain(`tearline-col-usa-${kept},${kept},col-usa,`);
    expect(lines[1]).toContain('"two outboards, ""no flag"""');
    expect(csv).not.toContain(gone);
    expect(csv).not.toContain("OTRA SALA");

    await ask(room, "!export cot");
    const cot = await decryptedFile(s.officer, await s.officer.waitForMessage(room, isFile(/\.cot$/)));
    const events = cot.trim().split("\n");
    expect(events).toHaveLength(1);
    const event = (
      xml2js(events[0]!, { compact: true }) as { event: { _attributes: Record<string, string> } }
    ).event;
    expect(event._attributes).toMatchObject({
      uid: `tearline-col-usa-${kept}`,
      type: "a-u-S",
      version: "2.0",
    });
    expect(cot).toContain('<point lat="12.510000" lon="-79.200000"');
  });
});
