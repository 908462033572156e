import type { Lang } from "../src/domain/lang.ts";
import type { SharingRule } from "../src/domain/sharingRule.ts";

/** The loaded configuration, as far as commands need it (src/bot/configDirectory.ts builds it). */
export interface RoomFacts {
  roomId: string;
  partners: readonly string[];
  /** IANA zone for local times (the room's digest zone), if configured. */
  timeZone?: string | undefined;
  /** The language of tearline.yaml (`lang:`, default en); `!lang` in chat overrides it. */
  lang?: Lang | undefined;
  /** The digest schedule of tearline.yaml, if any (a chat schedule overrides it). */
  digest?: { cron: string; tz: string; graceMs: number } | undefined;
}

/**
 * A sharing rule of tearline.yaml for one target room (both ends by alias): a rule written with
 * `to: [a, b]` is one of these per target. The pure decisions are in src/domain/sharing.ts.
 */
export type SharingFacts = SharingRule;

/** The loaded configuration, as far as commands need it. */
export interface ConfigFacts {
  /** Partner code → display name. */
  partners: Readonly<Record<string, string>>;
  /** Configured rooms by alias. */
  rooms: Readonly<Record<string, RoomFacts>>;
  corroboration: { windowHours: number; distanceNm: number };
  /** Deny by default: an item goes to another room only if one of these rules lets its kind go there. */
  sharing: readonly SharingFacts[];
}
