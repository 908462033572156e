/**
 * Every language says everything English says, with the same placeholders, and leaves alone what
 * is never translated: TLP labels, refs, DTGs, command words and options.
 */
import { describe, expect, it } from "vitest";
import { LANGS } from "../../src/domain/lang.ts";
import { helpCatalogues } from "../../src/render/catalogue/help.ts";
import { CATALOGUES, LANGUAGE_FILES } from "../../src/render/catalogue/index.ts";
import { langCatalogues } from "../../src/render/catalogue/lang.ts";

const SOURCES: Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>> = {
  "the language file": LANGUAGE_FILES,
  "help.ts": helpCatalogues,
  "lang.ts": langCatalogues,
};
const OTHERS = LANGS.filter((l) => l !== "en");

/** `{name}` placeholders, sorted, each as often as it occurs. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "").sort();
}

/** What a translation must keep as English writes it. */
const KEPT = [
  /TLP:[A-Z+]+/g, // TLP labels
  /\b(?:S|A|RFI)-(?:\d+|\{\w+\}|<n>)/g, // refs
  /\b\d{6}[A-Z][A-Z]{3}\d{2}\b/g, // DTGs
  /(?<![\w!])![a-z]+/g, // command words
  /\b[a-z_]+=/g, // options
];

function kept(text: string): string[] {
  return KEPT.flatMap((re) => [...text.matchAll(re)].map((m) => m[0])).sort();
}

describe("the catalogues", () => {
  for (const [source, byLang] of Object.entries(SOURCES)) {
    const english = byLang.en ?? {};
    for (const lang of OTHERS) {
      const other = byLang[lang] ?? {};
      it(`${lang}: ${source} has every id of English's, and no other`, () => {
        const ids = Object.keys(english);
        expect(ids.filter((id) => !(id in other))).toEqual([]);
        expect(Object.keys(other).filter((id) => !(id in english))).toEqual([]);
      });
    }
  }

  for (const lang of OTHERS) {
    const c = CATALOGUES[lang];
    it(`${lang}: every translation keeps English's placeholders, no fewer and no more`, () => {
      const wrong = Object.entries(CATALOGUES.en)
        .filter(
          ([id, en]) => id in c && placeholders(en).join() !== placeholders(c[id as keyof typeof c]).join(),
        )
        .map(([id]) => id);
      expect(wrong).toEqual([]);
    });

    it(`${lang}: TLP labels, refs, DTGs, command words and options stay as English writes them`, () => {
      const wrong = Object.entries(CATALOGUES.en)
        .filter(([id, en]) => id in c && kept(en).join() !== kept(c[id as keyof typeof c]).join())
        .map(([id]) => id);
      expect(wrong).toEqual([]);
    });

    it(`${lang}: 12 month names, short and full, and the 3 units of a duration`, () => {
      expect(c["time.months"].split(" ")).toHaveLength(12);
      expect(c["time.monthNames"].split(" ")).toHaveLength(12);
      expect(c["time.units"].split(" ")).toHaveLength(3);
    });
  }

  it("finds placeholders and kept words as meant", () => {
    expect(placeholders("{ref} was {ref}, {at}")).toEqual(["at", "ref", "ref"]);
    expect(kept("TLP:AMBER+STRICT on S-112, say !help or since= (281530ZNOV26)")).toEqual(
      ["!help", "281530ZNOV26", "S-112", "TLP:AMBER+STRICT", "since="].sort(),
    );
  });
});
