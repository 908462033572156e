/**
 * Helpers for the alert e2e tests and the fan-out benchmark (ALERTS-CONTRACT.md): rooms set up the
 * way operators do it (created by a room admin outside the roster, then written into `rooms:` by id),
 * and readers for the relayed copies as an officer decrypted them.
 */
import { type HomeserverInfo, Officer, type ReceivedEvent } from "./officer.ts";

/** The banner that opens every relayed copy: `⚠ ALERT A-31 · TLP:AMBER …`. */
const BANNER = /^⚠ ALERT (A-\d+) · /;

/**
 * Encrypted rooms of Synapse's default room version, one per alias, created by a fresh admin who
 * invites the members and the bot; every member has joined when this resolves. The bot joins later,
 * on the invite, because the room is configured.
 */
export async function roomsByAdmin(
  hs: HomeserverInfo,
  botUserId: string,
  rooms: Record<string, Officer[]>,
): Promise<Record<string, string>> {
  const admin = await Officer.create(hs);
  try {
    const ids: Record<string, string> = {};
    for (const [alias, members] of Object.entries(rooms)) {
      const id = await admin.createRoom({
        encrypted: true,
        name: alias,
        invite: [...members.map((m) => m.userId), botUserId],
      });
      await Promise.all(members.map((m) => m.join(id)));
      ids[alias] = id;
    }
    return ids;
  } finally {
    await admin.stop();
  }
}

/** The alert ref a relayed copy's banner names, if `m` is one. */
export function copyRef(m: ReceivedEvent): string | undefined {
  return BANNER.exec(m.body)?.[1];
}

/** The bot's relayed copies in a room, as this officer decrypted them (optionally of one alert). */
export function copiesIn(officer: Officer, roomId: string, botUserId: string, ref?: string): ReceivedEvent[] {
  return officer
    .messagesFrom(roomId, botUserId)
    .filter((m) => copyRef(m) !== undefined && (ref === undefined || copyRef(m) === ref));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Every key, at any depth, of a JSON value. */
export function deepKeys(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) deepKeys(x, out);
  else if (isRecord(v))
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      deepKeys(x, out);
    }
  return out;
}

/** The first object, at any depth, with numeric `lat` and `lon` (a position in the structured item). */
export function findPosition(
  v: unknown,
): (Record<string, unknown> & { lat: number; lon: number }) | undefined {
  if (Array.isArray(v)) {
    for (const x of v) {
      const p = findPosition(x);
      if (p) return p;
    }
    return undefined;
  }
  if (!isRecord(v)) return undefined;
  if (typeof v.lat === "number" && typeof v.lon === "number")
    return v as Record<string, unknown> & { lat: number; lon: number };
  for (const x of Object.values(v)) {
    const p = findPosition(x);
    if (p) return p;
  }
  return undefined;
}
