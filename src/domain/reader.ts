import { clip, err, exampleFor, ok, type Result, t } from "./result.ts";

/** A chat command as typed, before its arguments are given meaning. */
export interface CommandText {
  /** Lower-cased: `!Sight` is `sight`. */
  name: string;
  /** Bare and quoted words, in order. */
  positional: string[];
  /** `key=value` (key lower-cased; value may be quoted: `name="GO FAST"`). */
  options: Record<string, string>;
  /** The free text after a standalone `--` (or the `—` phones make of it), trimmed; null if none. */
  rest: string | null;
}

/** Closing quotes each opening quote accepts: phones and keyboards mix straight and curly. */
const CLOSERS: Record<string, string> = {
  '"': '"”“',
  "“": '”"“',
  "”": '”"',
  "„": '“”"',
  "'": "'’",
  "‘": "’'",
  "’": "’'",
  "«": "»",
};
const REST_MARKERS = ["--", "—", "–"];
/** No option has a long name: a 40-letter run before "=" is a word, and messages never echo a pasted key. */
const OPTION_KEY = /([A-Za-z][A-Za-z0-9_-]{0,39})=/y;

/**
 * Splits a message into a command's words. Returns null when the message is not a command
 * (no prefix, or the prefix is not followed by a command name), so ordinary chat is ignored.
 *
 * A quote opens a quoted string only at the start of a word (or of an option's value), and
 * closes at a matching quote followed by a space or the end: `12°30.5'N` stays one word and
 * `'O'Brien boat'` one string.
 */
export function readCommand(text: string, prefix = "!"): Result<CommandText> | null {
  const body = text.replace(/^\s+/, "");
  if (prefix === "" || !body.startsWith(prefix)) return null;
  const line = body.slice(prefix.length);
  const head = /^([A-Za-z][A-Za-z0-9_-]*)(?=\s|$)/.exec(line);
  if (head === null) return null;
  const positional: string[] = [];
  const options = new Map<string, string>();
  let rest: string | null = null;
  let i = head[0].length;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line.charAt(i))) i++;
    if (i >= line.length) break;
    const wordEnd = nextSpace(line, i);
    if (REST_MARKERS.includes(line.slice(i, wordEnd))) {
      rest = line.slice(wordEnd).trim() || null;
      break;
    }
    OPTION_KEY.lastIndex = i;
    const keyMatch = OPTION_KEY.exec(line);
    const key = keyMatch?.[1]?.toLowerCase();
    const valueStart = keyMatch === null ? i : i + keyMatch[0].length;
    const closers = CLOSERS[line.charAt(valueStart)];
    let value: string;
    if (closers !== undefined) {
      const close = findClosingQuote(line, valueStart + 1, closers);
      if (close < 0) return unclosedQuote(line.slice(valueStart), key);
      value = line.slice(valueStart + 1, close);
      i = close + 1;
    } else {
      value = line.slice(valueStart, wordEnd);
      i = wordEnd;
      if (key !== undefined && value === "") return missingValue(key, line.slice(i));
    }
    if (key === undefined) {
      positional.push(value);
    } else {
      const earlier = options.get(key);
      if (earlier !== undefined) {
        return err(
          t("reader.twice", {
            option: `"${key}"`,
            first: `${key}=${clip(earlier)}`,
            second: `${key}=${clip(value)}`,
          }),
          exampleFor(key, clip(earlier) === earlier ? earlier : "<value>"),
          key,
        );
      }
      options.set(key, value);
    }
  }
  return ok({ name: head[1]!.toLowerCase(), positional, options: Object.fromEntries(options), rest });
}

function nextSpace(line: string, from: number): number {
  const match = /\s/g;
  match.lastIndex = from;
  return match.exec(line)?.index ?? line.length;
}

function findClosingQuote(line: string, from: number, closers: string): number {
  for (let j = from; j < line.length; j++) {
    if (closers.includes(line.charAt(j)) && (j + 1 === line.length || /\s/.test(line.charAt(j + 1))))
      return j;
  }
  return -1;
}

function unclosedQuote(quoted: string, key: string | undefined): Result<never> {
  // The quoted text most likely ends before the first option or `--` the quote swallowed.
  const words = quoted.slice(1).trim().split(/\s+/);
  const end = words.findIndex((w) => /^[A-Za-z][\w-]*=/.test(w) || REST_MARKERS.includes(w));
  const content = words.slice(0, end > 0 ? end : words.length);
  let kept = 1;
  while (kept < content.length && content.slice(0, kept + 1).join(" ").length <= 24) kept++;
  const shown = Array.from(content.slice(0, kept).join(" ")).slice(0, 24).join("");
  const cut = shown.length < content.join(" ").length ? "…" : "";
  return err(
    t("reader.unclosed", { text: `"${shown}${cut}"` }),
    key === undefined ? `"${shown}"` : `${key}="${shown}"`,
    key,
  );
}

function missingValue(key: string, after: string): Result<never> {
  const next = after.trim().split(/\s+/)[0] ?? "";
  // A long next word is more likely the text that follows than the value; don't echo it back.
  const plausible = next !== "" && !REST_MARKERS.includes(next) && clip(next) === next;
  const example = plausible ? `${key}=${next}` : `${key}=<value>`;
  return err(t("reader.noValue", { option: `"${key}="` }), example, key);
}
