import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../log.ts";
import type { JoinedRoom, MatrixApi, RawEvent, SyncResponse } from "./api.ts";
import type { CryptoEngine } from "./crypto.ts";
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
  loadToken(): Promise<string | undefined>;
  saveToken(token: string): Promise<void>;
}

export interface SyncOptions {
  timelineLimit: number;
  pollTimeoutMs: number;
  maxBackfill: number;
}

const BACKFILL_PAGE = 100;

/** Fetches encrypted, readable events for rooms in order; runs until stop(). */
export class SyncLoop {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  readonly joined = new Set<string>();
  lastSyncAt: Date | undefined;

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
    await this.handleRooms(res, since === undefined);
    this.lastSyncAt = new Date();
    await this.handler.saveToken(res.next_batch);
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
      } catch (err) {
        if (this.abort.signal.aborted) break;
        failures++;
        const wait = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        this.log.error("sync failed; retrying", { err, waitMs: wait });
        await sleep(wait).catch(() => undefined);
      }
    }
  }

  private async handleRooms(res: SyncResponse, initial: boolean): Promise<void> {
    for (const [roomId, room] of Object.entries(res.rooms?.invite ?? {})) {
      const invite = room.invite_state?.events.find(
        (e) => e.type === "m.room.member" && e.state_key === this.userId && e.content.membership === "invite",
      );
      await this.handler.onInvite(roomId, invite?.sender);
    }
    for (const roomId of Object.keys(res.rooms?.leave ?? {})) {
      this.joined.delete(roomId);
      this.rooms.forget(roomId);
    }
    const items: TimelineItem[] = [];
    for (const [roomId, room] of Object.entries(res.rooms?.join ?? {})) {
      if (!this.joined.has(roomId)) {
        this.joined.add(roomId);
        if (!initial) await this.handler.onJoined(roomId);
      }
      await this.noteState(roomId, room);
      if (initial) continue; // history from before this device's first start is not ours to act on
      for (const ev of await this.timelineOf(roomId, room)) items.push(await this.readable(roomId, ev));
    }
    if (items.length > 0) await this.handler.onTimeline(items);
    // Decryption may have advanced ratchets: persist before the token moves.
    await this.crypto.sendOutgoingRequests();
  }

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
    if (newMembers.length > 0 && (await this.rooms.isEncrypted(roomId)))
      await this.crypto.trackUsers(newMembers);
  }

  /** Timeline events to handle, oldest first, with a limited timeline backfilled from /messages. */
  private async timelineOf(roomId: string, room: JoinedRoom): Promise<RawEvent[]> {
    let events = room.timeline?.events ?? [];
    if (room.timeline?.limited && room.timeline.prev_batch) {
      const older = await this.backfill(roomId, room.timeline.prev_batch);
      events = [...older, ...events];
    }
    // In a room just joined, only what comes after our own join is addressed to us.
    const joinIdx = events.findLastIndex((e) => this.isOwnJoin(e));
    if (joinIdx >= 0) events = events.slice(joinIdx + 1);
    return events.filter((e) => e.event_id && e.sender !== this.userId && e.state_key === undefined);
  }

  private async backfill(roomId: string, from: string): Promise<RawEvent[]> {
    const collected: RawEvent[] = [];
    let token: string | undefined = from;
    while (token && collected.length < this.opts.maxBackfill) {
      const page = await this.api.messages(roomId, { from: token, dir: "b", limit: BACKFILL_PAGE });
      const ids = page.chunk.map((e) => e.event_id).filter((id): id is string => !!id);
      const known = await this.handler.knownEvents(ids);
      let stop = page.chunk.length === 0 || !page.end;
      for (const ev of page.chunk) {
        const ownJoin = this.isOwnJoin(ev);
        if ((ev.event_id && known.has(ev.event_id)) || ownJoin) {
          stop = true;
          if (ownJoin) collected.push(ev);
          break;
        }
        collected.push(ev);
      }
      if (stop) break;
      token = page.end;
    }
    this.log.info("backfilled a limited timeline", { roomId, events: collected.length });
    return collected.reverse();
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
