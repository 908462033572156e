/**
 * `!digest` — the commanders' digest of a room.
 * - now [since=24h]: one digest at once, for the period since the room's last digest (or since=);
 *   it is the reply, and its map (when anything had a position) follows it. Anyone on the roster of the room's partners.
 * - show: the schedule in force and its next run, in local time and DTG. Anyone on the roster.
 * - schedule "<cron>" [tz=Area/City], off, reset: commanders and duty officers. A chat schedule
 *   (or off) overrides tearline.yaml's until reset.
 */
import { formatDtg, parseDuration } from "../src/domain/dtg.ts";
import { CRON_EXAMPLE, parseCron } from "../src/domain/cron.ts";
import { composeDigest } from "../src/domain/digest.ts";
import { effectiveSchedule, nextDigest } from "../src/domain/digestSchedule.ts";
import { didYouMean, didYouMeanText, err, ok, quote, type Result, t as tr } from "../src/domain/result.ts";
import { isTimeZone, zoneAbbreviation } from "../src/domain/zone.ts";
import { digestMap, digestMessage } from "../src/render/digest.ts";
import {
  duration,
  list,
  localStamp,
  type Message,
  msg,
  time,
  user,
  userText,
} from "../src/render/message.ts";
import type { RoomFacts } from "./config.ts";
import { argsFrom, type CommandContext, defineCommand, type Reply, type Tokens } from "./types.ts";

export type DigestArgs =
  | { action: "now"; sinceMs?: number | undefined }
  | { action: "show" | "off" | "reset" }
  | { action: "schedule"; cron: string; tz?: string | undefined };

export const DIGEST_ACTIONS = ["now", "show", "schedule", "off", "reset"] as const;
export const SCHEDULE_ROLES = ["commander", "duty_officer"] as const;
const DAY_MS = 86_400_000;
const SCHEDULE_EXAMPLE = '!digest schedule "0 6 * * *" tz=America/Bogota';

function onlyOptions(t: Tokens, allowed: readonly string[], example: string): Result<void> {
  const unknown = Object.keys(t.options).find((k) => !allowed.includes(k));
  if (unknown === undefined) return ok(undefined);
  const command = `!digest ${t.positional[0] ?? ""}`;
  const option = `"${unknown}="`;
  return err(
    allowed.length === 0
      ? tr("digest.optionNone", { option, command })
      : tr("digest.optionSome", { option, command, options: allowed.map((a) => `${a}=`).join(", ") }),
    example,
  );
}

export function parseDigestArgs(t: Tokens): Result<DigestArgs> {
  const [word = "", ...rest] = t.positional;
  const action = DIGEST_ACTIONS.find((a) => a === word.toLowerCase());
  if (action === undefined) {
    const guess = didYouMean(word, DIGEST_ACTIONS);
    const params = {
      input: quote(word),
      actions: DIGEST_ACTIONS.join(", "),
      hint: didYouMeanText(guess, false),
    };
    return err(tr(word === "" ? "digest.sayWhat" : "digest.notAction", params), "!digest now");
  }
  if (action === "schedule") {
    const known = onlyOptions(t, ["tz"], SCHEDULE_EXAMPLE);
    if (!known.ok) return known;
    if (rest.length !== 1) {
      return err(
        rest.length === 0
          ? tr("digest.cronMissing")
          : tr("digest.cronQuotes", { input: quote(rest.join(" ")), words: rest.length }),
        SCHEDULE_EXAMPLE,
        "cron",
      );
    }
    const cron = parseCron(rest[0] ?? "");
    if (!cron.ok)
      return err(tr("digest.cronInvalid", { error: cron.error.message }), SCHEDULE_EXAMPLE, "cron");
    const tz = t.options.tz;
    if (tz !== undefined && !isTimeZone(tz)) {
      return err(tr("digest.tzInvalid", { input: quote(tz) }), SCHEDULE_EXAMPLE, "tz");
    }
    return ok({ action, cron: cron.value.text, tz });
  }
  if (rest.length > 0 || t.rest !== null) {
    return err(
      tr("digest.noMoreWords", {
        command: `!digest ${action}`,
        input: quote(rest.join(" ") || (t.rest ?? "")),
      }),
      `!digest ${action}`,
    );
  }
  if (action === "now") {
    const known = onlyOptions(t, ["since"], "!digest now since=24h");
    if (!known.ok) return known;
    if (t.options.since === undefined) return ok({ action });
    const since = parseDuration(t.options.since);
    return since.ok ? ok({ action, sinceMs: since.value }) : since;
  }
  const known = onlyOptions(t, [], `!digest ${action}`);
  return known.ok ? ok({ action }) : known;
}

