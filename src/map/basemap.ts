/**
 * Natural Earth geometry as SVG path data for one view: shapes outside the view are skipped, land
 * polygons are clipped to the canvas (a continent's ring would otherwise put thousands of
 * off-screen points in the SVG), and points closer than a fraction of a pixel are dropped.
 */
import { toPixel, type View } from "./view.ts";
import type { Shape } from "./world.ts";

/** How far outside the canvas geometry is kept, so clipped edges and strokes never show. */
const MARGIN_PX = 8;
const MIN_STEP_PX = 0.6;

function visible(s: Shape, v: View): boolean {
  const padLon = (MARGIN_PX * v.degPerPx) / v.k;
  const padLat = MARGIN_PX * v.degPerPx;
  return (
    s.maxLon >= v.west - padLon &&
    s.minLon <= v.east + padLon &&
    s.maxLat >= v.south - padLat &&
    s.minLat <= v.north + padLat
  );
}

function project(s: Shape, v: View): number[] {
  const out = new Array<number>(s.coords.length);
  for (let i = 0; i < s.coords.length; i += 2) {
    const [x, y] = toPixel(v, s.coords[i + 1] ?? 0, s.coords[i] ?? 0);
    out[i] = x;
    out[i + 1] = y;
  }
  return out;
}

type Edge = (x: number, y: number) => boolean;

/** Sutherland–Hodgman against one edge of the rectangle; `cut` gives the crossing point. */
function clipEdge(
  pts: number[],
  inside: Edge,
  cut: (ax: number, ay: number, bx: number, by: number) => [number, number],
): number[] {
  const out: number[] = [];
  const n = pts.length / 2;
  for (let i = 0; i < n; i++) {
    const ax = pts[2 * ((i + n - 1) % n)] ?? 0;
    const ay = pts[2 * ((i + n - 1) % n) + 1] ?? 0;
    const bx = pts[2 * i] ?? 0;
    const by = pts[2 * i + 1] ?? 0;
    const aIn = inside(ax, ay);
    const bIn = inside(bx, by);
    if (bIn) {
      if (!aIn) out.push(...cut(ax, ay, bx, by));
      out.push(bx, by);
    } else if (aIn) out.push(...cut(ax, ay, bx, by));
  }
  return out;
}

function clipPolygon(pts: number[], v: View): number[] {
  const x0 = -MARGIN_PX;
  const y0 = -MARGIN_PX;
  const x1 = v.width + MARGIN_PX;
  const y1 = v.height + MARGIN_PX;
  const atX =
    (x: number) =>
    (ax: number, ay: number, bx: number, by: number): [number, number] => [
      x,
      ay + ((by - ay) * (x - ax)) / (bx - ax),
    ];
  const atY =
    (y: number) =>
    (ax: number, ay: number, bx: number, by: number): [number, number] => [
      ax + ((bx - ax) * (y - ay)) / (by - ay),
      y,
    ];
  let p = clipEdge(pts, (x) => x >= x0, atX(x0));
  p = clipEdge(p, (x) => x <= x1, atX(x1));
  p = clipEdge(p, (_, y) => y >= y0, atY(y0));
  return clipEdge(p, (_, y) => y <= y1, atY(y1));
}

const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

/** "M…L…" for a run of pixel points, dropping points less than MIN_STEP_PX from the last one kept. */
function pathOf(pts: number[], close: boolean): string {
  if (pts.length < 4) return "";
  let d = `M${fmt(pts[0] ?? 0)} ${fmt(pts[1] ?? 0)}`;
  let lx = pts[0] ?? 0;
  let ly = pts[1] ?? 0;
  let kept = 1;
  for (let i = 2; i < pts.length; i += 2) {
    const x = pts[i] ?? 0;
    const y = pts[i + 1] ?? 0;
    const last = i === pts.length - 2;
    if (!last && Math.abs(x - lx) < MIN_STEP_PX && Math.abs(y - ly) < MIN_STEP_PX) continue;
    d += `L${fmt(x)} ${fmt(y)}`;
    lx = x;
    ly = y;
    kept++;
  }
  if (kept < 2) return "";
  return close ? `${d}Z` : d;
}

/** Filled polygons (rings clipped to the canvas); draw with fill-rule evenodd for the holes. */
export function polygonsPath(shapes: readonly Shape[], v: View): string {
  let d = "";
  for (const s of shapes) {
    if (!visible(s, v)) continue;
    const clipped = clipPolygon(project(s, v), v);
    if (clipped.length >= 6) d += pathOf(clipped, true);
  }
  return d;
}

/** Polylines, split into the runs of segments that reach the canvas. */
export function linesPath(shapes: readonly Shape[], v: View): string {
  const x0 = -MARGIN_PX;
  const y0 = -MARGIN_PX;
  const x1 = v.width + MARGIN_PX;
  const y1 = v.height + MARGIN_PX;
  let d = "";
  for (const s of shapes) {
    if (!visible(s, v)) continue;
    const p = project(s, v);
    let run: number[] = [];
    for (let i = 0; i + 3 < p.length; i += 2) {
      const ax = p[i] ?? 0;
      const ay = p[i + 1] ?? 0;
      const bx = p[i + 2] ?? 0;
      const by = p[i + 3] ?? 0;
      const reaches =
        Math.max(ax, bx) >= x0 && Math.min(ax, bx) <= x1 && Math.max(ay, by) >= y0 && Math.min(ay, by) <= y1;
      if (reaches) {
        if (run.length === 0) run.push(ax, ay);
        run.push(bx, by);
      } else if (run.length > 0) {
        d += pathOf(run, false);
        run = [];
      }
    }
    if (run.length > 0) d += pathOf(run, false);
  }
  return d;
}
