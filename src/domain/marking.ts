import { didYouMean, didYouMeanText, err, exampleFor, ok, quote, type Result, t } from "./result.ts";

/** Traffic Light Protocol 2.0, lowest to highest. */
export const TLP_LEVELS = ["clear", "green", "amber", "amber+strict", "red"] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

/**
 * `amber`, `AMBER`, `TLP:AMBER`, `tlp:amber+strict`. `amber-strict`, `amber_strict` and
 * `amber strict` are read as `amber+strict`: the intent is unambiguous and phones fight `+`.
 */
export function parseTlp(text: string, field = "tlp"): Result<Tlp> {
  const word = text
    .trim()
    .toLowerCase()
    .replace(/^tlp\s*:\s*/, "")
    .replace(/[\s_+-]+/g, "+");
  const level = TLP_LEVELS.find((l) => l === word);
  if (level !== undefined) return ok(level);
  if (word === "white") {
    return err(t("tlp.white", { input: quote(text) }), exampleFor(field, "clear"), field);
  }
  const guess = didYouMean(word, TLP_LEVELS);
  return err(
    t("tlp.invalid", { input: quote(text), markings: TLP_LEVELS.join(", "), hint: didYouMeanText(guess) }),
    exampleFor(field, guess ?? "amber"),
    field,
  );
}

export function tlpRank(tlp: Tlp): number {
  return TLP_LEVELS.indexOf(tlp);
}

/** `TLP:AMBER+STRICT`, as the marking is written on a message. */
export function formatTlp(tlp: Tlp): string {
  return `TLP:${tlp.toUpperCase()}`;
}

/** The most restrictive marking of a set (a digest is marked with the highest it contains). */
export function highestTlp(levels: Iterable<Tlp>, floor: Tlp = "clear"): Tlp {
  let highest = floor;
  for (const level of levels) if (tlpRank(level) > tlpRank(highest)) highest = level;
  return highest;
}

/**
 * Releasability: `USA,COL` (also `REL TO USA, COL` when quoted). Codes are upper-cased,
 * checked against the configured partners, and de-duplicated in the order given.
 */
export function parseReleasability(
  text: string,
  knownPartners: readonly string[],
  field = "rel",
): Result<string[]> {
  const known = [...new Set(knownPartners.map((p) => p.toUpperCase()))].sort();
  const example = exampleFor(field, known.slice(0, 2).join(",") || "USA,COL");
  const partnerList = known.length === 0 ? t("rel.noPartners") : known.join(", ");
  const codes = text
    .trim()
    .toUpperCase()
    .replace(/^REL(\s+TO)?\s*:?\s+/, "")
    .split(/[\s,;/]+/)
    .filter((c) => c.length > 0);
  if (codes.length === 0) {
    return err(t("rel.empty", { option: `${field}=`, partners: partnerList }), example, field);
  }
  const unknown = [...new Set(codes.filter((c) => !known.includes(c)))];
  if (unknown.length > 0) {
    const listed = unknown.map((c) => quote(c, 12)).join(", ");
    const first = unknown[0] ?? "";
    const guess = unknown.length === 1 ? didYouMean(first, known) : undefined;
    const id = unknown.length === 1 ? "rel.unknownOne" : "rel.unknownMany";
    return err(
      t(id, { codes: listed, partners: partnerList, hint: didYouMeanText(guess, false) }),
      example,
      field,
    );
  }
  return ok([...new Set(codes)]);
}

/** `REL TO USA, COL`. */
export function formatReleasability(codes: readonly string[]): string {
  return `REL TO ${codes.join(", ")}`;
}

export const SOURCE_RELIABILITY = ["A", "B", "C", "D", "E", "F"] as const;
export type SourceReliability = (typeof SOURCE_RELIABILITY)[number];
export type InformationCredibility = 1 | 2 | 3 | 4 | 5 | 6;
export interface Grading {
  reliability: SourceReliability;
  credibility: InformationCredibility;
}

/** Admiralty (NATO) grading: `B2`, `b2`, `B-2`, `B/2`. */
export function parseGrading(text: string, field = "conf"): Result<Grading> {
  const example = exampleFor(field, "B2");
  const match = /^([A-Z])\s*(?:[-/]\s*)?(\d)$/.exec(text.trim().toUpperCase());
  if (match === null) {
    return err(t("grading.invalid", { input: quote(text) }), example, field);
  }
  const letter = match[1] ?? "";
  const digit = Number(match[2]);
  const reliability = SOURCE_RELIABILITY.find((r) => r === letter);
  if (reliability === undefined) {
    return err(t("grading.reliability", { letter: `"${letter}"`, input: quote(text) }), example, field);
  }
  if (digit < 1 || digit > 6) {
    return err(t("grading.credibility", { digit: `"${digit}"`, input: quote(text) }), example, field);
  }
  return ok({ reliability, credibility: digit as InformationCredibility });
}

export function formatGrading(grading: Grading): string {
  return `${grading.reliability}${grading.credibility}`;
}
