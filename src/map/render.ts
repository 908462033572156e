/**
 * renderMap: the period's sightings as a PNG a phone shows well (800×600 by default). SVG → PNG
 * with resvg, whose native binary ships in its npm package; the font is DejaVu Sans from the
 * `dejavu-fonts-ttf` package, so labels render the same on a machine without system fonts.
 */
import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import { composeMap, type MapInput, type MapOptions, type MapSvg } from "./svg.ts";

export type { MapInput, MapOptions, MapSighting } from "./svg.ts";

export interface RenderedMap {
  png: Buffer;
  width: number;
  height: number;
  svg: string;
  /** Indexes of the sightings that got a label (the rest are markers only). */
  labelled: number[];
  resolution: MapSvg["resolution"];
}

const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
  require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
];

/** Throws RangeError when there is no sighting: a digest with none sends no map. */
export function renderMap(input: MapInput, o: MapOptions = {}): RenderedMap {
  const m = composeMap(input, o);
  const image = new Resvg(m.svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
    fitTo: { mode: "original" },
  }).render();
  return {
    png: image.asPng(),
    width: image.width,
    height: image.height,
    svg: m.svg,
    labelled: m.labelled,
    resolution: m.resolution,
  };
}
