/**
 * Fuzz (issue 9): over 100,000 hostile inputs across the text reader, every parser and every
 * command in commands/index.ts through the real CommandRunner (over the in-memory repositories),
 * nothing escapes as an exception — bad input is a user-facing error — and no single input takes
 * more than 50 ms. The time is measured per input, as a guard against catastrophic backtracking
 * (10k characters through an O(n²) regex take seconds); an input over budget on the wall clock is
 * timed five times more in CPU time and fails only if its fastest run is still over, so a GC pause
 * or a busy neighbour is not a failure (test/support/fuzz.ts `Stopwatch`). The seed is printed at the
 * end of the run; FC_SEED=… replays it.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import type { AnyCommand } from "../../commands/types.ts";
import { type Effects, newEffects } from "../../src/bot/effects.ts";
import { type CommandMessage, CommandRunner } from "../../src/bot/runner.ts";
import { parseDistanceM, parsePeriodMs } from "../../src/config/units.ts";
import { parseCron } from "../../src/domain/cron.ts";
import { parseDuration, parseTime } from "../../src/domain/dtg.ts";
import { parseImo, parseMmsi, parseName, parsePlate, parseTail } from "../../src/domain/identifiers.ts";
import { parseKind } from "../../src/domain/kinds.ts";
import { parseGrading, parseReleasability, parseTlp } from "../../src/domain/marking.ts";
import { parseCourse, parseSpeed } from "../../src/domain/motion.ts";
import { parsePosition, takePosition } from "../../src/domain/position.ts";
import { readCommand } from "../../src/domain/reader.ts";
import { parseRef } from "../../src/domain/refs.ts";
import { didYouMean, quote } from "../../src/domain/result.ts";
import { parsePriority } from "../../src/domain/rfi.ts";
import { sanitise } from "../../src/domain/userText.ts";
import { isTimeZone } from "../../src/domain/zone.ts";
import { createLogger } from "../../src/log.ts";
import { BUDGET_MS, describeInput, hostile, hostileNear, pumped, Stopwatch } from "../support/fuzz.ts";
import {
  COL_USA,
  COMMANDER,
  contextFor,
  MILLER,
  OTHER_ROOM,
  ROJAS,
  SMITH,
  send,
  USA_JTF,
  world,
  memoryRunnerStorage,
  type RunnerTx,
  runnerDirectory,
  runtimeAt,
} from "./commands/fakes.ts";
import { formatError } from "../../src/bot/effects.ts";
import type { UserError } from "../../src/domain/result.ts";

const NOW = new Date("2026-11-28T07:20:00Z");
const SEED =
  process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FC_SEED);
/** Inputs run per property; the sum over the file is asserted at the end (≥ 100,000). */
const READER_RUNS = 12_000;
const PARSER_RUNS = 2_500;
const COMMAND_RUNS = 2_500;
let total = 0;
const report: string[] = [];

afterAll(() => {
  console.log(`fuzz: seed ${SEED} (FC_SEED=${SEED} replays it), ${total} inputs\n${report.join("\n")}`);
});

/** Fragments the parsers and commands read, so generated text gets past their first check. */
const FRAGMENTS = `281530ZNOV26 280714ZNOV26 2026-11-28T07:14Z 2026-11-28 T15:30 -05:00 18PTR12345
  18PTR1234567890 12°30.5'N 079°10'W 12.51,-79.20 12.5N 79.1W tlp= tlp=red amber+strict rel=
  rel=USA,GBR REL TO conf=B2 Z9 course=045 speed=32kt 1e309kt kt km/h mmsi=367123450 imo=9074729
  tail=HK-4F2 plate= name="" since=99999999d kind= near= radius=0nm to=USA to=usa-jtf S-1 RFI-1
  A-1 A-0 RFI-99999999999 ask answer close list vessel aircraft vesel 0 6 * * * */15 1-5 MON-FRI
  @daily tz=America/Bogota Area/City immediate routine NaN Infinity -0 -1 1e309 24h 10km 5nm
  __proto__ constructor toString valueOf hasOwnProperty prototype to=__proto__ priority=constructor`.split(
  /\s+/,
);
const text = hostile(FRAGMENTS);
const EXAMPLES = commands.flatMap((c) => c.examples);
const readerText = hostileNear(EXAMPLES, FRAGMENTS);

