import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../log.ts";
import type { JoinedRoom, MatrixApi, RawEvent, SyncResponse } from "./api.ts";
import { type Gap, pagesOldestFirst, type RoomMark, scanBack } from "./backfill.ts";
import type { CryptoEngine } from "./crypto.ts";
import { originTs } from "./eventTime.ts";
import type { RoomRegistry } from "./rooms.ts";

/** One timeline event, decrypted where it was encrypted. */
export interface TimelineItem {
  roomId: string;
  event: RawEvent;
  /** The event arrived as m.room.encrypted. */
  encrypted: boolean;
  senderDevice?: string;
  /** Set when it could not be decrypted (yet); `event` is then the raw encrypted event. */
  decryptionError?: string;
  /** Set with decryptionError when no key can fix it: a short reason ("sender mismatch"). */
  permanentFailure?: string;
  sessionId?: string;
  /** Decryption was refused because the sender's device is not cross-signed (trust settings). */
  untrustedSender?: boolean;
}

export interface SyncHandler {
  /** Decide about an invite (join or reject). */
  onInvite(roomId: string, inviter: string | undefined): Promise<void>;
  onJoined(roomId: string): Promise<void>;
  /** Must make the batch durable before resolving: the sync token advances only afterwards. */
  onTimeline(items: TimelineItem[]): Promise<void>;
  /** Event ids among these that were already handled (stops backfill). */
  knownEvents(eventIds: string[]): Promise<Set<string>>;
  /** The room's high-water mark: the newest event of its timeline as of the last saved sync. */
  loadMark(roomId: string): Promise<RoomMark | undefined>;
  /** Backfill stopped at its cap before reaching the mark: tell the room (through the outbox). */
  onGap(gap: Gap): Promise<void>;
  loadToken(): Promise<string | undefined>;
  /**
   * Saves, after the batch was handled, the marks of the rooms it touched and the next token, all
   * or nothing (one statement): a crash leaves either both or neither.
   */
  saveProgress(marks: Map<string, RoomMark>, token: string): Promise<void>;
}

export interface SyncOptions {
  timelineLimit: number;
  pollTimeoutMs: number;
  /** Events walked back per room and sync before the rest is reported as a gap. */
  maxBackfill: number;
  /**
   * Waited for before the next /sync (bounded by its provider): the bot's own replies to the
   * batch just handled, so their echoes come back in one sync rather than waking one each. Not
   * after a sync whose timeline came back full: more is waiting, and is fetched at once.
   */
  settle?: () => Promise<void>;
}

export type { Gap, RoomMark } from "./backfill.ts";

const BACKFILL_PAGE = 100;
/** A quiet sync's token is still saved if the last save is older than this. */
const QUIET_SAVE_MS = 30_000;

/** Fetches encrypted, readable events for rooms in order; runs until stop(). */
export class SyncLoop {
  private readonly abort = new AbortController();
  private readonly aborted = new Promise<void>((resolve) =>
    this.abort.signal.addEventListener("abort", () => resolve(), { once: true }),
  );
  private running: Promise<void> | undefined;
  readonly joined = new Set<string>();
  lastSyncAt: Date | undefined;
  /** The last sync brought a room's timeline full (or limited): there is more to fetch at once. */
  private lastFull = false;
  /** Invites, joins, leaves, gaps and timeline batches handed to the handler so far. */
  private acted = 0;
  /** When the token was last saved (performance.now()), and the marks not saved since. */
  private savedAt: number | undefined;
  private unsavedMarks = new Map<string, RoomMark>();

  constructor(
    private readonly api: MatrixApi,
    private readonly crypto: CryptoEngine,
    private readonly rooms: RoomRegistry,
    private readonly handler: SyncHandler,
    private readonly userId: string,
    private readonly log: Logger,
    private readonly opts: SyncOptions,
  ) {}

