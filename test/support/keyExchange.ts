/**
 * For the crypto-store tests and the "year of keys" benchmark.
 * The homeserver's part of key exchange, played in-process between OlmMachines: uploads are
 * acknowledged, key queries answered from what the devices uploaded, one-time keys claimed from
 * the pool the bot uploaded, to-device messages handed over as they would arrive in /sync.
 */
import {
  DeviceLists,
  EncryptionSettings,
  type KeysClaimRequest,
  type OlmMachine,
  type OutgoingRequest,
  RequestType,
  RoomId,
  type ToDeviceRequest,
  UserId,
} from "@matrix-org/matrix-sdk-crypto-wasm";

type Json = Record<string, unknown>;

export interface ToDeviceEvent {
  type: string;
  sender: string;
  content: unknown;
}

/** Device keys by user and device, and the bot's unclaimed one-time keys. */
export class FakeKeyServer {
  readonly deviceKeys = new Map<string, Map<string, Json>>();
  readonly oneTimeKeys: { keyId: string; key: unknown }[] = [];

  /** Answers every queued request of `m` and returns the to-device messages it sent. */
  async pump(m: OlmMachine): Promise<ToDeviceEvent[]> {
    const sent: ToDeviceEvent[] = [];
    for (;;) {
      const reqs = await m.outgoingRequests();
      if (reqs.length === 0) return sent;
      for (const r of reqs) sent.push(...(await this.answer(m, r)));
    }
  }

  async answer(
    m: OlmMachine,
    r: OutgoingRequest | KeysClaimRequest | ToDeviceRequest,
  ): Promise<ToDeviceEvent[]> {
    const body = JSON.parse(r.body) as Json;
    const user = m.userId.toString();
    let response: unknown = {};
    const sent: ToDeviceEvent[] = [];
    switch (r.type) {
      case RequestType.KeysUpload: {
        const dk = body.device_keys as Json | undefined;
        if (dk) {
          const byDevice = this.deviceKeys.get(user) ?? new Map<string, Json>();
          byDevice.set(String(dk.device_id), dk);
          this.deviceKeys.set(user, byDevice);
        }
        const otks = (body.one_time_keys ?? {}) as Json;
        if (user === BOT_USER)
          for (const [keyId, key] of Object.entries(otks)) this.oneTimeKeys.push({ keyId, key });
        response = { one_time_key_counts: { signed_curve25519: this.oneTimeKeys.length } };
        break;
      }
      case RequestType.KeysQuery: {
        const wanted = Object.keys((body.device_keys ?? {}) as Json);
        const device_keys: Json = {};
        for (const u of wanted) device_keys[u] = Object.fromEntries(this.deviceKeys.get(u) ?? []);
        response = { device_keys, failures: {} };
        break;
      }
      case RequestType.KeysClaim: {
        const wanted = (body.one_time_keys ?? {}) as Record<string, Record<string, string>>;
        const one_time_keys: Json = {};
        for (const [u, devices] of Object.entries(wanted)) {
          const out: Json = {};
          for (const d of Object.keys(devices)) {
            const otk = this.oneTimeKeys.shift();
            if (!otk) throw new Error("the bot has no one-time keys left");
            out[d] = { [otk.keyId]: otk.key };
          }
          one_time_keys[u] = out;
        }
        response = { one_time_keys, failures: {} };
        break;
      }
      case RequestType.ToDevice: {
        const td = r as ToDeviceRequest;
        const messages = (body.messages ?? {}) as Record<string, Record<string, unknown>>;
        for (const devices of Object.values(messages))
          for (const content of Object.values(devices))
            sent.push({ type: td.event_type, sender: user, content });
        break;
      }
      default:
        response = {};
    }
    if (r.id) await m.markRequestAsSent(r.id, r.type, JSON.stringify(response));
    return sent;
  }

  /** Gives `bot` the to-device events (one /sync), telling it how many one-time keys are left. */
  async deliver(bot: OlmMachine, events: ToDeviceEvent[]): Promise<void> {
    const processed = await bot.receiveSyncChanges(
      JSON.stringify(events),
      new DeviceLists(),
      new Map([["signed_curve25519", this.oneTimeKeys.length]]),
      new Set(["signed_curve25519"]),
    );
    for (const p of processed) p.free();
    await this.pump(bot);
  }

  /** Shares a fresh Megolm session of `sender` in `roomId` with the bot's device. */
  async share(sender: OlmMachine, roomId: string): Promise<ToDeviceEvent[]> {
    const missing = await sender.getMissingSessions([new UserId(BOT_USER)]);
    const sent: ToDeviceEvent[] = [];
    if (missing) sent.push(...(await this.answer(sender, missing)));
    const settings = new EncryptionSettings();
    const reqs = await sender.shareRoomKey(new RoomId(roomId), [new UserId(BOT_USER)], settings);
    settings.free();
    for (const r of reqs) sent.push(...(await this.answer(sender, r)));
    return sent;
  }
}

export const BOT_USER = "@bot:bench.test";
export const BOT_DEVICE = "BOTDEVICE";
export const roomIdOf = (i: number): string => `!room${i}:bench.test`;
export const officerOf = (i: number): string => `@officer${i}:bench.test`;
