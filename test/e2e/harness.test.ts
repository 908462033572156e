import { afterEach, describe, expect, inject, it } from "vitest";
import { Officer } from "../support/officer.ts";

const hs = inject("homeserver");

describe("e2e harness: real Synapse + matrix-js-sdk Rust-crypto officers", () => {
  const officers: Officer[] = [];
  afterEach(async () => {
    await Promise.all(officers.splice(0).map((o) => o.stop()));
  });

  async function twoOfficers(): Promise<[Officer, Officer]> {
    const [a, b] = await Promise.all([Officer.create(hs), Officer.create(hs)]);
    officers.push(a, b);
    return [a, b];
  }

  it("delivers an encrypted message that the other officer decrypts", async () => {
    const [a, b] = await twoOfficers();
    const roomId = await a.createRoom({ encrypted: true, invite: [b.userId], name: "harness e2ee" });
    await b.waitForInvite(roomId);
    await b.join(roomId);
    await a.waitForMembership(roomId, b.userId, "join");

    const eventId = await a.send(roomId, "hello from A");
    const got = await b.waitForMessage(roomId, (m) => m.eventId === eventId);
    expect(got).toMatchObject({ sender: a.userId, body: "hello from A", encrypted: true });

    const replyId = await b.send(roomId, "ack from B", { replyTo: eventId });
    const reply = await a.waitForMessage(roomId, (m) => m.eventId === replyId);
    expect(reply).toMatchObject({ sender: b.userId, body: "ack from B", encrypted: true, replyTo: eventId });
    expect(a.messagesFrom(roomId, b.userId)).toHaveLength(1);
  });

  it("delivers an unencrypted message as unencrypted", async () => {
    const [a, b] = await twoOfficers();
    const roomId = await a.createRoom({ encrypted: false, invite: [b.userId] });
    await b.join(roomId);
    await a.waitForMembership(roomId, b.userId, "join");

    const eventId = await a.send(roomId, "plain hello");
    const got = await b.waitForMessage(roomId, (m) => m.eventId === eventId);
    expect(got).toMatchObject({ sender: a.userId, body: "plain hello", encrypted: false });
  });

  it("a second device of the same user decrypts messages sent after it logged in", async () => {
    const [a, b] = await twoOfficers();
    const roomId = await a.createRoom({ encrypted: true, invite: [b.userId] });
    await b.join(roomId);
    const b2 = await Officer.login(hs, b.userId, b.password);
    officers.push(b2);
    expect(b2.deviceId).not.toBe(b.deviceId);
    await a.waitForMembership(roomId, b.userId, "join");
    await a.waitForDevice(b.userId, b2.deviceId); // else A may still encrypt to B's old device list only

    const eventId = await a.send(roomId, "to both devices");
    const [m1, m2] = await Promise.all([
      b.waitForMessage(roomId, (m) => m.eventId === eventId),
      b2.waitForMessage(roomId, (m) => m.eventId === eventId),
    ]);
    expect(m1).toMatchObject({ body: "to both devices", encrypted: true });
    expect(m2).toMatchObject({ body: "to both devices", encrypted: true });
  });

  it("relays edits, reactions and redactions", async () => {
    const [a, b] = await twoOfficers();
    const roomId = await a.createRoom({ encrypted: true, invite: [b.userId] });
    await b.join(roomId);
    await a.waitForMembership(roomId, b.userId, "join");

    const original = await a.send(roomId, "draft");
    await b.waitForMessage(roomId, (m) => m.eventId === original);
    const editId = await a.edit(roomId, original, "final");
    const edit = await b.waitForMessage(roomId, (m) => m.eventId === editId);
    expect(edit).toMatchObject({ encrypted: true, body: "* final" });
    expect(edit.content["m.new_content"]).toMatchObject({ body: "final" });

    const reactionId = await b.react(roomId, original, "👍");
    const reaction = await a.waitForEvent(roomId, (e) => e.eventId === reactionId);
    expect(reaction).toMatchObject({ type: "m.reaction", sender: b.userId });
    expect(reaction.content["m.relates_to"]).toMatchObject({ key: "👍", event_id: original });

    const redactionId = await a.redact(roomId, original);
    await b.waitForEvent(roomId, (e) => e.eventId === redactionId && e.type === "m.room.redaction");
  });
});
