import { z } from "zod";
import { MatrixHttp, type HttpOptions } from "./http.ts";

const e = encodeURIComponent;
const V3 = "/_matrix/client/v3";

export const RawEvent = z
  .object({
    type: z.string(),
    event_id: z.string().optional(),
    sender: z.string().optional(),
    // Kept as the server sent it (decryption needs the event unchanged) and typed unknown, so every
    // reader goes through originTs/originDate (eventTime.ts): a time no Date can hold, or one that
    // is not even a number, leaves the event readable and its time unknown.
    origin_server_ts: z.unknown().optional(),
    state_key: z.string().optional(),
    content: z.record(z.string(), z.unknown()).default({}),
    unsigned: z.record(z.string(), z.unknown()).optional(),
    redacts: z.string().optional(),
  })
  .passthrough();
export type RawEvent = z.infer<typeof RawEvent>;

/**
 * Events one by one: a malformed event (another server's, a buggy client's) is dropped, not
 * allowed to fail the whole /sync — which would be retried with the same token forever.
 */
const EventList = z
  .array(z.unknown())
  .default([])
  .transform((events) =>
    events.flatMap((e) => {
      const parsed = RawEvent.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    }),
  );

const Timeline = z.object({
  events: EventList,
  limited: z.boolean().optional(),
  prev_batch: z.string().optional(),
});
const Events = z.object({ events: EventList }).optional();

const JoinedRoom = z
  .object({
    state: Events,
    timeline: Timeline.optional(),
  })
  .passthrough();
const InvitedRoom = z.object({ invite_state: Events }).passthrough();

