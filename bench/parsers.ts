/** Pure parsers, in-process, no I/O: readCommand + takePosition + parseTime on `!sight` lines. */
import { parseTime } from "../src/domain/dtg.ts";
import { takePosition } from "../src/domain/position.ts";
import { readCommand } from "../src/domain/reader.ts";
import { count, ms, type Row, type Section } from "./report.ts";

const NOW = new Date("2026-11-28T18:00:00Z");

/** Realistic reports, one per position format officers type, plus one that is refused. */
export const SIGHT_LINES: readonly { label: string; line: string; valid: boolean }[] = [
  {
    label: "decimal, quoted name, DTG, remarks",
    line: '!sight vessel 12.51,-79.20 "GO FAST 1" time=281530ZNOV26 -- two outboards, heading north',
    valid: true,
  },
  {
    label: "hemisphere decimal, many options",
    line: '!sight vessel 12.5N 79.1W name="LA ESPERANZA" mmsi=123456789 time=281030RNOV26 course=350 speed=25kt tlp=amber',
    valid: true,
  },
  {
    label: "degrees-minutes, ISO time",
    line: "!sight aircraft 12°30.5'N 079°12.0'W tail=N123AB time=2026-11-28T15:30Z conf=B2 -- low and fast",
    valid: true,
  },
  {
    label: "MGRS (4 words), spaced DTG",
    line: '!sight vessel 18P TR 12345 67890 time="28 1530Z NOV 26"',
    valid: true,
  },
  {
    label: "spaced DMS (6 words), short DTG",
    line: "!sight vessel 12 30 30N 79 12 00W time=281530Z -- drifting",
    valid: true,
  },
  {
    label: "refused: no comma between lat and lon",
    line: "!sight vessel 12 30 79 12 time=281530Z",
    valid: false,
  },
];

/** One `!sight` line through the three parsers; true when all three accepted it. */
function parseSight(line: string): boolean {
  const read = readCommand(line);
  if (read === null || !read.ok) return false;
  const pos = takePosition(read.value.positional.slice(1));
  const time = parseTime(read.value.options.time ?? "", NOW);
  return pos.ok && time.ok;
}

function timeLoop(iterations: number, fn: (i: number) => boolean): { ms: number; accepted: number } {
  let accepted = 0;
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) if (fn(i)) accepted++;
  return { ms: performance.now() - t0, accepted };
}

export function benchParsers(iterations = 20_000): Section {
  for (const s of SIGHT_LINES) {
    if (parseSight(s.line) !== s.valid) throw new Error(`parser bench line changed meaning: ${s.line}`);
  }
  const lines = SIGHT_LINES.map((s) => s.line);
  timeLoop(2_000, (i) => parseSight(lines[i % lines.length]!)); // warm-up (JIT)
  const mix = timeLoop(iterations, (i) => parseSight(lines[i % lines.length]!));
  const expected = Math.round((iterations * SIGHT_LINES.filter((s) => s.valid).length) / SIGHT_LINES.length);
  if (Math.abs(mix.accepted - expected) > SIGHT_LINES.length)
    throw new Error("parser bench: wrong accept count");

  const readOnly = timeLoop(iterations, (i) => readCommand(lines[i % lines.length]!)?.ok === true);
  const rows: Row[] = [
    {
      metric: "`!sight` line → readCommand + takePosition + parseTime (mix of 6)",
      value: `${count((iterations / mix.ms) * 1000)} lines/s (${((mix.ms / iterations) * 1000).toFixed(1)} µs/line)`,
      how: `${count(iterations)} iterations over the 6 lines below, after ${count(2000)} warm-up; performance.now()`,
    },
    {
      metric: "readCommand alone (same mix)",
      value: `${count((iterations / readOnly.ms) * 1000)} lines/s`,
      how: `${count(iterations)} iterations`,
    },
  ];
  const per = Math.max(1000, Math.round(iterations / SIGHT_LINES.length));
  for (const s of SIGHT_LINES) {
    timeLoop(200, () => parseSight(s.line));
    const r = timeLoop(per, () => parseSight(s.line));
    rows.push({
      metric: `… ${s.label}`,
      value: `${count((per / r.ms) * 1000)} lines/s`,
      how: `${count(per)} iterations of \`${s.line.length > 60 ? `${s.line.slice(0, 57)}…` : s.line}\` (${ms(r.ms)})`,
    });
  }
  return { title: "Pure parsers (in-process, no I/O)", rows };
}
