/**
 * The room's language, end to end: a Spanish room gets Spanish help and a Spanish digest, a
 * French room French errors, and `!lang pt` answers in Portuguese. The texts are read from the
 * catalogues themselves, so the test holds whatever wording the translators chose.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { helpCatalogues } from "../../src/render/catalogue/help.ts";
import { CATALOGUES, type MessageId } from "../../src/render/catalogue/index.ts";
import { langCatalogues } from "../../src/render/catalogue/lang.ts";
import { rosterConfig } from "../support/botProcess.ts";
import type { ReceivedEvent } from "../support/officer.ts";
import { createScene, type Scene } from "../support/scene.ts";

/** The longest run of a template's own words (between its placeholders): what any rendering of it contains. */
function fixedPart(lang: "en" | "es" | "fr" | "pt", id: MessageId): string {
  const parts = CATALOGUES[lang][id].split(/\{\w+\}/);
  return parts.reduce((a, b) => (b.trim().length > a.trim().length ? b : a), "").trim();
}

describe("the room's language, end to end", () => {
  let s: Scene;
  beforeEach(async () => {
    s = await createScene({ config: (o) => rosterConfig([o.userId]) });
  });
  afterEach(async () => {
    await s.teardown();
  });

  it("answers a Spanish room in Spanish, a French room's bad command in French, and !lang pt in Portuguese", async () => {
    // Rooms are configured by id: make them, then start the bot with them in tearline.yaml.
    const first = s.startBot();
    await first.ready();
    const es = await s.encryptedRoom();
    const fr = await s.encryptedRoom();
    const plain = await s.encryptedRoom();
    await first.stop();
    s.config.rooms = {
      "col-es": { room: es, partners: ["COL", "USA"], lang: "es" },
      "col-fr": { room: fr, partners: ["COL", "USA"], lang: "fr" },
      "col-en": { room: plain, partners: ["COL", "USA"] },
    };
    const bot = s.startBot();
    await bot.ready();
    const fromBot = (id: string) => (m: ReceivedEvent) => m.sender === s.account.userId && m.replyTo === id;
    const ask = async (room: string, text: string) =>
      (await s.officer.waitForMessage(room, fromBot(await s.officer.send(room, text)))).body;

    const help = await ask(es, "!help");
    expect(help).toContain(helpCatalogues.es["help.cmd.sight"]);
    expect(help).toContain("!sight "); // command words stay
    expect(help).not.toContain(helpCatalogues.en["help.cmd.sight"]);

    const digest = await ask(es, "!digest now");
    expect(digest).toContain(fixedPart("es", "digest.noSightings"));
    expect(digest).toContain(fixedPart("es", "digest.title"));
    expect(digest).toContain("TLP:");

    const bad = await ask(fr, "!sight boat 12.51,-79.20");
    expect(bad).toMatch(/^❌ /);
    expect(bad).toContain(fixedPart("fr", "kind.invalid"));
    expect(bad).toContain("vessel, aircraft"); // kinds are command words

    const changed = await ask(plain, "!lang pt");
    expect(changed).toBe(
      langCatalogues.pt["lang.changed"]
        .replace("{name}", "Português")
        .replace("{code}", "pt")
        .replace("{fromName}", "English")
        .replace("{from}", "en"),
    );
    const audit = await s.db.sql<{ detail: { from: string; to: string } }[]>`
      select detail from audit_log where action = 'lang.changed'`;
    expect(audit.map((a) => a.detail)).toEqual([{ from: "en", to: "pt" }]);
    // The room now speaks Portuguese (the chat setting over tearline.yaml's default).
    expect(await ask(plain, "!help")).toContain(helpCatalogues.pt["help.cmd.sight"]);
    // Last, as it holds only once the translations have landed (until then fr.ts is a copy of en.ts).
    expect(fixedPart("fr", "kind.invalid")).not.toBe(fixedPart("en", "kind.invalid"));
    expect(fixedPart("es", "digest.noSightings")).not.toBe(fixedPart("en", "digest.noSightings"));
  });
});
