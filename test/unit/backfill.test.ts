/**
 * Backfill after an absence, against a stand-in homeserver holding a long room history: it walks
 * back only to the room's mark, handles page by page oldest first, and past its cap reports the
 * gap instead of holding everything at once.
 */
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.ts";
import { type MatrixApi, type RawEvent, SyncResponse } from "../../src/matrix/api.ts";
import type { CryptoEngine } from "../../src/matrix/crypto.ts";
import { RoomRegistry } from "../../src/matrix/rooms.ts";
import { type Gap, type RoomMark, type SyncHandler, SyncLoop } from "../../src/matrix/sync.ts";

const BOT = "@tearline:example.org";
const ROOM = "!colusa:example.org";
const T0 = Date.parse("2026-11-28T02:00:00Z");
const LIMIT = 5;

/** A room of n messages, one a minute; `t<k>` is the position before event k. */
function history(n: number, joinAt?: number) {
  const events: RawEvent[] = Array.from({ length: n }, (_, i) => ({
    type: "m.room.message",
    event_id: `$e${i}`,
    sender: "@lo.col:example.org",
    origin_server_ts: T0 + i * 60_000,
    content: { msgtype: "m.text", body: `!status ${i}` },
  }));
  if (joinAt !== undefined)
    events[joinAt] = {
      type: "m.room.member",
      event_id: `$e${joinAt}`,
      sender: BOT,
      state_key: BOT,
      content: { membership: "join" },
    };
  const log: string[] = [];
  const api = {
    sync: async () =>
      SyncResponse.parse({
        next_batch: "s2",
        rooms: {
          join: {
            [ROOM]: {
              timeline: { events: events.slice(n - LIMIT), limited: true, prev_batch: `t${n - LIMIT}` },
            },
          },
        },
      }),
    messages: async (_room: string, p: { from: string; dir: string; limit: number }) => {
      log.push(`messages ${p.from}`);
      const k = Number(p.from.slice(1));
      const lo = Math.max(0, k - p.limit);
      return { chunk: events.slice(lo, k).reverse(), end: lo > 0 ? `t${lo}` : undefined };
    },
  } as unknown as MatrixApi;
  return { api, log, events };
}

function run(n: number, o: { mark?: RoomMark; cap: number; known?: string[]; joinAt?: number }) {
  const h = history(n, o.joinAt);
  const handled: string[] = [];
  const gaps: Gap[] = [];
  const marks: Map<string, RoomMark>[] = [];
  let largestBatch = 0;
  const handler: SyncHandler = {
    onInvite: async () => {},
    onJoined: async () => {},
    onTimeline: async (items) => {
      h.log.push(`handle ${items.length}`);
      largestBatch = Math.max(largestBatch, items.length);
      handled.push(...items.map((i) => i.event.event_id as string));
    },
    knownEvents: async (ids) => new Set(ids.filter((id) => o.known?.includes(id))),
    loadToken: async () => "s1",
    saveProgress: async (m, t) => {
      if (m.size > 0) marks.push(m);
      h.log.push(`token ${t}`);
    },
    loadMark: async () => o.mark,
    onGap: async (gap) => {
      h.log.push("gap");
      gaps.push(gap);
    },
  };
  const crypto = {
    receiveSync: async () => {},
    sendOutgoingRequests: async () => {},
  } as unknown as CryptoEngine;
  const rooms = new RoomRegistry(h.api);
  const loop = new SyncLoop(
    h.api,
    crypto,
    rooms,
    handler,
    BOT,
    createLogger("error", {}, () => {}),
    {
      timelineLimit: LIMIT,
      pollTimeoutMs: 0,
      maxBackfill: o.cap,
    },
  );
  return { ...h, handled, gaps, marks, loop, largest: () => largestBatch };
}

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `$e${from + i}`);
const mark = (i: number): RoomMark => ({ eventId: `$e${i}`, ts: T0 + i * 60_000 });

describe("backfilling a limited timeline", () => {
  it("walks back to the room's mark and handles everything after it once, oldest first", async () => {
    const r = run(350, { mark: mark(100), cap: 1_000 });
    await r.loop.syncOnce("s1");
    expect(r.handled).toEqual(ids(101, 350));
    expect(r.gaps).toEqual([]);
    expect(r.marks).toEqual([new Map([[ROOM, mark(349)]])]);
    expect(r.log.at(-1)).toBe("token s2");
  });

  it("handles page by page: the oldest page before the newer ones are fetched again, never more than a page at once", async () => {
    const r = run(350, { mark: mark(100), cap: 1_000 });
    await r.loop.syncOnce("s1");
    const firstHandle = r.log.findIndex((l) => l.startsWith("handle"));
    expect(r.log.slice(firstHandle).some((l) => l.startsWith("messages"))).toBe(true);
    expect(r.largest()).toBeLessThanOrEqual(100);
  });

  it("stops at an event already handled, or at its own join, when the room has no mark", async () => {
    const known = run(300, { cap: 1_000, known: ["$e120"] });
    await known.loop.syncOnce("s1");
    expect(known.handled).toEqual(ids(121, 300));
    expect(known.gaps).toEqual([]);
    const joined = run(300, { cap: 1_000, joinAt: 42 });
    await joined.loop.syncOnce("s1");
    expect(joined.handled).toEqual(ids(43, 300));
    expect(joined.gaps).toEqual([]);
  });

  it("needs no backfill when the mark is in the timeline (a sync replayed after a crash)", async () => {
    const r = run(350, { mark: mark(347), cap: 1_000 });
    await r.loop.syncOnce("s1");
    expect(r.handled).toEqual(ids(348, 350));
    expect(r.log.filter((l) => l.startsWith("messages"))).toEqual([]);
  });

  it("stops at its cap, says which times it may have missed, and handles the newest events", async () => {
    const n = 5_000;
    const r = run(n, { mark: mark(10), cap: 1_000 });
    await r.loop.syncOnce("s1");
    const oldestReached = n - LIMIT - 1_000;
    expect(r.gaps).toEqual([
      { roomId: ROOM, from: T0 + 10 * 60_000, to: T0 + oldestReached * 60_000, at: `$e${oldestReached}` },
    ]);
    expect(r.handled).toEqual(ids(oldestReached, n));
    // The gap is told before the older commands it precedes are answered.
    expect(r.log.indexOf("gap")).toBeLessThan(r.log.findIndex((l) => l.startsWith("handle")));
    expect(r.largest()).toBeLessThanOrEqual(100);
    // Bounded: the scan stops at the cap (+1 to peek), it does not walk the whole history.
    expect(r.log.filter((l) => l.startsWith("messages")).length).toBeLessThanOrEqual(2 * 11);
  });

  it("reports no gap when the cap is met exactly at the mark", async () => {
    const r = run(1_100, { mark: mark(1_100 - LIMIT - 1_000 - 1), cap: 1_000 });
    await r.loop.syncOnce("s1");
    expect(r.gaps).toEqual([]);
    expect(r.handled).toEqual(ids(1_100 - LIMIT - 1_000, 1_100));
  });
});
