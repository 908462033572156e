/**
 * The sync loop against events no Synapse client would send (a federated server can): times no
 * Date can hold, member ids the crypto binding refuses. The real OlmMachine runs in-process over an
 * API stand-in; nothing may throw out of syncOnce, and the token must advance.
 */
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/log.ts";
import { type MatrixApi, SyncResponse } from "../../src/matrix/api.ts";
import { CryptoEngine } from "../../src/matrix/crypto.ts";
import { RoomRegistry } from "../../src/matrix/rooms.ts";
import { type SyncHandler, SyncLoop, type TimelineItem } from "../../src/matrix/sync.ts";

const BOT = "@tearline:example.org";
const ROOM = "!colusa:example.org";
const BAD_IDS = ["not-a-user", "@", "@x:", `@${"a".repeat(300)}:example.org`];
const GOOD = ["@lo.col:example.org", "@do.usa:example.org"];

/** Answers the crypto requests the machine makes: nobody has devices, every upload is fine. */
function cryptoApi(): { api: MatrixApi; queried: string[][] } {
  const queried: string[][] = [];
  const api = {
    keysUpload: async () => ({ one_time_key_counts: { signed_curve25519: 50 } }),
    keysQuery: async (body: { device_keys: Record<string, unknown> }) => {
      queried.push(Object.keys(body.device_keys));
      return { device_keys: {}, failures: {} };
    },
    keysClaim: async () => ({ one_time_keys: {}, failures: {} }),
    sendToDevice: async () => ({}),
    signaturesUpload: async () => ({ failures: {} }),
  } as unknown as MatrixApi;
  return { api, queried };
}

let seq = 0;
async function engine(warnings: string[] = []) {
  // A fresh IndexedDB per engine: the machine's store is named the same for every device.
  globalThis.indexedDB = new IDBFactory();
  const { api, queried } = cryptoApi();
  const log = createLogger("warn", {}, (line) => warnings.push(line));
  const crypto = await CryptoEngine.open({
    userId: BOT,
    deviceId: `DEV${++seq}`,
    passphrase: "p",
    api,
    store: { flush: async () => 0 },
    log,
    trust: { onlyCrossSigned: false, ignoreUnverified: false },
  });
  return { crypto, queried, log };
}

async function tracked(crypto: CryptoEngine): Promise<string[]> {
  const users = await crypto.machine.trackedUsers();
  return [...users].map((u) => u.toString()).sort();
}

describe("member ids the crypto binding refuses", () => {
  it("are skipped with a warning while the room's other members are tracked", async () => {
    const warnings: string[] = [];
    const { crypto } = await engine(warnings);
    await crypto.trackUsers([GOOD[0] as string, ...BAD_IDS, GOOD[1] as string]);
    expect(await tracked(crypto)).toEqual(expect.arrayContaining(GOOD));
    for (const bad of BAD_IDS) expect(await tracked(crypto)).not.toContain(bad);
    expect(warnings.filter((w) => w.includes("skipping an invalid user id"))).toHaveLength(BAD_IDS.length);
    crypto.close();
  });

  it("do not keep the room from being encrypted for the others", async () => {
    const { crypto } = await engine();
    const members = [BOT, ...BAD_IDS, ...GOOD];
    const content = await crypto.encrypt(ROOM, "m.room.message", { body: "S-1" }, members, "shared");
    expect(content.algorithm).toBe("m.megolm.v1.aes-sha2");
    expect(typeof content.ciphertext).toBe("string");
    crypto.close();
  });

  it("in device-list changes do not fail the sync's crypto step", async () => {
    const { crypto } = await engine();
    const res = SyncResponse.parse({
      next_batch: "s1",
      device_lists: { changed: [...BAD_IDS, ...GOOD], left: ["@"] },
    });
    await expect(crypto.receiveSync(res)).resolves.toBeUndefined();
    crypto.close();
  });
});

