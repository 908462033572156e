import { sanitise } from "./userText.ts";

/**
 * Errors are values. A `UserError` is what a person did wrong and how to do it right; the
 * renderer shows `describeError(e)` (or the message with its own usage example instead).
 */
export interface UserError {
  /** What was wrong, quoting the input, and the valid choices. No example here. */
  message: string;
  /** The option or argument it concerns (`time`, `tlp`, `position`), when known. */
  field?: string;
  /** A correct value, written as the user would type it (`time=281530ZNOV26`). */
  example?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: UserError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(message: string, example?: string, field?: string): Result<T> {
  const error: UserError = { message };
  if (field !== undefined) error.field = field;
  if (example !== undefined) error.example = example;
  return { ok: false, error };
}

/** The text a user sees for an error: what was wrong, then a correct example. */
export function describeError(error: UserError): string {
  return error.example === undefined ? error.message : `${error.message} Example: ${error.example}`;
}

/** `time=281530ZNOV26` for an option, `281530ZNOV26` for a positional argument. */
export function exampleFor(field: string | undefined, ...values: string[]): string {
  const written = (v: string) =>
    field === undefined ? v : /\s/.test(v) ? `${field}="${v}"` : `${field}=${v}`;
  return values.map(written).join(" or ");
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