interface RoomView {
  alias: string;
  room: RoomFacts;
}

function roomOf(ctx: CommandContext): Result<RoomView> {
  const room = ctx.roomAlias === undefined ? undefined : ctx.config.rooms[ctx.roomAlias];
  if (ctx.roomAlias === undefined || room === undefined) {
    return err(tr("digest.roomNotConfigured"));
  }
  return ok({ alias: ctx.roomAlias, room });
}

/** The zone the room reads its digest in: its schedule's, else its configured zone, else UTC. */
function zoneOf(room: RoomFacts, chatTz: string | undefined): string {
  return chatTz ?? room.digest?.tz ?? room.timeZone ?? "UTC";
}

/** `29 Nov 06:00 COT (291100ZNOV26)`. */
function nextPiece(at: Date | undefined, tz: string): Message {
  if (at === undefined) return msg("digest.never");
  return msg("digest.next", {
    local: list([localStamp(at, tz), zoneAbbreviation(at, tz)], " "),
    dtg: formatDtg(at),
  });
}

function mayChange(ctx: CommandContext): Result<void> {
  const roles = ctx.member?.roles ?? [];
  if (SCHEDULE_ROLES.some((r) => roles.includes(r))) return ok(undefined);
  return err(tr("digest.scheduleRoles", { roles: SCHEDULE_ROLES.join(", ") }));
}

async function now(ctx: CommandContext, v: RoomView, sinceMs: number | undefined): Promise<Result<Reply>> {
  const chat = await ctx.repos.digests.schedule(v.room.roomId);
  const timeZone = zoneOf(v.room, chat?.tz);
  const last = await ctx.repos.digests.lastEnd(v.room.roomId);
  const from = new Date(sinceMs !== undefined ? +ctx.now - sinceMs : +(last ?? +ctx.now - DAY_MS));
  const period = { from, to: ctx.now };
  const claimed = await ctx.repos.digests.claim({
    roomId: v.room.roomId,
    period,
    trigger: "command",
    status: "posted",
    late: false,
    at: ctx.now,
  });
  if (!claimed) return err(tr("digest.justPosted"));
  const items = await ctx.repos.digests.items(v.room.roomId, period);
  const alerts = await ctx.repos.digests.alerts(v.room.roomId, period);
  const digest = composeDigest({
    room: { alias: v.alias, roomId: v.room.roomId, timeZone },
    period,
    ...items,
    alerts,
  });
  const detail = { from: from.toISOString(), to: ctx.now.toISOString(), marking: digest.marking };
  const map = digestMap(digest);
  return ok({
    message: digestMessage(digest, ctx.now, ctx.prefix),
    ...(map !== undefined && { attachments: [map] }),
    audit: [
      {
        actor: ctx.sender,
        action: "digest.posted",
        roomId: v.room.roomId,
        detail: { ...detail, trigger: "command" },
      },
    ],
  });
}

async function show(ctx: CommandContext, v: RoomView): Promise<Result<Reply>> {
  const chat = await ctx.repos.digests.schedule(v.room.roomId);
  const e = effectiveSchedule(v.room.digest, chat);
  const reset = `${ctx.prefix}digest reset`;
  if (e.source === "none") {
    return ok({
      message: msg("digest.showNone", {
        room: v.alias,
        example: `${ctx.prefix}${SCHEDULE_EXAMPLE.slice(1)}`,
      }),
    });
  }
  if (!("schedule" in e)) {
    const by = chat === undefined ? undefined : { by: user(chat.setBy), at: time(chat.setAt, ctx.now) };
    return ok({
      message: msg("digest.showOff", { room: v.alias, by: by && msg("digest.setBy", by), reset }),
    });
  }
  const s = e.schedule;
  const params = {
    room: v.alias,
    cron: userText(s.cron.text, 60),
    tz: s.timeZone,
    next: nextPiece(nextDigest(s, ctx.now), s.timeZone),
    grace: duration(s.graceMs),
  };
  if (e.source === "file" || chat === undefined) return ok({ message: msg("digest.showFile", params) });
  return ok({
    message: msg("digest.showChat", {
      ...params,
      by: msg("digest.setBy", { by: user(chat.setBy), at: time(chat.setAt, ctx.now) }),
      reset,
    }),
  });
}

