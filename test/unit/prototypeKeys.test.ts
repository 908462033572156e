/**
 * Words that are keys of every object (`constructor`, `__proto__`), found by the fuzz
 * (test/unit/fuzz.test.ts): a lookup table read with `table[word]` returned Object's own
 * members for them. `!digest schedule constructor` crashed parseCron (the room saw an internal
 * error); `priority=constructor` was read as a priority.
 */
import { describe, expect, it } from "vitest";
import { parseCron } from "../../src/domain/cron.ts";
import { parsePriority } from "../../src/domain/rfi.ts";

const WORDS = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf"];

describe("words every object has are not table entries", () => {
  it.each(WORDS)("parseCron refuses %s with a cron error", (word) => {
    const r = parseCron(word);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message.id).toBe("cron.fieldCount");
  });

  it.each(WORDS)("parsePriority refuses %s", (word) => {
    expect(parsePriority(word).ok).toBe(false);
  });

  it("still reads the macros and short priorities", () => {
    const daily = parseCron("@daily");
    expect(daily.ok && [...daily.value.hours]).toEqual([0]);
    expect(parsePriority("urgent")).toEqual({ ok: true, value: "immediate" });
  });
});
