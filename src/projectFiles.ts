import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's folder: the nearest one above this file that holds package.json. Run from source
 * this file is src/projectFiles.ts, compiled it is dist/src/projectFiles.js (dist/ has no
 * package.json), so both find the same folder, with migrations/ beside package.json.
 */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

const root = projectRoot();

/** A file or folder of the project, by its path from the project's folder. */
export function projectFile(relative: string): string {
  return join(root, relative);
}
