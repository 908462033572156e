import {
  CollectStrategy,
  DecryptionErrorCode,
  DecryptionSettings,
  DeviceId,
  DeviceLists,
  EncryptionSettings,
  HistoryVisibility,
  initAsync,
  type KeysClaimRequest,
  MegolmDecryptionError,
  OlmMachine,
  type OutgoingRequest,
  RequestType,
  RoomId,
  type ToDeviceRequest,
  TrustRequirement,
  UserId,
} from "@matrix-org/matrix-sdk-crypto-wasm";
import type { Logger } from "../log.ts";
import type { MatrixApi, RawEvent, SyncResponse } from "./api.ts";
import { MatrixError } from "./http.ts";
import { CRYPTO_STORE_PREFIX } from "./cryptoStore.ts";
import { KeyedMutex, Mutex } from "./lock.ts";

/** What the engine needs from the durable store: flush committed crypto writes to PostgreSQL. */
export interface CryptoPersistence {
  flush(): Promise<number>;
  /**
   * Brings back room keys the last lookups missed in memory (kept in storage only); returns how
   * many came back. Optional: a store that keeps every key in memory has nothing to recall.
   */
  recall?(): Promise<number>;
  /** Changes whenever `recall` (by anyone) brought keys back. */
  readonly recallGeneration?: number;
}

export interface TrustOptions {
  /** Share room keys only with cross-signed devices. */
  onlyCrossSigned: boolean;
  /** Refuse to decrypt messages from devices that are not cross-signed. */
  ignoreUnverified: boolean;
}

export type Decrypted =
  | { ok: true; event: RawEvent; senderDevice: string | undefined }
  | {
      ok: false;
      reason: string;
      sessionId: string | undefined;
      /** The key was there but the sender's device is not trusted enough (trust.ignore_unverified). */
      untrusted: boolean;
      /** No room key arriving later can fix it (forged or mismatched sender, damaged ciphertext). */
      permanent: boolean;
      /** A few words for people: "missing key", "sender mismatch". */
      label: string;
    };

const UNTRUSTED = new Set([
  DecryptionErrorCode.UnknownSenderDevice,
  DecryptionErrorCode.UnsignedSenderDevice,
  DecryptionErrorCode.SenderIdentityVerificationViolation,
]);

/**
 * What each failure means for a retry. Missing session and unknown index wait for a key (a
 * forwarded or re-shared one fixes them). A session from another device than the one claiming
 * it, a sender other than the session's owner, or a ciphertext that fails (bad MAC, bad
 * payload) stays broken whatever keys come.
 */
const PERMANENT: ReadonlyMap<DecryptionErrorCode, string> = new Map([
  [DecryptionErrorCode.MismatchedIdentityKeys, "the key came from a different device"],
  [DecryptionErrorCode.MismatchedSender, "sender mismatch"],
  [DecryptionErrorCode.UnableToDecrypt, "the message is damaged"],
]);

/** Retryable or permanent, with a short reason (exported for tests; only this module reads codes). */
export function classifyDecryptionError(code: DecryptionErrorCode | undefined): {
  permanent: boolean;
  label: string;
} {
  const label = code === undefined ? undefined : PERMANENT.get(code);
  return label === undefined ? { permanent: false, label: "missing key" } : { permanent: true, label };
}

const CLAIM_CHUNK = 50;

/**
 * Drives the OlmMachine the way Rust-crypto clients do (design.md §3). Every request that leaves
 * the process is preceded by a flush of the crypto store (the write-ahead rule).
 */
export class CryptoEngine {
  private readonly machineLock = new Mutex();
  private readonly roomLocks = new KeyedMutex();
  /** The one-time key counts (and fallback key types) last fed to the machine. */
  private fedKeyCounts: string | undefined;
  /** Users passed to updateTrackedUsers since start. */
  private readonly tracked = new Set<string>();
  /** Bumped whenever what the machine knows of devices may have changed. */
  private deviceEpoch = 0;
  /** Per room: the epoch and members for which getMissingSessions found nothing to claim. */
  private readonly complete = new Map<string, string>();
  /** Encryptions finished so far, and how many of them a finished flush has made durable. */
  private encryptions = 0;
  private persisted = 0;

