/**
 * Quantities written in tearline.yaml with their unit: a period (`30m`, `24h`, `7d`) and a
 * distance (`500m`, `10km`, `5nm`). Read here rather than with the chat parsers because the
 * file's vocabulary is narrower and its errors are worded for an operator editing YAML.
 */

const PERIOD_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DISTANCE_UNITS: Record<string, number> = { m: 1, km: 1000, nm: 1852 };

/** At most a year: an approval left open longer than that has been forgotten, not awaited. */
const MAX_PERIOD_MS = 366 * 86_400_000;
/** A quarter of the Earth's circumference: coarser than that is "somewhere on Earth". */
const MAX_DISTANCE_M = 10_000_000;

function quantity(text: string, units: Record<string, number>): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(text.trim().toLowerCase());
  const factor = match?.[2] === undefined ? undefined : units[match[2]];
  if (match === null || factor === undefined) return undefined;
  return Number(match[1]) * factor;
}

/** `24h` → 86 400 000 ms; undefined if it is not a period above zero and at most a year. */
export function parsePeriodMs(text: string): number | undefined {
  const ms = quantity(text, PERIOD_UNITS);
  return ms !== undefined && ms >= 60_000 && ms <= MAX_PERIOD_MS ? Math.round(ms) : undefined;
}

/** `10km` → 10 000 m; undefined if it is not a distance of at least a metre. */
export function parseDistanceM(text: string): number | undefined {
  const m = quantity(text, DISTANCE_UNITS);
  return m !== undefined && m >= 1 && m <= MAX_DISTANCE_M ? m : undefined;
}
