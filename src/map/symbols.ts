/**
 * One marker per kind of sighting: a distinct shape and colour each, so the map reads in
 * greyscale and for colour-blind readers too (shape carries the kind, colour only helps).
 */
import type { SightingKind } from "../domain/kinds.ts";

export const MARKER_RADIUS = 6;

interface Marker {
  colour: string;
  /** Path data centred on (0, 0), about MARKER_RADIUS across each way. */
  path: string;
}

const r = MARKER_RADIUS;
export const SYMBOLS: Record<SightingKind, Marker> = {
  // A circle as two arcs.
  vessel: { colour: "#1f63c6", path: `M${-r} 0A${r} ${r} 0 1 0 ${r} 0A${r} ${r} 0 1 0 ${-r} 0Z` },
  aircraft: { colour: "#d1321f", path: `M0 ${-r - 1}L${r + 1} ${r}L${-r - 1} ${r}Z` },
  vehicle: { colour: "#23893a", path: `M${-r + 1} ${-r + 1}H${r - 1}V${r - 1}H${-r + 1}Z` },
  person: { colour: "#8a3fc4", path: `M0 ${-r - 1}L${r + 1} 0L0 ${r + 1}L${-r - 1} 0Z` },
  other: {
    colour: "#d97a00",
    // A plus sign, thick enough to see.
    path: `M-2 ${-r}H2V-2H${r}V2H2V${r}H-2V2H${-r}V-2H-2Z`,
  },
};

/** <defs> entries, one symbol per kind, used by id `k-<kind>`. */
export function symbolDefs(): string {
  return Object.entries(SYMBOLS)
    .map(
      ([kind, s]) =>
        `<path id="k-${kind}" d="${s.path}" fill="${s.colour}" stroke="#ffffff" stroke-width="1.5"/>`,
    )
    .join("");
}
