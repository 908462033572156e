/**
 * A homeserver cut at the bot's HTTP client: a `fetch` that answers the client-server API the bot
 * uses from memory — login, keys upload/query/claim, signatures, to-device, one encrypted room, a
 * /sync fed by the test, and a recorder of every PUT. Just enough of the spec's semantics for a
 * real OlmMachine on each side to set up Olm sessions and exchange Megolm keys; no federation, no
 * auth beyond the access token naming the user.
 */

type Json = Record<string, unknown>;

export interface ScriptedEvent {
  /** To-device events (e.g. the room key) each user must get with or before this event. */
  toDevice: Record<string, Json[]>;
  event: Json;
}

export interface Recorded {
  at: number;
  method: string;
  path: string;
  body: Json;
}

interface Device {
  keys: Json;
  otks: Map<string, unknown>;
  fallback: Map<string, unknown>;
  inbox: Json[];
}

interface User {
  devices: Map<string, Device>;
  master?: Json;
  selfSigning?: Json;
  userSigning?: Json;
}

const HANDLED_PREFIX = "/_matrix/client/v3";

export class FakeHomeserver {
  readonly roomId = "!pipeline:fake.test";
  readonly requests: Recorded[] = [];
  /** When each scripted event left in a /sync response (performance.now()). */
  readonly deliveredAt = new Map<string, number>();
  private readonly users = new Map<string, User>();
  private readonly tokens = new Map<string, { userId: string; deviceId: string }>();
  private readonly passwords = new Map<string, string>();
  private script: ScriptedEvent[] = [];
  private wake: (() => void) | undefined;
  private batch = 0;
  private sent = 0;
  private readonly txns = new Map<string, string>();
  private pendingListChanges = new Set<string>();
  /** Called with every request the bot makes, as it arrives. */
  onRequest: ((r: Recorded) => void) | undefined;
  /** Room members as the bot sees them (joined). */
  readonly members: string[];

  constructor(
    readonly bot: { userId: string; password: string },
    members: string[],
    private readonly timelineLimit = 50,
  ) {
    this.members = [bot.userId, ...members];
    this.passwords.set(bot.userId, bot.password);
  }

  /** Register another client's device (the officer), which then talks through `handle`. */
  token(userId: string, deviceId: string): string {
    const t = `tok-${userId}-${deviceId}`;
    this.tokens.set(t, { userId, deviceId });
    this.user(userId);
    return t;
  }

  /** Queue events for the bot's next syncs (oldest first). */
  feed(events: ScriptedEvent[]): void {
    this.script.push(...events);
    this.wake?.();
  }

  get queued(): number {
    return this.script.length;
  }

  /** PUTs the bot made into the room, in order. */
  roomSends(): Recorded[] {
    return this.requests.filter((r) => r.method === "PUT" && r.path.includes("/send/"));
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    const body: Json = typeof init?.body === "string" && init.body ? (JSON.parse(init.body) as Json) : {};
    const auth = new Headers(init?.headers).get("authorization")?.replace(/^Bearer /, "");
    const who = auth ? this.tokens.get(auth) : undefined;
    const path = decodeURIComponent(url.pathname).slice(HANDLED_PREFIX.length);
    const rec = { at: performance.now(), method, path, body };
    this.requests.push(rec);
    this.onRequest?.(rec);
    const res = await this.answer(method, path, body, who, url.searchParams, init?.signal ?? undefined);
    return new Response(JSON.stringify(res.body), {
      status: res.status,
      headers: { "content-type": "application/json" },
    });
  };

  /** The same API, called directly by an in-process client (no HTTP, not recorded). */
  async handle(token: string, method: string, path: string, body: Json): Promise<Json> {
    const who = this.tokens.get(token);
    const res = await this.answer(method, path, body, who, new URLSearchParams(), undefined);
    if (res.status !== 200) throw new Error(`fake homeserver: ${method} ${path} → ${res.status}`);
    return res.body;
  }

  private user(userId: string): User {
    let u = this.users.get(userId);
    if (!u) {
      u = { devices: new Map() };
      this.users.set(userId, u);
    }
    return u;
  }

  private device(userId: string, deviceId: string): Device {
    const u = this.user(userId);
    let d = u.devices.get(deviceId);
    if (!d) {
      d = { keys: {}, otks: new Map(), fallback: new Map(), inbox: [] };
      u.devices.set(deviceId, d);
    }
    return d;
  }

