import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { projectFile } from "../../src/projectFiles.ts";

describe("projectFile", () => {
  it("finds the project's package.json and migrations from the sources", () => {
    const pkg = JSON.parse(readFileSync(projectFile("package.json"), "utf8")) as { name: string };
    expect(pkg.name).toBe("tearline");
    expect(existsSync(projectFile("migrations/meta/_journal.json"))).toBe(true);
  });
});
