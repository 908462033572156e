import { describeError } from "../../src/render/errors.ts";
import { plain } from "../../src/render/render.ts";
import { describe, expect, it } from "vitest";
import { type Cron, lastDue, nextDue, parseCron } from "../../src/domain/cron.ts";
import { DEFAULT_GRACE_MS, type DigestSchedule, dueDigest } from "../../src/domain/digestSchedule.ts";

function cron(text: string): Cron {
  const c = parseCron(text);
  if (!c.ok) throw new Error(describeError(c.error));
  return c.value;
}

/** The UTC instants `text` fires at in `zone` after `start`, `n` of them. */
function firings(text: string, zone: string, start: string, n: number): string[] {
  const out: string[] = [];
  let at = new Date(start);
  for (let i = 0; i < n; i++) {
    const next = nextDue(cron(text), zone, at);
    if (next === undefined) break;
    out.push(next.toISOString().slice(0, 16));
    at = next;
  }
  return out;
}

describe("cron in a room's time zone", () => {
  it("fires 06:00 Bogotá at 11:00Z every day (no DST)", () => {
    expect(firings("0 6 * * *", "America/Bogota", "2026-03-27T00:00Z", 3)).toEqual([
      "2026-03-27T11:00",
      "2026-03-28T11:00",
      "2026-03-29T11:00",
    ]);
  });

  it("fires 06:00 Lagos at 05:00Z (WAT, no DST) also on Madrid's change days", () => {
    expect(firings("0 6 * * *", "Africa/Lagos", "2026-10-24T00:00Z", 3)).toEqual([
      "2026-10-24T05:00",
      "2026-10-25T05:00",
      "2026-10-26T05:00",
    ]);
  });

  it("fires 06:00 Madrid an hour earlier in UTC after the last Sunday of March", () => {
    expect(firings("0 6 * * *", "Europe/Madrid", "2026-03-28T00:00Z", 3)).toEqual([
      "2026-03-28T05:00",
      "2026-03-29T04:00",
      "2026-03-30T04:00",
    ]);
  });

  it("fires 06:00 Madrid an hour later in UTC after the last Sunday of October", () => {
    expect(firings("0 6 * * *", "Europe/Madrid", "2026-10-24T00:00Z", 3)).toEqual([
      "2026-10-24T04:00",
      "2026-10-25T05:00",
      "2026-10-26T05:00",
    ]);
  });

  it("runs a minute the spring change skips once, at the jump, and a repeated one once", () => {
    expect(firings("30 2 * * *", "Europe/Madrid", "2026-03-28T00:00Z", 3)).toEqual([
      "2026-03-28T01:30",
      "2026-03-29T01:00",
      "2026-03-30T00:30",
    ]);
    expect(firings("30 2 * * *", "Europe/Madrid", "2026-10-24T00:00Z", 3)).toEqual([
      "2026-10-24T00:30",
      "2026-10-25T00:30",
      "2026-10-26T01:30",
    ]);
  });

  it("finds the most recent due instant at or before now", () => {
    const c = cron("0 6 * * *");
    expect(lastDue(c, "America/Bogota", new Date("2026-11-28T11:00Z"))?.toISOString()).toBe(
      "2026-11-28T11:00:00.000Z",
    );
    expect(lastDue(c, "America/Bogota", new Date("2026-11-28T10:59Z"))?.toISOString()).toBe(
      "2026-11-27T11:00:00.000Z",
    );
  });

  it("reads steps, ranges, lists, names and the Vixie day rule", () => {
    expect(firings("*/20 8-9 * * MON-FRI", "UTC", "2026-11-27T09:30Z", 4)).toEqual([
      "2026-11-27T09:40",
      "2026-11-30T08:00",
      "2026-11-30T08:20",
      "2026-11-30T08:40",
    ]);
    // The 1st of the month or any Sunday.
    expect(firings("0 0 1 * SUN", "UTC", "2026-11-27T00:00Z", 3)).toEqual([
      "2026-11-29T00:00",
      "2026-12-01T00:00",
      "2026-12-06T00:00",
    ]);
    expect(firings("@daily", "UTC", "2026-11-27T00:00Z", 1)).toEqual(["2026-11-28T00:00"]);
  });

  it.each([
    ["0 6 * *", "has 4 fields, not 5"],
    ["0 0 6 * * *", "leave out the seconds"],
    ["61 6 * * *", 'the minute field "61" is outside 0–59'],
    ["0 6 * * FUN", 'the day of week field "FUN" is not a number or a name (SUN, MON, TUE…)'],
    ["0 6 * * 9", 'the day of week field "9" is outside 0–7'],
    ["0 18-6 * * *", "runs backwards"],
    ["0 6/0 * * *", "step of 0"],
  ])("refuses %s, saying what is wrong and showing an example", (text, why) => {
    const r = parseCron(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(plain(r.error.message)).toContain(why);
    expect(r.error.example).toContain("0 6 * * *");
  });
});

describe("when a digest is due", () => {
  const bogota: DigestSchedule = {
    cron: cron("0 6 * * *"),
    timeZone: "America/Bogota",
    graceMs: DEFAULT_GRACE_MS,
  };
  const at = (iso: string) => new Date(iso);

  it("is due on its minute, for the day since the previous one, not late", () => {
    expect(dueDigest(bogota, at("2026-11-28T11:00:30Z"))).toEqual({
      action: "post",
      from: at("2026-11-27T11:00Z"),
      to: at("2026-11-28T11:00Z"),
      late: false,
    });
  });

  it("catches up late inside the grace", () => {
    expect(dueDigest(bogota, at("2026-11-28T16:59Z"))).toMatchObject({ action: "post", late: true });
  });

  it("skips beyond the grace", () => {
    expect(dueDigest(bogota, at("2026-11-28T17:01Z"))).toMatchObject({
      action: "skip",
      to: at("2026-11-28T11:00Z"),
      lateMs: 6 * 3_600_000 + 60_000,
    });
  });

  it("is not due for instants before a chat schedule was set", () => {
    expect(dueDigest({ ...bogota, notBefore: at("2026-11-28T12:00Z") }, at("2026-11-28T13:00Z"))).toBe(
      undefined,
    );
  });

  it("spans 23 hours across Madrid's spring change", () => {
    const madrid = { ...bogota, timeZone: "Europe/Madrid" };
    expect(dueDigest(madrid, at("2026-03-29T04:00Z"))).toMatchObject({
      from: at("2026-03-28T05:00Z"),
      to: at("2026-03-29T04:00Z"),
    });
  });
});
