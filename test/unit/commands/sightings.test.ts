import { describe, expect, it } from "vitest";
import sight from "../../../commands/sight.ts";
import sightings, { parseRadius } from "../../../commands/sightings.ts";
import { COL_USA, contextFor, error, OTHER_ROOM, SMITH, send, text, world } from "./fakes.ts";

async function seed(w: ReturnType<typeof world>) {
  const ctx = contextFor(w);
  await send(sight, '!sight vessel 12.51,-79.20 "SIN NOMBRE" time=280600ZNOV26 conf=B2', ctx);
  await send(sight, "!sight aircraft 12.90,-78.60 tail=HK-4F2 time=280500ZNOV26", ctx);
  await send(sight, "!sight vessel 11.00,-75.00 time=260500ZNOV26 -- two days old", ctx);
  await send(sight, "!sight vessel 12.50,-79.20 time=280700ZNOV26", contextFor(w, SMITH, OTHER_ROOM));
}

describe("!sightings", () => {
  it("lists this room's sightings of the last 24 h, newest first, one line each", async () => {
    const w = world();
    await seed(w);
    expect(text(await send(sightings, "!sightings", contextFor(w)))).toBe(
      [
        "2 sightings in this room · last 24h · newest first:",
        "S-1 · vessel \"SIN NOMBRE\" · 12°30.60'N 079°12.00'W · 28 Nov 06:00Z · COL · B2 · TLP:AMBER",
        "S-2 · aircraft tail HK-4F2 · 12°54.00'N 078°36.00'W · 28 Nov 05:00Z · COL · TLP:AMBER",
      ].join("\n"),
    );
  });

  it("filters by time, kind, place and text", async () => {
    const w = world();
    await seed(w);
    const refs = async (command: string) =>
      text(await send(sightings, command, contextFor(w)))
        .split("\n")
        .slice(1)
        .map((l) => l.split(" · ")[0]);
    expect(await refs("!sightings since=7d")).toEqual(["S-1", "S-2", "S-3"]);
    expect(await refs("!sightings since=7d kind=vessels")).toEqual(["S-1", "S-3"]);
    expect(await refs("!sightings aircraft")).toEqual(["S-2"]);
    expect(await refs("!sightings near=12.5,-79.2 radius=10nm")).toEqual(["S-1"]);
    expect(await refs("!sightings near=12.5,-79.2 radius=100km")).toEqual(["S-1", "S-2"]);
    expect(await refs('!sightings since=7d text="two days"')).toEqual(["S-3"]);
  });

  it("says what it looked for when nothing matches", async () => {
    const w = world();
    await seed(w);
    expect(text(await send(sightings, "!sightings kind=person near=12.5,-79.2", contextFor(w)))).toBe(
      "No sightings in this room · last 24h · kind person · within 25nm of 12°30.00'N 079°12.00'W.",
    );
  });

  it("shows at most 20 and says how many more there are", async () => {
    const w = world();
    for (let i = 0; i < 23; i++) await send(sight, "!sight vessel 12.5,-79.2", contextFor(w));
    const lines = text(await send(sightings, "!sightings", contextFor(w))).split("\n");
    expect(lines[0]).toBe("23 sightings in this room · last 24h · newest first:");
    expect(lines).toHaveLength(22);
    expect(lines[21]).toBe("… and 3 more: narrow it with since=, kind=, near= or text=.");
  });

  it("leaves retracted sightings out", async () => {
    const w = world();
    await seed(w);
    await w.sightings.retract(1, "x", w.now);
    expect(text(await send(sightings, "!sightings", contextFor(w, undefined, COL_USA)))).not.toContain(
      "S-1 ·",
    );
  });

  it.each([
    ["!sightings since=yesterday", '"yesterday" is not a period of time'],
    ["!sightings kind=boat", '"boat" is not a kind of sighting'],
    ["!sightings radius=10nm", "radius= needs near="],
    ["!sightings near=12.5 radius=5nm", "has only one number"],
    ["!sightings near=12.5,-79.2 radius=5mi", '"5mi" is not a radius'],
    ["!sightings sort=time", '"sort=" is not an option of !sightings'],
  ])("refuses %j with a reason", async (command, message) => {
    expect(error(await send(sightings, command, contextFor(world())))).toContain(message);
  });
});

describe("parseRadius", () => {
  it.each([
    ["25nm", 25],
    ["25", 25],
    ["18.52 km", 10],
    ["1,5NM", 1.5],
  ])("reads %j as %f nm", (input, nm) => {
    const r = parseRadius(input);
    expect(r.ok && r.value).toBeCloseTo(nm, 6);
  });

  it.each(["0nm", "2000nm", "far", "-5nm"])("refuses %j", (input) => {
    expect(parseRadius(input).ok).toBe(false);
  });
});
