/** Every language's catalogue, by code: one file per language, each with every message id. */
import type { Lang } from "../../domain/lang.ts";
import { type Catalogue, english } from "./en.ts";
import { spanish } from "./es.ts";
import { french } from "./fr.ts";
import { portuguese } from "./pt.ts";

export type { Catalogue };

export const CATALOGUES: Readonly<Record<Lang, Catalogue>> = {
  en: english,
  es: spanish,
  fr: french,
  pt: portuguese,
};
