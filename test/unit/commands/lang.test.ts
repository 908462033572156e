import { describe, expect, it } from "vitest";
import help from "../../../commands/help.ts";
import lang from "../../../commands/lang.ts";
import { commands } from "../../../commands/index.ts";
import type { Reply, Result } from "../../../commands/types.ts";
import { helpCatalogues } from "../../../src/render/catalogue/help.ts";
import { plain } from "../../../src/render/render.ts";
import { CONFIG, COL_USA, contextFor, error, MILLER, ROJAS, send, text, USA_JTF, world } from "./fakes.ts";

function inLang(r: Result<Reply>, l: "en" | "es" | "pt" | "fr"): string {
  if (!r.ok) throw new Error(`expected a reply, got: ${plain(r.error.message)}`);
  return plain(r.value.message, { lang: l });
}

describe("!lang", () => {
  it("shows the default language to anyone on the roster", async () => {
    const w = world();
    const reply = await send(lang, "!lang", contextFor(w, ROJAS, COL_USA));
    expect(text(reply)).toBe(
      "This room's language: English (en), the default. Duty officers change it with !lang en|es|fr|pt.",
    );
  });

  it("shows tearline.yaml's language when the room sets one", async () => {
    const w = world();
    const config = {
      ...CONFIG,
      rooms: { ...CONFIG.rooms, "col-usa": { ...CONFIG.rooms["col-usa"]!, lang: "es" as const } },
    };
    const reply = await send(lang, "!lang", contextFor(w, ROJAS, COL_USA, { config }));
    expect(text(reply)).toContain("Español (es), from tearline.yaml");
  });

  it("lets a duty officer set it: stored, audited from→to, said in the new language", async () => {
    const w = world();
    const reply = await send(lang, "!lang PT", contextFor(w, MILLER, USA_JTF));
    expect(w.rooms.langs.get(USA_JTF)).toEqual({ roomId: USA_JTF, lang: "pt", setBy: MILLER, setAt: w.now });
    expect(reply.ok && reply.value.audit).toEqual([
      { actor: MILLER, action: "lang.changed", roomId: USA_JTF, detail: { from: "en", to: "pt" } },
    ]);
    expect(inLang(reply, "pt")).toBe("O idioma desta sala agora é Português (pt); antes era English (en).");
    const shown = await send(lang, "!lang", contextFor(w, ROJAS, USA_JTF));
    expect(text(shown)).toContain(`Português (pt), set in chat by ${MILLER}`);
    const again = await send(lang, "!lang pt", contextFor(w, MILLER, USA_JTF));
    expect(text(again)).toBe("This room's language is already Português (pt).");
    expect(again.ok && again.value.audit).toBeUndefined();
  });

  it("refuses a code it does not know, with the list, and stores nothing", async () => {
    const w = world();
    const reply = await send(lang, "!lang de", contextFor(w, MILLER, USA_JTF));
    expect(error(reply)).toBe('"de" is not a language I speak. Languages: en, es, fr, pt.');
    expect(w.rooms.langs.size).toBe(0);
    const slip = await send(lang, "!lang esp", contextFor(w, MILLER, USA_JTF));
    expect(error(slip)).toContain('Did you mean "es"?');
    const many = await send(lang, "!lang es pt", contextFor(w, MILLER, USA_JTF));
    expect(error(many)).toContain("Languages: en, es, fr, pt.");
    expect(w.rooms.langs.size).toBe(0);
  });

  it("refuses a change from someone who is not a duty officer", async () => {
    const w = world();
    const reply = await send(lang, "!lang es", contextFor(w, ROJAS, COL_USA));
    expect(error(reply)).toBe("changing the room's language needs one of these roles: duty_officer.");
    expect(w.rooms.langs.size).toBe(0);
  });
});

describe("!help in the room's language", () => {
  it("lists every command with its summary from the help catalogue", async () => {
    const w = world();
    const reply = await send(help, "!help", contextFor(w, ROJAS, COL_USA, { commands }));
    const es = inLang(reply, "es");
    expect(es).toContain(`!lang [en|es|pt|fr] — ${helpCatalogues.es["help.cmd.lang"]}`);
    expect(es).toContain(helpCatalogues.es["help.cmd.sight"]);
    expect(inLang(reply, "en")).toContain(helpCatalogues.en["help.cmd.sight"]);
  });

  it("gives a command's summary in the language, usage and examples as written", async () => {
    const w = world();
    const reply = await send(help, "!help sight", contextFor(w, ROJAS, COL_USA, { commands }));
    const fr = inLang(reply, "fr");
    expect(fr).toContain(`${helpCatalogues.fr["help.cmd.sight"]}.`);
    expect(fr).toContain("!sight vessel");
  });

  it("has a help summary for every command, the same as its definition in English", () => {
    for (const c of commands) {
      const id = `help.cmd.${c.name}` as keyof (typeof helpCatalogues)["en"];
      expect(helpCatalogues.en[id], c.name).toBe(c.summary);
    }
  });
});
