import { createHash } from "node:crypto";
import type { SharingFacts } from "../../commands/config.ts";
import type { Db } from "../db/client.ts";
import { appendAudit, canonicalJson } from "../db/queries/audit.ts";
import { getState, setState } from "../db/queries/botState.ts";
import { BOT_ACTOR } from "./actor.ts";

const STATE_KEY = "sharing.rules_hash";

/** SHA-256 over the canonical JSON of the rules in force (one per target room, as they are evaluated). */
export function ruleSetHash(rules: readonly SharingFacts[]): string {
  return createHash("sha256").update(canonicalJson(rules)).digest("hex");
}

/**
 * Audits the sharing rules this start runs under (`sharing.rules_loaded`, with their hash and
 * names) whenever they differ from the last set audited, so the log tells which rules decided
 * every later relay. Returns the hash.
 */
export async function auditRuleSet(db: Db, rules: readonly SharingFacts[], at: Date): Promise<string> {
  const hash = ruleSetHash(rules);
  await db.transaction(async (tx) => {
    const previous = await getState<string>(tx, STATE_KEY);
    if (previous === hash) return;
    const detail = { hash, previous: previous ?? null, rules: rules.map((r) => r.name) };
    await appendAudit(tx, [{ actor: BOT_ACTOR, action: "sharing.rules_loaded", detail }], at);
    await setState(tx, STATE_KEY, hash);
  });
  return hash;
}
