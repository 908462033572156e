import alert from "./alert.ts";
import approve from "./approve.ts";
import deny from "./deny.ts";
import digest from "./digest.ts";
import exportCommand from "./export.ts";
import help from "./help.ts";
import lang from "./lang.ts";
import retract from "./retract.ts";
import rules from "./rules.ts";
import rfi from "./rfi.ts";
import sight from "./sight.ts";
import sightings from "./sightings.ts";
import status from "./status.ts";
import type { AnyCommand } from "./types.ts";

/** Every chat command, listed explicitly (no registration by import side effect). */
export const commands: readonly AnyCommand[] = [
  help,
  status,
  sight,
  sightings,
  retract,
  rfi,
  alert,
  approve,
  deny,
  rules,
  digest,
  exportCommand,
  lang,
];
