/**
 * A relayed copy is rendered in the target room's language (its chat setting over tearline.yaml),
 * not the sending room's: the notify path looks up each notice's own room.
 */
import { describe, expect, it } from "vitest";
import alert from "../../commands/alert.ts";
import type { ConfigFacts } from "../../commands/config.ts";
import type { Notice } from "../../commands/types.ts";
import sight from "../../commands/sight.ts";
import { newEffects, notify } from "../../src/bot/effects.ts";
import { lookupStyle } from "../../src/bot/roomStyle.ts";
import { langCatalogues } from "../../src/render/catalogue/lang.ts";
import { msg } from "../../src/render/message.ts";
import { render } from "../../src/render/render.ts";
import {
  COL_USA,
  CONFIG,
  contextFor,
  MILLER,
  ROJAS,
  send,
  sharingRule,
  USA_JTF,
  world,
} from "./commands/fakes.ts";

// The sending room speaks French (tearline.yaml); the target's Spanish is set in chat.
const FACTS: ConfigFacts = {
  ...CONFIG,
  rooms: { ...CONFIG.rooms, "col-usa": { ...CONFIG.rooms["col-usa"]!, lang: "fr" } },
  sharing: [sharingRule("col-usa", "usa-jtf", ["sighting"])],
};

async function targetSpeaksSpanish() {
  const w = world();
  await w.rooms.setLang({ roomId: USA_JTF, lang: "es", setBy: MILLER, setAt: w.now });
  return w;
}

describe("a relayed copy's language", () => {
  it("renders each notice with its own room's style", async () => {
    const w = await targetSpeaksSpanish();
    const changed = (room: string): Notice => ({
      roomId: room,
      message: msg("lang.changed", { name: "x", code: "x", fromName: "y", from: "y" }),
    });
    const fx = newEffects();
    const asked: string[] = [];
    await notify(fx, [changed(USA_JTF), changed(COL_USA)], (roomId) => {
      asked.push(roomId);
      return lookupStyle(FACTS, w.rooms, roomId);
    });
    expect(asked).toEqual([USA_JTF, COL_USA]);
    const [toTarget, toSource] = fx.messages.map((m) => m.content.body as string);
    expect(toTarget).toBe(
      langCatalogues.es["lang.changed"].replace(/\{(\w+)\}/g, (_, n) => (/from/i.test(n) ? "y" : "x")),
    );
    expect(toSource).toBe(
      langCatalogues.fr["lang.changed"].replace(/\{(\w+)\}/g, (_, n) => (/from/i.test(n) ? "y" : "x")),
    );
  });

  it("sends an alert's copy in the target room's language, whatever the sender's", async () => {
    const w = await targetSpeaksSpanish();
    const ctx = contextFor(w, ROJAS, COL_USA, { config: FACTS, eventId: "$cmd" });
    expect((await send(sight, '!sight vessel 12.51,-79.17 "SIN NOMBRE" time=280714ZNOV26', ctx)).ok).toBe(
      true,
    );
    const r = await send(alert, "!alert S-1", ctx);
    if (!r.ok) throw new Error("the alert failed");
    const fx = newEffects();
    await notify(fx, r.value.notices ?? [], (roomId) => lookupStyle(FACTS, w.rooms, roomId));
    const [copy] = fx.messages;
    const [notice] = r.value.notices ?? [];
    expect(copy?.roomId).toBe(USA_JTF);
    expect(copy?.content.body).toBe(render(notice!.message, { lang: "es" }).body);
    expect(copy?.content.formatted_body).toBe(render(notice!.message, { lang: "es" }).formatted_body);
    expect(copy?.content.body).toContain("TLP:AMBER");
  });
});
