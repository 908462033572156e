import { describe, expect, it } from "vitest";
import { parseKind } from "../../src/domain/kinds.ts";
import {
  formatGrading,
  formatReleasability,
  formatTlp,
  highestTlp,
  parseGrading,
  parseReleasability,
  parseTlp,
  TLP_LEVELS,
  tlpRank,
} from "../../src/domain/marking.ts";
import type { Result } from "../../src/domain/result.ts";
import { describeError } from "../../src/render/errors.ts";

const PARTNERS = ["COL", "USA", "JTF"];

function failure<T>(result: Result<T>): string {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return describeError(result.error);
}

describe("TLP 2.0 markings", () => {
  it.each([
    ["clear", "clear"],
    ["green", "green"],
    ["Amber", "amber"],
    ["TLP:AMBER", "amber"],
    ["tlp: red", "red"],
    ["amber+strict", "amber+strict"],
    ["TLP:AMBER+STRICT", "amber+strict"],
    ["amber-strict", "amber+strict"],
  ])("reads %s as %s", (text, tlp) => {
    expect(parseTlp(text)).toEqual({ ok: true, value: tlp });
  });

  it.each([
    ["white", `"white" is the old name: TLP 2.0 renamed TLP:WHITE to TLP:CLEAR. Example: tlp=clear`],
    ["TLP:WHITE", `"TLP:WHITE" is the old name: TLP 2.0 renamed TLP:WHITE to TLP:CLEAR. Example: tlp=clear`],
    [
      "ambr",
      `"ambr" is not a TLP marking. Markings: clear, green, amber, amber+strict, red. Did you mean "amber"? Example: tlp=amber`,
    ],
    [
      "secret",
      `"secret" is not a TLP marking. Markings: clear, green, amber, amber+strict, red. Example: tlp=amber`,
    ],
    ["", `"" is not a TLP marking. Markings: clear, green, amber, amber+strict, red. Example: tlp=amber`],
  ])("refuses %j", (text, message) => {
    expect(failure(parseTlp(text))).toBe(message);
  });

  it("ranks from clear to red, and marks a set with its highest", () => {
    expect(TLP_LEVELS.map(tlpRank)).toEqual([0, 1, 2, 3, 4]);
    expect(highestTlp(["green", "amber+strict", "amber"])).toBe("amber+strict");
    expect(highestTlp([])).toBe("clear");
    expect(formatTlp("amber+strict")).toBe("TLP:AMBER+STRICT");
  });
});

describe("releasability (REL TO)", () => {
  it.each([
    ["USA,COL", ["USA", "COL"]],
    ["usa,col", ["USA", "COL"]],
    ["USA, COL", ["USA", "COL"]],
    ["REL TO USA, JTF", ["USA", "JTF"]],
    ["USA,USA,COL,", ["USA", "COL"]],
    ["JTF", ["JTF"]],
  ])("reads %s", (text, codes) => {
    expect(parseReleasability(text, PARTNERS)).toEqual({ ok: true, value: codes });
  });

  it.each([
    ["USA,XYZ", `"XYZ" is not a partner code. Partners: COL, JTF, USA. Example: rel=COL,JTF`],
    ["US,COL", `"US" is not a partner code. Partners: COL, JTF, USA. Did you mean USA? Example: rel=COL,JTF`],
    ["GBR,FRA", `"GBR", "FRA" are not partner codes. Partners: COL, JTF, USA. Example: rel=COL,JTF`],
    [",", `rel= needs at least one partner code. Partners: COL, JTF, USA. Example: rel=COL,JTF`],
  ])("refuses %j", (text, message) => {
    expect(failure(parseReleasability(text, PARTNERS))).toBe(message);
  });

  it("writes REL TO in the order given", () => {
    expect(formatReleasability(["USA", "JTF"])).toBe("REL TO USA, JTF");
  });
});

describe("Admiralty grading", () => {
  it.each([
    ["B2", "B", 2],
    ["b2", "B", 2],
    ["A1", "A", 1],
    ["F6", "F", 6],
    ["C-3", "C", 3],
    ["E/5", "E", 5],
  ])("reads %s", (text, reliability, credibility) => {
    expect(parseGrading(text)).toEqual({ ok: true, value: { reliability, credibility } });
  });

  it.each([
    [
      "G2",
      `Reliability "G" in "G2" is not A–F: reliability is a letter A–F, credibility a digit 1–6. Example: conf=B2`,
    ],
    [
      "B7",
      `Credibility "7" in "B7" is not 1–6: reliability is a letter A–F, credibility a digit 1–6. Example: conf=B2`,
    ],
    [
      "B0",
      `Credibility "0" in "B0" is not 1–6: reliability is a letter A–F, credibility a digit 1–6. Example: conf=B2`,
    ],
    [
      "2B",
      `"2B" is not a source grading: reliability is a letter A–F, credibility a digit 1–6. Example: conf=B2`,
    ],
    [
      "high",
      `"high" is not a source grading: reliability is a letter A–F, credibility a digit 1–6. Example: conf=B2`,
    ],
  ])("refuses %s", (text, message) => {
    expect(failure(parseGrading(text))).toBe(message);
  });

  it("writes a grading as B2", () => {
    expect(formatGrading({ reliability: "B", credibility: 2 })).toBe("B2");
  });
});

describe("sighting kinds", () => {
  it.each([
    ["vessel", "vessel"],
    ["Aircraft", "aircraft"],
    ["VEHICLE", "vehicle"],
    ["persons", "person"],
    ["other", "other"],
  ])("reads %s as %s", (text, kind) => {
    expect(parseKind(text)).toEqual({ ok: true, value: kind });
  });

  it.each([
    [
      "vesel",
      undefined,
      `"vesel" is not a kind of sighting. Kinds: vessel, aircraft, vehicle, person, other. Did you mean "vessel"? Example: vessel`,
    ],
    [
      "plane",
      "kind",
      `"plane" is not a kind of sighting. Kinds: vessel, aircraft, vehicle, person, other. Example: kind=vessel`,
    ],
    [
      "vehicel",
      "kind",
      `"vehicel" is not a kind of sighting. Kinds: vessel, aircraft, vehicle, person, other. Did you mean "vehicle"? Example: kind=vehicle`,
    ],
  ])("refuses %s", (text, field, message) => {
    expect(failure(parseKind(text, field))).toBe(message);
  });
});
