/**
 * The measured process (spawned by bench/keys/run.ts): the bot's crypto start-up over a
 * database made by generate.ts, then its first sync, then a steady stretch. Prints one JSON line.
 *
 *   node dist/bench/keys/start.js <database url> <samples.json> <user> <device> <passphrase>
 *
 * It is compiled with the bot (tsconfig.build.json) and imports only the bot's modules, so its
 * start is the compiled bot's, with no TypeScript loader in the process.
 *
 * "First sync processed" = process start (performance.now() counts from it) → modules loaded,
 * DurableCryptoStore.open, CryptoEngine.open, receiveSync of the first /sync, every timeline event
 * of it decrypted, the store flushed. The homeserver's answers to the crypto requests are stubbed
 * (its work is not the bot's); what the bot does with its store is all real.
 */
import { readFileSync } from "node:fs";
import type { MatrixApi, RawEvent, SyncResponse } from "../../src/matrix/api.ts";
import type { SampleEvent } from "./sample.ts";

const [url, samplesFile, botUser, botDevice, passphrase] = process.argv.slice(2);
if (!url || !samplesFile || !botUser || !botDevice || !passphrase)
  throw new Error("usage: start.js <database url> <samples.json> <user> <device> <passphrase>");
const bot = { userId: botUser, deviceId: botDevice, passphrase };

interface Plan {
  firstSync: SampleEvent[];
  steady: SampleEvent[][];
}

const api = {
  keysUpload: async () => ({ one_time_key_counts: { signed_curve25519: 50 } }),
  keysQuery: async () => ({ device_keys: {}, failures: {} }),
  keysClaim: async () => ({ one_time_keys: {}, failures: {} }),
  sendToDevice: async () => ({}),
  signaturesUpload: async () => ({ failures: {} }),
} as unknown as MatrixApi;

/** A /sync as Synapse sends it to a device whose keys are all uploaded. */
const sync = (next: string): SyncResponse => ({
  next_batch: next,
  to_device: { events: [] },
  device_one_time_keys_count: { signed_curve25519: 50 },
  device_unused_fallback_key_types: ["signed_curve25519"],
});

const rss = (): number => process.memoryUsage().rss;
/** CPU milliseconds (user + system) of this process so far. */
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

async function main(): Promise<void> {
  // Everything the bot process loads, so its baseline memory is in the figures.
  await import("../../src/bot/bot.ts");
  const { openPostgres } = await import("../../src/db/client.ts");
  const { cryptoStorePersistence } = await import("../../src/db/queries/cryptoStore.ts");
  const { createLogger } = await import("../../src/log.ts");
  const { DurableCryptoStore } = await import("../../src/matrix/cryptoStore.ts");
  const { CryptoEngine } = await import("../../src/matrix/crypto.ts");
  const plan = JSON.parse(readFileSync(samplesFile as string, "utf8")) as Plan;
  const modulesMs = performance.now();
  const modulesCpuMs = cpuMs();
  const log = createLogger("error", {}, () => {});
  const database = openPostgres(url as string);
  const store = await DurableCryptoStore.open(cryptoStorePersistence(database.db), log);
  const storeMs = performance.now();
  const storeCpuMs = cpuMs();
  const crypto = await CryptoEngine.open({
    ...bot,
    api,
    store,
    log,
    trust: { onlyCrossSigned: false, ignoreUnverified: false },
  });
  const machineMs = performance.now();
  const failed: string[] = [];
  const decryptAll = async (events: SampleEvent[]): Promise<void> => {
    for (const s of events) {
      const res = await crypto.decrypt(s.roomId, s.event as RawEvent);
      if (!res.ok) failed.push(`${s.week}:${res.reason}`);
    }
  };
  await crypto.receiveSync(sync("s1"));
  await decryptAll(plan.firstSync);
  await store.flush();
  const firstSyncMs = performance.now();
  const firstSyncCpuMs = cpuMs();
  const firstSyncRss = rss();
  let steadyRss = 0;
  for (const round of plan.steady) {
    await crypto.receiveSync(sync("s2"));
    await decryptAll(round);
    await store.flush();
    steadyRss = Math.max(steadyRss, rss());
  }
  const out = {
    modulesMs,
    modulesCpuMs,
    storeMs,
    storeCpuMs,
    machineMs,
    firstSyncMs,
    firstSyncCpuMs,
    firstSyncRss,
    steadyRss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    heapUsed: process.memoryUsage().heapUsed,
    decrypted: plan.firstSync.length + plan.steady.flat().length - failed.length,
    failed,
  };
  crypto.close();
  store.close();
  await database.close();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
