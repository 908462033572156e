import { describe, expect, it } from "vitest";
import { checkNotFuture, formatDtg, formatDuration, parseDuration, parseTime } from "../../src/domain/dtg.ts";
import type { Result } from "../../src/domain/result.ts";
import { describeError } from "../../src/render/errors.ts";

const now = new Date("2026-11-28T16:00:00Z");
const EXAMPLE = "Example: time=281530ZNOV26 or time=2026-11-28T15:30Z";

function failure<T>(result: Result<T>): string {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return describeError(result.error);
}

describe("parseTime", () => {
  it.each([
    ["281530ZNOV26", "2026-11-28T15:30:00.000Z"],
    ["281530znov26", "2026-11-28T15:30:00.000Z"],
    ["281030RNOV26", "2026-11-28T15:30:00.000Z"], // R = UTC−5 (Bogotá)
    ["282030ENOV26", "2026-11-28T15:30:00.000Z"], // E = UTC+5
    ["290330MNOV26", "2026-11-28T15:30:00.000Z"], // M = UTC+12
    ["280330YNOV26", "2026-11-28T15:30:00.000Z"], // Y = UTC−12
    ["290130KNOV26", "2026-11-28T15:30:00.000Z"], // K = UTC+10 (J is skipped)
    ["28 1530Z NOV 26", "2026-11-28T15:30:00.000Z"],
    ["281530ZNOV2026", "2026-11-28T15:30:00.000Z"],
    ["281530ZNOV", "2026-11-28T15:30:00.000Z"],
    ["281530Z", "2026-11-28T15:30:00.000Z"],
    ["311530Z", "2026-10-31T15:30:00.000Z"], // no 31 November: the nearest month with a 31st
    ["281530ZDIC25", "2025-12-28T15:30:00.000Z"], // Spanish month
    ["290000ZFEB28", "2028-02-29T00:00:00.000Z"], // leap year
    ["2026-11-28T15:30Z", "2026-11-28T15:30:00.000Z"],
    ["2026-11-28t15:30z", "2026-11-28T15:30:00.000Z"],
    ["2026-11-28T15:30:45.5Z", "2026-11-28T15:30:45.500Z"],
    ["2026-11-28T10:30-05:00", "2026-11-28T15:30:00.000Z"],
    ["2026-11-28T21:00+0530", "2026-11-28T15:30:00.000Z"],
    ["2026-11-28 15:30Z", "2026-11-28T15:30:00.000Z"],
  ])("reads %s as %s", (text, iso) => {
    expect(parseTime(text, now)).toEqual({ ok: true, value: new Date(iso) });
  });

  it("puts a year-less DTG in the year nearest to now, across New Year", () => {
    const january = new Date("2027-01-02T08:00:00Z");
    expect(parseTime("302200ZDEC", january)).toEqual({ ok: true, value: new Date("2026-12-30T22:00:00Z") });
    expect(parseTime("312200Z", january)).toEqual({ ok: true, value: new Date("2026-12-31T22:00:00Z") });
  });

  it.each([
    [
      "yesterday",
      `"yesterday" is not a time: write a DTG (day, hour, minute, zone letter, month, year) or ISO 8601 with a zone. ${EXAMPLE}`,
    ],
    [
      "2815ZNOV26",
      `"2815ZNOV26" is not a time: write a DTG (day, hour, minute, zone letter, month, year) or ISO 8601 with a zone. ${EXAMPLE}`,
    ],
    [
      "281530NOV26",
      `"281530NOV26" has no time zone letter: put Z (UTC) or the zone's letter after the time. ${EXAMPLE}`,
    ],
    [
      "281530",
      `"281530" has no time zone letter: put Z (UTC) or the zone's letter after the time. ${EXAMPLE}`,
    ],
    [
      "281530JNOV26",
      `Zone letter J (local time) in "281530JNOV26" is ambiguous: use Z (UTC) or the zone's letter, e.g. R for UTC−5. ${EXAMPLE}`,
    ],
    ["311530ZNOV26", `Day 31 in "311530ZNOV26" doesn't exist: November 2026 has 30 days. ${EXAMPLE}`],
    ["001530ZNOV26", `Day 00 in "001530ZNOV26" doesn't exist: November 2026 has 30 days. ${EXAMPLE}`],
    ["291200ZFEB", `Day 29 in "291200ZFEB" doesn't exist: February 2026 has 28 days. ${EXAMPLE}`],
    ["282430ZNOV26", `Hour 24 in "282430ZNOV26" is out of range: hours run from 00 to 23. ${EXAMPLE}`],
    ["281560ZNOV26", `Minute 60 in "281560ZNOV26" is out of range: minutes run from 00 to 59. ${EXAMPLE}`],
    [
      "281530ZNVO26",
      `"NVO" in "281530ZNVO26" is not a month: use JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC. ${EXAMPLE}`,
    ],
    ["281530Z26", `"281530Z26" has a year but no month: write the month before the year. ${EXAMPLE}`],
    [
      "2026-11-28T15:30",
      `"2026-11-28T15:30" has no time zone: add Z for UTC or an offset such as -05:00. ${EXAMPLE}`,
    ],
    ["2026-11-28", `"2026-11-28" has no time of day: add it, with a zone. ${EXAMPLE}`],
    [
      "2026-13-01T00:00Z",
      `Month 13 in "2026-13-01T00:00Z" doesn't exist: months run from 01 to 12. ${EXAMPLE}`,
    ],
    [
      "2026-02-29T12:00Z",
      `Day 29 in "2026-02-29T12:00Z" doesn't exist: February 2026 has 28 days. ${EXAMPLE}`,
    ],
    [
      "2026-11-28T15:61Z",
      `Minute 61 in "2026-11-28T15:61Z" is out of range: minutes run from 00 to 59. ${EXAMPLE}`,
    ],
    [
      "2026-11-28T15:30:60Z",
      `Second 60 in "2026-11-28T15:30:60Z" is out of range: seconds run from 00 to 59. ${EXAMPLE}`,
    ],
    [
      "2026-11-28T15:30+15:00",
      `Offset +15:00 in "2026-11-28T15:30+15:00" is out of range: offsets run from -12:00 to +14:00. ${EXAMPLE}`,
    ],
    [
      "2026-11-28T3:30Z",
      `"2026-11-28T3:30Z" is not a time: ISO 8601 is written 2026-11-28T15:30Z. ${EXAMPLE}`,
    ],
  ])("refuses %s", (text, message) => {
    expect(failure(parseTime(text, now))).toBe(message);
  });

  it("names the option in the example when asked", () => {
    expect(failure(parseTime("noon", now, "ltiov"))).toBe(
      `"noon" is not a time: write a DTG (day, hour, minute, zone letter, month, year) or ISO 8601 with a zone. Example: ltiov=281530ZNOV26 or ltiov=2026-11-28T15:30Z`,
    );
  });
});