export const SyncResponse = z
  .object({
    next_batch: z.string(),
    rooms: z
      .object({
        join: z.record(z.string(), JoinedRoom).optional(),
        invite: z.record(z.string(), InvitedRoom).optional(),
        leave: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
    to_device: Events,
    device_lists: z
      .object({ changed: z.array(z.string()).optional(), left: z.array(z.string()).optional() })
      .optional(),
    device_one_time_keys_count: z.record(z.string(), z.number()).optional(),
    device_unused_fallback_key_types: z.array(z.string()).optional(),
    "org.matrix.msc2732.device_unused_fallback_key_types": z.array(z.string()).optional(),
  })
  .passthrough();
export type SyncResponse = z.infer<typeof SyncResponse>;
export type JoinedRoom = z.infer<typeof JoinedRoom>;

const LoginResponse = z.object({ user_id: z.string(), access_token: z.string(), device_id: z.string() });
const JoinedRooms = z.object({ joined_rooms: z.array(z.string()) });
const WhoAmI = z.object({ user_id: z.string(), device_id: z.string().optional() });
const EventIdResponse = z.object({ event_id: z.string() });
const RoomIdResponse = z.object({ room_id: z.string() });
const MessagesResponse = z.object({
  chunk: EventList,
  start: z.string().optional(),
  end: z.string().optional(),
});
const MembersResponse = z.object({ chunk: EventList });
const AnyJson = z.record(z.string(), z.unknown());
const UploadResponse = z.object({ content_uri: z.string().startsWith("mxc://") });
const MEDIA_V3 = "/_matrix/media/v3";
const MEDIA_V1 = "/_matrix/client/v1/media";
const Empty = z.object({}).passthrough();

/** The typed slice of the client-server API that Tearline uses. */
export class MatrixApi {
  readonly http: MatrixHttp;
  constructor(opts: HttpOptions) {
    this.http = new MatrixHttp(opts);
  }

  set accessToken(token: string) {
    this.http.accessToken = token;
  }

  login(user: string, password: string, deviceName: string) {
    return this.http.request("POST", `${V3}/login`, LoginResponse, {
      auth: false,
      body: {
        type: "m.login.password",
        identifier: { type: "m.id.user", user },
        password,
        initial_device_display_name: deviceName,
      },
    });
  }

  whoami() {
    return this.http.request("GET", `${V3}/account/whoami`, WhoAmI);
  }

  /** Whether the homeserver answers at all (`/versions`, no auth, one attempt): for `/health`. */
  async versions(signal: AbortSignal): Promise<void> {
    await this.http.request("GET", "/_matrix/client/versions", AnyJson, {
      auth: false,
      maxAttempts: 1,
      signal,
    });
  }

  async joinedRooms(): Promise<string[]> {
    return (await this.http.request("GET", `${V3}/joined_rooms`, JoinedRooms)).joined_rooms;
  }

  sync(p: { since?: string; timeoutMs: number; filter: object; signal?: AbortSignal }) {
    return this.http.request("GET", `${V3}/sync`, SyncResponse, {
      query: { since: p.since, timeout: p.timeoutMs, filter: JSON.stringify(p.filter) },
      extraTimeoutMs: p.timeoutMs,
      signal: p.signal,
    });
  }

  join(roomIdOrAlias: string) {
    return this.http.request("POST", `${V3}/join/${e(roomIdOrAlias)}`, RoomIdResponse, {
      body: {},
      maxAttempts: 4,
    });
  }

  leave(roomId: string) {
    return this.http.request("POST", `${V3}/rooms/${e(roomId)}/leave`, Empty, { body: {}, maxAttempts: 4 });
  }

  /** One state event's content, or undefined when the room has none. */
  async stateEvent(
    roomId: string,
    type: string,
    stateKey = "",
  ): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.http.request(
        "GET",
        `${V3}/rooms/${e(roomId)}/state/${e(type)}/${e(stateKey)}`,
        AnyJson,
      );
    } catch (err) {
      if (err instanceof Error && "errcode" in err && err.errcode === "M_NOT_FOUND") return undefined;
      throw err;
    }
  }

  async members(roomId: string): Promise<{ userId: string; membership: string }[]> {
    const res = await this.http.request("GET", `${V3}/rooms/${e(roomId)}/members`, MembersResponse);
    return res.chunk
      .filter((ev) => ev.type === "m.room.member" && ev.state_key)
      .map((ev) => ({ userId: ev.state_key as string, membership: String(ev.content.membership) }));
  }

  send(roomId: string, type: string, txnId: string, content: unknown) {
    return this.http.request("PUT", `${V3}/rooms/${e(roomId)}/send/${e(type)}/${e(txnId)}`, EventIdResponse, {
      body: content,
    });
  }

  redact(roomId: string, eventId: string, txnId: string, reason?: string) {
    return this.http.request(
      "PUT",
      `${V3}/rooms/${e(roomId)}/redact/${e(eventId)}/${e(txnId)}`,
      EventIdResponse,
      { body: reason ? { reason } : {} },
    );
  }

  messages(roomId: string, p: { from?: string; dir: "b" | "f"; limit: number; filter?: object }) {
    return this.http.request("GET", `${V3}/rooms/${e(roomId)}/messages`, MessagesResponse, {
      query: { from: p.from, dir: p.dir, limit: p.limit, filter: p.filter && JSON.stringify(p.filter) },
    });
  }

  /**
   * Uploads bytes to the content repository; returns the `mxc://` URI. Not idempotent: a retry
   * after a lost response leaves an unreferenced upload behind, which costs space and leaks nothing
   * when the bytes are ciphertext.
   */
  async upload(bytes: Uint8Array<ArrayBuffer>, contentType: string, filename?: string): Promise<string> {
    const res = await this.http.request("POST", `${MEDIA_V3}/upload`, UploadResponse, {
      query: { filename },
      rawBody: { bytes, contentType },
    });
    return res.content_uri;
  }

  /** Downloads `mxc://server/mediaId` through the authenticated media API (Matrix 1.11). */
  download(mxc: string): Promise<Uint8Array> {
    const m = /^mxc:\/\/([^/]+)\/([^/?#]+)$/.exec(mxc);
    if (!m) throw new Error(`not an mxc URI: ${mxc}`);
    return this.http.requestBytes("GET", `${MEDIA_V1}/download/${e(m[1] ?? "")}/${e(m[2] ?? "")}`);
  }

  /** Crypto requests carry a pre-serialized JSON body from the OlmMachine; the raw response goes back to it. */
  keysUpload(body: unknown) {
    return this.http.request("POST", `${V3}/keys/upload`, AnyJson, { body });
  }
  keysQuery(body: unknown) {
    return this.http.request("POST", `${V3}/keys/query`, AnyJson, { body });
  }
  keysClaim(body: unknown) {
    return this.http.request("POST", `${V3}/keys/claim`, AnyJson, { body });
  }
  signaturesUpload(body: unknown) {
    return this.http.request("POST", `${V3}/keys/signatures/upload`, AnyJson, { body });
  }
  deviceSigningUpload(body: unknown) {
    return this.http.request("POST", `${V3}/keys/device_signing/upload`, AnyJson, { body });
  }
  sendToDevice(eventType: string, txnId: string, body: unknown) {
    return this.http.request("PUT", `${V3}/sendToDevice/${e(eventType)}/${e(txnId)}`, AnyJson, { body });
  }
}
