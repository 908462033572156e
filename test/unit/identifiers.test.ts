import { describeError } from "../../src/render/errors.ts";
import { describe, expect, it } from "vitest";
import { identifierKeys, parseImo, parseMmsi, parsePlate, parseTail } from "../../src/domain/identifiers.ts";
import { bearingDeg, compassPoint, coordinatesAsGiven, formatMgrs } from "../../src/domain/positionFormat.ts";
import { parsePosition } from "../../src/domain/position.ts";
import { parseRef } from "../../src/domain/refs.ts";
import { formatLocal, formatZulu } from "../../src/domain/when.ts";
import { time } from "../../src/render/message.ts";
import { plain } from "../../src/render/render.ts";

describe("identifiers", () => {
  it.each([
    [parseMmsi, "367123450", "367123450"],
    [parseMmsi, "MMSI 367 123 450", "367123450"],
    [parseImo, "IMO 9074729", "9074729"],
    [parseImo, "9176187", "9176187"],
    [parseTail, "hk-4f2", "HK-4F2"],
    [parseTail, "N123AB", "N123AB"],
    [parsePlate, "abc 123", "ABC 123"],
  ])("%o reads %j as %j", (parse, input, value) => {
    expect(parse(input)).toEqual({ ok: true, value });
  });

  it.each([
    [parseMmsi, "36712345", '"36712345" is not an MMSI: an MMSI has 9 digits.'],
    [parseImo, "907472", '"907472" is not an IMO number: it has 7 digits.'],
    [
      parseImo,
      "9074720",
      "IMO 9074720 fails its check digit: check the number (its last digit should be 9).",
    ],
    [parseTail, "H", '"H" is not a tail number: letters and digits with at most one "-".'],
    [parsePlate, "ABC_123", '"ABC_123" is not a plate: up to 12 letters and digits.'],
  ])("%o refuses %j", (parse, input, message) => {
    const r = parse(input);
    expect(r.ok ? "" : plain(r.error.message)).toBe(message);
  });

  it("keys identifiers so that case, spacing and dashes don't matter", () => {
    expect(identifierKeys({ name: " Sin  Nombre", tail: "HK-4F2", plate: "ABC 123" })).toEqual([
      "name:sin nombre",
      "tail:hk4f2",
      "plate:abc123",
    ]);
    expect(identifierKeys({})).toEqual([]);
  });
});

describe("reading a position back as it was given", () => {
  const as = (text: string) => {
    const p = parsePosition(text);
    if (!p.ok) throw new Error(describeError(p.error));
    return coordinatesAsGiven(p.value);
  };
  it.each([
    ["12.51,-79.20", "12.5100, -79.2000"],
    ["12°30.5'N 079°10'W", "12°30.50'N 079°10.00'W"],
    [`12°30'30"N 079°10'15"W`, `12°30'30"N 079°10'15"W`],
    ["18PTR1234567890", "18P TR 12345 67890 = 09°39.04'N 077°37.26'W"],
    ["18PTR123678", "18P TR 123 678 = 09°39.02'N 077°37.26'W"],
  ])("%j → %j", (input, output) => {
    expect(as(input)).toBe(output);
  });

  it("gives MGRS only as many digits as the precision warrants", () => {
    expect(formatMgrs({ lat: 9.65, lon: -77.62, precisionM: 10_000, format: "mgrs" })).toBe("18P TR 1 6");
  });

  it.each([
    [0, "N"],
    [44, "NE"],
    [225, "SW"],
    [337, "NW"],
    [359, "N"],
  ])("calls %i° %s", (deg, point) => {
    expect(compassPoint(deg)).toBe(point);
  });

  it("measures the bearing from one point to another", () => {
    expect(bearingDeg({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBe(0);
    expect(bearingDeg({ lat: 0, lon: 0 }, { lat: 0, lon: -1 })).toBe(270);
    expect(bearingDeg({ lat: 0, lon: 179.9 }, { lat: 0, lon: -179.9 })).toBe(90);
  });
});

describe("times and references", () => {
  const now = new Date("2026-11-28T07:20:00Z");
  it("writes times as officers read them", () => {
    expect(formatZulu(new Date("2026-11-28T07:14:00Z"), now)).toBe("28 Nov 07:14Z");
    expect(formatZulu(new Date("2025-12-31T23:59:00Z"), now)).toBe("31 Dec 2025 23:59Z");
    expect(formatLocal(new Date("2026-11-28T07:14:00Z"), "America/Bogota")).toBe("02:14 Bogota");
    expect(formatLocal(now, "Mars/Olympus")).toBeUndefined();
    const relative = (at: string) =>
      plain({ id: "text", params: { text: time(new Date(at), now, "relative") } });
    expect(relative("2026-11-28T04:20:00Z")).toBe("3 h ago");
    expect(relative("2026-11-28T07:19:30Z")).toBe("just now");
  });

  it.each([
    ["S-112", 112],
    ["s112", 112],
    ["112", 112],
  ])("reads %j as sighting %i", (text, n) => {
    expect(parseRef("S", text)).toEqual({ ok: true, value: n });
  });

  it.each(["RFI-3", "S-0", "S-", "S-1.5"])("refuses %j as a sighting reference", (text) => {
    expect(parseRef("S", text).ok).toBe(false);
  });
});
