import fc from "fast-check";
import * as mgrsModule from "mgrs";
import { describe, expect, it } from "vitest";
import {
  coarsen,
  distanceNm,
  formatCoordinates,
  formatPosition,
  type Position,
  parsePosition,
  takePosition,
} from "../../src/domain/position.ts";
import type { Result } from "../../src/domain/result.ts";
import { describeError } from "../../src/render/errors.ts";

type MgrsLibrary = typeof mgrsModule;
const mgrs: MgrsLibrary = (mgrsModule as MgrsLibrary & { default?: MgrsLibrary }).default ?? mgrsModule;

const ANY = "Example: 12.51,-79.20 or 12°30.5'N 079°10'W or 18PTR1234567890";
const DECIMAL = "Example: 12.51,-79.20";
const HEMISPHERE = "Example: 12°30.5'N 079°10'W";
const MGRS = "Example: 18PTR1234567890";

function position(result: Result<Position>): Position {
  if (!result.ok) throw new Error(describeError(result.error));
  return result.value;
}

function failure<T>(result: Result<T>): string {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return describeError(result.error);
}

describe("parsePosition", () => {
  it.each([
    ["12.51,-79.20", 12.51, -79.2, 1111, "decimal"],
    ["12.51, -79.20", 12.51, -79.2, 1111, "decimal"],
    ["+12.5123,-079.2°", 12.5123, -79.2, 10845, "decimal"],
    ["-33.8688,151.2093", -33.8688, 151.2093, 11, "decimal"],
    ["12.5N 79.1W", 12.5, -79.1, 11112, "decimal"],
    ["12.5n,79.1w", 12.5, -79.1, 11112, "decimal"],
    ["N12.5 W79.1", 12.5, -79.1, 11112, "decimal"],
    ["79.1W 12.5N", 12.5, -79.1, 11112, "decimal"],
    ["12°30.5'N 079°10'W", 12.508333, -79.166667, 1808, "dm"],
    ["12°30.5’N 079°10’W", 12.508333, -79.166667, 1808, "dm"],
    ["12º30.5'N 079º10.0'W", 12.508333, -79.166667, 185, "dm"],
    ["12d30.5n 079d10.25w", 12.508333, -79.170833, 185, "dm"],
    ["12 30.5N 079 10W", 12.508333, -79.166667, 1808, "dm"],
    ["S 33 52.13 E 151 12.56", -33.868833, 151.209333, 18.5, "dm"],
    [`12°30'30"N 079°10'15"W`, 12.508333, -79.170833, 30.9, "dms"],
    ["12°30′30″N 079°10′15″W", 12.508333, -79.170833, 30.9, "dms"],
    ["12°30'30''N 079°10'15.5''W", 12.508333, -79.170972, 30.9, "dms"],
    ["18PTR1234567890", 9.650645, -77.621071, 1, "mgrs"],
    ["18P TR 12345 67890", 9.650645, -77.621071, 1, "mgrs"],
    ["18ptr 1234567890", 9.650645, -77.621071, 1, "mgrs"],
    ["18PTR12346789", 9.650685, -77.621076, 10, "mgrs"],
    ["18PTR123678", 9.650279, -77.621027, 100, "mgrs"],
    ["18PTR1267", 9.647127, -77.619637, 1000, "mgrs"],
    ["18PTR16", 9.624709, -77.596695, 10_000, "mgrs"],
    ["18PTR", 9.49124, -77.276497, 100_000, "mgrs"],
  ] as const)("reads %s", (text, lat, lon, precisionM, format) => {
    const p = position(parsePosition(text));
    expect(p.lat).toBeCloseTo(lat, 5);
    expect(p.lon).toBeCloseTo(lon, 5);
    expect(p.precisionM).toBeCloseTo(precisionM, -1);
    expect(p.format).toBe(format);
  });

  it.each([
    [
      "here",
      `"here" is not a position: give latitude,longitude, degrees and minutes with N/S and E/W, or MGRS. ${ANY}`,
    ],
    ["12.5N", `"12.5N" has only one coordinate: give latitude (N/S) and longitude (E/W). ${HEMISPHERE}`],
    ["12.51", `"12.51" has only one number: give latitude and longitude, separated by a comma. ${DECIMAL}`],
    ["12.51 -79.20", `"12.51 -79.20" needs a comma between latitude and longitude. ${DECIMAL}`],
    [
      "12,51,-79,20",
      `"12,51,-79,20" has too many commas: use a point for decimals and one comma between latitude and longitude. ${DECIMAL}`,
    ],
    ["95.1,-79.2", `The latitude in "95.1,-79.2" is beyond 90°: latitudes run from 90°S to 90°N. ${DECIMAL}`],
    [
      "12.5,-190",
      `The longitude in "12.5,-190" is beyond 180°: longitudes run from 180°W to 180°E. ${DECIMAL}`,
    ],
    [
      "91°N 79°W",
      `The latitude in "91°N 79°W" is beyond 90°: latitudes run from 90°S to 90°N. ${HEMISPHERE}`,
    ],
    [
      "12.5N 79.1N",
      `"12.5N 79.1N" gives two latitudes (N/S): one must be a longitude with E or W. ${HEMISPHERE}`,
    ],
    [
      "79.1E 12.5W",
      `"79.1E 12.5W" gives two longitudes (E/W): one must be a latitude with N or S. ${HEMISPHERE}`,
    ],
    ["12°75'N 079°10'W", `Minutes in "12°75'N 079°10'W" must be below 60. ${HEMISPHERE}`],
    [`12°30'75"N 079°10'W`, `Seconds in "12°30'75"N 079°10'W" must be below 60. ${HEMISPHERE}`],
    [
      "12.5°30'N 079°10'W",
      `"12.5°30'N 079°10'W" is not a position: give latitude,longitude, degrees and minutes with N/S and E/W, or MGRS. ${ANY}`,
    ],
    [
      "18PTR123456789",
      `MGRS "18PTR123456789" has 9 digits: give an even number, at most 10 (easting, then northing). ${MGRS}`,
    ],
    [
      "18PTR123456789012",
      `MGRS "18PTR123456789012" has 12 digits: give an even number, at most 10 (easting, then northing). ${MGRS}`,
    ],
    [
      "18P TR 1234 567",
      `MGRS "18P TR 1234 567" has 4 easting and 3 northing digits: they must be as many. ${MGRS}`,
    ],
    ["61PTR12", `MGRS zone 61 in "61PTR12" doesn't exist: zones run from 1 to 60. ${MGRS}`],
    ["0PTR12", `MGRS zone 0 in "0PTR12" doesn't exist: zones run from 1 to 60. ${MGRS}`],
    [
      "18ITR12",
      `MGRS latitude band "I" in "18ITR12" doesn't exist: bands run from C to X, without I and O. ${MGRS}`,
    ],
    [
      "18PAR12",
      `MGRS square "AR" in "18PAR12" doesn't exist in zone 18: its first letter is one of STUVWXYZ. ${MGRS}`,
    ],
    [
      "18PTW12",
      `MGRS square "TW" in "18PTW12" doesn't exist: its second letter runs from A to V, without I and O. ${MGRS}`,
    ],
    [
      "18QTR12",
      `MGRS "18QTR12" doesn't exist: square TR is not in zone 18, band Q. Check the letters. ${MGRS}`,
    ],
    [
      "18XTR12",
      `MGRS "18XTR12" doesn't exist: square TR is not in zone 18, band X. Check the letters. ${MGRS}`,
    ],
    [
      "18PTR 12 34 56",
      `"18PTR 12 34 56" is not an MGRS reference: zone, band, square, then easting and northing digits. ${MGRS}`,
    ],
  ])("refuses %s", (text, message) => {
    expect(failure(parsePosition(text))).toBe(message);
  });

  it("writes the option into the example when the position is an option", () => {
    expect(failure(parsePosition("12.5N", "near"))).toBe(
      `"12.5N" has only one coordinate: give latitude (N/S) and longitude (E/W). Example: near="12°30.5'N 079°10'W"`,
    );
  });
});

