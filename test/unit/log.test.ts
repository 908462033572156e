import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.ts";

describe("the JSON log", () => {
  it("logs an error's cause and code, and never the query parameters (they carry decrypted text)", () => {
    const lines: string[] = [];
    const log = createLogger("info", {}, (l) => lines.push(l));
    const pg = Object.assign(new Error("invalid byte sequence"), { code: "22021" });
    const err = new Error('Failed query: insert into "outbox" values ($1)\nparams: secret sighting text', {
      cause: pg,
    });
    log.error("boom", { err });
    const line = JSON.parse(lines[0]!) as {
      err: { message: string; stack: string; cause: { code: string } };
    };
    expect(lines[0]).not.toContain("secret sighting text");
    expect(line.err.message).toBe('Failed query: insert into "outbox" values ($1)');
    expect(line.err.cause).toMatchObject({ code: "22021", message: "invalid byte sequence" });
  });

  it("drops lines below its level", () => {
    const lines: string[] = [];
    createLogger("warn", {}, (l) => lines.push(l)).info("quiet");
    expect(lines).toEqual([]);
  });
});
