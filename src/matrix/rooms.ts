import type { MatrixApi, RawEvent } from "./api.ts";

interface RoomInfo {
  encrypted?: boolean;
  historyVisibility?: Promise<string>;
  /** Users a room key must reach; dropped whenever sync shows a membership change. */
  recipients?: Promise<string[]>;
}

/**
 * What the bot knows of each room: encryption, history visibility and who must receive room keys.
 * Learnt from sync where possible, otherwise asked of the API once and cached (in-flight promises
 * too, so concurrent senders share one request).
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, RoomInfo>();

  constructor(private readonly api: MatrixApi) {}

  private info(roomId: string): RoomInfo {
    let r = this.rooms.get(roomId);
    if (!r) {
      r = {};
      this.rooms.set(roomId, r);
    }
    return r;
  }

  /** Note state seen in sync (state section or timeline). */
  observe(roomId: string, ev: RawEvent): void {
    const r = this.info(roomId);
    if (ev.type === "m.room.member") {
      r.recipients = undefined;
      return;
    }
    if (ev.state_key !== "") return;
    if (ev.type === "m.room.encryption" && typeof ev.content.algorithm === "string") r.encrypted = true;
    if (ev.type === "m.room.history_visibility" && typeof ev.content.history_visibility === "string") {
      r.historyVisibility = Promise.resolve(ev.content.history_visibility);
      r.recipients = undefined;
    }
  }

  async isEncrypted(roomId: string): Promise<boolean> {
    const r = this.info(roomId);
    if (r.encrypted === undefined) {
      const content = await this.api.stateEvent(roomId, "m.room.encryption");
      // Once on, encryption cannot be switched off (spec), so only a positive answer is final.
      if (content && typeof content.algorithm === "string") r.encrypted = true;
      else return false;
    }
    return r.encrypted;
  }

  historyVisibility(roomId: string): Promise<string> {
    const r = this.info(roomId);
    r.historyVisibility ??= this.api.stateEvent(roomId, "m.room.history_visibility").then(
      (c) => (typeof c?.history_visibility === "string" ? c.history_visibility : "shared"),
      (err: unknown) => {
        r.historyVisibility = undefined;
        throw err;
      },
    );
    return r.historyVisibility;
  }

  /** Users a room key must reach: joined, plus invited unless history is visible only to joined members. */
  recipients(roomId: string): Promise<string[]> {
    const r = this.info(roomId);
    if (r.recipients) return r.recipients;
    const fetched: Promise<string[]> = Promise.all([
      this.api.members(roomId),
      this.historyVisibility(roomId),
    ]).then(
      ([members, hv]) =>
        members
          .filter((m) => m.membership === "join" || (m.membership === "invite" && hv !== "joined"))
          .map((m) => m.userId),
      (err: unknown) => {
        if (r.recipients === fetched) r.recipients = undefined;
        throw err;
      },
    );
    r.recipients = fetched;
    return fetched;
  }

  forget(roomId: string): void {
    this.rooms.delete(roomId);
  }
}
