/**
 * Every language's catalogue, by code: one file per language, each with every message id, plus
 * the texts kept for all languages in one file each (the commands' help, `!lang`).
 */
import type { ErrorId } from "../../domain/errorIds.ts";
import type { Lang } from "../../domain/lang.ts";
import { type Catalogue as LanguageFile, english } from "./en.ts";
import { spanish } from "./es.ts";
import { french } from "./fr.ts";
import { type HelpId, helpCatalogues } from "./help.ts";
import { type LangTextId, langCatalogues } from "./lang.ts";
import { portuguese } from "./pt.ts";

/** Every message id the renderer knows: a language file's, the help's and `!lang`'s. */
export type MessageId = keyof LanguageFile | HelpId | LangTextId;

/** All the texts of one language. */
export type Catalogue = Record<MessageId, string>;

export type { LanguageFile };

/** Each language's own file, before the shared ones are added (the catalogue test reads these). */
export const LANGUAGE_FILES: Readonly<Record<Lang, LanguageFile>> = {
  en: english,
  es: spanish,
  fr: french,
  pt: portuguese,
};

function catalogue(lang: Lang): Catalogue {
  return { ...LANGUAGE_FILES[lang], ...helpCatalogues[lang], ...langCatalogues[lang] };
}

export const CATALOGUES: Readonly<Record<Lang, Catalogue>> = {
  en: catalogue("en"),
  es: catalogue("es"),
  fr: catalogue("fr"),
  pt: catalogue("pt"),
};

// Every error id of the domain has its text (in English; the test checks the other languages).
const _errorsCovered: Record<ErrorId, string> = CATALOGUES.en;
void _errorsCovered;
