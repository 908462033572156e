import { describe, expect, it } from "vitest";
import { missedCommands } from "../../src/bot/gapNotice.ts";
import { plain } from "../../src/render/render.ts";

const tail = " while I was away; please resend anything important.";

describe("the notice of a backfill gap", () => {
  it.each([
    ["2026-11-28T02:14:00Z", "2026-11-28T03:40:59Z", "between 02:14Z and 03:40Z"],
    ["2026-11-27T23:50:00Z", "2026-11-28T00:10:00Z", "between 2026-11-27 23:50Z and 2026-11-28 00:10Z"],
    [undefined, "2026-11-28T03:40:00Z", "sent before 03:40Z"],
    ["2026-11-28T05:00:00Z", "2026-11-28T03:40:00Z", "sent before 03:40Z"],
  ])("from %s to %s names the window %s", (from, to, window) => {
    const ts = (s: string | undefined) => (s === undefined ? undefined : Date.parse(s));
    expect(plain(missedCommands(ts(from), ts(to)))).toBe(`I may have missed commands ${window}${tail}`);
  });

  it("still says something when no time is known", () => {
    expect(plain(missedCommands(undefined, undefined))).toBe(`I may have missed some commands${tail}`);
  });
});
