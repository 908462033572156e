/**
 * Ref labels placed greedily, in the order the sightings were given (the caller puts the notable
 * ones first): each takes the first free spot right, left, above or below its marker, and is
 * left out when none is free of the labels, markers and boxes already there, or when the cap is
 * reached. 500 labels would be an unreadable smear; the legend says how many are labelled.
 */

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PlacedLabel {
  index: number;
  text: string;
  /** Text anchor point (start of the baseline). */
  x: number;
  y: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Width of text in DejaVu Sans Bold, a little generously (digits and capitals are ~0.7 em). */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.7;
}

export function placeLabels(
  markers: ReadonlyArray<{ x: number; y: number; text: string }>,
  o: { fontSize: number; markerRadius: number; max: number; canvas: Box; avoid: readonly Box[] },
): PlacedLabel[] {
  const taken: Box[] = [...o.avoid];
  const r = o.markerRadius;
  const markerBoxes = markers.map((m) => ({ x: m.x - r, y: m.y - r, w: 2 * r, h: 2 * r }));
  const placed: PlacedLabel[] = [];
  const h = o.fontSize;
  const inCanvas = (b: Box) =>
    b.x >= o.canvas.x &&
    b.y >= o.canvas.y &&
    b.x + b.w <= o.canvas.x + o.canvas.w &&
    b.y + b.h <= o.canvas.y + o.canvas.h;
  for (let i = 0; i < markers.length && placed.length < o.max; i++) {
    const m = markers[i];
    if (m === undefined) continue;
    const w = textWidth(m.text, o.fontSize);
    const gap = r + 3;
    const candidates: Box[] = [
      { x: m.x + gap, y: m.y - h / 2, w, h },
      { x: m.x - gap - w, y: m.y - h / 2, w, h },
      { x: m.x - w / 2, y: m.y - gap - h, w, h },
      { x: m.x - w / 2, y: m.y + gap, w, h },
    ];
    const spot = candidates.find(
      (b) =>
        inCanvas(b) &&
        !taken.some((t) => overlaps(t, b)) &&
        !markerBoxes.some((mb, j) => j !== i && overlaps(mb, b)),
    );
    if (spot === undefined) continue;
    taken.push(spot);
    // The baseline sits about 0.8 em below the box's top.
    placed.push({ index: i, text: m.text, x: spot.x, y: spot.y + h * 0.82 });
  }
  return placed;
}
