/**
 * OASIS's STIX validator (PyPI `stix2-validator`, pinned in scripts/install-stix-validator.sh),
 * installed into a cached virtualenv on first use, like the Synapse harness installs Synapse, so
 * `npm test` works from a clean clone.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

let venv: Promise<string> | undefined;

/** The venv's path (installing it if missing); the script prints it on its last line. */
export function stixValidatorVenv(): Promise<string> {
  venv ??= run("bash", [join(ROOT, "scripts", "install-stix-validator.sh")], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  }).then(({ stdout }) => stdout.trim().split("\n").at(-1) ?? "");
  return venv;
}

/**
 * Strict settings: warnings are errors, custom types and properties warn, every SRO's refs must be
 * in the bundle. One best-practice check is off, 103 ("SDOs SHOULD use UUIDv4"): our ids are
 * UUIDv5 of stable names in our own namespace, so a second export updates the same objects, which
 * STIX 2.1 §2.9 allows ("producers using something other than UUIDv4 … should use a namespace").
 */
export const STRICT = [
  "--version",
  "2.1",
  "--strict",
  "--strict-types",
  "--strict-properties",
  "--enforce-refs",
  "--disable",
  "103",
];

export interface Validation {
  ok: boolean;
  output: string;
}

/** Runs `stix2_validator` on the bundle's JSON text with strict settings. */
export async function validateStix(json: string): Promise<Validation> {
  const bin = join(await stixValidatorVenv(), "bin", "stix2_validator");
  const dir = await mkdtemp(join(tmpdir(), "tearline-stix-"));
  try {
    const file = join(dir, "bundle.json");
    await writeFile(file, json);
    try {
      const { stdout, stderr } = await run(bin, [...STRICT, "-v", file], { maxBuffer: 16 * 1024 * 1024 });
      return { ok: true, output: stdout + stderr };
    } catch (e) {
      const x = e as { stdout?: string; stderr?: string; message: string };
      return { ok: false, output: `${x.stdout ?? ""}${x.stderr ?? ""}` || x.message };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
