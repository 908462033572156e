/** Questions the bot asks of a loaded configuration. */
import type { Role, RosterEntry, TearlineConfig } from "./schema.ts";

/** The alias (`col-usa`) under which a Matrix room is configured, if it is. */
export function roomAliasFor(config: TearlineConfig, roomId: string): string | undefined {
  for (const [alias, room] of Object.entries(config.rooms)) if (room.room === roomId) return alias;
  return undefined;
}

/** The roster entry for a Matrix user: their partner, roles and display name. */
export function memberOf(config: TearlineConfig, userId: string): RosterEntry | undefined {
  return Object.hasOwn(config.roster, userId) ? config.roster[userId] : undefined;
}

export function hasRole(config: TearlineConfig, userId: string, role: Role): boolean {
  return memberOf(config, userId)?.roles.includes(role) ?? false;
}
