/**
 * Synapse's background processes' CPU (its Prometheus metrics): the work no request accounts for,
 * such as persisting events and waking the syncs that wait for them.
 */

const SERIES = /^synapse_background_process_ru_[us]time_seconds_total\{([^}]*)\} ([\d.e+-]+)$/;

/** CPU ms each background process has used so far, by name; undefined if the metrics cannot be read. */
export async function backgroundCpu(metricsUrl: string): Promise<Map<string, number> | undefined> {
  let text: string;
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) return undefined;
    text = await res.text();
  } catch {
    return undefined;
  }
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = SERIES.exec(line);
    if (!m) continue;
    const name = /(?:^|,)name="([^"]*)"/.exec(m[1] ?? "")?.[1] ?? "?";
    out.set(name, (out.get(name) ?? 0) + Number(m[2]) * 1000);
  }
  return out;
}

/** What each process used between two readings, largest first (those that used nothing left out). */
export function cpuBetween(
  before: Map<string, number> | undefined,
  after: Map<string, number> | undefined,
): [string, number][] | undefined {
  if (!before || !after) return undefined;
  return [...after]
    .map(([name, v]): [string, number] => [name, v - (before.get(name) ?? 0)])
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1]);
}
