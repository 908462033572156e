/** Echoed text cannot impersonate the bot: through the sanitiser, the renderer and real commands. */
import fc from "fast-check";
import { describeError } from "../../src/render/errors.ts";
import { describe, expect, it } from "vitest";
import rfi from "../../commands/rfi.ts";
import sight from "../../commands/sight.ts";
import { newEffects } from "../../src/bot/effects.ts";
import { resolveCommand } from "../../src/bot/resolve.ts";
import { NAME_CAP, sanitise, TEXT_CAP } from "../../src/domain/userText.ts";
import { msg, type Message, userText } from "../../src/render/message.ts";
import { render } from "../../src/render/render.ts";
import { CONFIG, contextFor, ROJAS, ROSTER, SMITH, send, world } from "./commands/fakes.ts";

/** Characters that steer how text is shown, and what a forger would type. */
const STEERING = [
  "\n",
  "\r",
  "\r\n",
  "\t",
  "\u0000",
  "\u001b[31m",
  "\u0085",
  "\u2028",
  "\u2029",
  "\u202e",
  "\u202a",
  "\u2066",
  "\u2069",
  "\u200e",
  "\u200f",
  "\u061c",
  "\u200b",
  "\u200d",
  "\u2060",
  "\u2064",
  "\ufeff",
  "\u180e",
  "\u00ad",
  "\u034f",
  "\u{e0041}",
  "\u{e007f}",
  "\u009b",
  "✅ ",
  "❌ ",
  "⚠ ",
  "⏰ ",
  "<b>",
  "</b>",
  "<br>",
  "&amp;",
  '"',
  "'",
  "\n✅ RFI-3 closed by CDR Miller (USA)",
  "  ",
];
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...STEERING), fc.string({ unit: "binary", maxLength: 20 })), {
    maxLength: 30,
  })
  .map((parts) => parts.join(""));

/** Code points that must never survive: controls, separators, bidi, zero-width and invisible formatting, tags. */
const FORBIDDEN_RANGES: Array<[number, number]> = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x2029],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x2069],
  [0xfeff, 0xfeff],
  [0xe0000, 0xe007f],
];
const forbidden = (text: string) =>
  Array.from(text).filter((c) =>
    FORBIDDEN_RANGES.some(([lo, hi]) => c.codePointAt(0)! >= lo && c.codePointAt(0)! <= hi),
  );

/** The HTML with the tags the renderer itself writes taken out: what is left must have no `<`. */
const withoutOwnTags = (html: string) => html.replace(/<br>|<\/?b>/g, "");

describe("sanitising user text", () => {
  it("leaves one line, without control, bidi or invisible characters, within the cap", () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 400 }), (text, max) => {
        const out = sanitise(text, max);
        expect(forbidden(out)).toEqual([]);
        expect(out).not.toMatch(/\n/);
        expect(Array.from(out).length).toBeLessThanOrEqual(max);
        expect(out).toBe(out.trim());
        expect(out).not.toMatch(/\s\s/);
      }),
    );
  });

  it("keeps ordinary text as it is", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9.,;:?!()'"°-]+( [A-Za-z0-9.,;:?!()'"°-]+)*$/), (text) => {
        fc.pre(Array.from(text).length <= TEXT_CAP);
        expect(sanitise(text)).toBe(text);
      }),
    );
  });

  it("caps with an ellipsis", () => {
    expect(sanitise("x".repeat(500))).toBe(`${"x".repeat(TEXT_CAP - 1)}…`);
    expect(sanitise("a\u202eb\n\nc\u200bd")).toBe("ab cd");
  });

  it("renders quoted on the line it is echoed in, and escaped in HTML", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const { body, formatted_body } = render(msg("rfi.reason", { reason: userText(text, TEXT_CAP) }));
        expect(body.split("\n")).toHaveLength(1);
        expect(body).toMatch(/^Reason: ".*"$/su);
        expect(Array.from(body).length).toBeLessThanOrEqual("Reason: ".length + TEXT_CAP + 2);
        expect(withoutOwnTags(formatted_body)).not.toContain("<");
        expect(formatted_body).not.toMatch(/<br>/);
      }),
    );
  });
});

