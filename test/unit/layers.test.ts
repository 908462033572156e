/** The layering check that `npm run lint` runs (scripts/layers.ts, scripts/check-layers.ts). */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { checkSource, checkTree } from "../../scripts/layers.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

const messages = (file: string, text: string) => checkSource(file, text).map((v) => v.message);

describe("layering rules", () => {
  it("hold for the code as it stands", async () => {
    expect(await checkTree(ROOT)).toEqual([]);
  });

  it.each([
    [
      "commands/sight.ts",
      'import { openDatabase } from "../src/db/client.ts";',
      "commands/ must not import from src/db/",
    ],
    ["commands/sight.ts", 'import type { AuditEntry } from "../src/db/queries/audit.ts";', "src/db/"],
    ["commands/sight.ts", 'import type { MatrixApi } from "../src/matrix/api.ts";', "src/matrix/"],
    ["commands/sight.ts", 'import { Dispatcher } from "../src/bot/dispatch.ts";', "src/bot/"],
    ["commands/sight.ts", 'export { x } from "../src/db/types.ts";', "src/db/"],
    ["commands/sight.ts", 'const m = await import("../src/db/client.ts");', "src/db/"],
    ["commands/sight.ts", 'type Db = import("../src/db/client.ts").Db;', "src/db/"],
    ["commands/sight.ts", 'import { sql } from "drizzle-orm";', "must not use drizzle-orm"],
    ["commands/sight.ts", 'import postgres from "postgres";', "must not use postgres"],
    ["commands/sight.ts", 'import { OlmMachine } from "@matrix-org/matrix-sdk-crypto-wasm";', "crypto-wasm"],
    ["src/domain/dtg.ts", 'import type { Db } from "../db/client.ts";', "may import only from src/domain/"],
    ["src/domain/dtg.ts", 'import type { Tokens } from "../../commands/types.ts";', "only from src/domain/"],
    ["src/domain/dtg.ts", 'import { readFileSync } from "node:fs";', "only the packages zod, mgrs: node:fs"],
    ["src/domain/dtg.ts", 'import { eq } from "drizzle-orm/sql";', "drizzle-orm"],
    [
      "src/render/render.ts",
      'import type { Db } from "../db/client.ts";',
      "may import only from src/render/, src/domain/",
    ],
    [
      "src/render/render.ts",
      'import { say } from "../bot/effects.ts";',
      "may import only from src/render/, src/domain/",
    ],
    ["src/map/svg.ts", 'import type { MatrixApi } from "../matrix/api.ts";', "may import only from src/map/"],
    ["src/map/svg.ts", 'import { sql } from "drizzle-orm";', "may use only the packages"],
    ["src/map/svg.ts", 'import { request } from "node:http";', "may use only the packages"],
    [
      "src/matrix/sync.ts",
      'import { setState } from "../db/queries/botState.ts";',
      "src/matrix/ must not import from src/db/",
    ],
    ["src/matrix/sync.ts", 'import type { Reply } from "../../commands/types.ts";', "commands/"],
    ["src/matrix/sync.ts", 'import { sql } from "drizzle-orm";', "must not use drizzle-orm"],
    [
      "src/db/queries/x.ts",
      'import type { Reply } from "../../../commands/types.ts";',
      "src/db/ must not import from commands/",
    ],
    ["src/db/queries/x.ts", 'import { Bot } from "../../bot/bot.ts";', "src/bot/"],
    ["src/db/queries/x.ts", 'import type { SyncLoop } from "../../matrix/sync.ts";', "src/matrix/"],
    [
      "src/db/queries/x.ts",
      'import { x } from "../../matrix/cryptoPersistence.ts";',
      "only with `import type`",
    ],
    ["src/config/env.ts", 'import { Bot } from "../bot/bot.ts";', "src/bot/"],
    ["src/bot/effects.ts", 'import { sql } from "drizzle-orm";', "only src/db/ may use drizzle-orm"],
    [
      "src/bot/crypto.ts",
      'import { OlmMachine } from "@matrix-org/matrix-sdk-crypto-wasm";',
      "only src/matrix/",
    ],
  ])("%s: refuses %s", (file, line, why) => {
    const found = checkSource(file, `// a file\n${line}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file, line: 2 });
    expect(found[0]?.message).toContain(why);
  });

  it.each([
    ["commands/sight.ts", 'import { parseDtg } from "../src/domain/dtg.ts";'],
    ["commands/sight.ts", 'import type { Reply } from "./types.ts";'],
    ["commands/sight.ts", 'import { z } from "zod";'],
    ["src/domain/dtg.ts", 'import { ok } from "./result.ts";'],
    ["src/render/render.ts", 'import { sanitise } from "../domain/userText.ts";'],
    ["src/domain/position.ts", 'import { forward } from "mgrs";'],
    ["src/map/render.ts", 'import { Resvg } from "@resvg/resvg-js";'],
    ["src/map/svg.ts", 'import type { SightingKind } from "../domain/kinds.ts";'],
    ["src/matrix/sync.ts", 'import type { Logger } from "../log.ts";'],
    ["src/db/queries/x.ts", 'import type { Sighting } from "../../domain/sighting.ts";'],
    [
      "src/db/queries/x.ts",
      'import type { CryptoStorePersistence } from "../../matrix/cryptoPersistence.ts";',
    ],
    ["src/db/queries/x.ts", 'import { type CryptoStoreChanges } from "../../matrix/cryptoPersistence.ts";'],
    ["src/bot/bot.ts", 'import { openDatabase } from "../db/client.ts";'],
    ["src/bot/bot.ts", 'import { commands } from "../../commands/index.ts";'],
    ["src/main.ts", 'import { Bot } from "./bot/bot.ts";'],
    ["src/config/env.ts", "const url = process.env.DATABASE_URL;"],
  ])("%s: allows %s", (file, line) => {
    expect(messages(file, line)).toEqual([]);
  });

  it.each([
    "const level = process.env.TEARLINE_LOG_LEVEL;",
    'const level = process["env"].TEARLINE_LOG_LEVEL;',
    "const { env } = process;",
    'import { env } from "node:process";',
  ])("refuses reading the environment outside src/config/env.ts: %s", (line) => {
    for (const file of ["src/main.ts", "src/bot/faults.ts", "commands/status.ts", "src/log.ts"])
      expect(messages(file, line)).toEqual([
        "process.env is read only in src/config/env.ts (readEnv); pass the value in",
      ]);
  });
});

describe("npm run lint", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function project(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), "tearline-layers-"));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    return dir;
  }

  const checkLayers = (root: string) =>
    run(process.execPath, ["--import", "tsx", join(ROOT, "scripts/check-layers.ts"), root], { cwd: ROOT });

  it("runs the layering check", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      scripts: { lint: string };
    };
    expect(pkg.scripts.lint).toMatch(/&& node --import tsx scripts\/check-layers\.ts$/);
  });

  it("fails, naming the file and line, when a command imports from src/db", async () => {
    const root = await project({
      "commands/ok.ts": 'import { z } from "zod";\n',
      "commands/bad.ts": 'import { z } from "zod";\nimport { openDatabase } from "../src/db/client.ts";\n',
      "src/db/client.ts": "export const openDatabase = () => undefined;\n",
    });
    const failed = await checkLayers(root).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain(
      "commands/bad.ts:2: commands/ must not import from src/db/: ../src/db/client.ts",
    );
  });

  it("passes a tree that keeps the rules", async () => {
    const root = await project({
      "commands/ok.ts": 'import { parse } from "../src/domain/p.ts";\n',
      "src/domain/p.ts": "export const parse = () => 1;\n",
    });
    await expect(checkLayers(root)).resolves.toMatchObject({ stdout: expect.stringContaining("keep") });
  });
});
