import { z } from "zod";
import { ok } from "../src/domain/result.ts";
import { type Message, msg, time, user } from "../src/render/message.ts";
import { defineCommand, type Tokens } from "./types.ts";

function ago(from: Date | undefined, now: Date): Message {
  if (!from) return msg("status.notYet");
  const s = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  return s < 120
    ? msg("status.secondsAgo", { seconds: s })
    : msg("status.minutesAgo", { minutes: Math.round(s / 60) });
}

/** Group a base64 key in fours, as Element shows session keys. */
export function formatFingerprint(b64: string): string {
  return b64.match(/.{1,4}/g)?.join(" ") ?? b64;
}

export default defineCommand({
  name: "status",
  summary: "Health of the bot: version, device and fingerprint, rooms, last sync, database",
  usage: "!status",
  examples: ["!status"],
  roles: "rostered",
  args: z.custom<Tokens>().transform(() => ({})),
  async run(ctx) {
    const r = await ctx.runtime();
    const signed = msg(r.crossSigned ? "status.crossSigned" : "status.notCrossSigned");
    const database = msg(r.databaseOk ? "status.databaseOk" : "status.databaseDown");
    return ok({
      message: msg("status.version", { version: r.version, userId: user(r.userId) }, [
        msg("status.device", { deviceId: r.deviceId, fingerprint: formatFingerprint(r.fingerprint), signed }),
        msg("status.rooms", { rooms: r.joinedRooms, sync: ago(r.lastSyncAt, ctx.now) }),
        msg("status.database", {
          database,
          engine: msg(r.databaseEngine === "pglite" ? "status.databaseEmbedded" : "status.databaseServer"),
          backlog: r.outboxBacklog,
        }),
        msg("status.up", { since: time(r.startedAt, ctx.now, "utc") }),
      ]),
    });
  },
});
