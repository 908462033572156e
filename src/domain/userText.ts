/**
 * User text as the bot may echo it: on one line, without characters that steer how text is shown
 * (controls, bidi overrides, invisible formatting), and capped. An officer's remark must never
 * read as a line of the bot's own, nor reorder the bot's words around it, nor flood the room.
 */

/** C0 and C1 controls (tab, newline and friends included), DEL. */
const CONTROLS = "\\u0000-\\u001F\\u007F-\\u009F";
/** Bidi embeddings, overrides, isolates and marks. */
const BIDI = "\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C";
/** Zero-width and invisible formatting: ZWSP/ZWNJ/ZWJ, word joiner and invisible operators, BOM, Mongolian vowel separator, soft hyphen, combining grapheme joiner, tag characters. */
const INVISIBLE = "\\u200B-\\u200D\\u2060-\\u2064\\uFEFF\\u180E\\u00AD\\u034F\\u{E0000}-\\u{E007F}";
/** Line and paragraph separators, which some clients break lines on. */
const SEPARATORS = "\\u2028\\u2029\\u0085";

/** Controls and separators become a space (they separated words); the rest goes. */
const TO_SPACE = new RegExp(`[${CONTROLS}${SEPARATORS}]`, "gu");
const REMOVE = new RegExp(`[${BIDI}${INVISIBLE}]`, "gu");

/** Caps for echoed text: a remark, question, answer or reason; a name or an unknown word. */
export const TEXT_CAP = 300;
export const NAME_CAP = 60;

/** `text` on one line, with no control, bidi or invisible character, whitespace collapsed, at most `max` characters (code points) with "…". */
export function sanitise(text: string, max = TEXT_CAP): string {
  const clean = text.replace(REMOVE, "").replace(TO_SPACE, " ").replace(/\s+/gu, " ").trim();
  const chars = Array.from(clean);
  return chars.length > max ? `${chars.slice(0, Math.max(0, max - 1)).join("")}…` : clean;
}

/** Bot-made text that still carries user words (a parser's error): one line, no steering characters, no cap. */
export function oneLine(text: string): string {
  return text.replace(REMOVE, "").replace(TO_SPACE, " ");
}
