import type { MatrixApi } from "./api.ts";
import type { CryptoEngine } from "./crypto.ts";
import type { RoomRegistry } from "./rooms.ts";

/** Raised instead of sending anything but the "needs encryption" notice into an unencrypted room. */
export class PlaintextRefused extends Error {
  override name = "PlaintextRefused";
  constructor(roomId: string) {
    super(`${roomId} is not encrypted: refusing to send this message in the clear`);
  }
}

/** Sends one event into a room, encrypted when the room is. The txnId makes a retry idempotent. */
export class RoomSender {
  constructor(
    private readonly api: MatrixApi,
    private readonly crypto: CryptoEngine,
    private readonly rooms: RoomRegistry,
  ) {}

  async send(
    roomId: string,
    eventType: string,
    content: Record<string, unknown>,
    txnId: string,
    opts: { plaintextOk: boolean },
  ): Promise<string> {
    const deliver = await this.prepare(roomId, eventType, content, txnId, opts);
    return deliver();
  }

  /**
   * Everything but the PUT: the room's encryption (keys shared, the event encrypted). Returns the
   * PUT, which first makes the encryption durable (the write-ahead rule): messages prepared one
   * after the other before the first of them is PUT share that one crypto-store flush.
   */
  async prepare(
    roomId: string,
    eventType: string,
    content: Record<string, unknown>,
    txnId: string,
    opts: { plaintextOk: boolean },
  ): Promise<() => Promise<string>> {
    if (!(await this.rooms.isEncrypted(roomId))) {
      if (!opts.plaintextOk) throw new PlaintextRefused(roomId);
      return async () => (await this.api.send(roomId, eventType, txnId, content)).event_id;
    }
    const [members, hv] = await Promise.all([
      this.rooms.recipients(roomId),
      this.rooms.historyVisibility(roomId),
    ]);
    const { encrypted, seq } = await this.crypto.encryptUnflushed(roomId, eventType, content, members, hv);
    return async () => {
      await this.crypto.persist(seq);
      return (await this.api.send(roomId, "m.room.encrypted", txnId, encrypted)).event_id;
    };
  }
}