  private get filter(): object {
    return {
      presence: { types: [] },
      account_data: { types: [] },
      room: {
        timeline: { limit: this.opts.timelineLimit },
        state: { lazy_load_members: false },
        ephemeral: { types: [] },
        account_data: { types: [] },
      },
    };
  }

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  /** One sync round; exposed for tests and for the first sync before start(). */
  async syncOnce(since: string | undefined): Promise<string> {
    const res = await this.api.sync({
      since,
      timeoutMs: since ? this.opts.pollTimeoutMs : 0,
      filter: this.filter,
      signal: this.abort.signal,
    });
    await this.crypto.receiveSync(res);
    const actedBefore = this.acted;
    const marks = await this.handleRooms(res, since === undefined);
    this.lastSyncAt = new Date();
    this.lastFull = Object.values(res.rooms?.join ?? {}).some(
      (r) => r.timeline?.limited === true || (r.timeline?.events.length ?? 0) >= this.opts.timelineLimit,
    );
    for (const [roomId, mark] of marks) this.unsavedMarks.set(roomId, mark);
    // A sync that brought nothing to act on (typically the echo of the bot's own messages) need
    // not move the saved token: replaying it after a crash does nothing. Saved anyway now and
    // then, so a restart does not start from far back.
    const quiet =
      since !== undefined &&
      this.acted === actedBefore &&
      (res.to_device?.events?.length ?? 0) === 0 &&
      (res.device_lists?.changed?.length ?? 0) === 0 &&
      (res.device_lists?.left?.length ?? 0) === 0;
    const now = performance.now();
    if (quiet && this.savedAt !== undefined && now - this.savedAt < QUIET_SAVE_MS) return res.next_batch;
    await this.handler.saveProgress(this.unsavedMarks, res.next_batch);
    this.unsavedMarks = new Map();
    this.savedAt = now;
    return res.next_batch;
  }

