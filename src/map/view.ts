/**
 * The map's area and projection: equirectangular, with longitudes scaled by cos(latitude) at the
 * area's middle, so distances are true to a percent or two over the few hundred kilometres a
 * period's sightings span (and north is up, which is what officers expect of a chart sketch).
 */

export const KM_PER_DEGREE = 111.32;

export interface LatLon {
  lat: number;
  lon: number;
}

/** A pixel rectangle the points must fall in (the rest is left for the corners' boxes). */
export interface Frame {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface View {
  width: number;
  height: number;
  /** cos(lat0): projected x is lon × k. */
  k: number;
  /** The projected point at pixel (0, 0), and degrees of latitude per pixel. */
  x0: number;
  y0: number;
  degPerPx: number;
  /** The lon/lat box the canvas shows. */
  west: number;
  east: number;
  south: number;
  north: number;
}

export interface FitOptions {
  width: number;
  height: number;
  frame: Frame;
  /** The shorter side shows at least this much (a single point gets its surroundings). */
  minKm: number;
  /** Extra room around the points, as a fraction of their span. */
  padding: number;
}

const MAX_LAT = 85;

/** The view that shows every point inside `frame`, centred on them, at least `minKm` across. */
export function fitView(points: readonly LatLon[], o: FitOptions): View {
  if (points.length === 0) throw new RangeError("fitView needs at least one point");
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const south = Math.min(...lats);
  const north = Math.max(...lats);
  const lat0 = (south + north) / 2;
  const k = Math.cos((lat0 * Math.PI) / 180);
  const xs = lons.map((lon) => lon * k);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const spanX = (maxX - minX) * (1 + 2 * o.padding);
  const spanY = (north - south) * (1 + 2 * o.padding);
  const minDeg = o.minKm / KM_PER_DEGREE;
  const degPerPx = Math.max(
    spanX / o.frame.width,
    spanY / o.frame.height,
    minDeg / Math.min(o.width, o.height),
    1e-9,
  );
  // The points' centre goes to the frame's centre (projected y grows northwards, pixels southwards).
  const cx = (minX + maxX) / 2;
  const cy = (south + north) / 2;
  const x0 = cx - (o.frame.x + o.frame.width / 2) * degPerPx;
  const y0 = cy + (o.frame.y + o.frame.height / 2) * degPerPx;
  return {
    width: o.width,
    height: o.height,
    k,
    x0,
    y0,
    degPerPx,
    west: x0 / k,
    east: (x0 + o.width * degPerPx) / k,
    north: Math.min(MAX_LAT, y0),
    south: Math.max(-MAX_LAT, y0 - o.height * degPerPx),
  };
}

export function toPixel(v: View, lat: number, lon: number): [number, number] {
  return [(lon * v.k - v.x0) / v.degPerPx, (v.y0 - lat) / v.degPerPx];
}

/** Kilometres per pixel, at the view's middle latitude (true in both directions there). */
export function kmPerPx(v: View): number {
  return v.degPerPx * KM_PER_DEGREE;
}
