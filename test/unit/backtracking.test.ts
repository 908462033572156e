/**
 * Inputs the fuzz (test/unit/fuzz.test.ts) found taking seconds: a run of one character where a
 * regex with two adjacent quantifiers over it (`\s*-?\s*`, `[\s,;/]+$`) retried every split of the
 * run, O(n²). Each is timed on 10,000 characters (fastest of three runs, so noise does not fail
 * it; the quadratic versions took 150 ms – 3 s here), and the forms they were written for still read.
 */
import { describe, expect, it } from "vitest";
import { parseGrading, parseTlp } from "../../src/domain/marking.ts";
import { parseCourse } from "../../src/domain/motion.ts";
import { parsePosition } from "../../src/domain/position.ts";
import { parseRef } from "../../src/domain/refs.ts";

const N = 10_000;

function fastestMs(fn: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe("parsers stay linear on long runs of one character", () => {
  it.each([
    ["parseRef: S + spaces + junk", () => parseRef("S", `S${" ".repeat(N)}1x`)],
    ["parseRef: RFI + tabs + digits", () => parseRef("RFI", `RFI${"\t".repeat(N)}4-`)],
    ["parseGrading: B + spaces + 2x", () => parseGrading(`B${" ".repeat(N)}2x`)],
    ["parseCourse: 0 + spaces + 45", () => parseCourse(`0${"  ".repeat(N / 2)}45`)],
    ["parseTlp: T + tabs + LP:AMBER", () => parseTlp(`T${"\t".repeat(N)}LP:AMBER`)],
    [
      "parsePosition: 12 + commas + °30.5'N 079°10'W",
      () => parsePosition(`12${",".repeat(N)}°30.5'N 079°10'W`),
    ],
    [
      "parsePosition: 12 + slashes + °30.5'N 079°10'W",
      () => parsePosition(`12${"/".repeat(N)}°30.5'N 079°10'W`),
    ],
  ])("%s", (_, parse) => {
    expect(parse().ok).toBe(false);
    expect(fastestMs(parse)).toBeLessThan(50);
  });

  it("still reads what those patterns were written for", () => {
    expect(parseRef("S", "S - 12")).toEqual({ ok: true, value: 12 });
    expect(parseRef("RFI", "rfi4")).toEqual({ ok: true, value: 4 });
    expect(parseGrading("b / 2")).toMatchObject({ ok: true, value: { reliability: "B", credibility: 2 } });
    expect(parseGrading("B2")).toMatchObject({ ok: true });
    expect(parseCourse("045 ° T")).toEqual({ ok: true, value: 45 });
    expect(parseCourse("045 T")).toEqual({ ok: true, value: 45 });
    expect(parseCourse("270DEG")).toEqual({ ok: true, value: 270 });
    expect(parseTlp("amber - strict")).toEqual({ ok: true, value: "amber+strict" });
    expect(parseTlp("TLP: amber_strict")).toEqual({ ok: true, value: "amber+strict" });
    expect(parsePosition(",12°30.5'N, 079°10'W;")).toMatchObject({
      ok: true,
      value: { lat: 12.508333333333333 },
    });
  });
});
