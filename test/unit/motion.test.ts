import { describe, expect, it } from "vitest";
import { formatCourse, formatSpeed, parseCourse, parseSpeed } from "../../src/domain/motion.ts";
import type { Result } from "../../src/domain/result.ts";
import { describeError } from "../../src/render/errors.ts";

function failure<T>(result: Result<T>): string {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return describeError(result.error);
}

describe("course", () => {
  it.each([
    ["045", 45],
    ["45", 45],
    ["045T", 45],
    ["45°", 45],
    ["045°T", 45],
    ["000", 0],
    ["359", 359],
    ["360", 0],
    ["44.6", 45],
  ])("reads %s as %i° true", (text, degrees) => {
    expect(parseCourse(text)).toEqual({ ok: true, value: degrees });
  });

  it.each([
    ["400", `Course "400" is out of range: degrees run from 000 to 359. Example: course=045`],
    ["045M", `"045M" is a magnetic course; Tearline records courses in degrees true. Example: course=045`],
    ["NE", `"NE" is not a course: give degrees true from 000 to 359. Example: course=045`],
    ["-10", `"-10" is not a course: give degrees true from 000 to 359. Example: course=045`],
  ])("refuses %s", (text, message) => {
    expect(failure(parseCourse(text))).toBe(message);
  });

  it("writes a course with three digits", () => {
    expect(formatCourse(45)).toBe("045°");
  });
});

describe("speed", () => {
  it.each([
    ["32kt", 32, 32, "kt"],
    ["32 kts", 32, 32, "kt"],
    ["32kn", 32, 32, "kt"],
    ["32KNOTS", 32, 32, "kt"],
    ["32", 32, 32, "kt"],
    ["12.5kt", 12.5, 12.5, "kt"],
    ["12,5kt", 12.5, 12.5, "kt"],
    ["60km/h", 32.397, 60, "km/h"],
    ["60kmh", 32.397, 60, "km/h"],
    ["60 KPH", 32.397, 60, "km/h"],
    ["0", 0, 0, "kt"],
  ] as const)("reads %s", (text, knots, value, unit) => {
    const result = parseSpeed(text);
    expect(result.ok && result.value.knots).toBeCloseTo(knots, 3);
    expect(result.ok && { value: result.value.value, unit: result.value.unit }).toEqual({ value, unit });
  });

  it.each([
    [
      "fast",
      `"fast" is not a speed: give a number with kt or km/h (a bare number is knots). Example: speed=32kt or speed=60km/h`,
    ],
    [
      "30mph",
      `"30mph" is not a speed: miles per hour are not accepted; give kt or km/h. Example: speed=32kt or speed=60km/h`,
    ],
    [
      "-5kt",
      `"-5kt" is not a speed: give a number with kt or km/h (a bare number is knots). Example: speed=32kt or speed=60km/h`,
    ],
    [
      "2000kt",
      `Speed "2000kt" is more than 1000 kt; check the number and the unit. Example: speed=32kt or speed=60km/h`,
    ],
  ])("refuses %s", (text, message) => {
    expect(failure(parseSpeed(text))).toBe(message);
  });

  it("reads back in the officer's unit, with knots beside km/h", () => {
    expect(formatSpeed({ knots: 32, value: 32, unit: "kt" })).toBe("32 kt");
    expect(formatSpeed({ knots: 60 / 1.852, value: 60, unit: "km/h" })).toBe("60 km/h (32.4 kt)");
  });
});
