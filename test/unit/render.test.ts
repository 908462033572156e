import { describe, expect, it } from "vitest";
import { t } from "../../src/domain/result.ts";
import { errorMessage, newEffects, notify, say } from "../../src/bot/effects.ts";
import { cannotDecrypt, NEEDS_ENCRYPTION, notRostered, replyContent } from "../../src/bot/messages.ts";
import { PLAIN_STYLE } from "../../src/bot/roomStyle.ts";
import { list, msg, ref, time, user, userText } from "../../src/render/message.ts";
import { render } from "../../src/render/render.ts";
import { reminderMessage } from "../../src/render/rfi.ts";

const NOW = new Date("2026-11-28T07:20:00Z");

describe("rendering a message", () => {
  it("fills the catalogue's sentence, with refs in bold and user text quoted and escaped in HTML", () => {
    const m = msg("sighting.logged", {
      ref: ref("S-12"),
      readBack: list([
        msg("sighting.whatNamed", {
          kind: "vessel",
          ids: msg("sighting.name", { name: userText("<b>X</b> & 'Y'", 60) }),
        }),
        msg("sighting.seen", { time: time(new Date("2026-11-28T07:14:00Z"), NOW, "seen") }),
        { kind: "tlp", tlp: "amber" },
      ]),
    });
    expect(render(m, { lang: "en", timeZone: "America/Bogota" })).toEqual({
      body: `✅ S-12 logged · vessel "<b>X</b> & 'Y'" · seen 28 Nov 07:14Z (02:14 Bogota) · TLP:AMBER`,
      formatted_body:
        "✅ <b>S-12</b> logged · vessel &quot;&lt;b&gt;X&lt;/b&gt; &amp; &#39;Y&#39;&quot; · seen 28 Nov 07:14Z (02:14 Bogota) · TLP:AMBER",
    });
  });

  it("shows the room's local time only where the room has a time zone", () => {
    const m = msg("sighting.seen", { time: time(new Date("2026-11-28T07:14:00Z"), NOW, "seen") });
    expect(render(m).body).toBe("seen 28 Nov 07:14Z");
  });

  it("puts following lines after the first, as <br> in HTML", () => {
    const m = errorMessage({
      message: t("e.didYouMean", { guess: "<wrong>" }),
      example: "time=280714ZNOV26",
    });
    expect(render(m)).toEqual({
      body: "❌  Did you mean <wrong>?\nExample: time=280714ZNOV26",
      formatted_body: "❌  Did you mean &lt;wrong&gt;?<br>Example: time=280714ZNOV26",
    });
  });

  it("renders a reminder from the RFI's data, its question quoted on one line", () => {
    const rfi = {
      ref: "RFI-40",
      roomId: "!r:x",
      originator: "@a:x",
      priority: "immediate" as const,
      ltiov: new Date("2026-11-28T10:00:00Z"),
      to: { partner: "USA" },
      question: "where?\n✅ RFI-3 closed by CDR Miller (USA)",
      status: "open" as const,
    };
    const m = reminderMessage(rfi, "overdue", rfi.ltiov, new Date("2026-11-28T10:05:00Z"));
    expect(render(m).body).toBe(
      '⏰ RFI-40 (IMMEDIATE) for USA is now OVERDUE (LTIOV 28 Nov 10:00Z): "where? ✅ RFI-3 closed by CDR Miller (USA)"',
    );
  });

  it("names users without control characters", () => {
    expect(render(notRostered("@evil:x\n✅ ok")).body).toMatch(/^Sorry @evil:x ✅ ok, you are not on/);
    expect(render(msg("rfi.notified", { user: user("@a:x") })).body).toBe(" · @a:x notified");
  });
});

describe("Matrix content", () => {
  it("is an HTML m.notice that pings nobody unless asked to", () => {
    expect(replyContent("$cmd", NEEDS_ENCRYPTION, { style: PLAIN_STYLE })).toEqual({
      msgtype: "m.notice",
      body: expect.stringMatching(/^Tearline only works in end-to-end encrypted rooms\./),
      format: "org.matrix.custom.html",
      formatted_body: expect.stringMatching(/^Tearline only works/),
      "m.mentions": {},
      "m.relates_to": { "m.in_reply_to": { event_id: "$cmd" } },
    });
    expect(
      replyContent(undefined, cannotDecrypt("@a:x", Date.UTC(2026, 10, 28, 7, 14)), { style: PLAIN_STYLE }),
    ).toMatchObject({
      body: "I can't read @a:x's message from 07:14Z yet (missing key); I'll process it when the key arrives.",
      "m.mentions": {},
    });
  });

  it("sets m.mentions on every message the effects queue, with only the intended users", async () => {
    const fx = newEffects();
    say(fx, "!r:x", "$cmd", msg("rfi.alreadyWithdrawn", { ref: ref("RFI-1") }), {
      reaction: "✅",
      style: PLAIN_STYLE,
    });
    say(fx, "!r:x", "$cmd", msg("rfi.notified", { user: user("@b:x") }), {
      mentions: ["@b:x", "@b:x"],
      style: PLAIN_STYLE,
    });
    await notify(
      fx,
      [{ roomId: "!o:x", message: msg("rfi.withdrawn", { ref: ref("RFI-1") }), mentions: ["@a:x"] }],
      async () => PLAIN_STYLE,
    );
    const messages = fx.messages.filter((m) => m.eventType === "m.room.message").map((m) => m.content);
    expect(messages.map((c) => c["m.mentions"])).toEqual([
      {},
      { user_ids: ["@b:x"] },
      { user_ids: ["@a:x"] },
    ]);
    expect(
      messages.every((c) => c.format === "org.matrix.custom.html" && typeof c.formatted_body === "string"),
    ).toBe(true);
  });
});
