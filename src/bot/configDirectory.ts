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
  };
}
