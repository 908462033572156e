import * as mgrsModule from "mgrs";
import { type ErrorText, err, exampleFor, ok, quote, type Result, t } from "./result.ts";

type MgrsLibrary = typeof mgrsModule;
// Node loads the package's CommonJS build (exports under `default`), vite its ES build.
const mgrs: MgrsLibrary = (mgrsModule as MgrsLibrary & { default?: MgrsLibrary }).default ?? mgrsModule;

export type PositionFormat = "decimal" | "dm" | "dms" | "mgrs";
export interface Position {
  lat: number;
  lon: number;
  /**
   * How finely the officer gave it, in metres: the size of the last digit written, on the
   * coarser axis (a longitude unit shrinks by cos(latitude)); for MGRS the side of the square.
   * `12.51,-79.20` → 0.01° ≈ 1.1 km; `12°30.5'N 079°10'W` → 1' of longitude ≈ 1.8 km.
   */
  precisionM: number;
  format: PositionFormat;
}

const M_PER_DEGREE = 111_120; // 60 nautical miles
const UNIT_M = [M_PER_DEGREE, 1852, 1852 / 60]; // a degree, a minute, a second of latitude
const EARTH_RADIUS_NM = 3440.065;
const BANDS = "CDEFGHJKLMNPQRSTUVWX";
const COLUMN_SETS = ["STUVWXYZ", "ABCDEFGH", "JKLMNPQR"]; // by zone number mod 3
const EX = { decimal: "12.51,-79.20", hemisphere: "12°30.5'N 079°10'W", mgrs: "18PTR1234567890" };

/** Errors rank: 0 not a position at all, 1 half of one (more words may complete it), 2 wrong. */
type Attempt = { result: Result<Position>; level: 0 | 1 | 2 };

/**
 * Decimal `12.51,-79.20`; with hemispheres `12.5N 79.1W`, `N12.5 W79.1`; degrees-minutes
 * `12°30.5'N 079°10'W`, `12d30.5N`, `12 30.5N 079 10W`; DMS `12°30'30"N 079°10'15"W` (phone
 * quotes ’ ” and º accepted); MGRS `18PTR1234567890`, `18P TR 12345 67890`, 0–10 digits.
 * Two signed numbers need a comma: `12.51 -79.20` is refused, as a bare second number is
 * too easily a course or a typo.
 */
export function parsePosition(text: string, field?: string): Result<Position> {
  return attempt(text, field).result;
}

function attempt(text: string, field: string | undefined): Attempt {
  const input = text.trim().replace(/\s+/g, " ");
  const upper = input.toUpperCase();
  if (/^\d{1,2} ?[A-Z] ?[A-Z]{2}[ \d]*$/.test(upper)) return mgrsAttempt(text, upper, field);
  if (/[NSEW]/.test(upper)) return hemisphereAttempt(text, upper, field);
  return decimalAttempt(text, input, field);
}

/** Makes failures for one format: its example, the option's name, level 2 unless told. */
function failing(field: string | undefined, ...examples: string[]) {
  return (message: ErrorText, level: Attempt["level"] = 2): Attempt => ({
    result: err(message, exampleFor(field, ...examples), field ?? "position"),
    level,
  });
}

function notAPosition(text: string, field: string | undefined): Attempt {
  const fail = failing(field, EX.decimal, EX.hemisphere, EX.mgrs);
  return fail(t("position.notAPosition", { input: quote(text) }), 0);
}

function decimalAttempt(text: string, input: string, field: string | undefined): Attempt {
  const number = "[+-]?\\d{1,3}(?:\\.\\d+)?°?";
  const match = new RegExp(`^(${number}) ?, ?(${number})$`).exec(input);
  const q = quote(text);
  const fail = failing(field, EX.decimal);
  if (match === null) {
    if (/^[\d.,+\- ]+$/.test(input) && (input.match(/,/g) ?? []).length >= 2) {
      const commas = /^([+-]?\d{1,3}),(\d+) ?, ?([+-]?\d{1,3}),(\d+)$/.exec(input);
      const meant = commas === null ? undefined : `${commas[1]}.${commas[2]},${commas[3]}.${commas[4]}`;
      const message = t("position.tooManyCommas", { input: q });
      return meant === undefined || !decimalAttempt(meant, meant, field).result.ok
        ? fail(message)
        : failing(field, meant)(message);
    }
    if (new RegExp(`^${number} ${number}$`).test(input)) {
      return fail(t("position.needsComma", { input: q }));
    }
    if (new RegExp(`^${number}$`).test(input)) {
      return fail(t("position.oneNumber", { input: q }), 1);
    }
    return notAPosition(text, field);
  }
  const [latText = "", lonText = ""] = [match[1], match[2]].map((s) => (s ?? "").replace("°", ""));
  const lat = Number(latText);
  const lon = Number(lonText);
  const unitM = (t: string) => decimalUnit(t) * M_PER_DEGREE;
  const position = { lat, lon, precisionM: Math.max(unitM(latText), unitM(lonText) * cosDeg(lat)) };
  return inRange(q, { ...position, format: "decimal" }, fail);
}