function handler(token?: string) {
  const calls = { timeline: [] as TimelineItem[][], saved: [] as string[] };
  const h: SyncHandler = {
    onInvite: async () => {},
    onJoined: async () => {},
    onTimeline: async (items) => {
      calls.timeline.push(items);
    },
    knownEvents: async () => new Set(),
    loadToken: async () => token,
    saveProgress: async (_marks, t) => {
      calls.saved.push(t);
    },
    loadMark: async () => undefined,
    onGap: async () => {},
  };
  return { h, calls };
}

describe("a sync with events that could stall the loop", () => {
  it("handles them, tracks the valid members, and saves the token", async () => {
    const { crypto, log, queried } = await engine();
    const member = (id: string) => ({
      type: "m.room.member",
      event_id: `$m-${id.length}-${id.slice(0, 5)}`,
      sender: id,
      state_key: id,
      origin_server_ts: 1_800_000_000_000,
      content: { membership: "join" },
    });
    const raw = {
      next_batch: "s2",
      rooms: {
        join: {
          [ROOM]: {
            state: {
              events: [
                {
                  type: "m.room.encryption",
                  state_key: "",
                  event_id: "$enc",
                  content: { algorithm: "m.megolm.v1.aes-sha2" },
                },
              ],
            },
            timeline: {
              events: [
                ...[...BAD_IDS, ...GOOD].map(member),
                ...[2 ** 53 - 1, -(2 ** 53) + 1, "__1e400__", "soon", null].map((ts, i) => ({
                  type: "m.room.message",
                  event_id: `$odd${i}`,
                  sender: GOOD[0],
                  origin_server_ts: ts,
                  content: { msgtype: "m.text", body: "!status" },
                })),
              ],
            },
          },
        },
      },
    };
    // What the homeserver's JSON becomes: 1e400 parses as Infinity.
    const res = SyncResponse.parse(JSON.parse(JSON.stringify(raw).replace('"__1e400__"', "1e400")));
    const api = { sync: async () => res, messages: async () => ({ chunk: [] }) } as unknown as MatrixApi;
    const { h, calls } = handler("s1");
    const loop = new SyncLoop(api, crypto, new RoomRegistry(api), h, BOT, log, {
      timelineLimit: 50,
      pollTimeoutMs: 0,
      maxBackfill: 100,
    });
    await expect(loop.syncOnce("s1")).resolves.toBe("s2");
    expect(calls.saved).toEqual(["s2"]);
    expect(calls.timeline.flat().map((i) => i.event.event_id)).toEqual([
      "$odd0",
      "$odd1",
      "$odd2",
      "$odd3",
      "$odd4",
    ]);
    expect(await tracked(crypto)).toEqual(expect.arrayContaining(GOOD));
    expect(queried.flat()).toEqual(expect.arrayContaining(GOOD));
    crypto.close();
  });
});

describe("a sync with nothing to act on", () => {
  it("leaves the saved token where it is, and the next save carries its marks", async () => {
    const { crypto, log } = await engine();
    const event = (id: string, sender: string) => ({
      type: "m.room.message",
      event_id: id,
      sender,
      origin_server_ts: 1_800_000_000_000,
      content: { msgtype: "m.text", body: "!status" },
    });
    const syncs = [
      // The officer's command: acted on, saved.
      {
        next_batch: "s2",
        rooms: { join: { [ROOM]: { timeline: { events: [event("$cmd", GOOD[0] as string)] } } } },
      },
      // The bot's own reply and reaction coming back: nothing to act on.
      { next_batch: "s3", rooms: { join: { [ROOM]: { timeline: { events: [event("$reply", BOT)] } } } } },
      { next_batch: "s4" },
      // A room key arriving is not quiet.
      { next_batch: "s5", to_device: { events: [{ type: "m.dummy", sender: GOOD[0], content: {} }] } },
    ].map((r) => SyncResponse.parse(r));
    let next = 0;
    const api = {
      sync: async () => syncs[next++],
      messages: async () => ({ chunk: [] }),
    } as unknown as MatrixApi;
    const saved: { token: string; marks: string[] }[] = [];
    const { h } = handler("s1");
    h.saveProgress = async (marks, token) => {
      saved.push({ token, marks: [...marks.values()].map((m) => m.eventId) });
    };
    const loop = new SyncLoop(api, crypto, new RoomRegistry(api), h, BOT, log, {
      timelineLimit: 50,
      pollTimeoutMs: 0,
      maxBackfill: 100,
    });
    let since = "s1";
    for (let i = 0; i < syncs.length; i++) since = await loop.syncOnce(since);
    expect(since).toBe("s5");
    expect(saved).toEqual([
      { token: "s2", marks: ["$cmd"] },
      { token: "s5", marks: ["$reply"] },
    ]);
    crypto.close();
  });
});

