/**
 * `npm run demo`, headless and bounded: the script as a user runs it (its own Synapse), with no
 * DATABASE_URL and PGHOST/PGPORT at a dead port, so the story can only play on the embedded
 * database. Its transcript must tell the whole story in order, with the relayed copy stripped of
 * the remarks and the reporter, and the temp data folder must be gone afterwards.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BOUND_MS = 360_000;

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PGHOST: "127.0.0.1", PGPORT: "1" };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString("utf8");
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
  });
  return new Promise((res) => {
    const timer = setTimeout(() => child.kill("SIGTERM"), BOUND_MS);
    child.once("close", (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

describe("npm run demo", () => {
  it("plays sighting, RFI, approved alert, redacted copy, recall and digest with its map, on PGlite only", async () => {
    const { code, stdout, stderr } = await runDemo();
    const context = `--- stdout\n${stdout}\n--- stderr\n${stderr.slice(-4000)}`;
    expect(code, context).toBe(0);
    expect(stderr).toMatch(/database: embedded PGlite at \S+/);
    const dataDir = /embedded database \(PGlite\) in (\S+);/.exec(stderr)?.[1];
    expect(dataDir, context).toBeDefined();
    expect(existsSync(dataDir!)).toBe(false); // torn down

    const lines = stdout.split("\n");
    const at = (re: RegExp, from = 0): number => {
      const i = lines.findIndex((l, n) => n >= from && re.test(l));
      expect(i, `${re} after line ${from}\n${context}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    const story = [
      /^\[col-usa\] Lt\. Rojas \(COL\): !sight vessel .* -- .+$/,
      /^\[col-usa\] Tearline: ✅ S-1 logged · vessel "SIN NOMBRE"/,
      /^\[col-usa\] Lt\. Rojas \(COL\): !rfi ask .*to=USA/,
      /^\[col-usa\] Tearline: ✅ RFI-1 raised for USA/,
      /^\[col-usa\] Cdr\. Hale \(USA\): !rfi answer RFI-1 -- /,
      /^\[col-usa\] Tearline: ✅ RFI-1 answered by Cdr\. Hale \(USA\)/,
      /^\[col-usa\] Lt\. Rojas \(COL\): !alert S-1 to=usa-jtf$/,
      /^\[col-usa\] Tearline: A-1 for S-1:$/,
      /^\[col-usa\] Cdr\. Hale \(USA\) reacted ✅ to "A-1 for S-1:"$/,
      /^\[col-usa\] Tearline: ✅ A-1 approved by Cdr\. Hale · relayed to usa-jtf$/,
      /^\[usa-jtf\] Tearline: ⚠ ALERT A-1 · TLP:AMBER$/,
      /^\[col-usa\] Lt\. Rojas \(COL\): !retract S-1/,
      /^\[usa-jtf\] Tearline: ⚠ RECALL A-1: S-1 was withdrawn in col-usa/,
      /^\[col-usa\] Capt\. Moreno \(COL\): !digest now$/,
      /^\[col-usa\] Tearline: DAILY DIGEST · col-usa · /,
      /^\[col-usa\] Tearline: \[m\.image\] Map · col-usa · .* · image\/png · \d+ bytes · \d+×\d+$/,
      /decrypted the map: a PNG, \d+×\d+, \d+ bytes$/,
    ];
    let from = 0;
    const found = story.map((re) => {
      from = at(re, from) + 1;
      return lines[from - 1]!;
    });

    // The copy Maj. Diaz sees: the banner and its continuation lines, without remarks or reporter.
    const remarks = / -- (.+)$/.exec(found[0]!)![1]!;
    const copyStart = lines.indexOf(found[10]!);
    let copyEnd = copyStart + 1;
    while (/^\[usa-jtf\] {11}\S/.test(lines[copyEnd] ?? "")) copyEnd++;
    const copyLines = lines.slice(copyStart, copyEnd);
    expect(copyLines.length).toBeGreaterThan(1);
    expect(copyLines.join("\n")).toContain("±10 km");
    for (const l of lines.filter((x) => x.startsWith("[usa-jtf]"))) {
      expect(l).not.toContain(remarks);
      expect(l).not.toMatch(/Rojas|@rojas/);
    }
    // The map the commander decrypted is the one the event described.
    const [, w, h] = /(\d+)×(\d+)$/.exec(found[15]!)!;
    expect(found[16]).toContain(`a PNG, ${w}×${h}, `);
    expect(stderr).toMatch(/all (\d+) of the bot's messages above arrived end-to-end encrypted/);
  }, 420_000);
});
