import { didYouMean, didYouMeanText, err, exampleFor, ok, quote, type Result, t } from "./result.ts";

export const SIGHTING_KINDS = ["vessel", "aircraft", "vehicle", "person", "other"] as const;
export type SightingKind = (typeof SIGHTING_KINDS)[number];

/**
 * `vessel`, `Vessel`, and plurals (`vessels`, `persons`, `aircraft`) as people type them in
 * searches (`kind=vessels`). A slip gets the nearest kind suggested.
 */
export function parseKind(text: string, field?: string): Result<SightingKind> {
  const word = text.trim().toLowerCase();
  const singular = word.endsWith("s") ? word.slice(0, -1) : word;
  const kind = SIGHTING_KINDS.find((k) => k === word || k === singular);
  if (kind !== undefined) return ok(kind);
  const guess = didYouMean(word, SIGHTING_KINDS);
  return err(
    t("kind.invalid", { input: quote(text), kinds: SIGHTING_KINDS.join(", "), hint: didYouMeanText(guess) }),
    exampleFor(field, guess ?? "vessel"),
    field ?? "kind",
  );
}