/** A thrown exception, with the input shown in shape. */
function noThrow<R>(where: string, input: string, fn: () => R): R {
  try {
    return fn();
  } catch (e) {
    throw new Error(`${where} threw on ${describeInput(input)}: ${(e as Error).stack ?? e}`);
  }
}

async function expectWithinBudget<I>(
  name: string,
  watch: Stopwatch<I>,
  rerun: (input: I) => unknown,
  show: (input: I) => string = (i) => describeInput(String(i)),
) {
  total += watch.runs;
  const slow = await watch.slowOnes(rerun);
  report.push(
    `  ${name}: ${watch.runs} inputs, slowest ${watch.maxMs.toFixed(1)} ms, ${watch.over.length} over ${BUDGET_MS} ms once, ${slow.length} every time`,
  );
  for (const x of slow) report.push(`    ${x.minMs.toFixed(0)} ms every time: ${show(x.input)}`);
  expect(
    slow.map((s) => `${s.minMs.toFixed(0)} ms: ${show(s.input)}`),
    `${name}: inputs that take more than ${BUDGET_MS} ms every time`,
  ).toEqual([]);
}

/** A parser's answer: a value, or an error with a message and an example for the officer. */
function expectResult(r: unknown) {
  if (r === null || typeof r !== "object" || !("ok" in r)) return;
  expect(typeof r.ok).toBe("boolean");
  // The message is catalogue data now (an id and its params): it must render to a non-empty text.
  if (!r.ok) expect(formatError((r as unknown as { error: UserError }).error).length).toBeGreaterThan(0);
}

/** Every parser, with valid examples of what it reads (pumped by the fuzz: see `pumped`). */
const parsers: Record<string, [(t: string) => unknown, string[]]> = {
  parseTime: [
    (t) => parseTime(t, NOW),
    ["281530ZNOV26", "2026-11-28T07:14Z", "2026-11-28 07:14 -05:00", "0714Z"],
  ],
  parseDuration: [(t) => parseDuration(t), ["24h", "90 min", "7d"]],
  parsePosition: [
    (t) => parsePosition(t),
    ["12.51,-79.20", "12°30.5'N 079°10'W", "18PTR1234567890", "12.5N 79.1W", "12 30 N 79 10 W"],
  ],
  takePosition: [
    (t) => takePosition(t.split(" ")),
    ["12.51,-79.20", "12°30.5'N 079°10'W", "18P TR 12345 67890", "12.5N 79.1W"],
  ],
  parseTlp: [(t) => parseTlp(t), ["TLP:AMBER", "amber+strict", "tlp: red"]],
  parseReleasability: [
    (t) => parseReleasability(t, ["COL", "USA", "JTF"]),
    ["USA,COL", "REL TO USA, COL", "REL USA/JTF"],
  ],
  parseGrading: [(t) => parseGrading(t), ["B2", "B-2", "c/3"]],
  parseCourse: [(t) => parseCourse(t), ["045", "045°T", "270 deg M"]],
  parseSpeed: [(t) => parseSpeed(t), ["32kt", "32 km/h", "12,5 knots"]],
  parseKind: [(t) => parseKind(t), ["vessel", "aircraft"]],
  parseName: [(t) => parseName(t), ["SIN NOMBRE", "GO FAST 1"]],
  parseMmsi: [(t) => parseMmsi(t), ["MMSI 367 123 450", "367123450", "MMSI: 367-123-450"]],
  parseImo: [(t) => parseImo(t), ["IMO 9074729", "9074729"]],
  parseTail: [(t) => parseTail(t), ["HK-4F2", "N123AB"]],
  parsePlate: [(t) => parsePlate(t), ["ABC-123", "ABC 123"]],
  "parseRef S": [(t) => parseRef("S", t), ["S-12", "s 12", "12"]],
  "parseRef RFI": [(t) => parseRef("RFI", t), ["RFI-4", "rfi 4"]],
  "parseRef A": [(t) => parseRef("A", t), ["A-7", "a7"]],
  parsePriority: [(t) => parsePriority(t), ["immediate", "routine", "P1"]],
  parseCron: [(t) => parseCron(t), ["0 6 * * *", "*/15 8-18/2 1,15 JAN-MAR MON-FRI", "@daily"]],
  parsePeriodMs: [(t) => parsePeriodMs(t), ["24h", "1.5 d"]],
  parseDistanceM: [(t) => parseDistanceM(t), ["10km", "5 nm"]],
  isTimeZone: [(t) => isTimeZone(t), ["America/Bogota", "Etc/GMT+5", "UTC"]],
  sanitise: [(t) => sanitise(t), ["two outboards, no flag"]],
  quote: [(t) => quote(t), ["SIN NOMBRE"]],
  didYouMean: [
    (t) => didYouMean(t, ["vessel", "aircraft", "vehicle", "person", "other"]),
    ["vesel", "aircarft"],
  ],
};

