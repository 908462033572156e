/**
 * `npm run demo [-- --keep]`: Tearline end to end on this machine, nothing to set up by hand.
 * Starts a local Synapse (the test harness: a cached virtualenv, no Docker), the bot as a child
 * process on the embedded database (PGlite in a fresh temp folder; a fresh PostgreSQL database
 * instead when DATABASE_URL is set) and four officers of three partners (matrix-js-sdk with Rust
 * crypto), then plays the story in scripts/demo/story.ts and prints each room's conversation.
 * Without --keep everything is torn down at the end; with --keep it stays up for a Matrix client.
 */
import { cleanup } from "./demo/cleanup.ts";
import { setUp, type Stage } from "./demo/setup.ts";
import { playStory } from "./demo/story.ts";
import { note, print } from "./demo/transcript.ts";

const keep = process.argv.includes("--keep");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    note(`${signal}: stopping the bot, the officers and Synapse, removing the demo data…`);
    void cleanup().finally(() => process.exit(keep ? 0 : 130));
  });
}

function printLogins(st: Stage): void {
  print("The demo is still running. Log in with any Matrix client (Element Desktop, or app.element.io):");
  print(`  Homeserver: ${st.hs.url}`);
  for (const p of [st.rojas, st.hale, st.diaz, st.moreno])
    print(
      `  ${p.label.padEnd(20)} user ${p.officer.userId} (username "${p.localpart}")  password ${p.officer.password}`,
    );
  print(`  Rooms: col-usa ${st.rooms["col-usa"]}, usa-jtf ${st.rooms["usa-jtf"]}`);
  print("Messages from before your login will not decrypt on the new device (no key backup);");
  print("send !help to see the bot answer it. Press Ctrl-C to stop everything and clean up.");
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const st = await setUp();
  const { shown, encrypted } = await playStory(st);
  if (encrypted !== shown)
    throw new Error(`${shown - encrypted} of the bot's ${shown} messages came unencrypted`);
  note(
    `all ${shown} of the bot's messages above arrived end-to-end encrypted (Megolm); ${Math.round((Date.now() - t0) / 1000)} s in all`,
  );
  if (!keep) {
    note("tearing down (run `npm run demo -- --keep` to keep it up and log in yourself)");
    await cleanup();
    return;
  }
  printLogins(st);
  await Promise.all([st.rojas, st.hale, st.diaz, st.moreno].map((p) => p.officer.stop())); // humans take over
  await new Promise<never>(() => {
    setInterval(() => {}, 1 << 30); // stay alive until a signal
  });
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    await cleanup();
    process.exit(1);
  },
);