describe("takePosition", () => {
  it.each([
    [["12.51,-79.20", "GO FAST 1"], 1],
    [["12.51,", "-79.20", "GO FAST 1"], 2],
    [["12°30.5'N", "079°10'W", "SIN NOMBRE"], 2],
    [["12", "30.5N", "079", "10W", "ALFA"], 4],
    [["18P", "TR", "12345", "67890", "ALFA"], 4],
    [["18PTR1234567890"], 1],
    [["12.5,", "-79.1", "ALFA"], 2],
    [["12.5", ",", "-79.1", "ALFA"], 3],
    [["12.5", ",-79.1"], 2],
    [["12.5N", "79.1W", "5"], 2],
  ])("takes the position from %j (%i words)", (words, consumed) => {
    const result = takePosition(words);
    expect(result.ok && result.value.consumed).toBe(consumed);
  });

  it("reads a space after the comma as the same position", () => {
    const spaced = takePosition(["12.5,", "-79.1"]);
    expect(spaced.ok && spaced.value.position).toEqual(position(parsePosition("12.5,-79.1")));
  });

  it.each([
    [[], `A position is missing. ${ANY}`],
    [
      ["vessel", "12.5N"],
      `"vessel" is not a position: give latitude,longitude, degrees and minutes with N/S and E/W, or MGRS. ${ANY}`,
    ],
    [["12.51", "-79.20"], `"12.51 -79.20" needs a comma between latitude and longitude. ${DECIMAL}`],
    [
      ["12.5N", "79.1N", "ALFA"],
      `"12.5N 79.1N" gives two latitudes (N/S): one must be a longitude with E or W. ${HEMISPHERE}`,
    ],
    [
      ["18PTR", "12345", "6789"],
      `MGRS "18PTR 12345 6789" has 5 easting and 4 northing digits: they must be as many. ${MGRS}`,
    ],
    // Decimal commas (Spanish, Portuguese): `12,5 -79,1` is not 12°N 5°E with a name "-79,1".
    [
      ["12,5", "-79,1", "ALFA"],
      `"12,5 -79,1" looks like decimal commas; use a point for decimals and a comma between latitude and longitude. Example: 12.5,-79.1`,
    ],
    [
      ["12,5", "79,1"],
      `"12,5 79,1" looks like decimal commas; use a point for decimals and a comma between latitude and longitude. Example: 12.5,79.1`,
    ],
    [
      ["-33,87", "151"],
      `"-33,87 151" looks like decimal commas; use a point for decimals and a comma between latitude and longitude. Example: -33.87,151`,
    ],
    [
      ["12,", "5", "-79,1"],
      `"12, 5 -79,1" looks like decimal commas; use a point for decimals and a comma between latitude and longitude. Example: 12.5,-79.1`,
    ],
    [
      ["12,5", "79,1W"],
      `"12,5 79,1W" looks like decimal commas; use a point for decimals and a comma between latitude and longitude. ${DECIMAL}`,
    ],
    [
      ["12,5,-79,1", "ALFA"],
      `"12,5,-79,1" has too many commas: use a point for decimals and one comma between latitude and longitude. Example: 12.5,-79.1`,
    ],
    [
      ["12.5,", "-79,1"],
      `"12.5, -79,1" has too many commas: use a point for decimals and one comma between latitude and longitude. ${DECIMAL}`,
    ],
    [
      ["12.51,-79.20", "045"],
      `"12.51,-79.20 045" has a bare number after the position: give a course with course= and a name with name=. ${DECIMAL}`,
    ],
    [
      ["12.51,", "-79.20", "5"],
      `"12.51, -79.20 5" has a bare number after the position: give a course with course= and a name with name=. ${DECIMAL}`,
    ],
  ])("refuses %j", (words, message) => {
    expect(failure(takePosition(words))).toBe(message);
  });

  it("writes the option into the decimal-comma example", () => {
    expect(failure(takePosition(["12,5", "-79,1"], "near"))).toBe(
      `"12,5 -79,1" looks like decimal commas; use a point for decimals and a comma between latitude and longitude. Example: near=12.5,-79.1`,
    );
  });
});

