/**
 * A night's workload for the fault tests (test/e2e/killNine.test.ts, restarts.test.ts): commands
 * in three configured rooms, alerts from the first relayed to the other two under an auto rule,
 * and the checks that afterwards every command was answered exactly once, every relay arrived
 * exactly once per allowed target, and the database says what the rooms show.
 */
import { expect } from "vitest";
import { copiesIn, copyRef, roomsByAdmin } from "./alerts.ts";
import type { Officer } from "./officer.ts";
import { reactionsTo, repliesTo, type Scene } from "./scene.ts";

export const ROOMS = ["src", "east", "west"] as const;
export type RoomName = (typeof ROOMS)[number];
/** Where an alert from `src` may go (both, under one auto rule). */
export const TARGETS: readonly RoomName[] = ["east", "west"];

export interface Command {
  room: RoomName;
  body: string;
  kind: "sight" | "status" | "alert" | "redAlert";
  eventId?: string;
}

/** A small deterministic PRNG (mulberry32), so a seed replays the same kill points. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from `TEARLINE_FAULT_SEED`, or a fresh one; printed so a failure can be replayed. */
export function faultSeed(test: string): number {
  const given = process.env.TEARLINE_FAULT_SEED;
  const seed = given === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`TEARLINE_FAULT_SEED=${given} is not an integer`);
  console.log(`${test}: TEARLINE_FAULT_SEED=${seed}`);
  return seed;
}

/** The three rooms, configured, with one auto rule from `src` to the others for text alerts. */
export async function setUpRooms(s: Scene): Promise<Record<RoomName, string>> {
  const rooms = (await roomsByAdmin(
    s.hs,
    s.account.userId,
    Object.fromEntries(ROOMS.map((r) => [r, [s.officer]])),
  )) as Record<RoomName, string>;
  s.config.partners = { COL: { name: "Colombian Navy" }, USA: { name: "US Coast Guard" } };
  s.config.rooms = Object.fromEntries(ROOMS.map((r) => [r, { room: rooms[r], partners: ["COL", "USA"] }]));
  s.config.roster = { [s.officer.userId]: { partner: "COL", roles: ["liaison", "duty_officer"] } };
  s.config.sharing = [{ from: "src", to: [...TARGETS], kinds: ["text"], max_tlp: "amber", approval: "auto" }];
  return rooms;
}

/**
 * Resolves when the officer sees the bot joined in every room. Before that, the officer's first
 * message in a room is encrypted without the bot's device, and its key never reaches the bot
 * (it then says once that it cannot read it — right, but not what these tests are about).
 */
export async function botJoined(s: Scene, rooms: Record<RoomName, string>): Promise<void> {
  await Promise.all(
    ROOMS.map((r) => s.officer.waitForMembership(rooms[r], s.account.userId, "join", 60_000)),
  );
}

/**
 * `perRoom` commands in each room: sightings and `!status` everywhere, and in `src` also `alerts`
 * TLP:AMBER alerts (relayed to both targets) and two TLP:RED ones (which never leave the room).
 */
export function workload(perRoom: number, alerts: number): Command[] {
  const out: Command[] = [];
  for (const room of ROOMS) {
    for (let i = 0; i < perRoom; i++) {
      const n = out.length + 1;
      if (
        room === "src" &&
        i % Math.floor(perRoom / alerts) === 1 &&
        out.filter((c) => c.kind === "alert").length < alerts
      )
        out.push({ room, kind: "alert", body: `!alert tlp=amber -- go-fast ${n} heading north` });
      else if (room === "src" && (i === 3 || i === perRoom - 2))
        out.push({ room, kind: "redAlert", body: `!alert tlp=red -- source ${n} stays here` });
      else if (i % 2 === 0)
        out.push({ room, kind: "sight", body: `!sight vessel 12.${n},-79.2 "BOAT ${n}" -- night ${n}` });
      else out.push({ room, kind: "status", body: "!status" });
    }
  }
  return out;
}

