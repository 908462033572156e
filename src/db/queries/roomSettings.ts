/**
 * Room settings set from chat, kept in bot_state under a per-room key (no table of their own:
 * one small value per room, read once per message the bot says there).
 */
import { isLang } from "../../domain/lang.ts";
import type { ChatLang, RoomSettingsRepo } from "../../domain/repos.ts";
import type { DbOrTx, Tx } from "../client.ts";
import { getState, setState } from "./botState.ts";

interface StoredLang {
  lang: string;
  setBy: string;
  setAt: string;
}

export function langKey(roomId: string): string {
  return `room.lang:${roomId}`;
}

/**
 * Chat languages read in a transaction that asked for it (keepLangReads), kept until it ends: a
 * batch of commands in one room then reads the room's language once, not once per reply. A
 * write through setChatLang drops the room's entry; a savepoint rolled back drops them all (it
 * may have undone a write). Keyed by the transaction object, so nothing outlives it.
 */
const kept = new WeakMap<object, Map<string, ChatLang | undefined>>();
/** A savepoint's handle → the transaction whose reads it shares. */
const owners = new WeakMap<object, object>();

export function keepLangReads(tx: Tx): void {
  kept.set(tx, new Map());
}

/** `sp`, a savepoint opened in `tx`, reads and writes the languages `tx` keeps. */
export function shareLangReads(sp: Tx, tx: Tx): void {
  const owner = owners.get(tx) ?? tx;
  if (kept.has(owner)) owners.set(sp, owner);
}

/** A savepoint in `tx` was rolled back: what was read may no longer hold. */
export function forgetLangReads(tx: Tx): void {
  keptOf(tx)?.clear();
}

function keptOf(db: DbOrTx): Map<string, ChatLang | undefined> | undefined {
  return kept.get(owners.get(db) ?? db);
}

export async function getChatLang(db: DbOrTx, roomId: string): Promise<ChatLang | undefined> {
  const memo = keptOf(db);
  if (memo?.has(roomId)) return memo.get(roomId);
  const stored = await getState<StoredLang>(db, langKey(roomId));
  // A value this version does not know (written by a newer one) is ignored, not trusted.
  const lang =
    stored === undefined || !isLang(stored.lang)
      ? undefined
      : { roomId, lang: stored.lang, setBy: stored.setBy, setAt: new Date(stored.setAt) };
  memo?.set(roomId, lang);
  return lang;
}

export async function setChatLang(db: DbOrTx, s: ChatLang): Promise<void> {
  const value: StoredLang = { lang: s.lang, setBy: s.setBy, setAt: s.setAt.toISOString() };
  keptOf(db)?.delete(s.roomId);
  await setState(db, langKey(s.roomId), value);
}

export function roomSettingsRepo(db: DbOrTx): RoomSettingsRepo {
  return {
    lang: (roomId) => getChatLang(db, roomId),
    setLang: (s) => setChatLang(db, s),
  };
}
