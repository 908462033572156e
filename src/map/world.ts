/**
 * Coastlines, land and borders from Natural Earth (the `world-atlas` package's TopoJSON), read from
 * node_modules once per resolution and kept as flat lon/lat rings with their bounding boxes, so a
 * render only projects the rings that reach its view.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { feature, mesh } from "topojson-client";

/** Natural Earth scales: 1:10m, 1:50m, 1:110m. */
export type Resolution = "10m" | "50m" | "110m";

/** A ring or line as [lon, lat, lon, lat, …], with its bounding box. */
export interface Shape {
  coords: Float64Array;
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

export interface World {
  /** Country polygons' rings (outer and holes), filled even-odd. */
  land: Shape[];
  /** Arcs used by one country only: the coast. */
  coast: Shape[];
  /** Arcs two countries share: land borders. */
  borders: Shape[];
}

const cache = new Map<Resolution, World>();

function shape(points: readonly (readonly number[])[]): Shape {
  const coords = new Float64Array(points.length * 2);
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  points.forEach((p, i) => {
    const lon = p[0] ?? 0;
    const lat = p[1] ?? 0;
    coords[2 * i] = lon;
    coords[2 * i + 1] = lat;
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  });
  return { coords, minLon, minLat, maxLon, maxLat };
}

function polygonRings(geometry: { type: string; coordinates: unknown } | null): number[][][] {
  if (geometry === null) return [];
  if (geometry.type === "Polygon") return geometry.coordinates as number[][][];
  if (geometry.type === "MultiPolygon") return (geometry.coordinates as number[][][][]).flat();
  return [];
}

function load(resolution: Resolution): World {
  const path = createRequire(import.meta.url).resolve(`world-atlas/countries-${resolution}.json`);
  const topo = JSON.parse(readFileSync(path, "utf8")) as { objects: { countries: unknown } };
  const countries = topo.objects.countries;
  const collection = feature(topo, countries);
  const features = "features" in collection ? collection.features : [collection];
  return {
    land: features.flatMap((f) => polygonRings(f.geometry)).map(shape),
    coast: mesh(topo, countries, (a, b) => a === b).coordinates.map(shape),
    borders: mesh(topo, countries, (a, b) => a !== b).coordinates.map(shape),
  };
}

export function world(resolution: Resolution): World {
  let w = cache.get(resolution);
  if (w === undefined) {
    w = load(resolution);
    cache.set(resolution, w);
  }
  return w;
}