  private async answer(
    method: string,
    path: string,
    body: Json,
    who: { userId: string; deviceId: string } | undefined,
    query: URLSearchParams,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; body: Json }> {
    const ok = (b: Json = {}) => ({ status: 200, body: b });
    if (method === "POST" && path === "/login") {
      const user = (body.identifier as Json | undefined)?.user as string;
      if (this.passwords.get(user) !== body.password)
        return { status: 403, body: { errcode: "M_FORBIDDEN", error: "bad password" } };
      const deviceId = "BOTDEVICE";
      const access_token = this.token(user, deviceId);
      return ok({ user_id: user, device_id: deviceId, access_token });
    }
    if (!who) return { status: 401, body: { errcode: "M_UNKNOWN_TOKEN", error: "no token" } };
    if (path === "/account/whoami") return ok({ user_id: who.userId, device_id: who.deviceId });
    if (path === "/joined_rooms") return ok({ joined_rooms: [this.roomId] });
    if (path === "/keys/upload") return ok(this.keysUpload(who, body));
    if (path === "/keys/query") return ok(this.keysQuery(who, body));
    if (path === "/keys/claim") return ok(this.keysClaim(body));
    if (path === "/keys/device_signing/upload") {
      const u = this.user(who.userId);
      if (body.master_key) u.master = body.master_key as Json;
      if (body.self_signing_key) u.selfSigning = body.self_signing_key as Json;
      if (body.user_signing_key) u.userSigning = body.user_signing_key as Json;
      this.pendingListChanges.add(who.userId);
      return ok();
    }
    if (path === "/keys/signatures/upload") return ok(this.signaturesUpload(body));
    const toDevice = /^\/sendToDevice\/([^/]+)\/([^/]+)$/.exec(path);
    if (toDevice) {
      this.sendToDevice(who.userId, toDevice[1] ?? "", body);
      return ok();
    }
    if (path === "/sync") return ok(await this.sync(who, query, signal));
    const room = `/rooms/${this.roomId}`;
    if (path === `${room}/state/m.room.encryption/`) return ok({ algorithm: "m.megolm.v1.aes-sha2" });
    if (path === `${room}/state/m.room.history_visibility/`) return ok({ history_visibility: "shared" });
    if (path === `${room}/members`) return ok({ chunk: this.members.map((m) => this.memberEvent(m)) });
    const send = new RegExp(`^${escapeRegExp(room)}/(?:send|redact)/[^/]+/([^/]+)$`).exec(path);
    if (send && method === "PUT") {
      const txn = send[1] ?? "";
      let id = this.txns.get(txn);
      if (!id) {
        id = `$bot-${++this.sent}`;
        this.txns.set(txn, id);
        // The sender sees its own event come back in its next sync, as from any homeserver.
        const type = /\/send\/([^/]+)\//.exec(path)?.[1] ?? "m.room.message";
        const echo = { type, event_id: id, sender: who.userId, origin_server_ts: Date.now(), content: body };
        this.script.push({ toDevice: {}, event: echo });
        this.wake?.();
      }
      return ok({ event_id: id });
    }
    return { status: 404, body: { errcode: "M_UNRECOGNIZED", error: `${method} ${path}` } };
  }

  private keysUpload(who: { userId: string; deviceId: string }, body: Json): Json {
    const d = this.device(who.userId, who.deviceId);
    if (body.device_keys) {
      d.keys = body.device_keys as Json;
      this.pendingListChanges.add(who.userId);
    }
    for (const [k, v] of Object.entries((body.one_time_keys as Json | undefined) ?? {})) d.otks.set(k, v);
    const fallback = Object.entries((body.fallback_keys as Json | undefined) ?? {});
    if (fallback.length > 0) d.fallback = new Map(fallback);
    return { one_time_key_counts: { signed_curve25519: d.otks.size } };
  }

  private keysQuery(who: { userId: string }, body: Json): Json {
    const wanted = (body.device_keys as Record<string, string[]> | undefined) ?? {};
    const device_keys: Json = {};
    const master_keys: Json = {};
    const self_signing_keys: Json = {};
    const user_signing_keys: Json = {};
    for (const userId of Object.keys(wanted)) {
      const u = this.users.get(userId);
      if (!u) continue;
      device_keys[userId] = Object.fromEntries(
        [...u.devices].filter(([, d]) => d.keys.device_id).map(([id, d]) => [id, d.keys]),
      );
      if (u.master) master_keys[userId] = u.master;
      if (u.selfSigning) self_signing_keys[userId] = u.selfSigning;
      if (u.userSigning && userId === who.userId) user_signing_keys[userId] = u.userSigning;
    }
    return { device_keys, master_keys, self_signing_keys, user_signing_keys, failures: {} };
  }

