import * as mgrsModule from "mgrs";
import { formatCoordinates, formatPrecision, type Position } from "./position.ts";

type MgrsLibrary = typeof mgrsModule;
// Node loads the package's CommonJS build (exports under `default`), vite its ES build.
const mgrs: MgrsLibrary = (mgrsModule as MgrsLibrary & { default?: MgrsLibrary }).default ?? mgrsModule;

/**
 * A position read back in the form the officer wrote it, so a mis-parse shows at once:
 * decimal `12.5100, -79.2000`, degrees-minutes `12°30.50'N 079°10.00'W`, DMS
 * `12°30'30"N 079°10'15"W`, MGRS `18P TR 12345 67890 = 12°30.50'N 079°10.00'W`; then the
 * precision it was given with.
 */
export function formatPositionAsGiven(p: Position): string {
  return `${coordinatesAsGiven(p)} (${formatPrecision(p.precisionM)})`;
}

export function coordinatesAsGiven(p: Position): string {
  switch (p.format) {
    case "decimal":
      return `${p.lat.toFixed(4)}, ${p.lon.toFixed(4)}`;
    case "dms":
      return `${dms(p.lat, "N", "S", 2)} ${dms(p.lon, "E", "W", 3)}`;
    case "mgrs": {
      const grid = formatMgrs(p);
      return grid === undefined ? formatCoordinates(p) : `${grid} = ${formatCoordinates(p)}`;
    }
    default:
      return formatCoordinates(p);
  }
}

/** `18P TR 12345 67890`, with as many digits as the precision warrants; undefined near the poles. */
export function formatMgrs(p: Position): string | undefined {
  const digits = Math.min(5, Math.max(0, Math.round(5 - Math.log10(Math.max(p.precisionM, 1)))));
  try {
    const grid = mgrs.forward([p.lon, p.lat], digits);
    const m = /^(\d{1,2}[A-Z])([A-Z]{2})(\d*)$/.exec(grid);
    if (m === null) return grid;
    const [, zone = "", square = "", numbers = ""] = m;
    const half = numbers.length / 2;
    return [zone, square, numbers.slice(0, half), numbers.slice(half)].filter((s) => s !== "").join(" ");
  } catch {
    return undefined;
  }
}

function dms(value: number, positive: string, negative: string, width: number): string {
  const seconds = Math.round(Math.abs(value) * 3600);
  const d = String(Math.floor(seconds / 3600)).padStart(width, "0");
  const m = String(Math.floor((seconds % 3600) / 60)).padStart(2, "0");
  const s = String(seconds % 60).padStart(2, "0");
  return `${d}°${m}'${s}"${value < 0 ? negative : positive}`;
}

/** Initial great-circle bearing from a to b, in degrees true 0–359. */
export function bearingDeg(a: Pick<Position, "lat" | "lon">, b: Pick<Position, "lat" | "lon">): number {
  const r = Math.PI / 180;
  const y = Math.sin((b.lon - a.lon) * r) * Math.cos(b.lat * r);
  const x =
    Math.cos(a.lat * r) * Math.sin(b.lat * r) -
    Math.sin(a.lat * r) * Math.cos(b.lat * r) * Math.cos((b.lon - a.lon) * r);
  return (Math.round(Math.atan2(y, x) / r) + 360) % 360;
}

const POINTS = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];

/** The nearest of the eight compass points. */
export function compassPoint(degrees: number): string {
  return POINTS[Math.round((((degrees % 360) + 360) % 360) / 45) % 8] ?? "N";
}
