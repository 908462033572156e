import type { ConfigFacts } from "../../commands/config.ts";
import type { Member } from "../../commands/types.ts";

/** What the bot needs to know of the configuration to route and authorize (built from tearline.yaml). */
export interface Directory {
  prefix: string;
  member(userId: string): Member | undefined;
  roomAlias(roomId: string): string | undefined;
  /** Invites are accepted to configured rooms, or from rostered users. */
  acceptsInvite(roomId: string, inviter: string | undefined): boolean;
  /** Partners, rooms and corroboration settings, as commands see them. */
  facts: ConfigFacts;
}
