import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkNotFuture, parseDuration, parseTime } from "../../src/domain/dtg.ts";
import { parseKind } from "../../src/domain/kinds.ts";
import { parseGrading, parseReleasability, parseTlp } from "../../src/domain/marking.ts";
import { parseCourse, parseSpeed } from "../../src/domain/motion.ts";
import { parsePosition, takePosition } from "../../src/domain/position.ts";
import { readCommand } from "../../src/domain/reader.ts";
import type { Result } from "../../src/domain/result.ts";
import { describeError } from "../../src/render/errors.ts";

const now = new Date("2026-11-28T16:00:00Z");

const parsers: Record<string, (text: string) => Result<unknown>> = {
  parseTime: (t) => parseTime(t, now),
  parseDuration,
  parsePosition,
  takePosition: (t) => takePosition(t.split(" ")),
  parseTlp,
  parseReleasability: (t) => parseReleasability(t, ["COL", "USA", "JTF"]),
  parseGrading,
  parseCourse,
  parseSpeed,
  parseKind,
};

/** Fragments the parsers care about, so generated text reaches past the first check. */
const FRAGMENTS = [
  ..."0123456789",
  ...".,+-:/ '\"’”“‘«»°º′″=",
  ..."NSEWZTJRdkmhDPQX",
  "12",
  "079",
  "30.5",
  "281530",
  "NOV",
  "26",
  "2026-11-28",
  "T15:30",
  "-05:00",
  "18PTR",
  "12345",
  "kt",
  "km/h",
  "TLP:",
  "amber",
  "+strict",
  "USA",
  "REL TO ",
  "--",
  "—",
  "!sight ",
  "name=",
  "\n",
];
const nearMiss = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 24 }).map((parts) => parts.join(""));
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ maxLength: 60 }),
  nearMiss,
);

/** A user-facing error names what was wrong and shows an example, and leaks no internals. */
function expectParsedOrExplained(result: Result<unknown> | null): void {
  if (result === null || result.ok) return;
  const { example } = result.error;
  const message = describeError({ message: result.error.message });
  expect(message.length).toBeGreaterThan(0);
  expect(message.length).toBeLessThan(400);
  expect(example?.length ?? 0).toBeGreaterThan(0);
  expect(describeError(result.error)).not.toMatch(/undefined|NaN|\[object|Error:/);
}

describe("no string makes the reader or a parser throw", () => {
  it.each(Object.entries(parsers))("%s returns a value or a user-facing error for any text", (_, parse) => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parse(text);
        expect(typeof result.ok).toBe("boolean");
        expectParsedOrExplained(result);
      }),
      { numRuns: 400 },
    );
  });

  it("readCommand returns null, a command, or a user-facing error for any text", () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom("", "!", "!sight ", "!rfi ask "), (text, start) => {
        const result = readCommand(start + text);
        if (start.length > 1) expect(result).not.toBeNull();
        expectParsedOrExplained(result);
      }),
      { numRuns: 1000 },
    );
  });

  it("parseTime and checkNotFuture hold for any clock", () => {
    const clock = fc.date({
      min: new Date("1970-01-01T00:00:00Z"),
      max: new Date("2199-12-31T00:00:00Z"),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(anyText, clock, clock, (text, at, then) => {
        expectParsedOrExplained(parseTime(text, at));
        expectParsedOrExplained(checkNotFuture(then, at, 15));
      }),
    );
  });

  it("takePosition holds for any list of words", () => {
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 8 }), (words) => {
        const result = takePosition(words);
        expectParsedOrExplained(result);
        if (result.ok) expect(result.value.consumed).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it("stays fast on long hostile input (no runaway regular expressions)", () => {
    const long = [
      `!sight ${"1".repeat(5000)}x`,
      `18PTR${"1".repeat(5000)}X`,
      `${"12 ".repeat(3000)}N`,
      `${"'".repeat(5000)}`,
      `!x ${'"'.repeat(5000)}`,
      `${"1,".repeat(3000)}`,
    ];
    const started = performance.now();
    for (const text of long) {
      expectParsedOrExplained(readCommand(text));
      for (const parse of Object.values(parsers)) expectParsedOrExplained(parse(text));
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