  private constructor(
    readonly machine: OlmMachine,
    private readonly api: MatrixApi,
    private readonly store: CryptoPersistence,
    private readonly log: Logger,
    private readonly trust: TrustOptions,
  ) {}

  static async open(p: {
    userId: string;
    deviceId: string;
    passphrase: string;
    api: MatrixApi;
    store: CryptoPersistence;
    log: Logger;
    trust: TrustOptions;
  }): Promise<CryptoEngine> {
    await initAsync();
    const machine = await OlmMachine.initialize(
      new UserId(p.userId),
      new DeviceId(p.deviceId),
      CRYPTO_STORE_PREFIX,
      p.passphrase,
    );
    const engine = new CryptoEngine(machine, p.api, p.store, p.log, p.trust);
    await p.store.flush();
    return engine;
  }

  /** Ed25519 fingerprint of this device, as Element shows it ("session key"). */
  get fingerprint(): string {
    const keys = this.machine.identityKeys;
    const b64 = keys.ed25519.toBase64();
    keys.free();
    return b64;
  }

  get curve25519(): string {
    const keys = this.machine.identityKeys;
    const b64 = keys.curve25519.toBase64();
    keys.free();
    return b64;
  }

  /**
   * Feed one /sync's crypto parts to the machine, then send what it wants sent. A sync with no
   * to-device events, no device-list changes and the same key counts as the last one fed tells the
   * machine nothing, and is not fed: each `receiveSyncChanges` re-reads the whole Olm account from
   * its pickle (re-deriving the public key of every unpublished one-time key, curve25519 work) and
   * writes it back, which was most of the bot's crypto CPU per command (a command's reply and
   * reaction come back as syncs of their own).
   */
  async receiveSync(sync: SyncResponse): Promise<void> {
    await this.machineLock.run(async () => {
      const events = sync.to_device?.events ?? [];
      const changed = sync.device_lists?.changed ?? [];
      const left = sync.device_lists?.left ?? [];
      const fallback =
        sync.device_unused_fallback_key_types ?? sync["org.matrix.msc2732.device_unused_fallback_key_types"];
      const keyCounts = keyCountsOf(sync.device_one_time_keys_count, fallback);
      const news = events.length > 0 || changed.length > 0 || left.length > 0;
      if (!news && keyCounts === this.fedKeyCounts) return;
      const lists = new DeviceLists(this.userIds(changed), this.userIds(left));
      const counts = new Map(Object.entries(sync.device_one_time_keys_count ?? {}));
      const processed = await this.machine.receiveSyncChanges(
        JSON.stringify(events),
        lists,
        counts,
        fallback ? new Set(fallback) : undefined,
      );
      for (const p of processed) p.free();
      this.fedKeyCounts = keyCounts;
      // New or changed devices, or an Olm message (which may mark a session wedged): check sessions again.
      if (news) this.devicesChanged();
      await this.flushStore();
    });
    await this.sendOutgoingRequests();
  }

  /** Something about the devices the machine knows changed: per-room "nothing missing" is stale. */
  private devicesChanged(): void {
    this.deviceEpoch++;
  }

  /** Send every queued outgoing request and report each response back to the machine. */
  sendOutgoingRequests(): Promise<void> {
    return this.machineLock.run(async () => {
      const requests = await this.machine.outgoingRequests();
      for (const req of requests) await this.sendRequest(req);
    });
  }

