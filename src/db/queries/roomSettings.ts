/**
 * Room settings set from chat, kept in bot_state under a per-room key (no table of their own:
 * one small value per room, read once per message the bot says there).
 */
import { isLang } from "../../domain/lang.ts";
import type { ChatLang, RoomSettingsRepo } from "../../domain/repos.ts";
import type { DbOrTx } from "../client.ts";
import { getState, setState } from "./botState.ts";

interface StoredLang {
  lang: string;
  setBy: string;
  setAt: string;
}

export function langKey(roomId: string): string {
  return `room.lang:${roomId}`;
}

export async function getChatLang(db: DbOrTx, roomId: string): Promise<ChatLang | undefined> {
  const stored = await getState<StoredLang>(db, langKey(roomId));
  // A value this version does not know (written by a newer one) is ignored, not trusted.
  if (stored === undefined || !isLang(stored.lang)) return undefined;
  return { roomId, lang: stored.lang, setBy: stored.setBy, setAt: new Date(stored.setAt) };
}

export async function setChatLang(db: DbOrTx, s: ChatLang): Promise<void> {
  const value: StoredLang = { lang: s.lang, setBy: s.setBy, setAt: s.setAt.toISOString() };
  await setState(db, langKey(s.roomId), value);
}

export function roomSettingsRepo(db: DbOrTx): RoomSettingsRepo {
  return {
    lang: (roomId) => getChatLang(db, roomId),
    setLang: (s) => setChatLang(db, s),
  };
}
