/**
 * The period map (issue 8's goal: 500 sightings in ≤ 500 ms): renderMap in-process, the first call
 * of each Natural Earth resolution apart (it reads and converts the TopoJSON once), then warm runs.
 */
import { encryptAttachment } from "matrix-encrypt-attachment";
import { SIGHTING_KINDS } from "../src/domain/kinds.ts";
import { type MapSighting, renderMap } from "../src/map/render.ts";
import { bytes, ms, type Row, type Section } from "./report.ts";

const period = {
  from: new Date("2026-11-27T11:00:00Z"),
  to: new Date("2026-11-28T11:00:00Z"),
  label: "27 Nov 06:00 → 28 Nov 06:00 (COT)",
};

/** Deterministic scatter over the western Caribbean (about 1 000 × 650 km): Natural Earth 1:50m. */
export function caribbean(n: number, seed = 7): MapSighting[] {
  let s = seed;
  const rnd = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  return Array.from({ length: n }, (_, i) => ({
    ref: `S-${1000 + i}`,
    kind: SIGHTING_KINDS[i % SIGHTING_KINDS.length] ?? "other",
    lat: 9 + rnd() * 6,
    lon: -82 + rnd() * 10,
  }));
}

const timed = <T>(fn: () => T): [T, number] => {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
};

function nearestRank(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export async function benchMap(runs = 20): Promise<Section> {
  const many = caribbean(500);
  const input = { sightings: many, period, marking: "TLP:AMBER" };
  const [first, coldMs] = timed(() => renderMap(input));
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(timed(() => renderMap(input))[1]);
  warm.sort((a, b) => a - b);
  const one = {
    sightings: [{ ref: "S-1", kind: "vessel" as const, lat: 10.4, lon: -75.55 }],
    period,
    marking: "TLP:AMBER",
  };
  const [fine, fineColdMs] = timed(() => renderMap(one));
  const [, fineWarmMs] = timed(() => renderMap(one));
  const t0 = performance.now();
  await encryptAttachment(
    first.png.buffer.slice(first.png.byteOffset, first.png.byteOffset + first.png.byteLength) as ArrayBuffer,
  );
  const encryptMs = performance.now() - t0;
  const p50 = nearestRank(warm, 50);
  const rows: Row[] = [
    {
      metric: "500 sightings, warm: p50 / p95 / max",
      value: `${ms(p50)} / ${ms(nearestRank(warm, 95))} / ${ms(warm.at(-1) ?? Number.NaN)}`,
      how: `renderMap (compose SVG + resvg → PNG ${first.width}×${first.height}), ${runs} runs; goal ≤ 500 ms: ${p50 <= 500 ? "met" : "NOT met"}`,
    },
    {
      metric: "500 sightings, first call (reads Natural Earth 1:50m)",
      value: ms(coldMs),
      how: "the first render in the process, TopoJSON → rings included",
    },
    {
      metric: "1 sighting, 1:10m: first call / warm",
      value: `${ms(fineColdMs)} / ${ms(fineWarmMs)}`,
      how: `a 200 km area picks the 10m data (${fine.resolution}); its first read is the slowest step`,
    },
    {
      metric: "500-sighting map: PNG / SVG size, labels",
      value: `${bytes(first.png.length)} / ${bytes(first.svg.length)}, ${first.labelled.length} labelled`,
      how: "what is encrypted and uploaded; labels capped at 40, placed greedily",
    },
    {
      metric: "encrypt the PNG (AES-256-CTR + SHA-256)",
      value: ms(encryptMs),
      how: "matrix-encrypt-attachment",
    },
  ];
  return { title: "Period map (in-process)", rows };
}
