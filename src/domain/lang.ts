/** The languages the bot speaks in a room (`lang:` in tearline.yaml, `!lang` in chat). */
export const LANGS = ["en", "es", "fr", "pt"] as const;

export type Lang = (typeof LANGS)[number];

export const DEFAULT_LANG: Lang = "en";

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}
