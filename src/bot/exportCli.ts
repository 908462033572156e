/**
 * `tearline export --room <key> --format cot|stix|csv [--since 24h] [--kind …] [--near … --radius …]
 * [--out file]`: the same file `!export` posts, for the operator — read from the database, written
 * to `--out` (or stdout), and audited as `export.created` like the chat command.
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { composeExport, parseExportArgs } from "../../commands/export.ts";
import { formatConfigErrors, loadConfig } from "../config/load.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { DataDirBusy } from "../db/dataDirLock.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { sightingRepo } from "../db/queries/sightings.ts";
import { configFacts } from "./configDirectory.ts";
import { formatError } from "./effects.ts";

export const EXPORT_USAGE =
  "usage: tearline export --room <key> --format cot|stix|csv [--since 24h] [--kind vessel] [--near <position> --radius 25nm] [--out file]";

/** Who the audit log names for an export from the command line. */
export const CLI_ACTOR = "tearline export (command line)";

export interface ExportCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now: () => Date;
}

const defaultIo: ExportCliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  now: () => new Date(),
};

export async function exportCli(
  argv: readonly string[],
  env: { databaseUrl: string | undefined; dataDir: string; configPath: string },
  io: ExportCliIo = defaultIo,
): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        room: { type: "string" },
        format: { type: "string" },
        since: { type: "string" },
        kind: { type: "string" },
        near: { type: "string" },
        radius: { type: "string" },
        out: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
  } catch (e) {
    io.stderr(`${e instanceof Error ? e.message : String(e)}\n${EXPORT_USAGE}\n`);
    return 2;
  }
  const { room, format, out, ...filters } = values;
  if (room === undefined || format === undefined) {
    io.stderr(`--room and --format are required.\n${EXPORT_USAGE}\n`);
    return 2;
  }
  const options = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  const args = parseExportArgs({ name: "export", positional: [format], options, rest: null });
  if (!args.ok) {
    io.stderr(`${formatError(args.error)}\n${EXPORT_USAGE}\n`);
    return 2;
  }
  const loaded = await loadConfig(env.configPath);
  if (!loaded.ok) {
    io.stderr(`${formatConfigErrors(loaded.errors)}\n`);
    return 2;
  }
  const facts = configFacts(loaded.config);
  const roomFacts = facts.rooms[room];
  if (roomFacts === undefined) {
    io.stderr(`"${room}" is not a room of ${env.configPath}: ${Object.keys(facts.rooms).join(", ")}.\n`);
    return 2;
  }
  let database: Database;
  try {
    database = await openDatabase(env, { max: 1 });
  } catch (err) {
    if (!(err instanceof DataDirBusy)) throw err;
    io.stderr(`tearline export: ${err.message}\n`);
    return 1;
  }
  try {
    const now = io.now();
    const { file, total } = await composeExport(sightingRepo(database.db), {
      roomId: roomFacts.roomId,
      room,
      partners: facts.partners,
      args: args.value,
      now,
    });
    await database.db.transaction((tx) =>
      appendAudit(
        tx,
        [
          {
            actor: CLI_ACTOR,
            action: "export.created",
            roomId: roomFacts.roomId,
            detail: {
              format: file.format,
              count: file.count,
              total,
              since: args.value.filters.since.text,
              via: "cli",
            },
          },
        ],
        now,
      ),
    );
    if (out === undefined) io.stdout(file.text);
    else await writeFile(out, file.text, { mode: 0o600 });
    const capped = total > file.count ? ` (the newest ${file.count} of ${total})` : "";
    io.stderr(
      `${file.count} sightings of ${room}${capped} as ${file.format}${out === undefined ? "" : ` → ${out}`}\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