describe("MGRS and latitude/longitude", () => {
  // Independent references: GeographicLib's MGRS tests, and proj4js/mgrs's own.
  it.each([
    ["38SMB4414084706", 33.3, 44.4],
    ["44PKU7177565663", 12.3456, 78.9012],
    ["31NAA6602100000", 0, 0],
    ["33UXP04", 48.24949, 16.4145],
  ])("reads %s within its precision of %d, %d", (reference, lat, lon) => {
    const p = position(parsePosition(reference));
    expect(distanceNm(p, { lat, lon }) * 1852).toBeLessThanOrEqual(p.precisionM);
  });

  const onTheGrid = fc.record({
    lat: fc.double({ min: -79.9, max: 83.9, noNaN: true }),
    lon: fc.double({ min: -179.9, max: 179.9, noNaN: true }),
    digits: fc.integer({ min: 0, max: 5 }),
  });

  it("round-trips lat/lon → MGRS → lat/lon within the reference's precision", () => {
    fc.assert(
      fc.property(onTheGrid, ({ lat, lon, digits }) => {
        const p = position(parsePosition(mgrs.forward([lon, lat], digits)));
        expect(distanceNm(p, { lat, lon }) * 1852).toBeLessThanOrEqual(p.precisionM);
      }),
    );
  });

  it("round-trips MGRS → lat/lon → the same MGRS, for squares inside their zone and band", () => {
    // Kept 0.2° from zone and band edges: a square cut by an edge has its centre in the
    // neighbour, and re-encoding that centre rightly names the neighbour's square.
    const insideOneSquare = fc.record({
      zone: fc.integer({ min: 1, max: 60 }),
      band: fc.integer({ min: 0, max: 16 }), // C … U: below Norway's and Svalbard's irregular zones
      east: fc.double({ min: 0.2, max: 5.8, noNaN: true }),
      north: fc.double({ min: 0.2, max: 7.8, noNaN: true }),
      digits: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(insideOneSquare, ({ zone, band, east, north, digits }) => {
        const reference = mgrs.forward([6 * zone - 186 + east, -80 + 8 * band + north], digits);
        const p = position(parsePosition(reference));
        // 0.2° is only ~4 km near 80°S: a 10 km square there can still be cut by the zone edge.
        const zoneBand = (ref: string) => /^\d{1,2}[C-X]/.exec(ref)?.[0];
        fc.pre(zoneBand(mgrs.forward([p.lon, p.lat], 0)) === zoneBand(reference));
        expect(mgrs.forward([p.lon, p.lat], digits)).toBe(reference);
      }),
    );
  });
});

describe("read-back, distance and coarsening", () => {
  it.each([
    ["12°30.5'N 079°10'W", "12°30.50'N 079°10.00'W (±1.8 km)"],
    ["12.51,-79.20", "12°30.60'N 079°12.00'W (±1.1 km)"],
    [`12°30'30"N 079°10'15"W`, "12°30.50'N 079°10.25'W (±30 m)"],
    ["18PTR1234567890", "09°39.04'N 077°37.26'W (±1 m)"],
    ["-33.99999,-0.50000", "34°00.00'S 000°30.00'W (±1 m)"],
    ["0,0", "00°00.00'N 000°00.00'E (±111 km)"],
  ])("reads %s back as %s", (text, readBack) => {
    expect(formatPosition(position(parsePosition(text)))).toBe(readBack);
  });

  it("reads its own read-back as the same place", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        (lat, lon) => {
          const again = position(parsePosition(formatCoordinates({ lat, lon })));
          expect(distanceNm(again, { lat, lon })).toBeLessThan(0.01);
        },
      ),
    );
  });

  it("measures a degree of latitude as 60 nm", () => {
    expect(distanceNm({ lat: 12, lon: -79 }, { lat: 13, lon: -79 })).toBeCloseTo(60.04, 2);
    expect(distanceNm({ lat: 12.5, lon: -79.1 }, { lat: 12.5, lon: -79.1 })).toBe(0);
  });

  it("coarsens to a 10 km grid: nearby positions share a cell, and the precision says so", () => {
    const sighting = position(parsePosition("12°30.5'N 079°10'W"));
    const cell = coarsen(sighting, 10);
    expect(distanceNm(cell, sighting) * 1.852).toBeLessThanOrEqual(10 / Math.SQRT2 + 0.01);
    expect(cell.precisionM).toBe(10_000);
    expect(coarsen({ ...sighting, lat: sighting.lat + 0.001 }, 10)).toEqual(cell);
    expect(coarsen(cell, 10)).toEqual(cell);
  });
});
