/**
 * The "officer": an independent Matrix client on the other side of e2e tests (design §8) —
 * matrix-js-sdk 37.5.0 with its Rust crypto, the engine Element uses. Fresh device per officer,
 * in-memory crypto store, shares room keys with unverified devices (the SDK default:
 * AllDevicesIsolationMode, globalBlacklistUnverifiedDevices = false).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  ClientEvent,
  createClient,
  Direction,
  EventType,
  type MatrixClient,
  type MatrixEvent,
  MatrixEventEvent,
  MatrixScheduler,
  MsgType,
  Preset,
  RelationType,
  RoomEvent,
  RoomMemberEvent,
  SyncState,
} from "matrix-js-sdk";
import { logger as sdkLogger } from "matrix-js-sdk/lib/logger.js";
import { CryptoEvent } from "matrix-js-sdk/lib/crypto-api/index.js";
import { registerUser, uniqueName } from "./homeserver.ts";

export interface HomeserverInfo {
  url: string;
  sharedSecret: string;
}

/** A timeline event as the officer saw it, after decryption. */
export interface ReceivedEvent {
  eventId: string;
  sender: string;
  type: string;
  body: string; // content.body when a string, else ""
  content: Record<string, unknown>;
  encrypted: boolean; // the wire event was m.room.encrypted
  replyTo?: string; // content["m.relates_to"]["m.in_reply_to"].event_id
  thread?: string; // the thread root, when content["m.relates_to"].rel_type is m.thread
}

export interface OfficerOptions {
  /**
   * One send queue per room instead of the SDK's default single queue for every message of every
   * room (MatrixScheduler.QUEUE_MESSAGES): rooms send side by side, each still in order.
   */
  sendQueuePerRoom?: boolean;
}

export type EventPredicate = (ev: ReceivedEvent) => boolean;

const debug = Boolean(process.env.DEBUG_OFFICER);
const noop = (): void => {};

function hasFn<K extends string>(o: unknown, k: K): o is Record<K, (...args: unknown[]) => unknown> {
  return typeof o === "object" && o !== null && k in o && typeof (o as Record<K, unknown>)[k] === "function";
}

// Every SDK logger (module-level and per-client) is the loglevel logger "matrix" or a getChild() of
// it, and children copy its methodFactory: a no-op factory silences them all.
if (!debug && hasFn(sdkLogger, "rebuild")) {
  Object.assign(sdkLogger, { methodFactory: () => noop });
  sdkLogger.rebuild();
}

/**
 * initRustCrypto turns the wasm's tracing on at DEBUG (thousands of lines). On the SDK's own wasm
 * instance (its nested copy, not ours), make every turnOn() lower the level to ERROR first.
 */
export const quietRustTracing: Promise<void> = (async () => {
  if (debug) return;
  const sdkEntry = createRequire(import.meta.url).resolve("matrix-js-sdk");
  const wasmCjs = createRequire(sdkEntry).resolve("@matrix-org/matrix-sdk-crypto-wasm"); // <pkg>/node.cjs
  const wasm: unknown = await import(pathToFileURL(join(dirname(wasmCjs), "node.mjs")).href);
  type Tracing = { minLevel: unknown; turnOn(): void };
  const { Tracing, LoggerLevel } = wasm as {
    Tracing: { prototype: Tracing };
    LoggerLevel: { Error: unknown };
  };
  const turnOn = Tracing.prototype.turnOn;
  Tracing.prototype.turnOn = function (this: Tracing) {
    this.minLevel = LoggerLevel.Error;
    turnOn.call(this);
  };
})();

