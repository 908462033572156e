import type { MatrixApi, RawEvent } from "./api.ts";

interface RoomInfo {
  encrypted?: boolean;
  historyVisibility?: string;
}

/** What the bot knows of each room's encryption and history visibility, from sync or the API. */
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
    if (ev.state_key !== "") return;
    if (ev.type === "m.room.encryption" && typeof ev.content.algorithm === "string")
      this.info(roomId).encrypted = true;
    if (ev.type === "m.room.history_visibility" && typeof ev.content.history_visibility === "string") {
      this.info(roomId).historyVisibility = ev.content.history_visibility;
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

  async historyVisibility(roomId: string): Promise<string> {
    const r = this.info(roomId);
    if (r.historyVisibility === undefined) {
      const content = await this.api.stateEvent(roomId, "m.room.history_visibility");
      r.historyVisibility =
        typeof content?.history_visibility === "string" ? content.history_visibility : "shared";
    }
    return r.historyVisibility;
  }

  /** Users a room key must reach: joined, plus invited unless history is visible only to joined members. */
  async recipients(roomId: string): Promise<string[]> {
    const [members, hv] = await Promise.all([this.api.members(roomId), this.historyVisibility(roomId)]);
    return members
      .filter((m) => m.membership === "join" || (m.membership === "invite" && hv !== "joined"))
      .map((m) => m.userId);
  }

  forget(roomId: string): void {
    this.rooms.delete(roomId);
  }

  get joinedCount(): number {
    return this.rooms.size;
  }
}
