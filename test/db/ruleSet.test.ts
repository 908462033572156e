import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditRuleSet, ruleSetHash } from "../../src/bot/ruleSet.ts";
import { verifyAudit } from "../../src/db/queries/audit.ts";
import type { SharingRule } from "../../src/domain/sharingRule.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const rule: SharingRule = {
  name: "col-usa→usa-jtf",
  from: "col-usa",
  to: "usa-jtf",
  kinds: ["sighting"],
  maxTlp: "amber",
  approval: { role: "approver", count: 1, notRequester: true, expiresMs: 86_400_000 },
  redact: ["reporter"],
  positionPrecisionM: 10_000,
  forward: false,
};

describe("the sharing rules in force", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("rules");
  });
  afterAll(() => db.drop());

  const loaded = () =>
    db.sql<{ detail: { hash: string; previous: string | null; rules: string[] } }[]>`
      select detail from audit_log where action = 'sharing.rules_loaded' order by id`;

  it("are audited with their hash when they first load and whenever they change, not at every start", async () => {
    const at = new Date("2026-12-01T06:00:00Z");
    const first = await auditRuleSet(db.db, [rule], at);
    await auditRuleSet(db.db, [rule], at); // a restart with the same rules
    const tightened = { ...rule, maxTlp: "green" as const };
    const second = await auditRuleSet(db.db, [tightened], at);
    expect(first).toBe(ruleSetHash([rule]));
    expect(second).not.toBe(first);
    expect((await loaded()).map((r) => r.detail)).toEqual([
      { hash: first, previous: null, rules: ["col-usa→usa-jtf"] },
      { hash: second, previous: first, rules: ["col-usa→usa-jtf"] },
    ]);
    expect((await verifyAudit(db.db)).ok).toBe(true);
  });

  it("hash the rules, not the order of their keys", () => {
    const reordered = Object.fromEntries(Object.entries(rule).reverse()) as unknown as SharingRule;
    expect(ruleSetHash([reordered])).toBe(ruleSetHash([rule]));
    expect(ruleSetHash([{ ...rule, redact: [] }])).not.toBe(ruleSetHash([rule]));
  });
});
