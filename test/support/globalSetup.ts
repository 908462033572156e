/**
 * Vitest global set-up (design §8): one real Synapse per run, shared by every test file.
 * Tests get its coordinates with `inject("homeserver")` and register fresh users per test.
 */
import type { TestProject } from "vitest/node";
import { buildBot } from "./botProcess.ts";
import { startHomeserver } from "./homeserver.ts";

export interface ProvidedHomeserver {
  url: string;
  serverName: string;
  sharedSecret: string;
  logFile: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    homeserver: ProvidedHomeserver;
  }
}

/** Read by test/support/synapseLogReporter.ts (same main process) to print the log on failure. */
export const SYNAPSE_LOG_ENV = "TEARLINE_SYNAPSE_LOG";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = process.env.DEBUG_SYNAPSE ? (s: string) => console.error(`[synapse] ${s}`) : undefined;
  // The e2e tests run the compiled bot, as users do: built once here, before any test starts.
  buildBot();
  const hs = await startHomeserver(log ? { log } : {});
  process.env[SYNAPSE_LOG_ENV] = hs.logFile;
  project.provide("homeserver", {
    url: hs.url,
    serverName: hs.serverName,
    sharedSecret: hs.sharedSecret,
    logFile: hs.logFile,
  });
  return async () => {
    await hs.stop();
  };
}
