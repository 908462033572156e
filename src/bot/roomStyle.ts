/**
 * How the bot writes in a room: its language (a `!lang` set in chat overrides tearline.yaml's
 * `lang:`, which defaults to English) and its time zone. Looked up once per message the bot
 * says, for the room it is said in — so a relayed copy is in the target room's language.
 */
import type { ConfigFacts } from "../../commands/config.ts";
import type { DbOrTx } from "../db/client.ts";
import { getChatLang } from "../db/queries/roomSettings.ts";
import { DEFAULT_LANG, type Lang } from "../domain/lang.ts";
import type { RoomSettingsRepo } from "../domain/repos.ts";

export interface RoomStyle {
  lang: Lang;
  timeZone?: string | undefined;
}

/** A room the bot knows nothing of (not configured, no chat setting): English, UTC. */
export const PLAIN_STYLE: RoomStyle = { lang: DEFAULT_LANG };

function configured(facts: Pick<ConfigFacts, "rooms">, roomId: string) {
  return Object.values(facts.rooms).find((r) => r.roomId === roomId);
}

/** The style from tearline.yaml, with the chat's language over it when one was set. */
export function styleOf(
  facts: Pick<ConfigFacts, "rooms">,
  roomId: string,
  chatLang: Lang | undefined,
): RoomStyle {
  const room = configured(facts, roomId);
  return { lang: chatLang ?? room?.lang ?? DEFAULT_LANG, timeZone: room?.timeZone };
}

/** The room's style, reading its chat setting through the repository port. */
export async function lookupStyle(
  facts: ConfigFacts,
  rooms: RoomSettingsRepo,
  roomId: string,
): Promise<RoomStyle> {
  return styleOf(facts, roomId, (await rooms.lang(roomId))?.lang);
}

/** The room's style, reading its chat setting in `db` (the dispatcher's and scheduler's transactions). */
export async function roomStyle(db: DbOrTx, facts: ConfigFacts, roomId: string): Promise<RoomStyle> {
  return styleOf(facts, roomId, (await getChatLang(db, roomId))?.lang);
}