/** Sends each room's commands in order (the rooms at once); fills in their event ids. */
export async function sendAll(officer: Officer, rooms: Record<RoomName, string>, commands: Command[]) {
  await Promise.all(
    ROOMS.map(async (room) => {
      for (const c of commands.filter((x) => x.room === room))
        c.eventId = await officer.send(rooms[room], c.body);
    }),
  );
}

/** Everything the bot has put in the three rooms (messages and reactions), as the officer saw it. */
export function botEvents(s: Scene, rooms: Record<RoomName, string>) {
  return ROOMS.flatMap((r) =>
    s.officer
      .eventsIn(rooms[r])
      .filter(
        (e) => e.sender === s.account.userId && (e.type === "m.room.message" || e.type === "m.reaction"),
      ),
  );
}

function answered(s: Scene, rooms: Record<RoomName, string>, c: Command): boolean {
  const id = c.eventId;
  if (id === undefined) return false;
  const room = rooms[c.room];
  return (
    repliesTo(s.officer, room, s.account.userId, id).length > 0 &&
    reactionsTo(s.officer, room, s.account.userId, id).length > 0
  );
}

/** The alert ref (`A-12`) in the reply to an `!alert`. */
function alertRef(s: Scene, rooms: Record<RoomName, string>, c: Command): string | undefined {
  const reply = repliesTo(s.officer, rooms[c.room], s.account.userId, c.eventId ?? "")[0];
  return /\bA-\d+\b/.exec(reply?.body ?? "")?.[0];
}

/**
 * Waits until every command is answered and every amber alert copied to both targets, then sends a
 * marker in each room and waits for its reply and reaction: the outbox sends a room's rows in order,
 * so after that nothing older can still arrive.
 */
export async function waitForQuiet(
  s: Scene,
  rooms: Record<RoomName, string>,
  commands: Command[],
  timeoutMs = 120_000,
  opts: { refetchEveryMs?: number } = {},
): Promise<void> {
  const alerts = commands.filter((c) => c.kind === "alert");
  // After a homeserver outage the officer's own sync may skip a gap (officer.refetch): read the
  // rooms' history again now and then, so that only the bot's misses count.
  const refetch =
    opts.refetchEveryMs === undefined
      ? undefined
      : setInterval(() => {
          for (const r of ROOMS) s.officer.refetch(rooms[r]).catch(() => undefined);
        }, opts.refetchEveryMs);
  const done = () =>
    commands.every((c) => answered(s, rooms, c)) &&
    alerts.every((c) => {
      const ref = alertRef(s, rooms, c);
      return (
        ref !== undefined &&
        TARGETS.every((t) => copiesIn(s.officer, rooms[t], s.account.userId, ref).length > 0)
      );
    });
  await s.officer
    .waitFor("every command answered and every alert relayed", () => (done() ? true : undefined), timeoutMs)
    .finally(() => clearInterval(refetch))
    .catch((e: Error) => {
      const missing = commands.filter((c) => !answered(s, rooms, c)).map((c) => `${c.room}: ${c.body}`);
      const unrelayed = alerts
        .filter((c) => {
          const ref = alertRef(s, rooms, c);
          return TARGETS.some((t) => copiesIn(s.officer, rooms[t], s.account.userId, ref).length === 0);
        })
        .map((c) => `${alertRef(s, rooms, c)}: ${c.body}`);
      throw new Error(
        `${e.message}\nunanswered (${missing.length}): ${missing.slice(0, 10).join(" | ")}\nnot relayed: ${unrelayed.join(" | ")}`,
      );
    });
  const markers: Command[] = ROOMS.map((room) => ({ room, kind: "status", body: "!status" }));
  await sendAll(s.officer, rooms, markers);
  await s.officer.waitFor(
    "the markers' replies and reactions",
    () => (markers.every((m) => answered(s, rooms, m)) ? true : undefined),
    60_000,
  );
  commands.push(...markers);
}

