import type { ConfigFacts, SharingFacts } from "../../commands/config.ts";
import { memberOf, roomAliasFor } from "../config/lookup.ts";
import { type TearlineConfig, targetsOf } from "../config/schema.ts";
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
        {
          roomId: r.room,
          partners: r.partners,
          timeZone: r.digest?.tz,
          lang: r.lang,
          digest: r.digest && { cron: r.digest.cron, tz: r.digest.tz, graceMs: r.digest.grace },
        },
      ]),
    ),
    corroboration: {
      windowHours: config.corroboration.window_hours,
      distanceNm: config.corroboration.distance_nm,
    },
    sharing: sharingFacts(config.sharing),
  };
}

/**
 * One fact per target room, named `from→to` — with `#2`, `#3` for further rules of the same pair,
 * so a name stays put while rules for other pairs are added or removed.
 */
export function sharingFacts(rules: TearlineConfig["sharing"]): SharingFacts[] {
  const seen = new Map<string, number>();
  return rules.flatMap((rule) =>
    targetsOf(rule).map((to): SharingFacts => {
      const pair = `${rule.from}→${to}`;
      const nth = (seen.get(pair) ?? 0) + 1;
      seen.set(pair, nth);
      const { approval } = rule;
      return {
        name: nth === 1 ? pair : `${pair}#${nth}`,
        from: rule.from,
        to,
        kinds: rule.kinds,
        maxTlp: rule.max_tlp,
        approval:
          approval === "auto"
            ? "auto"
            : {
                role: approval.role,
                count: approval.count,
                notRequester: approval.not_requester,
                expiresMs: approval.expires,
              },
        redact: rule.redact,
        positionPrecisionM: rule.position_precision,
        forward: rule.forward,
      };
    }),
  );
}
