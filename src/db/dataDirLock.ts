/**
 * One process per embedded database folder. PGlite has no lock of its own (checked with 0.5.17:
 * two processes open the same files without complaint, and would corrupt them), so the folder gets
 * a lock file naming its holder. It is created atomically (written aside, then hard-linked into
 * place, which fails if one exists); a lock whose process is gone (crash, SIGKILL, a container
 * restarted with the same pid) is taken over.
 */
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export const LOCK_FILE = "tearline.lock";

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

/** Another live process holds the folder (or its lock file cannot be read). */
export class DataDirBusy extends Error {
  override name = "DataDirBusy";
  constructor(
    readonly dir: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who =
      holder === undefined
        ? `its lock file ${join(dir, LOCK_FILE)} cannot be read (delete it if no Tearline uses this folder)`
        : `it is held by another process (pid ${holder.pid} on ${holder.host}, since ${holder.since})`;
    super(
      `the embedded database (PGlite) in ${dir} serves one process only, and ${who}. ` +
        "A second instance cannot wait as a hot standby on it: stop the other process first, or " +
        "move to a PostgreSQL server (set DATABASE_URL) for a hot standby.",
    );
  }
}

export interface DataDirLock {
  release(): void;
}

/** Folders this process holds: a second opener here is refused too (its own pid looks alive). */
const heldHere = new Set<string>();

function readHolder(path: string): { text: string; holder: LockHolder | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid === "number" && Number.isInteger(h.pid) && h.pid > 0)
      return { text, holder: { pid: h.pid, host: String(h.host), since: String(h.since) } };
  } catch {
    // unreadable: reported as such
  }
  return { text, holder: undefined };
}

function isAlive(pid: number): boolean {
  // Our own pid in a lock this process does not hold: a previous life (a container's pid 1).
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}

const aside = (path: string, what: string) =>
  `${path}.${what}.${process.pid}.${randomBytes(4).toString("hex")}`;

/** Moves a stale lock away, unless it changed since it was judged stale (then puts it back). */
function removeStale(path: string, staleText: string): void {
  const moved = aside(path, "stale");
  try {
    renameSync(path, moved);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // someone else removed it
    throw err;
  }
  if (readFileSync(moved, "utf8") !== staleText) {
    try {
      linkSync(moved, path); // a live holder's fresh lock: back where it was
    } catch {
      // a third process took the lock meanwhile; the retry will find it
    }
  }
  unlinkSync(moved);
}

/** Takes `dir`'s lock or throws DataDirBusy. */
export function lockDataDir(dir: string): DataDirLock {
  const path = join(dir, LOCK_FILE);
  if (heldHere.has(path))
    throw new DataDirBusy(dir, { pid: process.pid, host: hostname(), since: "earlier in this process" });
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 5; attempt++) {
    const tmp = aside(path, "new");
    writeFileSync(tmp, mine, { mode: 0o600 });
    try {
      linkSync(tmp, path);
      heldHere.add(path);
      return {
        release() {
          if (!heldHere.delete(path)) return;
          if (readHolder(path)?.text === mine) unlinkSync(path);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    } finally {
      unlinkSync(tmp);
    }
    const found = readHolder(path);
    if (found === undefined) continue; // released meanwhile
    if (found.holder === undefined || isAlive(found.holder.pid)) throw new DataDirBusy(dir, found.holder);
    removeStale(path, found.text);
  }
  throw new Error(`could not take the lock ${path}: it keeps changing`);
}
