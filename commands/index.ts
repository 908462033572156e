import help from "./help.ts";
import status from "./status.ts";
import type { AnyCommand } from "./types.ts";

/** Every chat command, listed explicitly (no registration by import side effect). */
export const commands: readonly AnyCommand[] = [help, status];