  private async sendRequest(req: OutgoingRequest | KeysClaimRequest | ToDeviceRequest): Promise<void> {
    await this.flushStore();
    const body: unknown = JSON.parse(req.body);
    let response: unknown;
    switch (req.type) {
      case RequestType.KeysUpload:
        response = await this.api.keysUpload(body);
        break;
      case RequestType.KeysQuery:
        response = await this.api.keysQuery(body);
        break;
      case RequestType.KeysClaim:
        response = await this.api.keysClaim(body);
        break;
      case RequestType.ToDevice: {
        const td = req as ToDeviceRequest;
        response = await this.api.sendToDevice(td.event_type, td.txn_id, body);
        break;
      }
      case RequestType.SignatureUpload:
        response = await this.api.signaturesUpload(body);
        break;
      default:
        // Key backup and room messages are not used by Tearline; report them done so they do not pile up.
        this.log.warn("ignoring crypto request of unsupported type", { type: req.type });
        response = {};
    }
    if (req.id) await this.machine.markRequestAsSent(req.id, req.type, JSON.stringify(response));
    if (req.type === RequestType.KeysQuery) this.devicesChanged();
    await this.flushStore();
  }

  /**
   * Tell the machine about users whose devices it must know (room members). Users already told in
   * this process are skipped: the machine keeps them tracked (in its store) until told otherwise,
   * and device-list changes reach it through sync.
   */
  async trackUsers(userIds: string[]): Promise<void> {
    const ids = this.userIds(userIds.filter((u) => !this.tracked.has(u)));
    if (ids.length === 0) return;
    const names = ids.map((u) => u.toString());
    await this.machine.updateTrackedUsers(ids);
    for (const n of names) this.tracked.add(n);
  }

  /**
   * Fresh UserIds (the machine consumes them), each built in its own guard: a member id another
   * server made up must not keep the room's other members from being tracked or getting keys.
   */
  private userIds(ids: readonly string[]): UserId[] {
    const out: UserId[] = [];
    for (const id of ids) {
      const userId = toUserId(id);
      if (userId) out.push(userId);
      else this.log.warn("skipping an invalid user id", { userId: id.slice(0, 80) });
    }
    return out;
  }

  /**
   * Encrypt content for a room's members: track, query, claim, share the room key (every time:
   * an expired session would make encryptRoomEvent panic), then encrypt; the crypto store is
   * flushed before returning.
   */
  async encrypt(
    roomId: string,
    eventType: string,
    content: unknown,
    recipients: string[],
    historyVisibility: string,
  ): Promise<Record<string, unknown>> {
    const { encrypted, seq } = await this.encryptUnflushed(
      roomId,
      eventType,
      content,
      recipients,
      historyVisibility,
    );
    await this.persist(seq);
    return encrypted;
  }

  /**
   * `encrypt` without the flush: `persist(seq)` must come before the ciphertext leaves the
   * process. Messages encrypted one after the other then share one flush.
   */
  async encryptUnflushed(
    roomId: string,
    eventType: string,
    content: unknown,
    recipients: string[],
    historyVisibility: string,
  ): Promise<{ encrypted: Record<string, unknown>; seq: number }> {
    return this.roomLocks.run(roomId, async () => {
      // Sorted out once (with one warning each); fresh UserIds of these below cannot throw.
      const members = this.userIds(recipients).map((u) => {
        const id = u.toString();
        u.free();
        return id;
      });
      await this.trackUsers(members);
      await this.sendOutgoingRequests();
      await this.claimMissingSessions(roomId, members);
      const settings = new EncryptionSettings();
      settings.historyVisibility = toHistoryVisibility(historyVisibility);
      settings.sharingStrategy = this.trust.onlyCrossSigned
        ? CollectStrategy.identityBasedStrategy()
        : CollectStrategy.deviceBasedStrategy(false, false);
      const room = new RoomId(roomId);
      try {
        const shares = await this.machine.shareRoomKey(
          room,
          members.map((u) => new UserId(u)),
          settings,
        );
        for (const req of shares) await this.machineLock.run(() => this.sendRequest(req));
        const encrypted = await this.machine.encryptRoomEvent(room, eventType, JSON.stringify(content));
        return { encrypted: JSON.parse(encrypted) as Record<string, unknown>, seq: ++this.encryptions };
      } finally {
        // Borrowed, not consumed, by the calls above (wasm-bindgen `_assertClass`): ours to free.
        settings.free();
        room.free();
      }
    });
  }

