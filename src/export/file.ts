/** An export as a file: its name, media type and text, made from what the room may see. */
import type { Sighting } from "../domain/sighting.ts";
import { toCot } from "./cot.ts";
import { toCsv } from "./csv.ts";
import { type ExportFormat, type ExportMeta, fileStamp } from "./item.ts";
import { toStix } from "./stix.ts";

export interface ExportFile {
  kind: "export";
  format: ExportFormat;
  filename: string;
  mimetype: string;
  text: string;
  count: number;
}

const FORMATS: Record<
  ExportFormat,
  { ext: string; mimetype: string; make: (s: readonly Sighting[], m: ExportMeta) => string }
> = {
  cot: { ext: "cot", mimetype: "application/xml", make: toCot },
  stix: { ext: "stix.json", mimetype: "application/stix+json;version=2.1", make: toStix },
  csv: { ext: "csv", mimetype: "text/csv", make: toCsv },
};

export function exportFile(
  format: ExportFormat,
  sightings: readonly Sighting[],
  meta: ExportMeta,
): ExportFile {
  const f = FORMATS[format];
  return {
    kind: "export",
    format,
    filename: `tearline-${meta.room}-${fileStamp(meta.generatedAt)}.${f.ext}`,
    mimetype: f.mimetype,
    text: f.make(sightings, meta),
    count: sightings.length,
  };
}
