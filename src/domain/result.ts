import type { ErrorId } from "./errorIds.ts";
import { sanitise } from "./userText.ts";

export type { ErrorId };

/** A parameter of an error's text: words that are never translated (quoted input, codes, numbers), or another text. */
export type ErrorParam =
  | string
  | number
  | ErrorText
  /** A month (0–11), named in the room's language. */
  | { kind: "month"; month: number }
  /** `2 h 46 m`, with the language's units. */
  | { kind: "duration"; ms: number }
  | undefined;

/**
 * What an error says, as data: a message id of the catalogue (src/render/catalogue/, under
 * `ErrorId`) and its parameters, so the renderer writes it in the room's language.
 */
export interface ErrorText {
  id: ErrorId;
  params?: Readonly<Record<string, ErrorParam>>;
}

/** One correct value, or several to choose from (`12.51,-79.20` or `18PTR1234567890`). */
export type Example = string | readonly string[];

/**
 * Errors are values. A `UserError` is what a person did wrong and how to do it right; the
 * renderer shows it (src/render/errors.ts) with its example, in the room's language.
 */
export interface UserError {
  /** What was wrong, quoting the input, and the valid choices. No example here. */
  message: ErrorText;
  /** The option or argument it concerns (`time`, `tlp`, `position`), when known. */
  field?: string;
  /** A correct value, written as the user would type it (`time=281530ZNOV26`). */
  example?: Example;
}

/** An error's text: `t("kind.unknown", { input: quote(text) })`. */
export function t(id: ErrorId, params?: Readonly<Record<string, ErrorParam>>): ErrorText {
  return params === undefined ? { id } : { id, params };
}

/** `a`, `a or b`, `a, b or c` in the room's language (the items are codes, never translated). */
export function orList(items: readonly string[]): ErrorParam {
  if (items.length <= 1) return items[0];
  return t("e.or", { a: items.slice(0, -1).join(", "), b: items[items.length - 1] });
}

/** " Did you mean "vessel"?" after a slip, or nothing. */
export function didYouMeanText(guess: string | undefined, quoted = true): ErrorText | undefined {
  if (guess === undefined) return undefined;
  return t("e.didYouMean", { guess: quoted ? `"${guess}"` : guess });
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: UserError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(message: ErrorText, example?: Example, field?: string): Result<T> {
  const error: UserError = { message };
  if (field !== undefined) error.field = field;
  if (example !== undefined) error.example = example;
  return { ok: false, error };
}

/** `time=281530ZNOV26` for an option, `281530ZNOV26` for a positional argument; several are alternatives. */
export function exampleFor(field: string | undefined, ...values: string[]): Example {
  const written = (v: string) =>
    field === undefined ? v : /\s/.test(v) ? `${field}="${v}"` : `${field}=${v}`;
  const all = values.map(written);
  return all.length === 1 ? (all[0] ?? "") : all;
}

/** User input shortened for a message, on one line, so a pasted paragraph doesn't flood the room (see `sanitise`). */
export function clip(text: string, max = 40): string {
  return sanitise(text, max);
}

/** Quotes user input for a message: on one line, stripped of steering characters, shortened. */
export function quote(text: string, max = 40): string {
  return `"${clip(text, max)}"`;
}

/** The closest choice to a mistyped word, if it is close enough to be a slip (≤ 2 edits). */
export function didYouMean(input: string, choices: readonly string[]): string | undefined {
  const word = input.toLowerCase();
  if (word.length === 0 || word.length > 40) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const choice of choices) {
    const distance = editDistance(word, choice.toLowerCase());
    if (distance < bestDistance) {
      best = choice;
      bestDistance = distance;
    }
  }
  const allowed = Math.min(2, Math.floor(word.length / 3));
  return bestDistance <= Math.max(1, allowed) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
