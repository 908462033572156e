/**
 * An officer's device on the FakeHomeserver: a real crypto-wasm OlmMachine (in-memory store) that
 * encrypts commands for the room. Its room keys are not sent at once but handed back with the
 * event, so the fake's /sync gives each recipient the key together with the messages it opens.
 */
import {
  DeviceId,
  DeviceLists,
  EncryptionSettings,
  initAsync,
  OlmMachine,
  RequestType,
  RoomId,
  type ToDeviceRequest,
  UserId,
} from "@matrix-org/matrix-sdk-crypto-wasm";
import type { FakeHomeserver, ScriptedEvent } from "./fakeHomeserver.ts";

type Json = Record<string, unknown>;
type Sendable = { id?: string; type: RequestType; body: string };

const PATHS: Partial<Record<RequestType, string>> = {
  [RequestType.KeysUpload]: "/keys/upload",
  [RequestType.KeysQuery]: "/keys/query",
  [RequestType.KeysClaim]: "/keys/claim",
  [RequestType.SignatureUpload]: "/keys/signatures/upload",
};

export class FakeDevice {
  private seq = 0;

  private constructor(
    readonly userId: string,
    readonly deviceId: string,
    readonly machine: OlmMachine,
    private readonly hs: FakeHomeserver,
    private readonly token: string,
  ) {}

  /** `storeName` opens the machine on IndexedDB (globalThis.indexedDB); otherwise it lives in memory. */
  static async create(
    hs: FakeHomeserver,
    userId: string,
    deviceId: string,
    storeName?: string,
  ): Promise<FakeDevice> {
    await initAsync();
    const machine = storeName
      ? await OlmMachine.initialize(new UserId(userId), new DeviceId(deviceId), storeName, "bench passphrase")
      : await OlmMachine.initialize(new UserId(userId), new DeviceId(deviceId));
    const device = new FakeDevice(userId, deviceId, machine, hs, hs.token(userId, deviceId));
    await device.sendOutgoing();
    return device;
  }

  async sendOutgoing(): Promise<void> {
    for (const r of await this.machine.outgoingRequests()) await this.send(r);
  }

  private async send(r: Sendable | ToDeviceRequest): Promise<void> {
    let res: Json = {};
    if (r.type === RequestType.ToDevice) {
      const td = r as ToDeviceRequest;
      res = await this.hs.handle(
        this.token,
        "PUT",
        `/sendToDevice/${td.event_type}/${td.txn_id}`,
        JSON.parse(r.body),
      );
    } else {
      const path = PATHS[r.type];
      if (path) res = await this.hs.handle(this.token, "POST", path, JSON.parse(r.body));
    }
    if (r.id) await this.machine.markRequestAsSent(r.id, r.type, JSON.stringify(res));
  }

  /** Query the recipients' devices and set up Olm sessions with them (once, before encrypting). */
  async meet(recipients: string[]): Promise<void> {
    await this.machine.updateTrackedUsers(recipients.map((u) => new UserId(u)));
    await this.sendOutgoing();
    const claim = await this.machine.getMissingSessions(recipients.map((u) => new UserId(u)));
    if (claim) await this.send(claim);
  }

  /**
   * One m.room.encrypted event for the room; the room-key to-device messages it needed (a new
   * Megolm session every 100 messages) come back beside it, by recipient user, instead of being sent.
   */
  async encrypt(roomId: string, recipients: string[], content: Json): Promise<ScriptedEvent> {
    const shares = await this.machine.shareRoomKey(
      new RoomId(roomId),
      recipients.map((u) => new UserId(u)),
      new EncryptionSettings(),
    );
    const toDevice: Record<string, Json[]> = {};
    for (const req of shares) {
      const body = JSON.parse(req.body) as { messages: Record<string, Record<string, Json>> };
      for (const [user, devices] of Object.entries(body.messages))
        for (const c of Object.values(devices)) {
          const list = toDevice[user] ?? [];
          list.push({ type: req.event_type, sender: this.userId, content: c });
          toDevice[user] = list;
        }
      await this.machine.markRequestAsSent(req.id, req.type, "{}");
    }
    const encrypted = await this.machine.encryptRoomEvent(
      new RoomId(roomId),
      "m.room.message",
      JSON.stringify(content),
    );
    const event = {
      type: "m.room.encrypted",
      event_id: `$${this.deviceId}-${++this.seq}`,
      sender: this.userId,
      origin_server_ts: Date.now(),
      content: JSON.parse(encrypted) as Json,
    };
    return { toDevice, event };
  }

  /** Feed to-device events as a sync would (for a device driven without the bot's sync loop). */
  async receive(toDevice: Json[]): Promise<void> {
    const processed = await this.machine.receiveSyncChanges(
      JSON.stringify(toDevice),
      new DeviceLists(),
      new Map(),
      new Set(),
    );
    for (const p of processed) p.free();
  }

  close(): void {
    this.machine.close();
  }
}
