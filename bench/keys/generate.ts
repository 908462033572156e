/**
 * A year of keys, made for real by crypto-wasm OlmMachines: every week `SESSIONS_PER_WEEK` new
 * Megolm sessions appear, round-robin over 200 rooms. Most are created by a sending OlmMachine
 * (one per week, memory store), exported and imported into the bot's OlmMachine with
 * `importExportedRoomKeys` (the bulk: real inbound group sessions written by the wasm into its
 * IndexedDB store, journaled and flushed to PostgreSQL as in production, without paying an Olm
 * round per session). `SAMPLES_PER_WEEK` of them instead come from 20 officers × 2 devices over
 * real Olm (to-device `m.room_key` through `receiveSyncChanges`), each with one message encrypted
 * by its sender and kept, so a later run can decrypt messages from old and new sessions.
 */
import {
  DeviceId,
  EncryptionSettings,
  initAsync,
  OlmMachine,
  RoomId,
  UserId,
} from "@matrix-org/matrix-sdk-crypto-wasm";
import type { Database } from "../../src/db/client.ts";
import { cryptoStorePersistence } from "../../src/db/queries/cryptoStore.ts";
import { createLogger } from "../../src/log.ts";
import { CRYPTO_STORE_PREFIX, DurableCryptoStore } from "../../src/matrix/cryptoStore.ts";
import {
  BOT_DEVICE,
  BOT_USER,
  FakeKeyServer,
  officerOf,
  roomIdOf,
  type ToDeviceEvent,
} from "../../test/support/keyExchange.ts";
import type { SampleEvent } from "./sample.ts";

export type { SampleEvent };

export const ROOMS = 200;
/** The bot tracks this many officers (their device lists are asked for)… */
export const OFFICERS = 400;
/** …of whom these many have real devices (2 each) that deliver keys over Olm. */
export const OLM_OFFICERS = 20;
export const DEVICES_PER_OFFICER = 2;
/** 30,000 sessions in 52 weeks. */
export const SESSIONS_PER_WEEK = 577;
export const SAMPLES_PER_WEEK = 6;
export const PASSPHRASE = "bench passphrase";

export interface Generator {
  sessions: number;
  week: number;
  samples: SampleEvent[];
  /** Adds sessions until `total` exist; calls `aged(week)` after each week is flushed. */
  grow(total: number, aged: (week: number) => Promise<void>): Promise<void>;
  close(): void;
}

export async function openGenerator(database: Database, say: (s: string) => void): Promise<Generator> {
  await initAsync();
  const log = createLogger("error", {}, () => {});
  const store = await DurableCryptoStore.open(cryptoStorePersistence(database.db), log);
  const server = new FakeKeyServer();
  const bot = await OlmMachine.initialize(
    new UserId(BOT_USER),
    new DeviceId(BOT_DEVICE),
    CRYPTO_STORE_PREFIX,
    PASSPHRASE,
  );
  await server.pump(bot);
  await store.flush();
  const senders: OlmMachine[] = [];
  for (let o = 0; o < OLM_OFFICERS; o++)
    for (let d = 0; d < DEVICES_PER_OFFICER; d++) {
      const m = await OlmMachine.initialize(new UserId(officerOf(o)), new DeviceId(`DEV${o}X${d}`));
      await server.pump(m);
      await m.updateTrackedUsers([new UserId(BOT_USER)]);
      await server.pump(m);
      senders.push(m);
    }
  // The bot tracks every officer, as it would its rooms' members.
  await bot.updateTrackedUsers(Array.from({ length: OFFICERS }, (_, o) => new UserId(officerOf(o))));
  await server.pump(bot);
  await store.flush();
  say(`key exchange set up: ${senders.length} Olm sender devices`);

  const room = (n: number): string => roomIdOf(n % ROOMS);
  const g: Generator = {
    sessions: 0,
    week: 0,
    samples: [],
    async grow(total, aged) {
      while (g.sessions < total) {
        const inWeek = Math.min(SESSIONS_PER_WEEK, total - g.sessions);
        const samples = Math.min(SAMPLES_PER_WEEK, inWeek);
        const bulk = await OlmMachine.initialize(
          new UserId(officerOf(OFFICERS + g.week)),
          new DeviceId("BULK"),
        );
        try {
          for (let k = samples; k < inWeek; k++) {
            const roomId = room(g.sessions + k);
            const settings = new EncryptionSettings();
            await bulk.shareRoomKey(new RoomId(roomId), [], settings);
            settings.free();
            await bulk.invalidateGroupSession(new RoomId(roomId));
          }
          if (inWeek > samples)
            await bot.importExportedRoomKeys(await bulk.exportRoomKeys(() => true), () => {});
        } finally {
          bulk.close();
        }
        await store.flush();
        const toDevice: ToDeviceEvent[] = [];
        for (let k = 0; k < samples; k++) {
          const n = g.sessions + k;
          const sender = senders[(g.week * SAMPLES_PER_WEEK + k) % senders.length];
          if (!sender) throw new Error("no sender");
          const roomId = room(n);
          if (server.oneTimeKeys.length < 2) await server.deliver(bot, []);
          toDevice.push(...(await server.share(sender, roomId)));
          const content = JSON.parse(
            await sender.encryptRoomEvent(
              new RoomId(roomId),
              "m.room.message",
              JSON.stringify({ msgtype: "m.text", body: `!status ${n}` }),
            ),
          ) as Record<string, unknown>;
          g.samples.push({
            week: g.week,
            roomId,
            sessionId: String(content.session_id),
            event: {
              type: "m.room.encrypted",
              sender: sender.userId.toString(),
              event_id: `$s${n}`,
              origin_server_ts: Date.now(),
              room_id: roomId,
              content,
            },
          });
          await sender.invalidateGroupSession(new RoomId(roomId));
        }
        await server.deliver(bot, toDevice);
        await store.flush();
        g.sessions += inWeek;
        await aged(g.week);
        g.week++;
        if (g.week % 10 === 0) say(`week ${g.week}: ${g.sessions} sessions`);
      }
    },
    close() {
      for (const m of senders) m.close();
      bot.close();
      store.close();
    },
  };
  return g;
}
