/**
 * Wall-clock time in an IANA zone, from the runtime's time-zone data (Intl): offsets, local
 * fields, the instant of a local minute (DST-correct) and the zone's abbreviation. Pure: no clock.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows `timeZone` (`America/Bogota`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** A local wall-clock minute. `month` is 1–12; `weekday` 0 = Sunday. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export function localTime(at: Date | number, timeZone: string): LocalTime {
  const parts = formatter(timeZone).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
  };
}

/** The local time read as if it were UTC, in ms (for arithmetic on wall-clock minutes). */
export function wallMs(t: LocalTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
}

/** The zone's offset from UTC at `at`, in ms (rounded to the minute: no zone in use has seconds now). */
export function offsetAt(at: number, timeZone: string): number {
  const whole = Math.floor(at / MINUTE_MS) * MINUTE_MS;
  return wallMs(localTime(whole, timeZone)) - whole;
}

/**
 * The instant a local wall-clock minute happens. A minute that happens twice (clocks go back) is
 * its first occurrence; a minute that never happens (clocks go forward) is the instant the clocks
 * jump, the first moment after it — so a schedule in the gap still runs that day, once.
 */
export function instantOf(t: LocalTime, timeZone: string): number {
  const wall = wallMs(t);
  // No zone changes its offset twice within 36 h, so these are every offset that can apply.
  const offsets = [...new Set([-36, 0, 36].map((h) => offsetAt(wall + h * HOUR_MS, timeZone)))];
  const valid = offsets.map((o) => wall - o).filter((at) => offsetAt(at, timeZone) === wall - at);
  if (valid.length > 0) return Math.min(...valid);
  // In the gap: the jump lies between the two readings; find its first minute.
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (wallMs(localTime(mid, timeZone)) > wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Abbreviations people write that the runtime's data spells `GMT-5`; elsewhere its own (`CET`,
 * `CEST`, `EST`, `BST`) is used. Extend as rooms in other zones are configured.
 */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  "America/Bogota": "COT",
  "America/Lima": "PET",
  "America/Caracas": "VET",
  "America/Guayaquil": "ECT",
  "America/Panama": "EST",
  "America/Santo_Domingo": "AST",
  "Africa/Lagos": "WAT",
  "Africa/Abidjan": "GMT",
  "Africa/Accra": "GMT",
  "Africa/Dakar": "GMT",
  "Africa/Luanda": "WAT",
  "Africa/Nairobi": "EAT",
  "Atlantic/Cape_Verde": "CVT",
};

/** `COT`, `CET`/`CEST` (at `at`), `UTC`. */
export function zoneAbbreviation(at: Date, timeZone: string): string {
  const fixed = ABBREVIATIONS[timeZone];
  if (fixed !== undefined) return fixed;
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "short" }).formatToParts(at);
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}
