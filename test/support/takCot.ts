/**
 * `@tak-ps/node-cot`, the TAK library the CoT export is read back with. It ships its TypeScript
 * sources as its types (`"types": "index.ts"`), which do not compile under this project's strict
 * settings, so it is loaded by a specifier tsc does not follow, behind the few members the tests use.
 */
export interface TakCoT {
  raw: { event: { _attributes: Record<string, string | undefined> } };
  /** [lon, lat] */
  position(): [number, number];
  callsign(): string;
}

const SPECIFIER: string = "@tak-ps/node-cot";

export async function loadTakCoT(): Promise<new (xml: string) => TakCoT> {
  const mod = (await import(SPECIFIER)) as { default: new (xml: string) => TakCoT };
  return mod.default;
}