function record(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export class Officer {
  private readonly events = new Map<string, ReceivedEvent[]>();
  private readonly seen = new Set<string>();
  private readonly wakers = new Set<() => void>();

  private constructor(
    readonly client: MatrixClient,
    readonly userId: string,
    readonly deviceId: string,
    readonly password: string,
  ) {}

  /** Registers a fresh user and logs in a fresh device for it. */
  static async create(
    hs: HomeserverInfo,
    localpart = uniqueName("officer"),
    opts: OfficerOptions = {},
  ): Promise<Officer> {
    const user = await registerUser(hs, localpart);
    return Officer.login(hs, user.userId, user.password, opts);
  }

  /** Logs in a new device of an existing user (password login), with crypto, synced. */
  static async login(
    hs: HomeserverInfo,
    user: string,
    password: string,
    opts: OfficerOptions = {},
  ): Promise<Officer> {
    const res = await createClient({ baseUrl: hs.url }).loginRequest({
      type: "m.login.password",
      identifier: { type: "m.id.user", user },
      password,
      initial_device_display_name: "tearline-test-officer",
    });
    const client = createClient({
      baseUrl: hs.url,
      userId: res.user_id,
      deviceId: res.device_id,
      accessToken: res.access_token,
      ...(opts.sendQueuePerRoom
        ? {
            scheduler: new MatrixScheduler(
              MatrixScheduler.RETRY_BACKOFF_RATELIMIT,
              (ev) => ev.getRoomId() ?? null,
            ),
          }
        : {}),
    });
    const officer = new Officer(client, res.user_id, res.device_id, password);
    await quietRustTracing;
    await client.initRustCrypto({ useIndexedDB: false });
    officer.listen();
    const prepared = new Promise<void>((resolve, reject) => {
      const onSync = (state: SyncState): void => {
        if (state === SyncState.Error) reject(new Error(`officer ${res.user_id}: first sync failed`));
        else if (state === SyncState.Prepared || state === SyncState.Syncing) resolve();
        else return;
        client.off(ClientEvent.Sync, onSync);
      };
      client.on(ClientEvent.Sync, onSync);
    });
    await client.startClient({ initialSyncLimit: 50 });
    await prepared;
    await officer.waitForDevice(res.user_id, res.device_id); // own keys are on the server: others can encrypt to us
    return officer;
  }

  private listen(): void {
    const wake = (): void => {
      for (const w of [...this.wakers]) w();
    };
    this.client.on(RoomEvent.Timeline, (ev) => this.consider(ev));
    this.client.on(MatrixEventEvent.Decrypted, (ev) => this.consider(ev));
    this.client.on(RoomMemberEvent.Membership, wake);
    this.client.on(ClientEvent.Room, wake);
    this.client.on(ClientEvent.Sync, wake);
  }

  /** Records a timeline event once it is in the clear; undecryptable ones come back via Decrypted. */
  private consider(ev: MatrixEvent): void {
    const eventId = ev.getId();
    const roomId = ev.getRoomId();
    if (!eventId || !roomId || eventId.startsWith("~") || this.seen.has(eventId)) return;
    if (ev.isBeingDecrypted() || ev.isDecryptionFailure() || ev.getType() === "m.room.encrypted") return;
    this.seen.add(eventId);
    const content = record(ev.getOriginalContent()); // not the aggregated edit
    const relates = record(content["m.relates_to"]);
    const replyTo = record(relates["m.in_reply_to"]).event_id;
    const thread = relates.rel_type === "m.thread" ? relates.event_id : undefined;
    const received: ReceivedEvent = {
      eventId,
      sender: ev.getSender() ?? "",
      type: ev.getType(),
      body: typeof content.body === "string" ? content.body : "",
      content,
      encrypted: ev.isEncrypted(),
      ...(typeof replyTo === "string" ? { replyTo } : {}),
      ...(typeof thread === "string" ? { thread } : {}),
    };
    const list = this.events.get(roomId) ?? [];
    list.push(received);
    this.events.set(roomId, list);
    for (const w of [...this.wakers]) w();
  }

  /** Resolves once `check` returns a value, re-checking on every sync/timeline/decryption/membership change. */
  waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wakers.delete(waker);
        reject(new Error(`officer ${this.userId}: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const waker = (): void => {
        const v = check();
        if (v === undefined) return;
        clearTimeout(timer);
        this.wakers.delete(waker);
        resolve(v);
      };
      this.wakers.add(waker);
    });
  }

  /** All decrypted timeline events received so far in the room, in arrival order. */
  /**
   * Reads the room's recent history from the server (`/messages`) and records what the live
   * timeline missed. After an outage the officer's next sync can be `limited` (more news than its
   * timeline limit): matrix-js-sdk then reports only the newest events, and the gap's never come.
   */
  async refetch(roomId: string, limit = 1000): Promise<void> {
    const res = await this.client.createMessagesRequest(roomId, null, limit, Direction.Backward);
    const mapper = this.client.getEventMapper();
    for (const raw of res.chunk.reverse()) {
      const ev = mapper(raw);
      await this.client.decryptEventIfNeeded(ev).catch(() => undefined);
      this.consider(ev);
    }
  }

  eventsIn(roomId: string): ReceivedEvent[] {
    return [...(this.events.get(roomId) ?? [])];
  }

  /** `m.room.message` events from `sender` received so far. */
  messagesFrom(roomId: string, sender: string): ReceivedEvent[] {
    return this.eventsIn(roomId).filter((e) => e.type === "m.room.message" && e.sender === sender);
  }

  waitForEvent(roomId: string, predicate: EventPredicate, timeoutMs = 30_000): Promise<ReceivedEvent> {
    return this.waitFor(`an event in ${roomId}`, () => this.events.get(roomId)?.find(predicate), timeoutMs);
  }

  /** Resolves on an already-received or future (decrypted) `m.room.message` matching `predicate`. */
  waitForMessage(roomId: string, predicate: EventPredicate, timeoutMs = 30_000): Promise<ReceivedEvent> {
    return this.waitForEvent(roomId, (e) => e.type === "m.room.message" && predicate(e), timeoutMs);
  }

  /** Resolves when this client sees `userId` with the given membership in the room. */
  waitForMembership(roomId: string, userId: string, membership = "join", timeoutMs = 30_000): Promise<true> {
    const check = () =>
      this.client.getRoom(roomId)?.getMember(userId)?.membership === membership ? true : undefined;
    return this.waitFor(`${userId} to be ${membership} in ${roomId}`, check, timeoutMs);
  }

  /**
   * Resolves once the server lists `deviceId` of `userId` and this client's crypto knows it, so
   * messages sent from now on are encrypted to it. Re-checks on DevicesUpdated (or every second).
   */
  async waitForDevice(userId: string, deviceId: string, timeoutMs = 30_000): Promise<void> {
    const crypto = this.client.getCrypto();
    if (!crypto) throw new Error("officer has no crypto");
    const deadline = Date.now() + timeoutMs;
    const present = async (): Promise<boolean> => {
      const onServer = record(record((await this.client.downloadKeysForUsers([userId])).device_keys)[userId]);
      return (
        deviceId in onServer &&
        Boolean((await crypto.getUserDeviceInfo([userId], true)).get(userId)?.has(deviceId))
      );
    };
    for (;;) {
      let wake = noop;
      const updated = new Promise<void>((resolve) => {
        wake = resolve;
      });
      this.client.on(CryptoEvent.DevicesUpdated, wake);
      const timer = setTimeout(wake, Math.min(1000, Math.max(0, deadline - Date.now())));
      try {
        if (await present()) return;
        if (Date.now() >= deadline)
          throw new Error(`officer ${this.userId}: ${userId}/${deviceId} never appeared`);
        await updated;
      } finally {
        clearTimeout(timer);
        this.client.off(CryptoEvent.DevicesUpdated, wake);
      }
    }
  }

  /** Resolves with the id of a room this officer is invited to (optionally one matching `roomId`). */
  waitForInvite(roomId?: string, timeoutMs = 30_000): Promise<string> {
    const check = () =>
      this.client.getRooms().find((r) => r.getMyMembership() === "invite" && (!roomId || r.roomId === roomId))
        ?.roomId;
    return this.waitFor(`an invite${roomId ? ` to ${roomId}` : ""}`, check, timeoutMs);
  }

  async createRoom(opts: { encrypted: boolean; invite?: string[]; name?: string }): Promise<string> {
    const { room_id } = await this.client.createRoom({
      preset: Preset.PrivateChat,
      invite: opts.invite ?? [],
      ...(opts.name ? { name: opts.name } : {}),
      initial_state: opts.encrypted
        ? [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }]
        : [],
    });
    await this.waitForMembership(room_id, this.userId);
    return room_id;
  }

  async invite(roomId: string, userId: string): Promise<void> {
    await this.client.invite(roomId, userId);
  }

  async join(roomId: string): Promise<void> {
    await this.client.joinRoom(roomId);
    await this.waitForMembership(roomId, this.userId);
  }

  /**
   * Sends an `m.text` message (encrypted automatically in encrypted rooms); returns its event id.
   * `thread`: post it in that thread as Element does (`m.thread` with the reply fallback to the
   * thread's latest event, here the root unless `replyTo` says otherwise).
   */
  async send(
    roomId: string,
    body: string,
    opts: { replyTo?: string; thread?: string } = {},
  ): Promise<string> {
    const relates = opts.thread
      ? {
          "m.relates_to": {
            rel_type: "m.thread",
            event_id: opts.thread,
            is_falling_back: opts.replyTo === undefined,
            "m.in_reply_to": { event_id: opts.replyTo ?? opts.thread },
          },
        }
      : opts.replyTo
        ? { "m.relates_to": { "m.in_reply_to": { event_id: opts.replyTo } } }
        : {};
    const res = await this.client.sendMessage(roomId, { msgtype: MsgType.Text, body, ...relates });
    return res.event_id;
  }

  async edit(roomId: string, eventId: string, newBody: string): Promise<string> {
    const res = await this.client.sendMessage(roomId, {
      msgtype: MsgType.Text,
      body: `* ${newBody}`,
      "m.new_content": { msgtype: MsgType.Text, body: newBody },
      "m.relates_to": { rel_type: RelationType.Replace, event_id: eventId },
    });
    return res.event_id;
  }

  async react(roomId: string, eventId: string, key: string): Promise<string> {
    const relates = { rel_type: RelationType.Annotation as const, event_id: eventId, key };
    const res = await this.client.sendEvent(roomId, EventType.Reaction, { "m.relates_to": relates });
    return res.event_id;
  }

  async redact(roomId: string, eventId: string): Promise<string> {
    const res = await this.client.redactEvent(roomId, eventId);
    return res.event_id;
  }

  /** Creates this user's cross-signing identity and signs this device with it (as Element's set-up does). */
  async bootstrapCrossSigning(): Promise<void> {
    const crypto = this.client.getCrypto();
    if (!crypto) throw new Error("officer has no crypto");
    await crypto.bootstrapCrossSigning({
      authUploadDeviceSigningKeys: async (makeRequest) => {
        await makeRequest({
          type: "m.login.password",
          identifier: { type: "m.id.user", user: this.userId },
          password: this.password,
        });
      },
    });
  }

  /**
   * The bytes behind an `mxc://` URI, as a current client fetches them: the authenticated media
   * API (Matrix 1.11) with the officer's access token.
   */
  async downloadMedia(mxc: string): Promise<Buffer> {
    const m = /^mxc:\/\/([^/]+)\/([^/?#]+)$/.exec(mxc);
    if (!m) throw new Error(`not an mxc URI: ${mxc}`);
    const url = `${this.client.baseUrl}/_matrix/client/v1/media/download/${encodeURIComponent(m[1] ?? "")}/${encodeURIComponent(m[2] ?? "")}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${this.client.getAccessToken()}` } });
    if (!res.ok) throw new Error(`download of ${mxc} failed: ${res.status} ${await res.text()}`);
    return Buffer.from(await res.arrayBuffer());
  }

  /** Stops syncing and frees the Rust crypto machine (stopClient stops the crypto backend). */
  async stop(): Promise<void> {
    this.wakers.clear();
    this.client.stopClient();
    this.client.removeAllListeners();
  }
}