  /**
   * Makes encryption `seq` (from encryptUnflushed) durable: flushes the crypto store unless a
   * flush since then already wrote it (the write-ahead rule: before its ciphertext leaves).
   */
  async persist(seq: number): Promise<void> {
    if (seq > this.persisted) await this.flushStore();
  }

  /** Flushes the crypto store; every encryption finished before it started is then durable. */
  private async flushStore(): Promise<void> {
    const upTo = this.encryptions;
    await this.store.flush();
    this.persisted = Math.max(this.persisted, upTo);
  }

  /**
   * Claims one-time keys for members' devices that have no Olm session yet. Once the machine said
   * nothing is missing for exactly these members, the answer holds until a device changes (a keys
   * query answered, a device-list change or to-device message in sync): until then it is not asked.
   */
  private async claimMissingSessions(roomId: string, members: string[]): Promise<void> {
    const epoch = this.deviceEpoch;
    const key = `${epoch}\u0000${members.join("\u0000")}`;
    if (this.complete.get(roomId) === key) return;
    let claimed = false;
    for (let i = 0; i < members.length; i += CLAIM_CHUNK) {
      const chunk = members.slice(i, i + CLAIM_CHUNK).map((u) => new UserId(u));
      const claim = await this.machine.getMissingSessions(chunk);
      if (claim) {
        claimed = true;
        await this.machineLock.run(() => this.sendRequest(claim));
      }
    }
    // After a claim, ask again next time (a device may have had no key to claim).
    if (!claimed && epoch === this.deviceEpoch) this.complete.set(roomId, key);
  }

  /**
   * Decrypts a room event. A room key not in memory may be in storage only (old room keys are
   * not kept in memory): on a missing key, what the lookup missed is recalled and, if that (or a
   * concurrent recall) brought anything back, the decrypt is tried once more.
   */
  async decrypt(roomId: string, event: RawEvent): Promise<Decrypted> {
    const generation = this.store.recallGeneration;
    const first = await this.decryptOnce(roomId, event);
    if (first.ok || !first.missingKey || !this.store.recall) return first.result;
    const recalled = await this.store.recall();
    if (recalled === 0 && this.store.recallGeneration === generation) return first.result;
    return (await this.decryptOnce(roomId, event)).result;
  }

  private async decryptOnce(
    roomId: string,
    event: RawEvent,
  ): Promise<{ ok: boolean; missingKey: boolean; result: Decrypted }> {
    const sessionId = typeof event.content.session_id === "string" ? event.content.session_id : undefined;
    const settings = new DecryptionSettings(
      this.trust.ignoreUnverified ? TrustRequirement.CrossSigned : TrustRequirement.Untrusted,
    );
    const room = new RoomId(roomId);
    try {
      const res = await this.machine.decryptRoomEvent(JSON.stringify(event), room, settings);
      const clear = JSON.parse(res.event) as Record<string, unknown>;
      const senderDevice = res.senderDevice?.toString();
      res.free();
      const content = (clear.content ?? {}) as RawEvent["content"];
      // Relations (edits, replies) also travel in the clear; keep them if the payload lacks them.
      if (content["m.relates_to"] === undefined && event.content["m.relates_to"] !== undefined) {
        content["m.relates_to"] = event.content["m.relates_to"];
      }
      const merged = { ...event, type: String(clear.type), content };
      return { ok: true, missingKey: false, result: { ok: true, event: merged, senderDevice } };
    } catch (err) {
      const megolm = err instanceof MegolmDecryptionError;
      const untrusted = megolm && UNTRUSTED.has(err.code);
      const reason = megolm ? err.description : String(err);
      // Anything else (not a Megolm error) is treated as retryable: expiry bounds how long it waits.
      const { permanent, label } = classifyDecryptionError(megolm && !untrusted ? err.code : undefined);
      const missingKey = megolm && err.code === DecryptionErrorCode.MissingRoomKey;
      return { ok: false, missingKey, result: { ok: false, reason, sessionId, untrusted, permanent, label } };
    } finally {
      settings.free();
      room.free();
    }
  }