  private async loop(): Promise<void> {
    let since = await this.handler.loadToken();
    // An incremental sync only names rooms with news; know them all (for !status) from the start.
    if (since) {
      try {
        for (const roomId of await this.api.joinedRooms()) this.joined.add(roomId);
      } catch (err) {
        this.log.warn("could not list joined rooms; !status counts them as they show up", { err });
      }
    }
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        since = await this.syncOnce(since);
        failures = 0;
        // Not after a full timeline: more is waiting, and the echoes come back with it anyway.
        // Cut short by stop(), like the back-off below.
        if (this.opts.settle && !this.lastFull) await Promise.race([this.opts.settle(), this.aborted]);
      } catch (err) {
        if (this.abort.signal.aborted) break;
        failures++;
        const wait = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        this.log.error("sync failed; retrying", { err, waitMs: wait });
        // Cut short by stop(): a homeserver away for long must not hold up a SIGTERM.
        await sleep(wait, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  /** Handles every room's news, room by room and page by page; returns each room's new mark. */
  private async handleRooms(res: SyncResponse, initial: boolean): Promise<Map<string, RoomMark>> {
    for (const [roomId, room] of Object.entries(res.rooms?.invite ?? {})) {
      const invite = room.invite_state?.events.find(
        (e) => e.type === "m.room.member" && e.state_key === this.userId && e.content.membership === "invite",
      );
      this.acted++;
      await this.handler.onInvite(roomId, invite?.sender);
    }
    for (const roomId of Object.keys(res.rooms?.leave ?? {})) {
      this.acted++;
      this.joined.delete(roomId);
      this.rooms.forget(roomId);
    }
    const marks = new Map<string, RoomMark>();
    for (const [roomId, room] of Object.entries(res.rooms?.join ?? {})) {
      if (!this.joined.has(roomId)) {
        this.joined.add(roomId);
        this.acted++;
        if (!initial) await this.handler.onJoined(roomId);
      }
      await this.noteState(roomId, room);
      const timeline = room.timeline?.events ?? [];
      // history from before this device's first start is not ours to act on
      if (!initial) await this.handleTimeline(roomId, room, timeline);
      const mark = markOf(timeline);
      if (mark) marks.set(roomId, mark);
    }
    // Decryption may have advanced ratchets: persist before the token moves.
    await this.crypto.sendOutgoingRequests();
    return marks;
  }

  /**
   * Member tracking here only gets ahead of the next send (which tracks its recipients itself),
   * so a failure is logged, not allowed to hold up the room's timeline or the sync token.
   */
  private async noteState(roomId: string, room: JoinedRoom): Promise<void> {
    const events = [...(room.state?.events ?? []), ...(room.timeline?.events ?? [])];
    for (const ev of events) this.rooms.observe(roomId, ev);
    const newMembers = events
      .filter(
        (e) =>
          e.type === "m.room.member" &&
          e.state_key &&
          ["join", "invite"].includes(String(e.content.membership)),
      )
      .map((e) => e.state_key as string);
    if (newMembers.length === 0) return;
    try {
      if (await this.rooms.isEncrypted(roomId)) await this.crypto.trackUsers(newMembers);
    } catch (err) {
      this.log.warn("could not track a room's new members; the next send will", { roomId, err });
    }
  }

  /**
   * Handles a room's timeline oldest first: a limited one is first backfilled from /messages back
   * to the room's mark, page by page, each page handled (and made durable) as it comes.
   */
  private async handleTimeline(roomId: string, room: JoinedRoom, timeline: RawEvent[]): Promise<void> {
    // Only what comes after our own join (in a room just joined) or after the mark (a sync
    // replayed after a crash) is still to do, and then nothing older is either.
    const limited = room.timeline?.limited ? room.timeline.prev_batch : undefined;
    const mark = limited ? await this.handler.loadMark(roomId) : undefined;
    const stopIdx = timeline.findLastIndex(
      (e) => this.isOwnJoin(e) || (!!mark && e.event_id === mark.eventId),
    );
    if (stopIdx < 0 && limited) await this.backfill(roomId, limited, mark);
    const items: TimelineItem[] = [];
    for (const ev of timeline.slice(stopIdx + 1))
      if (this.addressed(ev)) items.push(await this.readable(roomId, ev));
    if (items.length > 0) {
      this.acted++;
      await this.handler.onTimeline(items);
    }
  }

  private async backfill(roomId: string, prevBatch: string, mark: RoomMark | undefined): Promise<void> {
    const plan = await scanBack(this.api, {
      roomId,
      prevBatch,
      mark,
      cap: this.opts.maxBackfill,
      pageSize: BACKFILL_PAGE,
      isOwnJoin: (ev) => this.isOwnJoin(ev),
      knownEvents: (ids) => this.handler.knownEvents(ids),
    });
    this.log.info("backfilled a limited timeline", { roomId, events: plan.events, pages: plan.pages.length });
    if (plan.gap) {
      this.log.warn("backfill reached its cap before what was handled; reporting a gap", {
        ...plan.gap,
        cap: this.opts.maxBackfill,
      });
      this.acted++;
      await this.handler.onGap(plan.gap);
    }
    for await (const page of pagesOldestFirst(this.api, roomId, plan)) {
      const items: TimelineItem[] = [];
      for (const ev of page) if (this.addressed(ev)) items.push(await this.readable(roomId, ev));
      if (items.length > 0) {
        this.acted++;
        await this.handler.onTimeline(items);
      }
    }
  }

  /** Others' messages (not state, not our own) are what the bot may act on. */
  private addressed(ev: RawEvent): boolean {
    return !!ev.event_id && ev.sender !== this.userId && ev.state_key === undefined;
  }

  /** Our membership becoming join — not a display name or avatar change while already joined. */
  private isOwnJoin(ev: RawEvent): boolean {
    if (ev.type !== "m.room.member" || ev.state_key !== this.userId || ev.content.membership !== "join")
      return false;
    const prev = ev.unsigned?.prev_content;
    return !(
      typeof prev === "object" &&
      prev !== null &&
      (prev as Record<string, unknown>).membership === "join"
    );
  }

  private async readable(roomId: string, ev: RawEvent): Promise<TimelineItem> {
    if (ev.type !== "m.room.encrypted") return { roomId, event: ev, encrypted: false };
    const res = await this.crypto.decrypt(roomId, ev);
    if (res.ok) return { roomId, event: res.event, encrypted: true, senderDevice: res.senderDevice };
    if (res.untrusted) return { roomId, event: ev, encrypted: true, untrustedSender: true };
    const permanentFailure = res.permanent ? res.label : undefined;
    const failure = { decryptionError: res.reason, sessionId: res.sessionId, permanentFailure };
    return { roomId, event: ev, encrypted: true, ...failure };
  }
}

/** The newest event of a timeline, with the newest time among them that can be trusted. */
function markOf(timeline: RawEvent[]): RoomMark | undefined {
  const last = timeline.findLast((e) => e.event_id);
  if (!last?.event_id) return undefined;
  const ts = timeline.findLast((e) => originTs(e.origin_server_ts) !== undefined)?.origin_server_ts;
  return { eventId: last.event_id, ts: originTs(ts) };
}
