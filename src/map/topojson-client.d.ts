// The two functions of topojson-client the map uses (the package ships no types of its own).
declare module "topojson-client" {
  type Position = [number, number];
  interface Geometry {
    type: string;
    coordinates: unknown;
  }
  export interface GeoFeature {
    type: "Feature";
    geometry: Geometry | null;
  }
  export function feature(
    topology: unknown,
    object: unknown,
  ): { type: "FeatureCollection"; features: GeoFeature[] } | GeoFeature;
  export function mesh(
    topology: unknown,
    object: unknown,
    filter?: (a: unknown, b: unknown) => boolean,
  ): { type: "MultiLineString"; coordinates: Position[][] };
}
