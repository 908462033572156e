/** Reading `!alert S-<n> | RFI-<n> | [tlp=…] [rel=…] -- text` `[to=<room>,…]`. */
import { parseReleasability, parseTlp, type Tlp } from "../src/domain/marking.ts";
import { parseRef } from "../src/domain/refs.ts";
import { didYouMean, didYouMeanText, err, ok, quote, type Result, t as tr } from "../src/domain/result.ts";
import type { ArgsEnv, Tokens } from "./types.ts";

export type AlertSource =
  | { kind: "sighting"; id: number }
  | { kind: "rfi"; id: number }
  | { kind: "text"; text: string; tlp: Tlp; rel?: string[] | undefined };

export interface AlertArgs {
  source: AlertSource;
  /** Room aliases named with to=, in the order given; undefined: every room a rule names. */
  to?: string[] | undefined;
}

const EXAMPLE = "!alert S-112 to=usa-jtf";
const MAX_TEXT = 4000;

/** `to=usa-jtf,col-pan`: configured rooms, by alias or Matrix room id (any room version). */
export function parseRooms(text: string, env: ArgsEnv): Result<string[]> {
  const out: string[] = [];
  for (const word of text
    .split(",")
    .map((w) => w.trim())
    .filter((w) => w.length > 0)) {
    const alias = word.startsWith("!")
      ? env.roomIds[word]
      : env.roomAliases.find((r) => r === word.toLowerCase());
    if (alias === undefined) {
      const guess = word.startsWith("!") ? undefined : didYouMean(word, env.roomAliases);
      return err(
        tr("alert.notRoom", {
          input: quote(word, 80),
          rooms: env.roomAliases.join(", ") || tr("e.noneConfigured"),
          hint: didYouMeanText(guess, false),
        }),
        EXAMPLE,
        "to",
      );
    }
    if (!out.includes(alias)) out.push(alias);
  }
  if (out.length === 0) return err(tr("alert.toEmpty"), EXAMPLE, "to");
  return ok(out);
}

export function parseAlertArgs(t: Tokens, env: ArgsEnv): Result<AlertArgs> {
  const unknown = Object.keys(t.options).find((k) => !["to", "tlp", "rel"].includes(k));
  if (unknown !== undefined)
    return err(
      tr("options.takes", { option: `"${unknown}="`, command: "!alert", options: "to=, tlp=, rel=" }),
      EXAMPLE,
    );
  let to: string[] | undefined;
  if (t.options.to !== undefined) {
    const rooms = parseRooms(t.options.to, env);
    if (!rooms.ok) return rooms;
    to = rooms.value;
  }
  const [first, ...extra] = t.positional;
  if (extra.length > 0) return err(tr("alert.oneRecord", { input: quote(extra.join(" ")) }), EXAMPLE);
  if (first !== undefined) {
    if (t.rest !== null || t.options.tlp !== undefined || t.options.rel !== undefined)
      return err(tr("alert.keepsMarking"), EXAMPLE);
    if (/^rfi/i.test(first)) {
      const id = parseRef("RFI", first);
      return id.ok
        ? ok({ source: { kind: "rfi", id: id.value }, to })
        : err(id.error.message, "!alert RFI-40 to=usa-jtf");
    }
    const id = parseRef("S", first);
    return id.ok ? ok({ source: { kind: "sighting", id: id.value }, to }) : err(id.error.message, EXAMPLE);
  }
  const text = t.rest?.trim() ?? "";
  if (text.length === 0) return err(tr("alert.sayWhat"), EXAMPLE);
  if (text.length > MAX_TEXT) return err(tr("alert.textLong", { length: text.length, max: MAX_TEXT }));
  const tlp = parseTlp(t.options.tlp ?? "amber");
  if (!tlp.ok) return tlp;
  let rel: string[] | undefined;
  if (t.options.rel !== undefined) {
    const parsed = parseReleasability(t.options.rel, env.partners);
    if (!parsed.ok) return parsed;
    rel = parsed.value;
  }
  return ok({ source: { kind: "text", text, tlp: tlp.value, rel }, to });
}
