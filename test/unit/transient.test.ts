import { describe, expect, it } from "vitest";
import { isTransient, withoutNul } from "../../src/bot/dispatch.ts";

describe("telling a passing failure from a poisonous event", () => {
  it.each([
    [{ code: "CONNECTION_CLOSED" }, true],
    [{ code: "ECONNREFUSED" }, true],
    [{ code: "40001" }, true], // serialization failure
    [{ code: "57P01" }, true], // admin shutdown
    [new Error("Failed query", { cause: { code: "08006" } }), true],
    [{ code: "22P05" }, false], // unsupported unicode escape: the event itself
    [new TypeError("x is undefined"), false],
    [undefined, false],
  ])("%o → transient %s", (err, transient) => {
    expect(isTransient(err)).toBe(transient);
  });
});

describe("withoutNul", () => {
  it("removes NUL from every string, keys included, and leaves other values alone", () => {
    expect(withoutNul({ "a\u0000": ["x\u0000y", 1, null, { b: "\u0000" }], ok: true })).toEqual({
      a: ["xy", 1, null, { b: "" }],
      ok: true,
    });
  });
});
