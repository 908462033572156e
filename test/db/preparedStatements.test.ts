import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, PREPARED_MAX_PARAMETERS, type PostgresDatabase } from "../../src/db/client.ts";
import { getState, setStates } from "../../src/db/queries/botState.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

// PostgreSQL only: PGlite runs in the process and has no connections to keep statements on.
describe("statements named on the connection (PostgreSQL)", () => {
  let t: TestDatabase;
  let one: PostgresDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("prepared");
    // One connection, so what it has prepared is what every query below went through.
    one = openPostgres(t.url, { max: 1 });
  });
  afterAll(async () => {
    await one.close();
    await t.drop();
  });

  /** The named statements of the pool's one connection that mention `bot_state`. */
  async function prepared(): Promise<string[]> {
    const rows = (await one.db.execute(
      sql`select statement from pg_prepared_statements where statement like '%bot_state%' order by statement`,
    )) as unknown as { statement: string }[];
    return rows.map((r) => r.statement);
  }

  it("prepares a short statement once and sends it by name after that", async () => {
    await setStates(one.db, [["a", 1]]);
    expect(await getState(one.db, "a")).toBe(1);
    expect(await getState(one.db, "a")).toBe(1);
    const reads = (await prepared()).filter((s) => s.startsWith("select"));
    expect(reads).toEqual([expect.stringMatching(/where "bot_state"\."key" = \$1$/)]);
  });

  it("prepares them in a transaction and in its savepoints too", async () => {
    // Texts not sent before on this connection: three keys in the transaction, two in its savepoint.
    await one.db.transaction(async (tx) => {
      await setStates(tx, [
        ["b", 1],
        ["c", 2],
        ["d", 3],
      ]);
      await tx.transaction((sp) =>
        setStates(sp, [
          ["e", 4],
          ["f", 5],
        ]),
      );
    });
    expect(await getState(one.db, "f")).toBe(5);
    const upserts = (await prepared()).filter((s) => s.startsWith("insert"));
    expect(upserts.map((s) => s.match(/\$\d+, default\) on conflict/)?.[0])).toEqual(
      expect.arrayContaining(["$6, default) on conflict", "$4, default) on conflict"]),
    );
  });

  it("leaves a batch of more parameters than the limit unnamed, and still writes it", async () => {
    const entries = Array.from({ length: PREPARED_MAX_PARAMETERS }, (_, i) => [`k${i}`, i] as const);
    await setStates(one.db, entries); // two parameters per key
    expect(await getState(one.db, `k${PREPARED_MAX_PARAMETERS - 1}`)).toBe(PREPARED_MAX_PARAMETERS - 1);
    const batches = (await prepared()).filter((s) => s.includes(`$${PREPARED_MAX_PARAMETERS + 1}`));
    expect(batches).toEqual([]);
  });
});