describe("checkNotFuture", () => {
  it("accepts the past, now, and a few minutes of clock drift", () => {
    for (const at of ["2026-11-27T16:00:00Z", "2026-11-28T16:00:00Z", "2026-11-28T16:15:00Z"]) {
      expect(checkNotFuture(new Date(at), now, 15).ok).toBe(true);
    }
  });

  it("refuses a sighting from three hours ahead, pointing at the usual slips", () => {
    expect(failure(checkNotFuture(new Date("2026-11-28T19:10:00Z"), now, 15))).toBe(
      "281910ZNOV26 is 3 h 10 m in the future (it is now 281600ZNOV26): check the day, the zone letter and the month. Example: time=281600ZNOV26",
    );
  });
});

describe("formatDtg and formatDuration", () => {
  it.each([
    ["2026-11-28T15:30:00Z", "281530ZNOV26"],
    ["2027-01-01T00:05:59Z", "010005ZJAN27"],
    ["2026-02-03T23:59:00Z", "032359ZFEB26"],
  ])("writes %s as %s", (iso, dtg) => {
    expect(formatDtg(new Date(iso))).toBe(dtg);
    expect(parseTime(dtg, now)).toEqual({
      ok: true,
      value: new Date(Math.floor(Date.parse(iso) / 60_000) * 60_000),
    });
  });

  it.each([
    [45 * 60_000, "45 m"],
    [(2 * 60 + 46) * 60_000, "2 h 46 m"],
    [3 * 3_600_000, "3 h"],
    [(3 * 24 + 4) * 3_600_000, "3 d 4 h"],
  ])("writes %i ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("parseDuration", () => {
  it.each([
    ["90m", 90 * 60_000],
    ["24h", 24 * 3_600_000],
    ["24H", 24 * 3_600_000],
    ["7d", 7 * 86_400_000],
    ["2w", 14 * 86_400_000],
    ["36 hours", 36 * 3_600_000],
    ["3660d", 3660 * 86_400_000],
    ["87840h", 3660 * 86_400_000],
  ])("reads %s", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  it.each([
    [
      "24",
      `"24" has no unit: add m (minutes), h (hours), d (days) or w (weeks). Example: since=24h or since=7d`,
    ],
    [
      "yesterday",
      `"yesterday" is not a period of time: write a number and a unit, m, h, d or w. Example: since=24h or since=7d`,
    ],
    [
      "3y",
      `"3y" is not a period of time: write a number and a unit, m, h, d or w. Example: since=24h or since=7d`,
    ],
    ["0h", `"0h" is no time at all: give a period longer than zero. Example: since=24h or since=7d`],
    // Unbounded, 999999w reached a date before year 0, which PostgreSQL refuses ("Internal error").
    [
      "999999w",
      `"999999w" is too long a period: look back at most 3660 days (about 10 years). Example: since=24h or since=7d`,
    ],
    [
      "3661d",
      `"3661d" is too long a period: look back at most 3660 days (about 10 years). Example: since=24h or since=7d`,
    ],
    [
      "523w",
      `"523w" is too long a period: look back at most 3660 days (about 10 years). Example: since=24h or since=7d`,
    ],
  ])("refuses %s", (text, message) => {
    expect(failure(parseDuration(text))).toBe(message);
  });
});