/**
 * Exactly one reply and one reaction per command; exactly one copy of each amber alert in each
 * target and none of a red one; and the database agrees: a sighting row per `S-n` reply (and the
 * command record naming it), every outbox row sent, their event ids exactly the bot events the
 * rooms show, and a relayed alert target for each copy.
 */
export async function expectExactlyOnce(
  s: Scene,
  rooms: Record<RoomName, string>,
  commands: Command[],
): Promise<void> {
  const bot = s.account.userId;
  const twice = commands.filter((c) => {
    const room = rooms[c.room];
    return (
      repliesTo(s.officer, room, bot, c.eventId ?? "").length !== 1 ||
      reactionsTo(s.officer, room, bot, c.eventId ?? "").length !== 1
    );
  });
  expect(
    twice.map((c) => `${c.room}: ${c.body}`),
    "commands without exactly one reply and reaction",
  ).toEqual([]);

  // Relays: one copy per allowed target, none of a red alert, and no copy of anything else.
  const amber = commands.filter((c) => c.kind === "alert").map((c) => alertRef(s, rooms, c));
  const red = commands.filter((c) => c.kind === "redAlert").map((c) => alertRef(s, rooms, c));
  expect(amber.every((r) => r !== undefined) && red.every((r) => r !== undefined)).toBe(true);
  for (const t of TARGETS) {
    const copies = copiesIn(s.officer, rooms[t], bot).map((m) => copyRef(m));
    expect(copies.sort(), `copies in ${t}`).toEqual([...amber].sort());
  }
  expect(copiesIn(s.officer, rooms.src, bot)).toHaveLength(0);

  // The database agrees with the rooms.
  const sightReplies = commands
    .filter((c) => c.kind === "sight")
    .map(
      (c) => /\bS-\d+\b/.exec(repliesTo(s.officer, rooms[c.room], bot, c.eventId ?? "")[0]?.body ?? "")?.[0],
    );
  const sightings = await s.db.sql<{ id: number; room_id: string }[]>`select id, room_id from sightings`;
  expect(sightings.map((r) => `S-${r.id}`).sort(), "sightings rows ↔ S-n replies").toEqual(
    [...sightReplies].sort(),
  );
  const records = await s.db.sql<{ event_id: string; ref: string }[]>`
    select event_id, ref from command_events where command = 'sight'`;
  expect(Object.fromEntries(records.map((r) => [r.event_id, r.ref]))).toEqual(
    Object.fromEntries(
      commands.filter((c) => c.kind === "sight").map((c, i) => [c.eventId, sightReplies[i]]),
    ),
  );

  const outbox = await s.db.sql<{ sent_event_id: string | null; sent_at: Date | null }[]>`
    select sent_event_id, sent_at from outbox`;
  expect(
    outbox.filter((r) => r.sent_at === null || r.sent_event_id === null),
    "unsent outbox rows",
  ).toEqual([]);
  const seen = botEvents(s, rooms).map((e) => e.eventId);
  expect(new Set(seen).size, "an event seen twice").toBe(seen.length);
  expect(outbox.map((r) => r.sent_event_id).sort(), "outbox rows sent ↔ events seen").toEqual(
    [...seen].sort(),
  );

  const targets = await s.db.sql<{ ref: string; room_alias: string; outcome: string }[]>`
    select 'A-' || alert_id as ref, room_alias, outcome from alert_targets`;
  for (const t of TARGETS) {
    const relayed = targets.filter((r) => r.room_alias === t && r.outcome === "relayed").map((r) => r.ref);
    expect(relayed.sort(), `alert targets relayed to ${t} ↔ copies`).toEqual([...amber].sort());
  }
  expect(targets.filter((r) => red.includes(r.ref)).every((r) => r.outcome === "refused")).toBe(true);
}
