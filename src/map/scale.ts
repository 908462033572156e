/** Scale bars: a round distance (1, 2 or 5 × 10ⁿ) close to a target length on the map. */

const NM_KM = 1.852;

export interface ScaleBar {
  label: string;
  px: number;
}

function niceBelow(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

/** Kilometre and nautical-mile bars of at most `maxPx`, given the map's km per pixel. */
export function scaleBars(kmPerPx: number, maxPx: number): { km: ScaleBar; nm: ScaleBar } {
  const km = niceBelow(kmPerPx * maxPx);
  const nm = niceBelow((kmPerPx * maxPx) / NM_KM);
  return {
    km: { label: `${km} km`, px: km / kmPerPx },
    nm: { label: `${nm} nm`, px: (nm * NM_KM) / kmPerPx },
  };
}