async function schedule(
  ctx: CommandContext,
  v: RoomView,
  a: Extract<DigestArgs, { action: "schedule" }>,
): Promise<Result<Reply>> {
  const allowed = mayChange(ctx);
  if (!allowed.ok) return allowed;
  const tz = a.tz ?? zoneOf(v.room, undefined);
  await ctx.repos.digests.setSchedule({
    roomId: v.room.roomId,
    cron: a.cron,
    tz,
    setBy: ctx.sender,
    setAt: ctx.now,
  });
  const cron = parseCron(a.cron);
  const next = cron.ok ? nextDigest({ cron: cron.value, timeZone: tz }, ctx.now) : undefined;
  return ok({
    message: msg("digest.scheduled", {
      room: v.alias,
      cron: userText(a.cron, 60),
      tz,
      next: nextPiece(next, tz),
      reset: `${ctx.prefix}digest reset`,
    }),
    audit: [
      { actor: ctx.sender, action: "digest.scheduled", roomId: v.room.roomId, detail: { cron: a.cron, tz } },
    ],
  });
}

async function off(ctx: CommandContext, v: RoomView): Promise<Result<Reply>> {
  const allowed = mayChange(ctx);
  if (!allowed.ok) return allowed;
  const tz = zoneOf(v.room, (await ctx.repos.digests.schedule(v.room.roomId))?.tz);
  await ctx.repos.digests.setSchedule({ roomId: v.room.roomId, tz, setBy: ctx.sender, setAt: ctx.now });
  return ok({
    message: msg("digest.turnedOff", {
      room: v.alias,
      schedule: `${ctx.prefix}digest schedule`,
      reset: `${ctx.prefix}digest reset`,
    }),
    audit: [{ actor: ctx.sender, action: "digest.off", roomId: v.room.roomId, detail: {} }],
  });
}

async function reset(ctx: CommandContext, v: RoomView): Promise<Result<Reply>> {
  const allowed = mayChange(ctx);
  if (!allowed.ok) return allowed;
  const had = await ctx.repos.digests.resetSchedule(v.room.roomId);
  const file = v.room.digest;
  const message =
    file === undefined
      ? msg("digest.resetNone", { room: v.alias })
      : msg("digest.resetFile", { room: v.alias, cron: userText(file.cron, 60), tz: file.tz });
  return ok({
    message,
    audit: [
      { actor: ctx.sender, action: "digest.reset", roomId: v.room.roomId, detail: { hadChatSchedule: had } },
    ],
  });
}

export default defineCommand<DigestArgs>({
  name: "digest",
  summary: "The commanders' digest of this room: now, or on a schedule",
  usage: [
    "!digest now [since=24h]",
    '!digest schedule "<cron>" [tz=Area/City]',
    "!digest off",
    "!digest reset",
    "!digest show",
  ].join("\n"),
  synopsis: "!digest now|show|schedule|off|reset …",
  details: [
    "now: a digest at once, for the period since this room's last digest (or since=). show: the schedule and its next run.",
    `schedule: a cron expression in the room's time zone (${CRON_EXAMPLE}); it overrides tearline.yaml's until !digest reset. off: no scheduled digests until schedule or reset.`,
    "Who may: now, show — anyone on the roster of the room's partners · schedule, off, reset — commanders and duty officers.",
  ],
  examples: ["!digest now", "!digest now since=12h", SCHEDULE_EXAMPLE, "!digest show"],
  roles: "rostered",
  args: argsFrom(parseDigestArgs),

  async run(ctx, args) {
    const v = roomOf(ctx);
    if (!v.ok) return v;
    switch (args.action) {
      case "now":
        return now(ctx, v.value, args.sinceMs);
      case "show":
        return show(ctx, v.value);
      case "schedule":
        return schedule(ctx, v.value, args);
      case "off":
        return off(ctx, v.value);
      case "reset":
        return reset(ctx, v.value);
    }
  },
});
