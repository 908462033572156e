/**
 * A bare Matrix client over crypto-wasm's OlmMachine (the engine Element's Rust crypto uses), for
 * the tests that need to control exactly when a room key reaches the bot — something a full SDK
 * client never lets a test do.
 */
import {
  DeviceId,
  EncryptionSettings,
  initAsync,
  OlmMachine,
  RequestType,
  RoomId,
  type ToDeviceRequest,
  UserId,
} from "@matrix-org/matrix-sdk-crypto-wasm";
import { createLogger } from "../../src/log.ts";
import { MatrixApi } from "../../src/matrix/api.ts";
import type { RegisteredUser } from "./homeserver.ts";

type Sendable = { id?: string; type: RequestType; body: string };

export class RawCryptoClient {
  private constructor(
    readonly user: RegisteredUser,
    readonly api: MatrixApi,
    private readonly machine: OlmMachine,
  ) {}

  static async create(hsUrl: string, user: RegisteredUser): Promise<RawCryptoClient> {
    await initAsync();
    const api = new MatrixApi({ baseUrl: hsUrl, accessToken: user.accessToken, log: createLogger("error") });
    const machine = await OlmMachine.initialize(new UserId(user.userId), new DeviceId(user.deviceId));
    const client = new RawCryptoClient(user, api, machine);
    await client.sendOutgoing();
    return client;
  }

  async sendOutgoing(): Promise<void> {
    for (const r of await this.machine.outgoingRequests()) await this.send(r);
  }

  async send(r: Sendable | ToDeviceRequest): Promise<void> {
    const body: unknown = JSON.parse(r.body);
    let res: unknown;
    if (r.type === RequestType.KeysUpload) res = await this.api.keysUpload(body);
    else if (r.type === RequestType.KeysQuery) res = await this.api.keysQuery(body);
    else if (r.type === RequestType.KeysClaim) res = await this.api.keysClaim(body);
    else if (r.type === RequestType.ToDevice) {
      const td = r as ToDeviceRequest;
      res = await this.api.sendToDevice(td.event_type, td.txn_id, body);
    } else res = {};
    if (r.id) await this.machine.markRequestAsSent(r.id, r.type, JSON.stringify(res));
  }

  /**
   * Encrypts and sends a message, but returns the room-key to-device requests unsent: the room
   * gets a message that the other members cannot read until `deliver(keys)`.
   */
  async sendWithheldKey(
    roomId: string,
    members: string[],
    body: string,
  ): Promise<{ eventId: string; keys: ToDeviceRequest[] }> {
    await this.machine.updateTrackedUsers(members.map((u) => new UserId(u)));
    await this.sendOutgoing();
    const claim = await this.machine.getMissingSessions(members.map((u) => new UserId(u)));
    if (claim) await this.send(claim);
    const keys = await this.machine.shareRoomKey(
      new RoomId(roomId),
      members.map((u) => new UserId(u)),
      new EncryptionSettings(),
    );
    const content = await this.machine.encryptRoomEvent(
      new RoomId(roomId),
      "m.room.message",
      JSON.stringify({ msgtype: "m.text", body }),
    );
    const sent = await this.api.send(roomId, "m.room.encrypted", `raw-${Date.now()}`, JSON.parse(content));
    return { eventId: sent.event_id, keys };
  }

  async deliver(keys: ToDeviceRequest[]): Promise<void> {
    for (const k of keys) await this.send(k);
  }

  close(): void {
    this.machine.close();
  }
}
