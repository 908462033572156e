import { describe, expect, it } from "vitest";
import retract from "../../../commands/retract.ts";
import sight from "../../../commands/sight.ts";
import {
  COL_USA,
  contextFor,
  error,
  MILLER,
  OTHER_ROOM,
  recordOf,
  ROJAS,
  SMITH,
  send,
  text,
  world,
} from "./fakes.ts";

const DUTY_USA = "@do.usa:example.org";

async function logged() {
  const w = world();
  const reply = await send(sight, "!sight vessel 12.51,-79.20", contextFor(w));
  expect(text(reply)).toMatch(/^✅ S-1 logged/);
  return w;
}

describe("!retract", () => {
  it("retracts the reporter's own sighting, with the reason in the reply and the audit", async () => {
    const w = await logged();
    const reply = await send(retract, "!retract S-1 -- it was a fishing boat", contextFor(w));
    expect(text(reply)).toBe(
      '✅ S-1 retracted, reason: "it was a fishing boat". It no longer shows in !sightings; the audit log keeps it.',
    );
    expect(w.sightings.rows[0]?.retractedAt).toEqual(w.now);
    expect(reply.ok && reply.value.audit).toEqual([
      {
        actor: ROJAS,
        action: "sighting.retracted",
        roomId: COL_USA,
        detail: { ref: "S-1", reason: "it was a fishing boat", by: "command", reporter: ROJAS },
      },
    ]);
  });

  it("says so when the sighting was already retracted, and changes nothing", async () => {
    const w = await logged();
    await send(retract, "!retract S-1", contextFor(w));
    const first = w.sightings.rows[0]?.retractedAt;
    w.now = new Date(w.now.getTime() + 60_000);
    expect(error(await send(retract, "!retract 1", contextFor(w)))).toBe("S-1 was already retracted.");
    expect(w.sightings.rows[0]?.retractedAt).toEqual(first);
  });

  it("refuses a liaison who did not report it", async () => {
    const w = await logged();
    expect(error(await send(retract, "!retract S-1", contextFor(w, SMITH)))).toBe(
      `only ${ROJAS}, who reported S-1, or a duty officer of this room can retract it.`,
    );
    expect(w.sightings.rows[0]?.retractedAt).toBeUndefined();
  });

  it("lets a duty officer of the room's partners retract it, but not one of another partner", async () => {
    const w = await logged();
    const outsider = contextFor(w, MILLER); // JTF: not a partner of col-usa
    expect(error(await send(retract, "!retract S-1", outsider))).toContain("or a duty officer of this room");
    const duty = contextFor(w, DUTY_USA, COL_USA, { member: { partner: "USA", roles: ["duty_officer"] } });
    expect(text(await send(retract, "!retract S-1", duty))).toMatch(/^✅ S-1 retracted\./);
  });

  it("only retracts sightings of this room", async () => {
    const w = await logged();
    const elsewhere = contextFor(w, ROJAS, OTHER_ROOM);
    expect(error(await send(retract, "!retract S-1", elsewhere))).toBe("S-1 is not a sighting of this room.");
    expect(error(await send(retract, "!retract S-9", contextFor(w)))).toBe(
      "S-9 is not a sighting of this room.",
    );
    expect(w.sightings.rows[0]?.retractedAt).toBeUndefined();
  });

  it("wants exactly one reference", async () => {
    const w = await logged();
    expect(error(await send(retract, "!retract", contextFor(w)))).toBe(
      "give one sighting reference, and a reason after --.",
    );
    expect(error(await send(retract, "!retract RFI-1", contextFor(w)))).toBe(
      '"RFI-1" is not a reference like S-12.',
    );
  });
});

describe("deleting a !sight where deletions only ask (ignore_unverified)", () => {
  it("keeps the sighting live, marks it, and says how to retract it", async () => {
    const w = world();
    const ctx = contextFor(w);
    const first = await send(sight, "!sight vessel 12.51,-79.20", ctx);
    const reply = await sight.retractionRequested!(ctx, recordOf(first, "sight", ctx));
    expect(text(reply)).toBe(
      "S-1 was deleted in chat, but this room only accepts retractions from verified devices: S-1 stays. " +
        "To retract it, send !retract S-1 from a verified device.",
    );
    expect(w.sightings.rows[0]).toMatchObject({ retractionRequestedAt: w.now, retractionRequestedBy: ROJAS });
    expect(w.sightings.rows[0]?.retractedAt).toBeUndefined();
  });
});
