/** Reading `!sight` words into a report: what was seen, where, when, and how it is marked. */
import { checkNotFuture, parseTime } from "../src/domain/dtg.ts";
import {
  IDENTIFIER_OPTIONS,
  type Identifiers,
  parseIdentifier,
  parseName,
} from "../src/domain/identifiers.ts";
import { parseKind, SIGHTING_KINDS } from "../src/domain/kinds.ts";
import { parseGrading, parseReleasability, parseTlp } from "../src/domain/marking.ts";
import { parseCourse, parseSpeed } from "../src/domain/motion.ts";
import { takePosition } from "../src/domain/position.ts";
import { didYouMean, didYouMeanText, err, ok, quote, type Result, t as tr } from "../src/domain/result.ts";
import type { SightingReport } from "../src/domain/sighting.ts";
import type { ArgsEnv, Tokens } from "./types.ts";

/** A report whose time is undefined when the officer gave none (it defaults to when they sent it). */
export type SightArgs = Omit<SightingReport, "seenAt"> & { seenAt: Date | undefined };

export const SIGHT_OPTIONS = [
  "time",
  "course",
  "speed",
  "tlp",
  "rel",
  "conf",
  "name",
  ...IDENTIFIER_OPTIONS,
] as const;
const MAX_REMARKS = 2000;
/** Clocks drift and people round up: a time this far ahead is still accepted. */
export const FUTURE_SLACK_MINUTES = 15;

/** A failed step's error without its example, so the command's full example is shown instead. */
function withoutExample<T>(r: Result<T>): Result<T> {
  return r.ok ? r : err(r.error.message, undefined, r.error.field);
}

export function parseSightArgs(t: Tokens, env: ArgsEnv): Result<SightArgs> {
  const o = t.options;
  const unknown = Object.keys(o).find((k) => !(SIGHT_OPTIONS as readonly string[]).includes(k));
  if (unknown !== undefined) {
    const guess = didYouMean(unknown, SIGHT_OPTIONS);
    return err(
      tr("options.unknownList", {
        option: `"${unknown}="`,
        command: "!sight",
        options: SIGHT_OPTIONS.join(", "),
        hint: didYouMeanText(guess === undefined ? undefined : `${guess}=`, false),
      }),
      undefined,
      unknown,
    );
  }
  const [kindWord, ...words] = t.positional;
  if (kindWord === undefined) {
    return err(tr("sight.kindMissing", { kinds: SIGHTING_KINDS.join(", ") }), undefined, "kind");
  }
  const kind = withoutExample(parseKind(kindWord));
  if (!kind.ok) return kind;
  const taken = takePosition(words);
  if (!taken.ok) return taken;
  const nameWords = words.slice(taken.value.consumed);
  if (nameWords.length > 0 && o.name !== undefined) {
    const given = quote(nameWords.join(" "));
    return err(tr("sight.twoNames", { first: given, second: `name=${quote(o.name)}` }), undefined, "name");
  }
  const ids: Identifiers = {};
  const nameText = o.name ?? (nameWords.length > 0 ? nameWords.join(" ") : undefined);
  if (nameText !== undefined) {
    const name = parseName(nameText);
    if (!name.ok) return name;
    ids.name = name.value;
  }
  for (const option of IDENTIFIER_OPTIONS) {
    const text = o[option];
    if (text === undefined) continue;
    const id = parseIdentifier(option, text);
    if (!id.ok) return id;
    ids[option] = id.value;
  }
  let seenAt: Date | undefined;
  if (o.time !== undefined) {
    const time = parseTime(o.time, env.now);
    if (!time.ok) return time;
    const notFuture = checkNotFuture(time.value, env.now, FUTURE_SLACK_MINUTES);
    if (!notFuture.ok) return notFuture;
    seenAt = time.value;
  }
  const course = optional(o.course, parseCourse);
  if (!course.ok) return course;
  const speed = optional(o.speed, parseSpeed);
  if (!speed.ok) return speed;
  const tlp = parseTlp(o.tlp ?? "amber");
  if (!tlp.ok) return tlp;
  const rel = optional(o.rel, (text) => parseReleasability(text, env.partners));
  if (!rel.ok) return rel;
  const grading = optional(o.conf, parseGrading);
  if (!grading.ok) return grading;
  const remarks = t.rest ?? undefined;
  if (remarks !== undefined && remarks.length > MAX_REMARKS) {
    return err(tr("sight.remarksLong", { length: remarks.length, max: MAX_REMARKS }), undefined, "remarks");
  }
  return ok({
    kind: kind.value,
    position: taken.value.position,
    seenAt,
    ids,
    course: course.value,
    speed: speed.value,
    tlp: tlp.value,
    rel: rel.value,
    grading: grading.value,
    remarks,
  });
}

function optional<T>(text: string | undefined, parse: (text: string) => Result<T>): Result<T | undefined> {
  return text === undefined ? ok(undefined) : parse(text);
}