describe("fuzz: the reader and every parser", () => {
  it("readCommand returns null, a command or a user-facing error for any text, each within 50 ms", async () => {
    const watch = new Stopwatch<string>();
    const read = (t: string) => readCommand(t, "!");
    fc.assert(
      fc.property(fc.constantFrom("", "!", "!sight ", "!x ", "  !rfi ask "), readerText, (start, t) => {
        const input = start + t;
        const r = noThrow("readCommand", input, () => watch.time(input, () => read(input)));
        if (r !== null) expectResult(r);
      }),
      { numRuns: READER_RUNS, seed: SEED },
    );
    await expectWithinBudget("readCommand", watch, read);
  });

  it.each(Object.entries(parsers))(
    "%s returns a value or a user-facing error for any text, each within 50 ms",
    async (name, [parse, examples]) => {
      const watch = new Stopwatch<string>();
      fc.assert(
        fc.property(hostileNear(examples, FRAGMENTS), (t) => {
          expectResult(noThrow(name, t, () => watch.time(t, () => parse(t))));
        }),
        { numRuns: PARSER_RUNS, seed: SEED },
      );
      await expectWithinBudget(name, watch, parse);
    },
  );
});

type Tx = RunnerTx;
/** Error-level log lines: a command that threw (the room saw "internal error, reference …"). */
const errors: string[] = [];
const runner = new CommandRunner<Tx>({
  log: createLogger("error", {}, (line) => errors.push(line)),
  directory: runnerDirectory,
  commands,
  runtime: runtimeAt(NOW),
  now: () => NOW,
  storage: memoryRunnerStorage,
});

/** A room with a sighting, an RFI and an alert in it, so refs in the text reach past "not found". */
async function seeded(): Promise<Tx> {
  const w: Tx = { ...world(NOW), records: [] };
  const byName = (n: string) => commands.find((c) => c.name === n);
  const seeds: [string, string, string][] = [
    ["sight", '!sight vessel 12.51,-79.17 "SIN NOMBRE" mmsi=367123450', SMITH],
    ["rfi", "!rfi ask to=USA -- last known position?", ROJAS],
    ["alert", "!alert S-1 to=usa-jtf", ROJAS],
  ];
  for (const [name, body, sender] of seeds) {
    const c = byName(name);
    if (c !== undefined) await send(c, body, contextFor(w, sender));
  }
  return w;
}

/** Option keys a command's usage and examples name (`time=`, `to=` …), read from its definition. */
function optionKeys(c: AnyCommand): string[] {
  const all = [c.usage, c.synopsis ?? "", ...c.examples].join(" ");
  return [...new Set([...all.matchAll(/([a-z]+)=/g)].map((m) => m[1] ?? ""))];
}

