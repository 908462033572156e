import { describe, expect, it } from "vitest";
import { type CommandText, readCommand } from "../../src/domain/reader.ts";
import { describeError } from "../../src/render/errors.ts";

describe("readCommand", () => {
  it.each([
    ["hello everyone"],
    ["sight vessel 12.51,-79.20"],
    ["!"],
    ["! sight vessel"],
    ["!!!"],
    ["!123"],
    ["!sight,vessel"],
    [""],
  ])("ignores %j: it is not a command", (text) => {
    expect(readCommand(text)).toBeNull();
  });

  const commands: Array<CommandText & { text: string }> = [
    {
      text: `!sight vessel 12°30.5'N 079°10'W "SIN NOMBRE" time=280714ZNOV26 course=045 speed=32kt conf=B2 -- go-fast, 3 outboards, no flag`,
      name: "sight",
      positional: ["vessel", "12°30.5'N", "079°10'W", "SIN NOMBRE"],
      options: { time: "280714ZNOV26", course: "045", speed: "32kt", conf: "B2" },
      rest: "go-fast, 3 outboards, no flag",
    },
    {
      text: "  !Sight Vessel 18PTR1234567890",
      name: "sight",
      positional: ["Vessel", "18PTR1234567890"],
      options: {},
      rest: null,
    },
    {
      text: '!sight vessel 12.51,-79.20 name="GO FAST 1" TLP=Amber',
      name: "sight",
      positional: ["vessel", "12.51,-79.20"],
      options: { name: "GO FAST 1", tlp: "Amber" },
      rest: null,
    },
    {
      text: "!sight vessel 12.5N 79.1W “SIN NOMBRE” rel=USA,COL",
      name: "sight",
      positional: ["vessel", "12.5N", "79.1W", "SIN NOMBRE"],
      options: { rel: "USA,COL" },
      rest: null,
    },
    {
      text: "!sight person 12°30'30\"N 079°10'15\"W 'O'Brien boat'",
      name: "sight",
      positional: ["person", "12°30'30\"N", "079°10'15\"W", "O'Brien boat"],
      options: {},
      rest: null,
    },
    {
      text: "!rfi ask priority=immediate to=USA — last known position of “SIN NOMBRE”?",
      name: "rfi",
      positional: ["ask"],
      options: { priority: "immediate", to: "USA" },
      rest: "last known position of “SIN NOMBRE”?",
    },
    {
      text: "!rfi answer RFI-40 --\n  AIS dark since 0600Z;\n  P-8 contact at 12.9N 078.6W 0742Z  ",
      name: "rfi",
      positional: ["answer", "RFI-40"],
      options: {},
      rest: "AIS dark since 0600Z;\n  P-8 contact at 12.9N 078.6W 0742Z",
    },
    {
      text: "!rfi ask --",
      name: "rfi",
      positional: ["ask"],
      options: {},
      rest: null,
    },
    {
      text: '!digest schedule "0 6 * * *" tz=America/Bogota',
      name: "digest",
      positional: ["schedule", "0 6 * * *"],
      options: { tz: "America/Bogota" },
      rest: null,
    },
    {
      text: '!alert -- text with "unbalanced quote and tlp=red inside',
      name: "alert",
      positional: [],
      options: {},
      rest: 'text with "unbalanced quote and tlp=red inside',
    },
    {
      text: '!sight vessel "" name=""',
      name: "sight",
      positional: ["vessel", ""],
      options: { name: "" },
      rest: null,
    },
    {
      text: "!x constructor=1 toString=2 https://example.org/?a=b",
      name: "x",
      positional: ["https://example.org/?a=b"],
      options: { constructor: "1", tostring: "2" },
      rest: null,
    },
  ];

  it.each(commands)("reads $text", ({ text, ...expected }) => {
    expect(readCommand(text)).toEqual({ ok: true, value: expected });
  });

  it("reads a 41-letter run before = as a word, not an option (no option is named so)", () => {
    const word = `${"k".repeat(41)}=1`;
    expect(readCommand(`!sight ${word}`)).toMatchObject({
      ok: true,
      value: { positional: [word], options: {} },
    });
  });

  it("honours a configured prefix", () => {
    expect(readCommand("tl sight vessel", "tl ")).toMatchObject({ ok: true, value: { name: "sight" } });
    expect(readCommand("!sight vessel", "tl ")).toBeNull();
  });

  it.each([
    [
      '!sight vessel "GO FAST 1',
      'The quote before "GO FAST 1" is not closed: end the quoted text with the same quote mark. Example: "GO FAST 1"',
    ],
    [
      "!sight vessel name=“SIN NOMBRE time=280714ZNOV26",
      'The quote before "SIN NOMBRE" is not closed: end the quoted text with the same quote mark. Example: name="SIN NOMBRE"',
    ],
    [
      "!alert 'a remark that runs on and on without an end",
      `The quote before "a remark that runs on…" is not closed: end the quoted text with the same quote mark. Example: "a remark that runs on"`,
    ],
    [
      "!sight vessel 12.51,-79.20 tlp=amber TLP=red",
      'Option "tlp" is given twice (tlp=amber and tlp=red): give it once. Example: tlp=amber',
    ],
    [
      "!sight vessel 12.51,-79.20 time= 280714ZNOV26",
      'Option "time=" has no value: write the value right after the "=", with no space. Example: time=280714ZNOV26',
    ],
    [
      "!sight vessel 12.51,-79.20 tlp=",
      'Option "tlp=" has no value: write the value right after the "=", with no space. Example: tlp=<value>',
    ],
    [
      `!sight vessel time= ${"x".repeat(5000)}`,
      'Option "time=" has no value: write the value right after the "=", with no space. Example: time=<value>',
    ],
    [
      `!sight tlp=${"a".repeat(100)} tlp=red`,
      `Option "tlp" is given twice (tlp=${"a".repeat(39)}… and tlp=red): give it once. Example: tlp=<value>`,
    ],
  ])("refuses %j", (text, message) => {
    const result = readCommand(text);
    expect(result?.ok).toBe(false);
    if (result?.ok === false) expect(describeError(result.error)).toBe(message);
  });
});
