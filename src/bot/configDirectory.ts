import type { ConfigFacts } from "../../commands/config.ts";
import { memberOf, roomAliasFor } from "../config/lookup.ts";
import type { TearlineConfig } from "../config/schema.ts";
import type { Directory } from "./directory.ts";

/** The Directory view of tearline.yaml. Invites: configured rooms, or inviters on the roster. */
export function directoryFromConfig(config: TearlineConfig): Directory {
  return {
    prefix: config.prefix,
    member: (userId) => memberOf(config, userId),
    roomAlias: (roomId) => roomAliasFor(config, roomId),
    acceptsInvite: (roomId, inviter) =>
      roomAliasFor(config, roomId) !== undefined ||
      (inviter !== undefined && memberOf(config, inviter) !== undefined),
    facts: configFacts(config),
  };
}

export function configFacts(config: TearlineConfig): ConfigFacts {
  return {
    partners: Object.fromEntries(Object.entries(config.partners).map(([code, p]) => [code, p.name])),
    rooms: Object.fromEntries(
      Object.entries(config.rooms).map(([alias, r]) => [
        alias,
        { roomId: r.room, partners: r.partners, timeZone: r.digest?.tz },
      ]),
    ),
    corroboration: {
      windowHours: config.corroboration.window_hours,
      distanceNm: config.corroboration.distance_nm,
    },
    sharing: config.sharing.map((rule) => ({ from: rule.from, to: rule.to, kinds: rule.kinds })),
  };
}
