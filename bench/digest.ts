/**
 * Composing a digest over a big database: 1,000,000 sightings and 10,000 RFIs inserted with
 * generate_series in a database of its own; then the room's digest (load, compose, render) timed.
 * Goal (issue 8): ≤ 300 ms. Run alone: `node --import tsx bench/digest.ts`.
 */
import { fileURLToPath } from "node:url";
import { digestRepo } from "../src/db/queries/digests.ts";
import { composeDigest } from "../src/domain/digest.ts";
import { digestMessage } from "../src/render/digest.ts";
import { render } from "../src/render/render.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { count, latency, ms, type Row, summarize } from "./report.ts";

const SIGHTINGS = 1_000_000;
const RFIS = 10_000;
const ROOMS = 200;
/** The digested room's own busy day, on top of its share of the rest. */
const BUSY_DAY = 2_000;
const DAYS = 90;
const ROOM = "!r0:bench.example";
const RUNS = 20;

export async function benchDigest(say: (s: string) => void = () => {}): Promise<Row[]> {
  const db = await createTestDatabase("bench_digest");
  try {
    const now = new Date("2026-11-28T11:00:00Z");
    const nowIso = now.toISOString();
    const period = { from: new Date(+now - 86_400_000), to: now };
    say(`inserting ${count(SIGHTINGS)} sightings and ${count(RFIS)} RFIs`);
    const t0 = performance.now();
    const spread = SIGHTINGS - BUSY_DAY;
    await db.sql`
      insert into sightings (room_id, reporter, reporter_partner, kind, lat, lon, precision_m, position_format,
                             seen_at, name, tlp, grading, matches, logged_at)
      select '!r' || (i % ${ROOMS}) || ':bench.example', '@lo.col:bench.example', 'COL',
             (array['vessel','aircraft','vehicle','person','other'])[1 + i % 5],
             10 + (i % 500) / 100.0, -80 + (i % 700) / 100.0, 100, 'decimal',
             ${nowIso}::timestamptz - make_interval(secs => (i::bigint * 7919) % (${DAYS} * 86400)),
             case when i % 3 = 0 then 'VESSEL ' || i end,
             (array['clear','green','amber','amber'])[1 + i % 4],
             case when i % 7 = 0 then 'B2' when i % 11 = 0 then 'C3' end,
             case when i % 13 = 0 then array['S-1'] else '{}' end,
             ${nowIso}::timestamptz - make_interval(secs => (i::bigint * 7919) % (${DAYS} * 86400))
      from generate_series(1, ${spread}) as i`;
    await db.sql`
      insert into sightings (room_id, reporter, reporter_partner, kind, lat, lon, precision_m, position_format,
                             seen_at, tlp, grading, matches, logged_at)
      select ${ROOM}, '@lo.col:bench.example', 'COL', 'vessel', 12.5, -79.2, 100, 'decimal',
             ${nowIso}::timestamptz - make_interval(secs => i * 40), 'amber',
             case when i % 5 = 0 then 'A1' end, case when i % 9 = 0 then array['S-2'] else '{}' end,
             ${nowIso}::timestamptz - make_interval(secs => i * 40)
      from generate_series(1, ${BUSY_DAY}) as i`;
    await db.sql`
      insert into rfis (room_id, originator, originator_partner, priority, ltiov, to_partner, question, status,
                        answered_at, created_at, updated_at, to_room_id)
      select '!r' || (i % ${ROOMS}) || ':bench.example', '@lo.col:bench.example', 'COL',
             (array['routine','priority','immediate'])[1 + i % 3],
             case when i % 2 = 0 then ${nowIso}::timestamptz - make_interval(hours => (i % 200) - 100) end,
             'USA', 'question ' || i,
             (array['open','accepted','answered','closed'])[1 + i % 4],
             case when i % 4 >= 2 then ${nowIso}::timestamptz - make_interval(hours => i % (${DAYS} * 24)) end,
             ${nowIso}::timestamptz - make_interval(hours => i % (${DAYS} * 24) + 3),
             ${nowIso}::timestamptz,
             case when i % 17 = 0 then ${ROOM} end
      from generate_series(1, ${RFIS}) as i`;
    await db.sql`analyze sightings`;
    await db.sql`analyze rfis`;
    const insertMs = performance.now() - t0;
    say(`inserted in ${ms(insertMs)}; composing`);

    const repo = digestRepo(db.db);
    const room = { alias: "r0", roomId: ROOM, timeZone: "America/Bogota" };
    let lines = 0;
    let shown = 0;
    const once = async (): Promise<number> => {
      const start = performance.now();
      const items = await repo.items(ROOM, period);
      const digest = composeDigest({ room, period, ...items });
      const text = render(digestMessage(digest, now));
      lines = text.body.split("\n").length;
      shown = digest.sightings.total;
      return performance.now() - start;
    };
    const cold = await once();
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once());
    const s = summarize(runs);
    const plan = await db.sql<{ "QUERY PLAN": string }[]>`
      explain select id from sightings
      where room_id = ${ROOM} and seen_at >= ${period.from.toISOString()} and seen_at < ${period.to.toISOString()} and retracted_at is null`;
    const scan =
      plan
        .map((p) => p["QUERY PLAN"])
        .find((l) => /Scan/.test(l))
        ?.trim() ?? "?";
    return [
      {
        metric: `Digest of one room over ${count(SIGHTINGS)} sightings and ${count(RFIS)} RFIs`,
        value: `${latency(s)} (first ${ms(cold)}); goal ≤ 300 ms`,
        how: `${RUNS} runs: load the room's period (${count(shown)} sightings in it, ${ROOMS} rooms, ${DAYS} days), compose, render (${lines} lines); sightings by \`${scan}\`; data inserted with generate_series in ${ms(insertMs)}`,
      },
    ];
  } finally {
    await db.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchDigest((s) => process.stderr.write(`[bench] ${s}\n`)).then(
    (rows) => {
      for (const r of rows) process.stdout.write(`${r.metric}: ${r.value}\n  ${r.how}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