interface Coordinate {
  axis: "lat" | "lon";
  value: number; // signed degrees
  unitM: number; // the last written digit, in metres along a meridian
  parts: number; // 1 decimal degrees, 2 degrees-minutes, 3 degrees-minutes-seconds
  overflow?: "Minutes" | "Seconds"; // written as 60 or more
}

function hemisphereAttempt(text: string, upper: string, field: string | undefined): Attempt {
  const q = quote(text);
  const fail = failing(field, EX.hemisphere);
  const letters = [...upper.matchAll(/[NSEW]/g)].map((m) => m.index);
  const [first, second] = letters;
  if (letters.length === 1) {
    return fail(t("position.oneCoordinate", { input: q }), 1);
  }
  if (letters.length !== 2 || first === undefined || second === undefined) return notAPosition(text, field);
  const splitAt = first === 0 ? second : first + 1;
  const halves = [upper.slice(0, splitAt), upper.slice(splitAt)].map(trimSeparators);
  const coordinates: Coordinate[] = [];
  for (const half of halves) {
    const coordinate = readCoordinate(half);
    if (coordinate === undefined) return notAPosition(text, field);
    coordinates.push(coordinate);
  }
  const overflow = coordinates.find((c) => c.overflow !== undefined)?.overflow;
  if (overflow !== undefined)
    return fail(t(overflow === "Minutes" ? "position.minutesOver" : "position.secondsOver", { input: q }));
  const lat = coordinates.find((c) => c.axis === "lat");
  const lon = coordinates.find((c) => c.axis === "lon");
  if (lat === undefined) return fail(t("position.twoLongitudes", { input: q }));
  if (lon === undefined) return fail(t("position.twoLatitudes", { input: q }));
  const precisionM = Math.max(lat.unitM, lon.unitM * cosDeg(lat.value));
  const format = (["decimal", "dm", "dms"] as const)[Math.max(lat.parts, lon.parts) - 1] ?? "dms";
  return inRange(q, { lat: lat.value, lon: lon.value, precisionM, format }, fail);
}

const SEPARATOR = /[\s,;/]/;

/**
 * A half without the separators around it. Not `/[\s,;/]+$/`: that retries the whole run from
 * each of its characters, O(n²) on a pasted run of commas (10k of them took seconds).
 */
function trimSeparators(h: string): string {
  let start = 0;
  let end = h.length;
  while (start < end && SEPARATOR.test(h.charAt(start))) start++;
  while (end > start && SEPARATOR.test(h.charAt(end - 1))) end--;
  return h.slice(start, end);
}

