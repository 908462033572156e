import { describe, expect, it } from "vitest";
import digest from "../../../commands/digest.ts";
import sight from "../../../commands/sight.ts";
import {
  COL_USA,
  COMMANDER,
  contextFor,
  error,
  MILLER,
  OTHER_ROOM,
  ROJAS,
  send,
  SMITH,
  text,
  world,
} from "./fakes.ts";

describe("!digest", () => {
  it("posts one now for the last 24 h, with this room's sightings only, and remembers it", async () => {
    const w = world();
    await send(sight, '!sight vessel 12.51,-79.20 "SIN NOMBRE" time=280600ZNOV26 conf=B2', contextFor(w));
    await send(sight, "!sight vessel 12.50,-79.20 time=280700ZNOV26", contextFor(w, SMITH, OTHER_ROOM));
    const body = text(await send(digest, "!digest now", contextFor(w))).split("\n");
    expect(body[0]).toBe("DAILY DIGEST · col-usa · 27 Nov 02:20 → 28 Nov 02:20 (COT) · TLP:AMBER");
    expect(body).toContain('  S-1 vessel "SIN NOMBRE" 12.5N 079.2W 0600Z B2');
    expect(body.join("\n")).not.toContain("S-2");
    expect(w.digests.runs).toHaveLength(1);
    // The next one starts where this one ended.
    w.now = new Date(+w.now + 3_600_000);
    const next = text(await send(digest, "!digest now", contextFor(w))).split("\n")[0];
    expect(next).toBe("DIGEST · col-usa · 28 Nov 02:20 → 28 Nov 03:20 (COT) · TLP:CLEAR");
    w.now = new Date(+w.now + 60_000);
    const since = text(await send(digest, "!digest now since=3h", contextFor(w))).split("\n")[0];
    expect(since).toBe("DIGEST · col-usa · 28 Nov 00:21 → 28 Nov 03:21 (COT) · TLP:AMBER");
  });

  it("lets commanders and duty officers schedule, and says the next run in local time and DTG", async () => {
    const w = world();
    expect(text(await send(digest, '!digest schedule "0 6 * * *"', contextFor(w, COMMANDER)))).toBe(
      'Digest for col-usa scheduled: "0 6 * * *" (America/Bogota) · next 28 Nov 06:00 COT (281100ZNOV26). It overrides tearline.yaml\'s schedule until !digest reset.'.replace(
        /^/,
        "✅ ",
      ),
    );
    expect(text(await send(digest, "!digest show", contextFor(w)))).toBe(
      'Digest for col-usa: "0 6 * * *" (America/Bogota), set from chat by @cdr.col:example.org 28 Nov 07:20Z · next 28 Nov 06:00 COT (281100ZNOV26) · a missed one is posted up to 6 h late. !digest reset goes back to tearline.yaml\'s.',
    );
    expect(text(await send(digest, "!digest off", contextFor(w, COMMANDER)))).toContain("are off in col-usa");
    expect(text(await send(digest, "!digest show", contextFor(w)))).toContain(
      "Scheduled digests are off in col-usa",
    );
    expect(text(await send(digest, "!digest reset", contextFor(w, COMMANDER)))).toBe(
      "✅ col-usa is back to tearline.yaml, which schedules no digest here.",
    );
    expect(text(await send(digest, "!digest show", contextFor(w)))).toBe(
      'No digest is scheduled for col-usa. Set one: !digest schedule "0 6 * * *" tz=America/Bogota',
    );
    const madrid = await send(
      digest,
      '!digest schedule "30 7 * * MON-FRI" tz=Europe/Madrid',
      contextFor(w, MILLER, COL_USA),
    );
    expect(text(madrid)).toContain("next 30 Nov 07:30 CET (300630ZNOV26)");
  });

  it("refuses a schedule from anyone else", async () => {
    const w = world();
    expect(error(await send(digest, '!digest schedule "0 6 * * *"', contextFor(w, ROJAS)))).toBe(
      "changing the digest schedule needs one of these roles: commander, duty_officer.",
    );
    expect(w.digests.schedules.size).toBe(0);
  });

  it.each([
    ['!digest schedule "0 25 * * *"', 'the hour field "25" is outside 0–23'],
    ["!digest schedule 0 6 * * *", "put the cron expression in quotes"],
    ['!digest schedule "0 6 * * *" tz=Bogota', '"Bogota" is not a time zone: use an IANA name (Area/City)'],
    ["!digest later", '"later" is not a !digest action: now, show, schedule, off, reset.'],
    ["!digest now since=yesterday", '"yesterday" is not a period of time'],
  ])("says what is wrong with %s and shows an example", async (command, why) => {
    const r = await send(digest, command, contextFor(world(), COMMANDER));
    expect(error(r)).toContain(why);
  });
});