/** The command's name, then a mutated example (or nothing of it) with hostile words spliced in. */
function messageFor(c: AnyCommand): fc.Arbitrary<string> {
  const bases = [[], ...c.examples.map((e) => e.split(" ").slice(1))];
  const keys = optionKeys(c);
  const word = fc.oneof(
    { weight: 3, arbitrary: text },
    { weight: 2, arbitrary: fc.constantFrom(...FRAGMENTS) },
    ...(keys.length > 0
      ? [{ weight: 2, arbitrary: fc.tuple(fc.constantFrom(...keys), text).map(([k, v]) => `${k}=${v}`) }]
      : []),
    { weight: 1, arbitrary: text.map((t) => `-- ${t}`) },
  );
  const mutated = fc
    .record({
      base: fc.constantFrom(...bases),
      drop: fc.nat(8),
      at: fc.nat(12),
      words: fc.array(word, { maxLength: 4 }),
      gap: fc.constantFrom(" ", "  ", "\t", " \n "),
      name: fc.constantFrom(c.name, c.name.toUpperCase()),
    })
    .map(({ base, drop, at, words, gap, name }) => {
      const kept = base.filter((_, i) => i !== drop);
      const i = at % (kept.length + 1);
      return `!${name} ${[...kept.slice(0, i), ...words, ...kept.slice(i)].join(gap)}`;
    });
  const args = c.examples.map((e) => e.split(" ").slice(1).join(" "));
  if (args.length === 0) return mutated;
  const pumpedArgs = pumped(args).map((a) => `!${c.name} ${a}`);
  return fc.oneof({ weight: 3, arbitrary: mutated }, pumpedArgs);
}

const message = (body: string, sender: string, roomId: string): CommandMessage => ({
  eventId: "$event",
  roomId,
  sender,
  body,
  sentAt: new Date("2026-11-28T07:15:00Z"),
});
const senders = fc.constantFrom(ROJAS, SMITH, MILLER, COMMANDER, "@stranger:example.org");
const rooms = fc.constantFrom(COL_USA, USA_JTF, OTHER_ROOM);

/** The runner's answer to one message: it must not throw, log an internal error, or say nothing. */
async function answer(w: Tx, m: CommandMessage): Promise<Effects> {
  const fx = newEffects();
  errors.length = 0;
  try {
    await runner.run(w, fx, m);
  } catch (e) {
    throw new Error(`the runner threw on ${describeInput(m.body)}: ${(e as Error).stack ?? e}`);
  }
  expect(errors, `a command threw on ${describeInput(m.body)}`).toEqual([]);
  const said = fx.messages.filter((x) => x.eventType === "m.room.message");
  expect(said.length, `no reply to ${describeInput(m.body)}`).toBeGreaterThan(0);
  return fx;
}

describe("fuzz: every command through the real runner", () => {
  it.each(commands.map((c) => [c.name, c] as const))(
    "!%s: any words get a reply (a result or a user-facing error), never an exception, each within 50 ms",
    async (name, command) => {
      const watch = new Stopwatch<CommandMessage>();
      // A fresh room every so often: what succeeded piles up, and lists of thousands are not the point.
      let w = await seeded();
      let uses = 0;
      const fresh = async () => {
        if (++uses % 100 === 0) w = await seeded();
        return w;
      };
      await fc.assert(
        fc.asyncProperty(messageFor(command), senders, rooms, async (body, sender, roomId) => {
          const room = await fresh();
          const m = message(body, sender, roomId);
          await watch.timeAsync(m, () => answer(room, m));
        }),
        { numRuns: COMMAND_RUNS, seed: SEED },
      );
      await expectWithinBudget(
        `!${name}`,
        watch,
        async (m) => answer(await seeded(), m),
        (m) => `${m.sender} in ${m.roomId}: ${describeInput(m.body)}`,
      );
    },
  );

  it(`ran at least 100,000 inputs in all`, () => {
    expect(total).toBeGreaterThanOrEqual(100_000);
  });
});
