/**
 * `!export cot|stix|csv [since=24h] [kind=…] [near=<position> radius=…]` — a file of what this
 * room may see, posted to it encrypted: its own live sightings and the copies relayed into it,
 * as relayed (a redacted field is not in the row, so it is in no file; positions as coarsened).
 * The filters are `!sightings`' (all but text=). Anyone on the roster of the room's partners.
 * The formats are pure functions in src/export/; the file is encrypted and uploaded by the outbox
 * sender (src/bot/attachments.ts), like a digest's map.
 */
import { highestTlp } from "../src/domain/marking.ts";
import { didYouMean, didYouMeanText, err, ok, quote, type Result, t } from "../src/domain/result.ts";
import type { SightingRepo } from "../src/domain/repos.ts";
import type { Sighting } from "../src/domain/sighting.ts";
import { type ExportFile, exportFile } from "../src/export/file.ts";
import { EXPORT_FORMATS, type ExportFormat } from "../src/export/item.ts";
import { msg } from "../src/render/message.ts";
import { describeFilters, parseSightingFilters, type SightingsArgs } from "./sightings.ts";
import { argsFrom, defineCommand, type Tokens } from "./types.ts";

export interface ExportArgs {
  format: ExportFormat;
  filters: SightingsArgs;
}

/** The newest this many go in one file; the reply says when there were more. */
export const EXPORT_LIMIT = 1000;
const FILTERS = ["since", "kind", "near", "radius"] as const;
const EXAMPLE = "!export csv since=7d";

export function parseExportArgs(tokens: Tokens): Result<ExportArgs> {
  const [word = "", ...rest] = tokens.positional;
  const format = EXPORT_FORMATS.find((f) => f === word.toLowerCase());
  if (format === undefined) {
    const guess = didYouMean(word, EXPORT_FORMATS);
    const formats = EXPORT_FORMATS.join(", ");
    const text =
      word === ""
        ? t("export.formatMissing", { formats })
        : t("export.formatInvalid", { input: quote(word), formats, hint: didYouMeanText(guess, false) });
    return err(text, EXAMPLE, "format");
  }
  if (rest.length > 0 || tokens.rest !== null) {
    return err(
      t("sightings.notUnderstood", { input: quote(rest.join(" ") || (tokens.rest ?? "")) }),
      EXAMPLE,
    );
  }
  const filters = parseSightingFilters({ ...tokens, positional: [] }, "export", FILTERS);
  return filters.ok ? ok({ format, filters: filters.value }) : filters;
}

export interface ComposedExport {
  file: ExportFile;
  sightings: Sighting[];
  /** All that matched; more than the file holds when it was capped at EXPORT_LIMIT. */
  total: number;
}

/** The file for a room: its sightings matching the filters, newest first, as the room may see them. */
export async function composeExport(
  repo: Pick<SightingRepo, "search">,
  p: {
    roomId: string;
    room: string;
    partners: Readonly<Record<string, string>>;
    args: ExportArgs;
    now: Date;
  },
): Promise<ComposedExport> {
  const f = p.args.filters;
  const { sightings, total } = await repo.search({
    roomId: p.roomId,
    since: new Date(+p.now - f.since.ms),
    kind: f.kind,
    near: f.near && { lat: f.near.position.lat, lon: f.near.position.lon, radiusNm: f.near.radiusNm },
    limit: EXPORT_LIMIT,
  });
  const file = exportFile(p.args.format, sightings, {
    room: p.room,
    generatedAt: p.now,
    partners: p.partners,
  });
  return { file, sightings, total };
}

export default defineCommand<ExportArgs>({
  name: "export",
  summary: "A file of what this room may see, for TAK (CoT), MISP/OpenCTI (STIX 2.1) or a spreadsheet (CSV)",
  usage: "!export cot|stix|csv [since=24h] [kind=vessel] [near=<position> radius=25nm|km]",
  details: [
    "The file holds this room's own sightings and those relayed into it, as relayed (redacted fields left out, positions as coarsened); retracted ones are left out. Filters as !sightings: since= (default 24h), kind=, near= with radius=.",
    `At most the newest ${EXPORT_LIMIT} per file. Who may: anyone on the roster of the room's partners.`,
  ],
  examples: ["!export cot", EXAMPLE, "!export stix kind=vessel near=12.5,-79.2 radius=50nm"],
  roles: "rostered",
  args: argsFrom(parseExportArgs),

  async run(ctx, args) {
    if (ctx.roomAlias === undefined || ctx.config.rooms[ctx.roomAlias] === undefined) {
      return err(t("export.notConfigured"));
    }
    const { file, sightings, total } = await composeExport(ctx.repos.sightings, {
      roomId: ctx.roomId,
      room: ctx.roomAlias,
      partners: ctx.config.partners,
      args,
      now: ctx.now,
    });
    const filters = describeFilters(args.filters);
    const audit = [
      {
        actor: ctx.sender,
        action: "export.created",
        roomId: ctx.roomId,
        detail: { format: args.format, count: file.count, total, since: args.filters.since.text },
      },
    ];
    if (total === 0) return ok({ message: msg("export.none", { filters }), audit });
    const received = sightings.filter((s) => s.received !== undefined).length;
    const capped = total > sightings.length ? [msg("export.capped", { count: sightings.length, total })] : [];
    const message = msg(
      "export.posted",
      {
        file: file.filename,
        count: file.count,
        received,
        filters,
        marking: { kind: "tlp", tlp: highestTlp(sightings.map((s) => s.tlp)) },
      },
      capped,
    );
    return ok({ message, attachments: [file], audit });
  },
});
