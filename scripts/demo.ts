/**
 * `npm run demo [-- --keep]`: Tearline end to end on this machine, nothing to set up by hand.
 * Starts a local Synapse (the test harness: a cached virtualenv, no Docker), the bot as a child
 * process on the embedded database (PGlite in a temp folder; a fresh PostgreSQL database instead
 * when DATABASE_URL is set) and an officer ("Lt. Rojas", matrix-js-sdk with Rust
 * crypto), then plays a short conversation in an encrypted room and prints it as a transcript.
 * Without --keep everything is torn down at the end; with --keep it stays up for a Matrix client.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { formatDtg } from "../src/domain/dtg.ts";
import { BotProcess } from "../test/support/botProcess.ts";
import { baseDatabaseUrl, createTestDatabase } from "../test/support/database.ts";
import { registerUser, startHomeserver } from "../test/support/homeserver.ts";
import { Officer, type ReceivedEvent } from "../test/support/officer.ts";

const keep = process.argv.includes("--keep");
const onServer = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== "";
const OFFICER_NAME = "Lt. Rojas";
const REPLY_TIMEOUT_MS = 45_000;

const dim = (s: string): string => (process.stderr.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const note = (s: string): void => {
  process.stderr.write(`${dim(`· ${s}`)}\n`);
};
const print = (s = ""): void => {
  process.stdout.write(`${s}\n`);
};

const steps: { name: string; fn: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (let s = steps.pop(); s; s = steps.pop()) {
      try {
        await s.fn();
      } catch (err) {
        note(`cleanup: ${s.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    note(`${signal}: stopping the bot, the officer and Synapse, removing the demo database…`);
    void cleanup().finally(() => process.exit(keep ? 0 : 130));
  });
}

async function checkPostgres(): Promise<void> {
  const sql = postgres(baseDatabaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await sql`select 1`;
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${baseDatabaseUrl} (${err instanceof Error ? err.message : String(err)}).\n` +
        "Start PostgreSQL (or set DATABASE_URL to a server where you may create databases) and run again.",
    );
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function transcript(who: string, text: string): void {
  const [first = "", ...rest] = text.split("\n");
  const pad = " ".repeat(who.length + 2);
  print(`${bold(`${who}:`)} ${first}`);
  for (const line of rest) print(`${pad}${line}`);
}

function reactionKey(e: ReceivedEvent, commandId: string): string | undefined {
  const rel = e.content["m.relates_to"];
  if (e.type !== "m.reaction" || typeof rel !== "object" || rel === null) return undefined;
  const r = rel as Record<string, unknown>;
  return r.event_id === commandId && typeof r.key === "string" ? r.key : undefined;
}

/** A fresh PostgreSQL database if DATABASE_URL is set, else an embedded one in a temp folder. */
async function demoDatabase(): Promise<{ databaseUrl: string } | { dataDir: string }> {
  if (onServer) {
    await checkPostgres();
    const db = await createTestDatabase("demo");
    steps.push({ name: "drop the demo database", fn: () => db.drop() });
    note(`PostgreSQL database ${db.name} created and migrated`);
    return { databaseUrl: db.url };
  }
  const dataDir = join(mkdtempSync(join(tmpdir(), "tearline-demo-")), "data");
  steps.push({
    name: "remove the demo data",
    fn: async () => rmSync(join(dataDir, ".."), { recursive: true }),
  });
  note(`embedded database (PGlite) in ${dataDir}; no PostgreSQL needed`);
  return { dataDir };
}

async function main(): Promise<void> {
  const database = await demoDatabase();
  note("starting Synapse on 127.0.0.1 (the first run installs it into ~/.cache/tearline: a minute or two)");
  const hs = await startHomeserver({ log: note });
  steps.push({ name: "stop Synapse", fn: () => hs.stop() });

  const botUser = await registerUser(hs, "tearline");
  const password = `rojas-${randomBytes(4).toString("hex")}`;
  const rojas = await registerUser(hs, "rojas", { password });
  const officer = await Officer.login(hs, rojas.userId, password);
  steps.push({ name: "stop the officer", fn: () => officer.stop() });
  note(`${OFFICER_NAME} is ${officer.userId}; the bot is ${botUser.userId}`);

  const config = {
    partners: { COL: { name: "Colombian Navy" }, USA: { name: "US Coast Guard" } },
    rooms: {},
    roster: { [officer.userId]: { partner: "COL", roles: ["liaison", "duty_officer"], name: OFFICER_NAME } },
  };
  const bot = BotProcess.start({
    homeserverUrl: hs.url,
    ...database,
    account: { userId: botUser.userId, password: botUser.password },
    config,
    passphrase: randomBytes(16).toString("hex"),
  });
  steps.push({ name: "stop the bot", fn: () => bot.stop() });
  try {
    await bot.ready();
  } catch (err) {
    print(bot.lines.slice(-20).join("\n"));
    throw err;
  }
  note(
    `bot started (logged in, crypto store in the ${onServer ? "PostgreSQL" : "embedded"} database, first sync done)`,
  );

  const room = await officer.createRoom({ encrypted: true, invite: [botUser.userId], name: "Tearline demo" });
  await officer.waitForMembership(room, botUser.userId, "join");
  note(`encrypted room ${room} created; the bot accepted the invite`);
  print();

  const ask = async (text: string): Promise<string> => {
    transcript(OFFICER_NAME, text);
    const id = await officer.send(room, text);
    const reply = await officer.waitForMessage(
      room,
      (m) => m.sender === botUser.userId && m.replyTo === id,
      REPLY_TIMEOUT_MS,
    );
    const reaction = await officer
      .waitForEvent(room, (e) => e.sender === botUser.userId && reactionKey(e, id) !== undefined, 5_000)
      .then((e) => reactionKey(e, id))
      .catch(() => undefined);
    transcript("Tearline", `${reply.body}${reaction ? `   [reacted ${reaction}]` : ""}`);
    print();
    return reply.body;
  };

  const help = await ask("!help");
  await ask("!status");
  if (/^!sight\b/m.test(help)) {
    await ask(`!sight vessel 12.51,-79.20 "GO FAST 1" time=${formatDtg(new Date())} -- demo`);
    await ask("!sightings");
  } else {
    note("!sight is not in the bot's command list yet (commands/index.ts): skipping the sighting");
  }
  note("every message above was end-to-end encrypted (Megolm); the bot's keys live in its database");

  if (!keep) {
    note("tearing down (run `npm run demo -- --keep` to keep it up and log in yourself)");
    await cleanup();
    return;
  }
  print("The demo is still running. Log in with a Matrix client (Element Desktop, or app.element.io):");
  print(`  Homeserver: ${hs.url}`);
  print(`  User:       ${officer.userId}   (username "rojas")`);
  print(`  Password:   ${password}`);
  print(`  Room:       "Tearline demo" (${room})`);
  print("Messages from before your login will not decrypt on the new device (no key backup);");
  print("send !help to see the bot answer it. Press Ctrl-C to stop everything and clean up.");
  await officer.stop(); // the human takes over as Lt. Rojas
  await new Promise<never>(() => {
    setInterval(() => {}, 1 << 30); // stay alive until a signal
  });
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    await cleanup();
    process.exit(1);
  },
);
