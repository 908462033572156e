/**
 * The texts of `!lang`, in every language (kept here, beside the per-language files, so those
 * need not carry them). Language names are each language's own (`Español`), never translated.
 */
import type { Lang } from "../../domain/lang.ts";

const english = {
  "lang.current": "This room's language: {name} ({code}), {source}. Duty officers change it with {command}.",
  "lang.fromChat": "set in chat by {by}",
  "lang.fromConfig": "from tearline.yaml",
  "lang.fromDefault": "the default",
  "lang.changed": "This room's language is now {name} ({code}); it was {fromName} ({from}).",
  "lang.unchanged": "This room's language is already {name} ({code}).",
  "lang.unknown": "{input} is not a language I speak. Languages: {langs}.{hint}",
  "lang.roles": "changing the room's language needs one of these roles: {roles}.",
} as const;

export type LangTextId = keyof typeof english;

export const langCatalogues: Readonly<Record<Lang, Record<LangTextId, string>>> = {
  en: english,
  es: {
    "lang.current":
      "Idioma de esta sala: {name} ({code}), {source}. Los oficiales de guardia lo cambian con {command}.",
    "lang.fromChat": "fijado en el chat por {by}",
    "lang.fromConfig": "según tearline.yaml",
    "lang.fromDefault": "el predeterminado",
    "lang.changed": "El idioma de esta sala es ahora {name} ({code}); antes era {fromName} ({from}).",
    "lang.unchanged": "El idioma de esta sala ya es {name} ({code}).",
    "lang.unknown": "{input} no es un idioma que yo hable. Idiomas: {langs}.{hint}",
    "lang.roles": "cambiar el idioma de la sala requiere uno de estos roles: {roles}.",
  },
  pt: {
    "lang.current":
      "Idioma desta sala: {name} ({code}), {source}. Os oficiais de serviço o alteram com {command}.",
    "lang.fromChat": "definido no chat por {by}",
    "lang.fromConfig": "conforme tearline.yaml",
    "lang.fromDefault": "o padrão",
    "lang.changed": "O idioma desta sala agora é {name} ({code}); antes era {fromName} ({from}).",
    "lang.unchanged": "O idioma desta sala já é {name} ({code}).",
    "lang.unknown": "{input} não é um idioma que eu fale. Idiomas: {langs}.{hint}",
    "lang.roles": "mudar o idioma da sala exige uma destas funções: {roles}.",
  },
  fr: {
    "lang.current":
      "Langue de ce salon : {name} ({code}), {source}. Les officiers de permanence la changent avec {command}.",
    "lang.fromChat": "choisie dans le chat par {by}",
    "lang.fromConfig": "d'après tearline.yaml",
    "lang.fromDefault": "celle par défaut",
    "lang.changed": "La langue de ce salon est désormais {name} ({code}) ; c'était {fromName} ({from}).",
    "lang.unchanged": "La langue de ce salon est déjà {name} ({code}).",
    "lang.unknown": "{input} n'est pas une langue que je parle. Langues : {langs}.{hint}",
    "lang.roles": "changer la langue du salon exige l'un de ces rôles : {roles}.",
  },
};

/** Each language by its own name. */
export const LANG_NAMES: Readonly<Record<Lang, string>> = {
  en: "English",
  es: "Español",
  pt: "Português",
  fr: "Français",
};