  /** Called with the session ids of room keys that arrived, so failed decryptions can be retried. */
  onRoomKeys(cb: (keys: { roomId: string; sessionId: string }[]) => Promise<void>): void {
    this.machine.registerRoomKeyUpdatedCallback(async (infos) => {
      const keys = infos.map((i) => ({ roomId: i.roomId.toString(), sessionId: i.sessionId }));
      for (const i of infos) i.free();
      await cb(keys);
    });
  }

  /** Our cross-signing identity exists and has signed this device. */
  async isCrossSigned(): Promise<boolean> {
    const status = await this.machine.crossSigningStatus();
    const ready = status.hasMaster && status.hasSelfSigning && status.hasUserSigning;
    status.free();
    return ready;
  }

  /** This device as the homeserver's keys show it: signed by our own cross-signing identity. */
  async isDeviceSignedByOwner(): Promise<boolean> {
    const device = await this.machine.getDevice(this.machine.userId, this.machine.deviceId);
    const signed = device?.isCrossSignedByOwner() ?? false;
    device?.free();
    return signed;
  }

  /**
   * Create and upload this bot's cross-signing identity once. Synapse accepts the first upload
   * without user-interactive auth; later it needs the password, which we have on first start only.
   */
  async bootstrapCrossSigning(password: string | undefined, userId: string): Promise<boolean> {
    if (await this.isCrossSigned()) return false;
    await this.machineLock.run(async () => {
      const reqs = await this.machine.bootstrapCrossSigning(true);
      await this.flushStore();
      const signingBody = JSON.parse(reqs.uploadSigningKeysRequest.body) as Record<string, unknown>;
      try {
        await this.api.deviceSigningUpload(signingBody);
      } catch (err) {
        const session = uiaSession(err);
        if (!session || !password) throw err;
        await this.api.deviceSigningUpload({
          ...signingBody,
          auth: {
            type: "m.login.password",
            identifier: { type: "m.id.user", user: userId },
            password,
            session,
          },
        });
      }
      const sig = reqs.uploadSignaturesRequest;
      await this.api.signaturesUpload(JSON.parse(sig.body));
      reqs.free();
    });
    await this.sendOutgoingRequests();
    return true;
  }

  close(): void {
    this.machine.close();
  }
}

/** A canonical string of the one-time key counts and unused fallback key types (order-free). */
function keyCountsOf(counts: Record<string, number> | undefined, fallback: string[] | undefined): string {
  const c = Object.entries(counts ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([c, fallback ? [...fallback].sort() : null]);
}

/** Longest user id the spec allows (bytes; ids are ASCII in practice). */
const MAX_USER_ID = 255;

/** The binding's UserId, or undefined for anything it (or the spec's length limit) refuses. */
export function toUserId(id: string): UserId | undefined {
  if (Buffer.byteLength(id) > MAX_USER_ID) return undefined;
  try {
    return new UserId(id);
  } catch {
    return undefined;
  }
}

function uiaSession(err: unknown): string | undefined {
  if (!(err instanceof MatrixError) || err.status !== 401) return undefined;
  const body = err.body;
  if (body && typeof body === "object" && "session" in body && typeof body.session === "string")
    return body.session;
  return undefined;
}

function toHistoryVisibility(v: string): HistoryVisibility {
  switch (v) {
    case "invited":
      return HistoryVisibility.Invited;
    case "joined":
      return HistoryVisibility.Joined;
    case "world_readable":
      return HistoryVisibility.WorldReadable;
    default:
      return HistoryVisibility.Shared;
  }
}