const TOKEN = /(\d+(?:\.\d+)?)|([°º˚D])|(["″”“]|['′’‘`´]{2})|(['′’‘`´])|(\s+)|(.)/gy;

/** One coordinate with its hemisphere letter before or after: `12°30.5'N`, `W079 10`. */
function readCoordinate(half: string): Coordinate | undefined {
  const prefixed = /^[NSEW]/.test(half);
  if (!prefixed && !/[NSEW]$/.test(half)) return undefined;
  const letter = prefixed ? half.charAt(0) : half.charAt(half.length - 1);
  const body = prefixed ? half.slice(1) : half.slice(0, -1);
  const numbers: Array<{ text: string; mark?: number }> = [];
  for (const token of body.matchAll(TOKEN)) {
    const [, digits, degree, second, minute, space] = token;
    const mark = degree !== undefined ? 0 : minute !== undefined ? 1 : second !== undefined ? 2 : undefined;
    const last = numbers[numbers.length - 1];
    if (digits !== undefined) numbers.push({ text: digits });
    else if (mark !== undefined && last !== undefined && last.mark === undefined) last.mark = mark;
    else if (space === undefined) return undefined;
  }
  if (numbers.length < 1 || numbers.length > 3) return undefined;
  let value = 0;
  let overflow: Coordinate["overflow"];
  for (const [i, n] of numbers.entries()) {
    if ((n.mark !== undefined && n.mark !== i) || (i < numbers.length - 1 && n.text.includes(".")))
      return undefined;
    const v = Number(n.text);
    if (n.text.split(".")[0]!.length > (i === 0 ? 3 : 2)) return undefined;
    if (i > 0 && v >= 60) overflow ??= i === 1 ? "Minutes" : "Seconds";
    value += v / 60 ** i;
  }
  const lastNumber = numbers[numbers.length - 1]?.text ?? "";
  const unitM = decimalUnit(lastNumber) * (UNIT_M[numbers.length - 1] ?? M_PER_DEGREE);
  const axis = letter === "N" || letter === "S" ? "lat" : "lon";
  const signed = letter === "S" || letter === "W" ? -value : value;
  return { axis, value: signed, unitM, parts: numbers.length, ...(overflow && { overflow }) };
}

function mgrsAttempt(text: string, upper: string, field: string | undefined): Attempt {
  const q = quote(text);
  const fail = failing(field, EX.mgrs);
  const match = /^(\d{1,2}) ?([A-Z]) ?([A-Z])([A-Z])(?: ?(\d+)(?: (\d+))?)?$/.exec(upper);
  if (match === null) return fail(t("position.notMgrs", { input: q }));
  const [, zoneText = "", band = "", column = "", row = "", easting = "", northing] = match;
  const zone = Number(zoneText);
  const digits = easting + (northing ?? "");
  const square = `${column}${row}`;
  const columns = COLUMN_SETS[zone % 3] ?? "";
  const wrong =
    zone < 1 || zone > 60
      ? t("position.mgrsZone", { zone: zoneText, input: q })
      : !BANDS.includes(band)
        ? t("position.mgrsBand", { band: `"${band}"`, input: q })
        : !columns.includes(column)
          ? t("position.mgrsColumn", { square: `"${square}"`, input: q, zone, columns })
          : !/[A-HJ-NP-V]/.test(row)
            ? t("position.mgrsRow", { square: `"${square}"`, input: q })
            : northing !== undefined && northing.length !== easting.length
              ? t("position.mgrsUneven", { input: q, easting: easting.length, northing: northing.length })
              : digits.length % 2 !== 0 || digits.length > 10
                ? t("position.mgrsDigits", { input: q, digits: digits.length })
                : undefined;
  if (wrong !== undefined) return fail(wrong);
  const precisionM = 10 ** (5 - digits.length / 2);
  let point: [number, number];
  try {
    point = mgrs.toPoint(`${zone}${band}${column}${row}${digits}`);
  } catch {
    return fail(t("position.notMgrs", { input: q }));
  }
  const [lon, lat] = point;
  const south = -80 + 8 * BANDS.indexOf(band);
  const north = band === "X" ? 84 : south + 8;
  // A square may straddle its band's or zone's edge; Norway (32V) and Svalbard (31X–37X) zones are wider.
  const latSlack = precisionM / M_PER_DEGREE + 0.01;
  const lonSlack = precisionM / (M_PER_DEGREE * Math.max(cosDeg(lat), 0.1)) + 0.01;
  const halfWidth =
    (band === "V" && zone === 32) || (band === "X" && [31, 33, 35, 37].includes(zone)) ? 6 : 3;
  const outsideBand = lat < south - latSlack || lat > north + latSlack;
  const outsideZone = Math.abs(normalizeLon(lon - (6 * zone - 183))) > halfWidth + lonSlack;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || outsideBand || outsideZone) {
    return fail(t("position.mgrsNowhere", { input: q, square, zone, band }));
  }
  return { result: ok({ lat, lon: normalizeLon(lon), precisionM, format: "mgrs" }), level: 2 };
}

function inRange(q: string, position: Position, fail: ReturnType<typeof failing>): Attempt {
  if (Math.abs(position.lat) > 90) return fail(t("position.latitudeRange", { input: q }));
  if (Math.abs(position.lon) > 180) return fail(t("position.longitudeRange", { input: q }));
  return { result: ok(position), level: 2 };
}

/** A word that reads as a coordinate on its own: `-79,1`, `79.1`, `5`, `79.1W`. */
const NUMBER_WORD = /^[+-]?\d+(?:[.,]\d+)?°?[NSEWnsew]?$/;

/**
 * The position at the start of `words` (the reader's positional words): `12.51,-79.20` is one
 * word, `12.5N 79.1W` two, `18P TR 12345 67890` four, spaced DMS up to six. The longest run of
 * words that reads as a position wins; MGRS followed by a number is refused (split digits), and
 * so is latitude,longitude followed by a number: `12,5 -79,1` is decimal commas, not 12°N 5°E.
 */
export function takePosition(
  words: readonly string[],
  field?: string,
): Result<{ position: Position; consumed: number }> {
  const examples = exampleFor(field, EX.decimal, EX.hemisphere, EX.mgrs);
  if (words.length === 0) return err(t("position.missing"), examples, field ?? "position");
  const attempts = words.slice(0, 6).map((_, i) => attempt(words.slice(0, i + 1).join(" "), field));
  for (let n = attempts.length; n >= 1; n--) {
    const { result } = attempts[n - 1]!;
    if (!result.ok) continue;
    const next = words[n];
    if (result.value.format === "mgrs" && next !== undefined && /^\d+$/.test(next)) break;
    const taken = words.slice(0, n).join(" ");
    if (next !== undefined && NUMBER_WORD.test(next) && !/[NSEW]/i.test(taken)) {
      return numberAfterDecimal(taken, next, field);
    }
    return ok({ position: result.value, consumed: n });
  }
  const chosen = (attempts.findLast((a) => a.level === 2) ?? attempts[0]!).result;
  return chosen.ok ? ok({ position: chosen.value, consumed: 1 }) : chosen;
}

/**
 * Refuses latitude,longitude followed by a bare number. `12,5 -79,1` is decimal commas (the
 * example is what was meant, `12.5,-79.1`); after `12.51,-79.20` the number is a stray course
 * or name, and no reading of it is safe.
 */
function numberAfterDecimal(taken: string, next: string, field: string | undefined): Result<never> {
  const q = quote(`${taken} ${next}`);
  const commas = /^([+-]?\d+) ?, ?(\d+)°?$/.exec(taken);
  if (commas === null) {
    return err(t("position.bareNumber", { input: q }), exampleFor(field, EX.decimal), field ?? "position");
  }
  const meant = `${commas[1]}.${commas[2]},${next.replace(",", ".")}`;
  const example = /^[+-]?\d+(?:\.\d+)?$/.test(next.replace(",", ".")) && parsePosition(meant).ok;
  return err(
    t("position.decimalCommas", { input: q }),
    exampleFor(field, example ? meant : EX.decimal),
    field ?? "position",
  );
}

/** `12°30.50'N 079°10.00'W` — degrees and minutes, as read back to the officer. */
export function formatCoordinates(p: Pick<Position, "lat" | "lon">): string {
  return `${degreesMinutes(p.lat, "N", "S", 2)} ${degreesMinutes(p.lon, "E", "W", 3)}`;
}

/** `12°30.50'N 079°10.00'W (±1.8 km)`. */
export function formatPosition(p: Position): string {
  return `${formatCoordinates(p)} (${formatPrecision(p.precisionM)})`;
}

/** `±1 m`, `±190 m`, `±1.8 km`, `±100 km`. */
export function formatPrecision(metres: number): string {
  if (metres < 10) return `±${Math.max(1, Math.round(metres))} m`;
  if (metres < 1000) return `±${Math.round(metres / 10) * 10} m`;
  if (metres < 10_000) return `±${Math.round(metres / 100) / 10} km`;
  return `±${Math.round(metres / 1000)} km`;
}

function degreesMinutes(value: number, positive: string, negative: string, width: number): string {
  const hundredths = Math.round(Math.abs(value) * 6000); // rounds 59.999' up into the degree
  const degrees = String(Math.floor(hundredths / 6000)).padStart(width, "0");
  const minutes = ((hundredths % 6000) / 100).toFixed(2).padStart(5, "0");
  return `${degrees}°${minutes}'${value < 0 ? negative : positive}`;
}

/** Great-circle distance in nautical miles (haversine on a sphere; ample for correlation). */
export function distanceNm(a: Pick<Position, "lat" | "lon">, b: Pick<Position, "lat" | "lon">): number {
  const dLat = toRadians(b.lat - a.lat);
  const dLon = toRadians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + cosDeg(a.lat) * cosDeg(b.lat) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_NM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Snaps a position to the nearest node of a grid `km` apart, so a redacted position reveals
 * only its cell. Rows are `km` apart in latitude; along each row, nodes are `km` apart there.
 */
export function coarsen(p: Position, km: number): Position {
  if (!(km > 0)) return p;
  const latStep = (km * 1000) / M_PER_DEGREE;
  const lat = Math.min(90, Math.max(-90, Math.round(p.lat / latStep) * latStep));
  const lonStep = Math.min(360, latStep / Math.max(cosDeg(lat), 1e-6));
  const lon = normalizeLon(Math.round(p.lon / lonStep) * lonStep);
  return { lat, lon, precisionM: Math.max(p.precisionM, km * 1000), format: p.format };
}

function decimalUnit(numberText: string): number {
  const decimals = numberText.split(".")[1]?.length ?? 0;
  return 10 ** -decimals;
}

function cosDeg(degrees: number): number {
  return Math.cos(toRadians(degrees));
}

function toRadians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

function normalizeLon(lon: number): number {
  const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
  return wrapped === -180 && lon > 0 ? 180 : wrapped;
}
