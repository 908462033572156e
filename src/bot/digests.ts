/**
 * The scheduled digest pass: for each configured room with a schedule, the digest of the period
 * that ended at its most recent due minute — claimed, composed and queued in one transaction, so
 * however many passes, processes or clock jumps see that minute, one digest is posted. Missed
 * beyond the grace, it is claimed as skipped instead: logged and audited once. A digest with
 * positions is followed by its map, queued in the same transaction.
 */
import type { ConfigFacts, RoomFacts } from "../../commands/config.ts";
import type { Db } from "../db/client.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { chatSchedules, claimDigestRun, digestRepo, enqueueDigest } from "../db/queries/digests.ts";
import { composeDigest, type Digest, type DigestPeriod } from "../domain/digest.ts";
import { type DigestDue, dueDigest, effectiveSchedule } from "../domain/digestSchedule.ts";
import type { Logger } from "../log.ts";
import { enqueue } from "../db/queries/events.ts";
import { digestMap, digestMessage } from "../render/digest.ts";
import { mapMessage } from "./attachments.ts";
import { replyContent } from "./messages.ts";
import { styleOf } from "./roomStyle.ts";
import { getChatLang } from "../db/queries/roomSettings.ts";
import type { Lang } from "../domain/lang.ts";
import { BOT_ACTOR } from "./actor.ts";

/** The structured digest under a namespaced key, for clients and the map that follows it. */
export const DIGEST_KEY = "org.tearline.digest";

export interface QueuedDigest {
  roomId: string;
  alias: string;
  outboxId: number;
  digest: Digest;
}

/** The digest message's content: not a reply, nobody pinged. */
export function digestContent(d: Digest, now: Date, prefix: string, lang: Lang): Record<string, unknown> {
  // The digest's times are in its schedule's zone; its words in the room's language.
  const style = { lang, timeZone: d.room.timeZone };
  return {
    ...replyContent(undefined, digestMessage(d, now, prefix), { style }),
    [DIGEST_KEY]: {
      room: d.room.alias,
      from: d.period.from.toISOString(),
      to: d.period.to.toISOString(),
      marking: d.marking,
      late: d.late,
    },
  };
}

const periodDetail = (p: DigestPeriod) => ({ from: p.from.toISOString(), to: p.to.toISOString() });

async function runRoom(
  db: Db,
  alias: string,
  room: RoomFacts,
  due: DigestDue,
  timeZone: string,
  now: Date,
  prefix: string,
  log: Logger,
): Promise<QueuedDigest | undefined> {
  const period = { from: due.from, to: due.to };
  return db.transaction(async (tx) => {
    const late = due.action === "post" && due.late;
    const claim = { roomId: room.roomId, period, trigger: "schedule", late, at: now } as const;
    const runId = await claimDigestRun(tx, {
      ...claim,
      status: due.action === "post" ? "posted" : "skipped",
    });
    if (runId === undefined) return undefined;
    if (due.action === "skip") {
      log.warn("digest missed beyond its grace; skipped", {
        room: alias,
        ...periodDetail(period),
        lateMs: due.lateMs,
      });
      const detail = { ...periodDetail(period), lateMs: due.lateMs };
      await appendAudit(
        tx,
        [{ actor: BOT_ACTOR, action: "digest.skipped", roomId: room.roomId, detail }],
        now,
      );
      return undefined;
    }
    const repo = digestRepo(tx);
    const items = await repo.items(room.roomId, period);
    const alerts = await repo.alerts(room.roomId, period);
    const digest = composeDigest({
      room: { alias, roomId: room.roomId, timeZone },
      period,
      ...items,
      alerts,
      late,
    });
    const { lang } = styleOf(
      { rooms: { [alias]: room } },
      room.roomId,
      (await getChatLang(tx, room.roomId))?.lang,
    );
    const content = digestContent(digest, now, prefix, lang);
    const outboxId = await enqueueDigest(tx, runId, {
      roomId: room.roomId,
      eventType: "m.room.message",
      content,
    });
    // The map right behind its digest, in the claim's transaction: both are posted, or neither.
    const map = digestMap(digest);
    if (map !== undefined) await enqueue(tx, [mapMessage(room.roomId, map, { lang, timeZone })]);
    const detail = {
      ...periodDetail(period),
      late,
      marking: digest.marking,
      sightings: digest.sightings.total,
    };
    await appendAudit(tx, [{ actor: BOT_ACTOR, action: "digest.posted", roomId: room.roomId, detail }], now);
    return { roomId: room.roomId, alias, outboxId, digest };
  });
}

/** One pass at `now` over every configured room; returns the digests it queued. */
export async function runDigests(
  db: Db,
  facts: ConfigFacts,
  now: Date,
  log: Logger,
  prefix = "!",
): Promise<QueuedDigest[]> {
  const chat = new Map((await chatSchedules(db)).map((s) => [s.roomId, s]));
  const queued: QueuedDigest[] = [];
  for (const [alias, room] of Object.entries(facts.rooms)) {
    const effective = effectiveSchedule(room.digest, chat.get(room.roomId));
    if (!("schedule" in effective)) continue;
    const due = dueDigest(effective.schedule, now);
    if (due === undefined) continue;
    const done = await runRoom(db, alias, room, due, effective.schedule.timeZone, now, prefix, log);
    if (done !== undefined) queued.push(done);
  }
  return queued;
}
