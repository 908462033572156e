import { err, exampleFor, ok, quote, type Result, t } from "./result.ts";

/**
 * Course over ground in whole degrees true, 0–359: `045`, `45`, `045T`, `45°`, `045°T`.
 * `360` is how mariners write north and is read as 000; decimals are rounded (the read-back
 * shows the result). Magnetic (`045M`) is refused: converting needs the local variation.
 */
export function parseCourse(text: string, field = "course"): Result<number> {
  const example = exampleFor(field, "045");
  const match = /^(\d{1,3}(?:\.\d+)?)\s*(?:(?:°|º|˚|DEG)\s*)?([TM])?$/.exec(text.trim().toUpperCase());
  if (match === null) {
    return err(t("course.invalid", { input: quote(text) }), example, field);
  }
  if (match[2] === "M") {
    return err(t("course.magnetic", { input: quote(text) }), example, field);
  }
  const degrees = Math.round(Number(match[1]));
  if (degrees > 360) {
    return err(t("course.range", { input: quote(text) }), example, field);
  }
  return ok(degrees % 360);
}

/** `045°`. */
export function formatCourse(degrees: number): string {
  return `${String(degrees).padStart(3, "0")}°`;
}

export type SpeedUnit = "kt" | "km/h";
export interface Speed {
  knots: number;
  /** The number and unit as the officer gave them, for the read-back. */
  value: number;
  unit: SpeedUnit;
}

const KM_PER_NM = 1.852;
const MAX_KNOTS = 1000;

/**
 * `32kt`, `32 kts`, `32kn`, `32knots`, `60km/h`, `60kmh`, `60kph`, `12.5kt` or `12,5kt`.
 * A bare number is knots: at sea and in the air that is the unit everyone reports in.
 */
export function parseSpeed(text: string, field = "speed"): Result<Speed> {
  const example = exampleFor(field, "32kt", "60km/h");
  const word = text.trim().toUpperCase();
  const match = /^(\d{1,5}(?:[.,]\d{1,3})?)\s*(KTS?|KN|KNOTS?|KM\/H|KMH|KPH|KM\/HR)?$/.exec(word);
  if (match === null) {
    const mph = /^\d+(?:[.,]\d+)?\s*MPH$/.test(word);
    return err(t(mph ? "speed.mph" : "speed.invalid", { input: quote(text) }), example, field);
  }
  const value = Number((match[1] ?? "").replace(",", "."));
  const unit: SpeedUnit = /^(KM|KPH)/.test(match[2] ?? "KT") ? "km/h" : "kt";
  const knots = unit === "km/h" ? value / KM_PER_NM : value;
  if (knots > MAX_KNOTS) {
    return err(t("speed.tooFast", { input: quote(text), max: MAX_KNOTS }), example, field);
  }
  return ok({ knots, value, unit });
}

/** `32 kt`, or `60 km/h (32 kt)` when the officer gave km/h. */
export function formatSpeed(speed: Speed): string {
  const knots = `${formatNumber(speed.knots)} kt`;
  return speed.unit === "kt" ? knots : `${formatNumber(speed.value)} km/h (${knots})`;
}

function formatNumber(n: number): string {
  return String(Math.round(n * 10) / 10);
}
