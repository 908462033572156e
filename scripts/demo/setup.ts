/**
 * The demo's stage: a local Synapse, the bot's database (embedded PGlite in a fresh temp folder, or
 * a fresh PostgreSQL database when DATABASE_URL is set), four officers of three partners as real
 * matrix-js-sdk clients, two encrypted rooms made by a room admin and configured by id, and the bot
 * as a child process with a sharing rule from col-usa to usa-jtf.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { connectPostgres } from "../../src/db/client.ts";
import { roomsByAdmin } from "../../test/support/alerts.ts";
import { BotProcess, buildBot } from "../../test/support/botProcess.ts";
import { baseDatabaseUrl, createTestDatabase } from "../../test/support/database.ts";
import { type Homeserver, registerUser, startHomeserver } from "../../test/support/homeserver.ts";
import { Officer } from "../../test/support/officer.ts";
import { onCleanup } from "./cleanup.ts";
import { note } from "./transcript.ts";

export type RoomAlias = "col-usa" | "usa-jtf";

export interface Person {
  officer: Officer;
  /** How the transcript names them: `Lt. Rojas (COL)`. */
  label: string;
  name: string;
  localpart: string;
}

export interface Stage {
  hs: Homeserver;
  bot: BotProcess;
  botId: string;
  rooms: Record<RoomAlias, string>;
  rojas: Person;
  hale: Person;
  diaz: Person;
  moreno: Person;
}

const CAST = {
  rojas: { name: "Lt. Rojas", partner: "COL", roles: ["liaison"] },
  hale: { name: "Cdr. Hale", partner: "USA", roles: ["duty_officer", "approver"] },
  diaz: { name: "Maj. Diaz", partner: "JTF", roles: ["duty_officer"] },
  moreno: { name: "Capt. Moreno", partner: "COL", roles: ["commander"] },
} as const;

export const onServer = (process.env.DATABASE_URL ?? "") !== "";

async function checkPostgres(): Promise<void> {
  const sql = connectPostgres(baseDatabaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await sql`select 1`;
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${baseDatabaseUrl} (${err instanceof Error ? err.message : String(err)}).\n` +
        "Unset DATABASE_URL to use the embedded database, or start PostgreSQL, and run again.",
    );
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** A fresh PostgreSQL database if DATABASE_URL is set, else an embedded one in a temp folder. */
async function demoDatabase(): Promise<{ databaseUrl: string } | { dataDir: string }> {
  if (onServer) {
    await checkPostgres();
    const db = await createTestDatabase("demo");
    onCleanup("drop the demo database", () => db.drop());
    note(`PostgreSQL database ${db.name} created and migrated`);
    return { databaseUrl: db.url };
  }
  const dataDir = join(mkdtempSync(join(tmpdir(), "tearline-demo-")), "data");
  onCleanup("remove the demo data", async () =>
    rmSync(join(dataDir, ".."), { recursive: true, force: true }),
  );
  note(`embedded database (PGlite) in ${dataDir}; no PostgreSQL needed`);
  return { dataDir };
}

async function homeserver(): Promise<Homeserver> {
  const cache = process.env.TEARLINE_CACHE ?? join(homedir(), ".cache", "tearline");
  const installed = existsSync(
    join(cache, `synapse-${process.env.SYNAPSE_VERSION ?? "1.163.2"}`, ".installed"),
  );
  if (!installed) note(`installing Synapse into ${cache} (first run only, a minute or two)…`);
  note("starting Synapse on 127.0.0.1…");
  const hs = await startHomeserver({ log: note });
  onCleanup("stop Synapse", () => hs.stop());
  return hs;
}

async function person(hs: Homeserver, localpart: keyof typeof CAST): Promise<Person> {
  const { name, partner } = CAST[localpart];
  const user = await registerUser(hs, localpart, {
    password: `${localpart}-${randomBytes(4).toString("hex")}`,
  });
  const officer = await Officer.login(hs, user.userId, user.password);
  onCleanup(`stop ${name}'s client`, () => officer.stop());
  return { officer, name, label: `${name} (${partner})`, localpart };
}

export async function setUp(): Promise<Stage> {
  const database = await demoDatabase();
  const hs = await homeserver();
  const botUser = await registerUser(hs, "tearline");
  const [rojas, hale, diaz, moreno] = await Promise.all([
    person(hs, "rojas"),
    person(hs, "hale"),
    person(hs, "diaz"),
    person(hs, "moreno"),
  ]);
  const ids = await roomsByAdmin(hs, botUser.userId, {
    "col-usa": [rojas.officer, hale.officer, moreno.officer],
    "usa-jtf": [hale.officer, diaz.officer],
  });
  const rooms = { "col-usa": ids["col-usa"] ?? "", "usa-jtf": ids["usa-jtf"] ?? "" };
  note(
    `encrypted rooms col-usa (${rooms["col-usa"]}) and usa-jtf (${rooms["usa-jtf"]}) created by a room admin`,
  );

  const people = { rojas, hale, diaz, moreno };
  const config = {
    partners: {
      COL: { name: "Colombian Navy" },
      USA: { name: "US Coast Guard" },
      JTF: { name: "Joint Task Force" },
    },
    rooms: {
      "col-usa": {
        room: rooms["col-usa"],
        partners: ["COL", "USA"],
        digest: { cron: "0 6 * * *", tz: "America/Bogota" },
      },
      "usa-jtf": { room: rooms["usa-jtf"], partners: ["USA", "JTF"] },
    },
    roster: Object.fromEntries(
      Object.entries(people).map(([key, p]) => {
        const c = CAST[key as keyof typeof CAST];
        return [p.officer.userId, { partner: c.partner, roles: [...c.roles], name: c.name }];
      }),
    ),
    sharing: [
      {
        from: "col-usa",
        to: "usa-jtf",
        kinds: ["sighting", "rfi", "text"],
        max_tlp: "amber",
        approval: { role: "approver", count: 1, not_requester: true, expires: "24h" },
        redact: ["reporter", "remarks"],
        position_precision: "10km",
      },
    ],
  };
  // Passed through so a run with PGHOST/PGPORT at a dead port proves the bot never needs PostgreSQL.
  const pg = Object.fromEntries(
    ["PGHOST", "PGPORT"].flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])),
  );
  note("building the bot (npm run build)…");
  buildBot();
  note("starting the bot (node dist/src/main.js run)…");
  const bot = BotProcess.start({
    homeserverUrl: hs.url,
    ...database,
    account: { userId: botUser.userId, password: botUser.password },
    config,
    passphrase: randomBytes(16).toString("hex"),
    env: pg,
  });
  onCleanup("stop the bot", () => bot.stop());
  try {
    await bot.ready(180_000);
  } catch (err) {
    process.stderr.write(`${bot.lines.slice(-20).join("\n")}\n`);
    throw err;
  }
  const dbLine = bot.lines.find((l) => l.includes('"msg":"database:'));
  const dbMsg = dbLine ? (JSON.parse(dbLine) as { msg: string }).msg : "database: (no log line)";
  note(`bot started as ${botUser.userId} · ${dbMsg}`);
  await Promise.all([
    rojas.officer.waitForMembership(rooms["col-usa"], botUser.userId, "join", 60_000),
    diaz.officer.waitForMembership(rooms["usa-jtf"], botUser.userId, "join", 60_000),
  ]);
  note("the bot joined both rooms (they are in its config by id)");
  return { hs, bot, botId: botUser.userId, rooms, ...people };
}
