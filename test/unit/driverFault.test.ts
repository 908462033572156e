import { describe, expect, it } from "vitest";
import { isClosedSocketWrite } from "../../src/db/driverFault.ts";

/** The shape Node gives the postgres.js 3.4.9 fault (a write on a connection whose socket is null). */
function driverFault(path = "/app/node_modules/postgres/src/connection.js"): TypeError {
  const err = new TypeError("Cannot read properties of null (reading 'write')");
  err.stack = `${err.name}: ${err.message}\n    at Immediate.nextWrite (file://${path}:255:22)\n    at process.processImmediate (node:internal/timers:485:21)`;
  return err;
}

describe("isClosedSocketWrite", () => {
  it("recognises postgres.js writing to a closed socket", () => {
    expect(isClosedSocketWrite(driverFault())).toBe(true);
  });

  it("leaves every other error fatal", () => {
    expect(isClosedSocketWrite(driverFault("/app/src/bot/connection.js"))).toBe(false);
    expect(isClosedSocketWrite(new TypeError("Cannot read properties of null (reading 'write')"))).toBe(
      false,
    );
    expect(isClosedSocketWrite(new Error("Cannot read properties of null (reading 'write')"))).toBe(false);
    const other = driverFault();
    other.message = "Cannot read properties of undefined (reading 'replace')";
    expect(isClosedSocketWrite(other)).toBe(false);
    expect(isClosedSocketWrite("nextWrite")).toBe(false);
  });
});