/**
 * Answers two /syncs (the first with `first` in it), noting each in `calls`; a third waits until
 * the loop is stopped.
 */
function twoSyncs(calls: string[], first: object = {}): MatrixApi {
  return {
    joinedRooms: async () => [],
    sync: async (p: { since?: string; signal?: AbortSignal }) => {
      calls.push(`sync ${p.since}`);
      const n = calls.filter((c) => c.startsWith("sync")).length;
      if (n > 2) await new Promise((r) => p.signal?.addEventListener("abort", r));
      return SyncResponse.parse({ next_batch: `s${n + 1}`, ...(n === 1 ? first : {}) });
    },
    messages: async () => ({ chunk: [] }),
  } as unknown as MatrixApi;
}

/** A loop over `api` whose settle is logged in `calls` and then waits for `wait`. */
async function settlingLoop(
  api: MatrixApi,
  calls: string[],
  timelineLimit: number,
  wait: () => Promise<void>,
) {
  const { crypto, log } = await engine();
  const { h } = handler("s1");
  const loop = new SyncLoop(api, crypto, new RoomRegistry(api), h, BOT, log, {
    timelineLimit,
    pollTimeoutMs: 0,
    maxBackfill: 100,
    settle: () => {
      calls.push("settle");
      return wait();
    },
  });
  return { loop, crypto };
}

describe("between two syncs", () => {
  it("waits for settle (the bot's replies to the batch just handled) before the next /sync", async () => {
    const calls: string[] = [];
    let release: () => void = () => {};
    const { loop, crypto } = await settlingLoop(
      twoSyncs(calls),
      calls,
      50,
      () =>
        new Promise((r) => {
          release = r;
        }),
    );
    loop.start();
    await vi.waitFor(() => expect(calls).toEqual(["sync s1", "settle"]));
    await new Promise((r) => setTimeout(r, 50));
    expect(calls).toEqual(["sync s1", "settle"]); // no second /sync while settling
    release();
    await vi.waitFor(() => expect(calls).toEqual(["sync s1", "settle", "sync s2", "settle"]));
    // stop() is not held up by a settle still waiting.
    await loop.stop();
    crypto.close();
  });

  it("does not wait after a sync whose timeline came back full: more is waiting", async () => {
    const calls: string[] = [];
    const full = {
      rooms: {
        join: {
          [ROOM]: {
            timeline: {
              events: [{ type: "m.room.message", event_id: "$1", sender: GOOD[0], content: { body: "hi" } }],
            },
          },
        },
      },
    };
    const { loop, crypto } = await settlingLoop(twoSyncs(calls, full), calls, 1, () => new Promise(() => {}));
    loop.start();
    // The first sync filled its room's timeline (1 of 1): the second follows without settling;
    // the second brought nothing, so the loop settles before a third.
    await vi.waitFor(() => expect(calls).toEqual(["sync s1", "sync s2", "settle"]));
    await loop.stop();
    crypto.close();
  });
});
