/**
 * The embedded default: with no DATABASE_URL, `tearline migrate | run` use PGlite in
 * TEARLINE_DATA_DIR, one process per folder. Real child processes, as an operator starts them;
 * PGHOST/PGPORT point at a dead port, so nothing here could quietly use the PostgreSQL server.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type EmbeddedDatabase, openEmbedded } from "../../src/db/client.ts";
import { DataDirBusy, LOCK_FILE, lockDataDir } from "../../src/db/dataDirLock.ts";
import { rosterConfig } from "../support/botProcess.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function tearline(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      PGHOST: "127.0.0.1",
      PGPORT: "1",
      ...env,
    },
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString("utf8");
  });
  child.stderr.on("data", (c: Buffer) => {
    out += c.toString("utf8");
  });
  return new Promise((res) => child.once("exit", (code) => res({ code, out })));
}

/** A pid that no process has any more. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid ?? 0;
  await new Promise((res) => child.once("exit", res));
  return pid;
}

const migrationCount = (
  JSON.parse(readFileSync(join(repoRoot, "migrations/meta/_journal.json"), "utf8")) as { entries: unknown[] }
).entries.length;

describe("the embedded database (no DATABASE_URL)", () => {
  const open: EmbeddedDatabase[] = [];
  afterEach(async () => {
    for (let d = open.pop(); d; d = open.pop()) await d.close();
  });
  const fresh = () => join(mkdtempSync(join(tmpdir(), "tearline-data-")), "data");

  it("`tearline migrate` creates the folder and applies every migration, saying which database", async () => {
    const dir = fresh();
    const res = await tearline(["migrate"], { TEARLINE_DATA_DIR: dir });
    expect(res.out).toContain(`database is up to date (embedded PGlite at ${dir})`);
    expect(res.code).toBe(0);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false); // released on exit
    const db = await openEmbedded(dir);
    open.push(db);
    const applied = await db.client.query<{ n: number }>(
      "select count(*)::int as n from drizzle.__drizzle_migrations",
    );
    expect(applied.rows[0]?.n).toBe(migrationCount);
    expect((await db.client.query("select * from sightings")).rows).toEqual([]);
  }, 180_000);

  it("refuses a second process on the same folder: names the holder and says a hot standby needs PostgreSQL", async () => {
    const dir = fresh();
    const held = await openEmbedded(dir);
    open.push(held);
    const configPath = join(dirname(dir), "tearline.yaml");
    writeFileSync(configPath, stringify(rosterConfig(["@lo.col:example.org"])));
    const res = await tearline(["run"], {
      TEARLINE_DATA_DIR: dir,
      TEARLINE_CONFIG: configPath,
      TEARLINE_HOMESERVER_URL: "http://127.0.0.1:1",
      TEARLINE_USER_ID: "@tearline:example.org",
      TEARLINE_PASSWORD: "not used",
      TEARLINE_STORE_PASSPHRASE: "not used either",
    });
    expect(res.code).toBe(1);
    expect(res.out).toContain(`held by another process (pid ${process.pid}`);
    expect(res.out).toMatch(/cannot wait as a hot standby[^"]*PostgreSQL server \(set DATABASE_URL\)/);
    expect(res.out).not.toContain("bot started");
    // The holder's lock is untouched, and so are tools run beside it.
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"))).toMatchObject({ pid: process.pid });
    const audit = await tearline(["audit", "verify"], { TEARLINE_DATA_DIR: dir });
    expect(audit.code).toBe(1);
    expect(audit.out).toContain(
      `tearline audit: the embedded database (PGlite) in ${dir} serves one process only`,
    );
  }, 180_000);

  it("refuses a second opener in the same process, and takes over a lock whose process is gone", async () => {
    const dir = fresh();
    const first = await openEmbedded(dir);
    open.push(first);
    await expect(openEmbedded(dir)).rejects.toBeInstanceOf(DataDirBusy);
    await first.close();
    open.pop();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    const gone = await deadPid();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: gone, host: "crashed", since: "yesterday" }));
    const lock = lockDataDir(dir); // stale: taken over
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    // A live process that is not ours (this test's parent) holds it: refused, whoever it is.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: "here", since: "now" }));
    expect(() => lockDataDir(dir)).toThrow(`pid ${process.ppid} on here`);
    writeFileSync(join(dir, LOCK_FILE), "garbage");
    expect(() => lockDataDir(dir)).toThrow(/lock file .* cannot be read/);
  }, 120_000);
});
