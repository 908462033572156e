import { parseDuration } from "../src/domain/dtg.ts";
import { parseKind, type SightingKind } from "../src/domain/kinds.ts";
import { formatCoordinates, parsePosition, type Position } from "../src/domain/position.ts";
import {
  didYouMean,
  didYouMeanText,
  err,
  exampleFor,
  ok,
  quote,
  type Result,
  t as tr,
} from "../src/domain/result.ts";
import { NAME_CAP } from "../src/domain/userText.ts";
import { list, type Message, msg, type Piece, userText } from "../src/render/message.ts";
import { listLine } from "../src/render/sighting.ts";
import { argsFrom, defineCommand, type Tokens } from "./types.ts";

export interface SightingsArgs {
  since: { ms: number; text: string };
  kind?: SightingKind | undefined;
  near?: { position: Position; radiusNm: number; radiusText: string } | undefined;
  text?: string | undefined;
}

export const OPTIONS = ["since", "kind", "near", "radius", "text"] as const;
export const DEFAULT_SINCE = "24h";
export const DEFAULT_RADIUS = "25nm";
export const LIST_LIMIT = 20;
const NM_PER_KM = 1 / 1.852;

/** `25nm`, `40 km`, `25` (nautical miles, the unit at sea) → nautical miles. */
export function parseRadius(text: string, field = "radius"): Result<number> {
  const m = /^(\d{1,5}(?:[.,]\d{1,3})?)\s*(nm|nmi|km)?$/i.exec(text.trim());
  const example = exampleFor(field, "25nm", "40km");
  if (m === null) return err(tr("radius.invalid", { input: quote(text) }), example, field);
  const value = Number((m[1] ?? "").replace(",", "."));
  const nm = (m[2] ?? "nm").toLowerCase() === "km" ? value * NM_PER_KM : value;
  if (!(nm > 0) || nm > 1000) return err(tr("radius.range", { input: quote(text) }), example, field);
  return ok(nm);
}

export function parseSightingsArgs(t: Tokens): Result<SightingsArgs> {
  return parseSightingFilters(t, "sightings", OPTIONS);
}

/**
 * The filters of `!sightings` (and of `!export`, which offers all but text=): `command` names the
 * command in errors, `options` are the ones it takes.
 */
export function parseSightingFilters(
  t: Tokens,
  command: string,
  options: readonly (typeof OPTIONS)[number][],
): Result<SightingsArgs> {
  const o = t.options;
  const unknown = Object.keys(o).find((k) => !(options as readonly string[]).includes(k));
  if (unknown !== undefined) {
    const guess = didYouMean(unknown, options);
    return err(
      tr("options.unknownList", {
        option: `"${unknown}="`,
        command: `!${command}`,
        options: options.join(", "),
        hint: didYouMeanText(guess === undefined ? undefined : `${guess}=`, false),
      }),
    );
  }
  // `!sightings vessels` is read as kind=vessels.
  if (t.positional.length > 1 || (t.positional.length === 1 && o.kind !== undefined)) {
    return err(
      tr("sightings.notUnderstood", { input: quote(t.positional.join(" ")) }),
      `!${command} since=24h kind=vessel`,
    );
  }
  const sinceText = o.since ?? DEFAULT_SINCE;
  const since = parseDuration(sinceText);
  if (!since.ok) return since;
  const kindText = o.kind ?? t.positional[0];
  const kind = kindText === undefined ? ok(undefined) : parseKind(kindText, "kind");
  if (!kind.ok) return kind;
  if (o.radius !== undefined && o.near === undefined) {
    return err(tr("sightings.radiusNeedsNear"), "near=\"12°30.5'N 079°10'W\" radius=25nm");
  }
  let near: SightingsArgs["near"];
  if (o.near !== undefined) {
    const position = parsePosition(o.near, "near");
    if (!position.ok) return position;
    const radiusText = o.radius ?? DEFAULT_RADIUS;
    const radius = parseRadius(radiusText);
    if (!radius.ok) return radius;
    near = { position: position.value, radiusNm: radius.value, radiusText };
  }
  const text = o.text?.trim() || undefined;
  return ok({ since: { ms: since.value, text: sinceText }, kind: kind.value, near, text });
}

/** The filters as understood, so the officer sees what the list is of. */
export function describeFilters(a: SightingsArgs): Piece {
  const parts: Message[] = [msg("sightings.since", { since: { kind: "line", text: a.since.text } })];
  if (a.kind !== undefined) parts.push(msg("sightings.kind", { kind: a.kind }));
  if (a.near !== undefined) {
    const position = formatCoordinates(a.near.position);
    parts.push(msg("sightings.near", { radius: { kind: "line", text: a.near.radiusText }, position }));
  }
  if (a.text !== undefined) parts.push(msg("sightings.text", { text: userText(a.text, NAME_CAP) }));
  return list(parts);
}

export default defineCommand<SightingsArgs>({
  name: "sightings",
  summary: "List this room's sightings, newest first; filter by time, kind, place or text",
  usage: `!sightings [since=${DEFAULT_SINCE}] [kind=vessel] [near=<position> radius=${DEFAULT_RADIUS}|km] [text=…]`,
  details: [
    "A room sees only its own sightings; retracted ones are left out. since=: 90m, 24h (default), 7d, 2w. radius=: nm (default 25nm) or km.",
  ],
  examples: [
    "!sightings",
    "!sightings since=7d kind=vessel",
    "!sightings near=12.5,-79.2 radius=30nm",
    '!sightings near="12°30.5\'N 079°10\'W" radius=50km text="sin nombre"',
  ],
  roles: "rostered",
  args: argsFrom(parseSightingsArgs),

  async run(ctx, a) {
    const { sightings, total } = await ctx.repos.sightings.search({
      roomId: ctx.roomId,
      since: new Date(+ctx.now - a.since.ms),
      kind: a.kind,
      near: a.near && { lat: a.near.position.lat, lon: a.near.position.lon, radiusNm: a.near.radiusNm },
      text: a.text,
      limit: LIST_LIMIT,
    });
    const filters = describeFilters(a);
    if (total === 0) return ok({ message: msg("sightings.none", { filters }) });
    const head =
      total === 1 ? msg("sightings.headOne", { filters }) : msg("sightings.head", { total, filters });
    const lines = sightings.map((s) => listLine(s, ctx.now));
    const more = total > sightings.length ? [msg("sightings.more", { more: total - sightings.length })] : [];
    return ok({ message: msg(head.id, head.params, [...lines, ...more]) });
  },
});