/** Every line of a reply: the first is the bot's, each later one starts with the bot's own words. */
function expectLines(m: Message, starts: readonly RegExp[]): void {
  const { body, formatted_body } = render(m);
  const lines = body.split("\n");
  expect(lines).toHaveLength(starts.length);
  for (const [i, line] of lines.entries()) expect(line).toMatch(starts[i]!);
  expect(withoutOwnTags(formatted_body)).not.toContain("<");
  expect(formatted_body.split("<br>")).toHaveLength(starts.length);
}

describe("user text cannot forge a bot line through a command", () => {
  const ok = (r: Awaited<ReturnType<typeof send>>): Message => {
    if (!r.ok) throw new Error(describeError(r.error));
    return r.value.message;
  };

  it("!rfi ask: the question never adds a line", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((q) => q.trim() !== "" && q.length < 4000),
        async (question) => {
          const w = world();
          const r = await send(rfi, `!rfi ask to=USA -- ${question}`, contextFor(w, ROJAS));
          fc.pre(r.ok);
          expectLines(ok(r), [/^✅ RFI-1 raised for USA · ROUTINE · no deadline$/]);
        },
      ),
    );
  });

  it("!rfi answer and defer: the question, the answer and the reason stay on their labelled lines", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (question, answer) => {
        fc.pre(question.trim() !== "" && answer.trim() !== "");
        const w = world();
        const asked = await send(rfi, `!rfi ask to=USA -- ${question}`, contextFor(w, ROJAS));
        fc.pre(asked.ok);
        const answered = await send(rfi, `!rfi answer RFI-1 -- ${answer}`, contextFor(w, SMITH));
        fc.pre(answered.ok);
        expectLines(ok(answered), [
          /^✅ RFI-1 answered by PO Smith \(USA\) · @lo\.col:example\.org notified$/,
          /^Q: "/,
          /^A: "/,
        ]);
      }),
    );
    const w = world();
    await send(rfi, "!rfi ask to=USA -- x", contextFor(w, ROJAS));
    const deferred = await send(
      rfi,
      "!rfi defer RFI-1 -- x\n✅ RFI-3 closed by CDR Miller (USA)",
      contextFor(w, SMITH),
    );
    expect(render(ok(deferred)).body.split("\n")).toEqual([
      "✅ RFI-1 deferred by PO Smith (USA) · @lo.col:example.org notified",
      'Reason: "x ✅ RFI-3 closed by CDR Miller (USA)"',
    ]);
  });

  it("!sight: a name and remarks never add a line", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (remarks) => {
        fc.pre(remarks.trim() !== "");
        const r = await send(sight, `!sight vessel 12.51,-79.20 -- ${remarks}`, contextFor(world(), ROJAS));
        fc.pre(r.ok);
        expectLines(ok(r), [/^✅ S-1 logged · vessel · .* · remarks ".*"$/u]);
      }),
    );
  });

  it("an unknown command name is quoted and capped", () => {
    const deps = {
      directory: {
        prefix: "!",
        member: (u: string) => ROSTER[u],
        roomAlias: () => undefined,
        acceptsInvite: () => true,
        facts: CONFIG,
      },
      commands: [rfi, sight],
    };
    const said: Message[] = [];
    const name = `x${"y".repeat(200)}`;
    const m = { eventId: "$e", roomId: "!r:x", sender: ROJAS, body: `!${name}`, sentAt: new Date() };
    resolveCommand(deps, newEffects(), m, (message) => said.push(message));
    const body = render(said[0]!).body;
    expect(body.split("\n")).toEqual([
      `❌ "${Array.from(name)
        .slice(0, NAME_CAP - 1)
        .join("")}…" is not a Tearline command. Commands: rfi, sight.`,
      "Example: !help",
    ]);
  });
});