  private keysClaim(body: Json): Json {
    const wanted = (body.one_time_keys as Record<string, Record<string, string>> | undefined) ?? {};
    const one_time_keys: Json = {};
    for (const [userId, devices] of Object.entries(wanted)) {
      const out: Json = {};
      for (const deviceId of Object.keys(devices)) {
        const d = this.users.get(userId)?.devices.get(deviceId);
        if (!d) continue;
        const first = d.otks.keys().next();
        if (!first.done) {
          out[deviceId] = { [first.value]: d.otks.get(first.value) };
          d.otks.delete(first.value);
        } else if (d.fallback.size > 0) out[deviceId] = Object.fromEntries(d.fallback);
      }
      one_time_keys[userId] = out;
    }
    return { one_time_keys, failures: {} };
  }

  private signaturesUpload(body: Json): Json {
    for (const [userId, objects] of Object.entries(body as Record<string, Record<string, Json>>)) {
      const u = this.user(userId);
      for (const [keyId, signed] of Object.entries(objects)) {
        const target = u.devices.get(keyId)?.keys ?? (isKeyOf(u.master, keyId) ? u.master : undefined);
        if (!target) continue;
        const sigs = (target.signatures ?? {}) as Record<string, Json>;
        for (const [signer, s] of Object.entries((signed.signatures ?? {}) as Record<string, Json>))
          sigs[signer] = { ...(sigs[signer] ?? {}), ...s };
        target.signatures = sigs;
      }
      this.pendingListChanges.add(userId);
    }
    return { failures: {} };
  }

  private sendToDevice(sender: string, type: string, body: Json): void {
    const messages = (body.messages as Record<string, Record<string, Json>> | undefined) ?? {};
    for (const [userId, devices] of Object.entries(messages)) {
      const u = this.users.get(userId);
      if (!u) continue;
      for (const [deviceId, content] of Object.entries(devices)) {
        const targets = deviceId === "*" ? [...u.devices.values()] : [u.devices.get(deviceId)];
        for (const d of targets) d?.inbox.push({ type, sender, content });
      }
    }
  }

  private memberEvent(userId: string): Json {
    return {
      type: "m.room.member",
      state_key: userId,
      sender: userId,
      event_id: `$member-${userId}`,
      origin_server_ts: 0,
      content: { membership: "join" },
    };
  }

  private roomState(): Json[] {
    const creator = this.members[1] ?? this.bot.userId;
    const state = (type: string, content: Json) => ({
      type,
      state_key: "",
      sender: creator,
      event_id: `$state-${type}`,
      origin_server_ts: 0,
      content,
    });
    return [
      state("m.room.create", { creator }),
      ...this.members.map((m) => this.memberEvent(m)),
      state("m.room.encryption", { algorithm: "m.megolm.v1.aes-sha2" }),
      state("m.room.history_visibility", { history_visibility: "shared" }),
    ];
  }

  private async sync(
    who: { userId: string; deviceId: string },
    query: URLSearchParams,
    signal: AbortSignal | undefined,
  ): Promise<Json> {
    const since = query.get("since");
    const d = this.device(who.userId, who.deviceId);
    const timeout = Number(query.get("timeout") ?? 0);
    const hasNews = () => this.script.length > 0 || d.inbox.length > 0 || this.pendingListChanges.size > 0;
    if (since && !hasNews() && timeout > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeout);
        function done(): void {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          resolve();
        }
        this.wake = done;
        signal?.addEventListener("abort", done);
      });
      this.wake = undefined;
    }
    const next_batch = `s${++this.batch}`;
    const counts = { signed_curve25519: d.otks.size };
    const fallbackTypes = d.fallback.size > 0 ? ["signed_curve25519"] : [];
    if (!since) {
      return {
        next_batch,
        rooms: { join: { [this.roomId]: { state: { events: this.roomState() }, timeline: { events: [] } } } },
        device_one_time_keys_count: counts,
        device_unused_fallback_key_types: fallbackTypes,
      };
    }
    const items = this.script.splice(0, this.timelineLimit);
    const at = performance.now();
    const toDevice = [...d.inbox.splice(0), ...items.flatMap((i) => i.toDevice[who.userId] ?? [])];
    for (const i of items) this.deliveredAt.set(String(i.event.event_id), at);
    const changed = [...this.pendingListChanges];
    this.pendingListChanges.clear();
    const res: Json = {
      next_batch,
      to_device: { events: toDevice },
      device_lists: { changed, left: [] },
      device_one_time_keys_count: counts,
      device_unused_fallback_key_types: fallbackTypes,
    };
    if (items.length > 0)
      res.rooms = {
        join: { [this.roomId]: { timeline: { events: items.map((i) => i.event), limited: false } } },
      };
    return res;
  }
}

function isKeyOf(key: Json | undefined, keyId: string): boolean {
  return !!key && Object.values((key.keys ?? {}) as Record<string, string>).includes(keyId);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
