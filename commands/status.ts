import { z } from "zod";
import { ok } from "../src/domain/result.ts";
import { defineCommand, type Tokens } from "./types.ts";

function ago(from: Date | undefined, now: Date): string {
  if (!from) return "not yet";
  const s = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  return s < 120 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
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
    const lines = [
      `Tearline ${r.version} · ${r.userId}`,
      `Device ${r.deviceId} · fingerprint ${formatFingerprint(r.fingerprint)} · ${r.crossSigned ? "cross-signed" : "NOT cross-signed"}`,
      `Rooms joined: ${r.joinedRooms} · last sync ${ago(r.lastSyncAt, ctx.now)}`,
      `Database: ${r.databaseOk ? "ok" : "NOT REACHABLE"} · outbox backlog ${r.outboxBacklog}`,
      `Up since ${r.startedAt.toISOString().slice(0, 16).replace("T", " ")}Z`,
    ];
    return ok({ text: lines.join("\n") });
  },
});
